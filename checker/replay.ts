/**
 * Re-executes a trace on a model, step by step: each recorded step must be an action the model
 * enables (same actor, action and input), must produce the recorded outputs (sends, timers,
 * notifications) and must leave the same Views (and, for a model that describes its states, the
 * same descriptions). Then the recorded violation must show again: an `always` property false in
 * the last state, an `eventually` property false in every state of the fair suffix.
 */
import { AliceError } from '../spec/errors.js';
import { canonicalJson } from '../spec/canonical.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { checkOptions } from './options.js';
import { type Packed, System } from './system.js';
import { type Trace, stateWords } from './trace.js';
import { MODEL_STEP, MODEL_STEP_PROPERTY, ModelStepError, checkGuarded } from './model-error.js';

export class TraceMismatchError extends AliceError {
  constructor(
    readonly step: number,
    message: string,
  ) {
    super('TRACE_MISMATCH', `trace does not match the model at step ${step}: ${message}`);
  }
}

export interface ReplayReport {
  readonly steps: number;
  readonly reproduced: boolean;
  readonly detail: string;
}

const clip = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

const keyOf = (actor: string, action: string, input: unknown): string => `${actor}|${action}|${canonicalJson(input ?? null)}`;

export interface ReplayOptions {
  /**
   * Compare each step's outputs with the recorded ones. Default true: a trace is evidence of what the
   * model did, so a step that matches in Views but not in outputs is not a replay of it.
   */
  readonly compareOutputs?: boolean;
}

export function replayTrace<S, M, Cfg>(protocol: ProtocolDefinition<S, M, Cfg>, trace: Trace, onStep?: (index: number, action: string) => void, options: ReplayOptions = {}): ReplayReport {
  const compareOutputs = options.compareOutputs ?? true;
  if (trace.protocol !== protocol.name) {
    throw new TraceMismatchError(0, `the trace is of protocol '${trace.protocol}', not '${protocol.name}'`);
  }
  const property = trace.property === MODEL_STEP ? MODEL_STEP_PROPERTY : protocol.properties.find((p) => p.name === trace.property);
  if (!property) throw new TraceMismatchError(0, `${protocol.name} has no property '${trace.property}'`);
  const system = new System(protocol, checkOptions(trace.options));
  const states = replayStates(system, trace, onStep, { compareOutputs });
  const cur = states[states.length - 1];
  if (property === MODEL_STEP_PROPERTY) {
    // Reproduced when a step enabled in the last state throws (a throw during a fair run from there is not re-run).
    for (const action of system.actions(cur)) {
      try {
        system.apply(cur, action);
      } catch (e) {
        if (e instanceof ModelStepError) return { steps: states.length, reproduced: true, detail: `${MODEL_STEP} violated from the last state: ${e.message}` };
        throw e;
      }
    }
    return { steps: states.length, reproduced: false, detail: `no step enabled in the last state throws: the violation is not reproduced here` };
  }
  if (property.temporal === 'eventually') {
    const from = trace.suffixFrom ?? states.length - 1;
    const stillFalse = states.slice(from).every((s) => checkGuarded(property, system.observe(s)) !== null);
    return {
      steps: states.length,
      reproduced: stillFalse,
      detail: stillFalse
        ? `${property.name} stays false along the ${states.length - 1 - from} fair steps of the suffix`
        : `${property.name} comes true within the suffix: the violation is not reproduced`,
    };
  }
  const before = states.length > 1 ? system.observe(states[states.length - 2]) : undefined;
  const v = checkGuarded(property, system.observe(cur), before);
  return {
    steps: states.length,
    reproduced: v !== null,
    detail: v ? `${property.name} violated at the last step: ${v.detail}` : `${property.name} holds at the last step: the violation is not reproduced`,
  };
}

/**
 * The states a trace passes through on `system`, state 0 the initial one: each recorded step must be
 * enabled with the recorded outputs and leave the recorded Views, or a TraceMismatchError names the
 * step. What replayTrace judges the violation on, and what the trace explorer steps through.
 */
export function replayStates<S, M, Cfg>(system: System<S, M, Cfg>, trace: Trace, onStep?: (index: number, action: string) => void, options: ReplayOptions = {}): Packed[] {
  const compareOutputs = options.compareOutputs ?? true;
  let cur = system.initial;
  const sameViews = (i: number, state: Packed) => {
    const got = system.observe(state);
    const want = trace.steps[i];
    for (const id of Object.keys(want.views).sort()) {
      if (canonicalJson(got.views[id]) !== canonicalJson(want.views[id])) {
        throw new TraceMismatchError(i, `${id}'s View differs: the trace has ${canonicalJson(want.views[id])}, the model gives ${canonicalJson(got.views[id])}`);
      }
    }
    if (canonicalJson(got.up) !== canonicalJson(want.up)) throw new TraceMismatchError(i, `which nodes are up differs`);
    // A trace that shows states in words (the model's describe, or its encoding) holds the model to them.
    const said = want.described?.states;
    const words = said ? stateWords(system.protocol) : undefined;
    const now = words ? Object.fromEntries(Object.entries(got.states ?? {}).map(([id, st]) => [id, words(st as S)])) : undefined;
    if (said && now) {
      for (const id of Object.keys(said).sort()) {
        if (said[id] !== now[id]) throw new TraceMismatchError(i, `${id}'s state differs: the trace has '${clip(said[id])}', the model gives '${clip(now[id] ?? '(no such node)')}'`);
      }
    }
  };
  sameViews(0, cur);
  onStep?.(0, 'init');
  const states = [cur];
  for (let i = 1; i < trace.steps.length; i++) {
    const want = trace.steps[i];
    const key = keyOf(want.actor, want.action, want.input);
    const wantOutputs = canonicalJson(want.outputs);
    let next: Packed | null = null;
    let otherOutputs: string | undefined;
    const enabled: string[] = [];
    for (const action of system.actions(cur)) {
      // A sibling step that throws is not the recorded one (a modelStep trace ends where one does).
      let successors: ReturnType<typeof system.apply>;
      try {
        successors = system.apply(cur, action, true);
      } catch (e) {
        if (e instanceof ModelStepError) continue;
        throw e;
      }
      for (const r of successors) {
        const info = r.info!;
        enabled.push(`[${info.actor}] ${info.label}`);
        if (next !== null || keyOf(String(info.actor), info.label, info.input) !== key) continue;
        const got = canonicalJson(info.outputs);
        if (!compareOutputs || got === wantOutputs) next = r.state;
        else otherOutputs ??= got;
      }
    }
    if (next === null && otherOutputs !== undefined) {
      throw new TraceMismatchError(i, `the outputs differ: the trace has ${clip(wantOutputs)}, the model gives ${clip(otherOutputs)}`);
    }
    if (next === null) {
      throw new TraceMismatchError(i, `no enabled action '[${want.actor}] ${want.action}' with that input; enabled: ${enabled.slice(0, 8).join('; ')}${enabled.length > 8 ? '; …' : ''}`);
    }
    sameViews(i, next);
    onStep?.(i, want.action);
    cur = next;
    states.push(cur);
  }
  return states;
}
