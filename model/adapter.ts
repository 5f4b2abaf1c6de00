/**
 * Turns an XState v5 machine into the step contract. The machine takes Inputs as its events and
 * produces Outputs with XState's `emit` action; everything is driven through the pure
 * `initialTransition` / `transition`, so no actor runs and no action executes.
 *
 * Convention for node machines:
 *  - machine input is the NodeSetup; events are Input<M> (`receive`, `timer`, `command`, `crash`, `restart`);
 *  - emitted events are Output<M> (`send`, `setTimer`, `cancelTimer`, `notify`);
 *  - context is plain JSON (records and arrays, no Map/Set), so a snapshot is encoded canonically.
 */
import { type AnyActorScope, type AnyStateMachine, type SnapshotFrom, createActor, initialTransition } from 'xstate';
import { AliceError } from '../spec/errors.js';
import { canonicalJson } from '../spec/canonical.js';
import type { Choice, Input, NodeBehaviour, NodeSetup, Output, StepResult } from '../spec/step.js';
import type { View } from '../spec/view.js';

export class ModelError extends AliceError {
  constructor(message: string) {
    super('MODEL', message);
  }
}

export interface MachineBehaviourOptions<TMachine extends AnyStateMachine> {
  readonly protocol: string;
  readonly view: (snapshot: SnapshotFrom<TMachine>) => View;
  readonly choices?: <M>(snapshot: SnapshotFrom<TMachine>, input: Input<M>) => readonly Choice[] | undefined;
}

interface ActionLike {
  readonly type: string;
  readonly params?: unknown;
}

function outputsOf<M>(actions: readonly ActionLike[]): Output<M>[] {
  const out: Output<M>[] = [];
  for (const a of actions) {
    if (a.type === 'xstate.emit') out.push((a.params as { event: Output<M> }).event);
    // A pure transition returns custom actions unexecuted: logic there would silently never run.
    else throw new ModelError(`action '${a.type}' would not run under a pure transition; express it with assign, emit or enqueueActions`);
  }
  return out;
}

function checked<T extends { status: string; error?: unknown }>(snapshot: T, what: string): T {
  if (snapshot.status === 'error') {
    throw new ModelError(`model raised an error on ${what}: ${String(snapshot.error)}; a guard or action threw, fix the model`);
  }
  return snapshot;
}

export function machineBehaviour<TMachine extends AnyStateMachine, M, Cfg = unknown>(
  machine: TMachine,
  options: MachineBehaviourOptions<TMachine>,
): NodeBehaviour<SnapshotFrom<TMachine>, M, Cfg> {
  type S = SnapshotFrom<TMachine>;
  // XState's `transition()` builds a fresh inert actor (computing the machine's initial context) on
  // every call, which costs more than the step itself; the model checker steps millions of times.
  // These machines spawn no children and defer nothing, so one inert scope serves every step: it only
  // collects the step's actions instead of executing them, as `transition()` does.
  let collected: ActionLike[] = [];
  let scope: AnyActorScope | undefined;
  const inertScope = (): AnyActorScope => {
    if (scope) return scope;
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      actionExecutor: (action: ActionLike) => void collected.push(action),
    } as unknown as AnyActorScope;
    return scope;
  };
  return {
    protocol: options.protocol,
    init(setup: NodeSetup<Cfg>): StepResult<S, M> {
      const [snapshot, actions] = initialTransition(machine, setup as never);
      return { state: checked(snapshot as S & { status: string }, 'init'), outputs: outputsOf<M>(actions as ActionLike[]) };
    },
    step(state: S, input: Input<M>): StepResult<S, M> {
      const actions: ActionLike[] = (collected = []);
      let snapshot: unknown;
      try {
        snapshot = machine.transition(state, input as never, inertScope());
      } catch (e) {
        throw new ModelError(`model threw on input ${input.type}: ${(e as Error).message}; a guard or action is broken, fix the model`);
      }
      const result = { state: checked(snapshot as S & { status: string }, `input ${input.type}`), outputs: outputsOf<M>(actions as ActionLike[]) };
      return input.choice ? { ...result, choice: input.choice } : result;
    },
    view: options.view,
    choices: options.choices,
    encode(state: S): string {
      const s = state as unknown as { value: unknown; context: unknown };
      return canonicalJson({ v: s.value, c: s.context });
    },
    decode(text: string): S {
      // encode keeps value and context, all a snapshot of these machines holds (no children, no history states).
      const { v, c } = JSON.parse(text) as { v: unknown; c: unknown };
      return machine.resolveState({ value: v, context: c } as never) as S;
    },
  };
}
