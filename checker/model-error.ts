/**
 * A model that throws is a defect the checker found, not a crash of the checker: a step that throws
 * (or a View that cannot be built) on a reachable state is reported as a violation of `modelStep`,
 * with the trace to the state where it happened, and a property whose check throws on a reached
 * state is reported violated there (the state is malformed for what the property reads, e.g. a
 * record with no NodeInfo). Either way the run fails (exit 1) with a counterexample to replay,
 * instead of dying with a stack trace that names no path.
 */
import type { Observation, Property, Violation } from '../spec/properties.js';

/** The verdict name under which a throwing model is reported. */
export const MODEL_STEP = 'modelStep';

/** A pseudo-property: it is never evaluated, only reported when a step threw. */
export const MODEL_STEP_PROPERTY: Property = {
  name: MODEL_STEP,
  temporal: 'always',
  meaning: 'no step of the model throws, and every reached state has a View',
  assumptions: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any network, any faults: a step function is total' },
  check: () => null,
};

export class ModelStepError extends Error {
  /** Successor positions leading to the state the throwing step was taken from (set by the explorer). */
  path?: number[];
  /** Where the step was taken, when not on the path itself (a fair run from its last state). */
  during?: string;

  constructor(
    readonly node: string,
    /** What the node was stepping on, in words. */
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(`${node} threw on ${what}: ${messageOf(cause)}`);
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** A short description of an input for the error line (message kind, timer name, command). */
export function describeInput(input: unknown): string {
  const i = input as { type?: string; from?: string; timer?: string; message?: { kind?: string }; command?: { kind?: string } };
  if (i.type === 'receive') return `receive ${i.message?.kind ?? 'a message'} from ${i.from}`;
  if (i.type === 'timer') return `timer ${i.timer}`;
  if (i.type === 'command') return `command ${i.command?.kind}`;
  return String(i.type);
}

/** A property check that cannot throw: a throw is this property's violation at this state. */
export function checkGuarded(p: Property, obs: Observation, before?: Observation): Violation | null {
  try {
    return p.check(obs, before);
  } catch (e) {
    return { property: p.name, detail: `the check threw on this state (a malformed View?): ${messageOf(e)}` };
  }
}
