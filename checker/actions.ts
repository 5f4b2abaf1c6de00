/**
 * What the environment can do in a global state: the vocabulary of the checker's semantics (see
 * checker/system.ts for when each action is enabled and what it does). Actions exist in two forms:
 * `Action` objects for traces and replay, and four numbers each (kind, a, b, word offset) for the
 * explorer's hot loop, which must not allocate per successor.
 */

/** Kinds of action. The numbers are what the explorer's action codes carry. */
export const ActionKind = {
  /** A message in flight arrives at its receiver. */
  Deliver: 0,
  /** A message in flight is lost (fault `loss`). */
  Drop: 1,
  /** A message in flight is duplicated (fault `dup`, budgeted). */
  Dup: 2,
  /** An armed timer of a live node fires. */
  Timer: 3,
  /** Bounded timing: the clock advances to the next deadline. */
  Tick: 4,
  Crash: 5,
  Restart: 6,
  /** One side of the cluster is cut off from the rest. */
  Partition: 7,
  Heal: 8,
  /** The operator patches a node's NodeInfo. */
  Update: 9,
  /** The operator tells a node to leave. */
  Leave: 10,
  /** A node's clock jumps 1 s ahead (bounded timing). */
  Skew: 11,
} as const;
export type ActionKind = (typeof ActionKind)[keyof typeof ActionKind];

/** One thing the environment can do in a state. */
export type Action =
  | { readonly kind: 'deliver'; readonly entry: number }
  | { readonly kind: 'drop'; readonly entry: number }
  | { readonly kind: 'dup'; readonly entry: number }
  | { readonly kind: 'timer'; readonly node: number; readonly entry: number }
  | { readonly kind: 'tick' }
  | { readonly kind: 'crash'; readonly node: number }
  | { readonly kind: 'restart'; readonly node: number }
  | { readonly kind: 'partition'; readonly side: number }
  | { readonly kind: 'heal' }
  | { readonly kind: 'update'; readonly node: number; readonly patch: number }
  | { readonly kind: 'leave'; readonly node: number }
  | { readonly kind: 'skew'; readonly node: number };

/** The Action object an action code stands for. */
export function decodeAction(kind: number, a: number, b: number): Action {
  switch (kind) {
    case ActionKind.Deliver:
      return { kind: 'deliver', entry: a };
    case ActionKind.Drop:
      return { kind: 'drop', entry: a };
    case ActionKind.Dup:
      return { kind: 'dup', entry: a };
    case ActionKind.Timer:
      return { kind: 'timer', node: a, entry: b };
    case ActionKind.Tick:
      return { kind: 'tick' };
    case ActionKind.Crash:
      return { kind: 'crash', node: a };
    case ActionKind.Restart:
      return { kind: 'restart', node: a };
    case ActionKind.Partition:
      return { kind: 'partition', side: a };
    case ActionKind.Heal:
      return { kind: 'heal' };
    case ActionKind.Update:
      return { kind: 'update', node: a, patch: b };
    case ActionKind.Leave:
      return { kind: 'leave', node: a };
    case ActionKind.Skew:
      return { kind: 'skew', node: a };
    default:
      throw new Error(`internal: unknown action code ${kind}`);
  }
}

/**
 * Writes one action code at position c of out; returns c + 1. A function, not a closure: no
 * allocation per call. `off` is the word offset of the entry the action acts on (deliveries and
 * timers), 0 otherwise.
 */
export function putAction(out: number[], c: number, kind: ActionKind, a: number, b: number, off: number): number {
  const i = c * 4;
  out[i] = kind;
  out[i + 1] = a;
  out[i + 2] = b;
  out[i + 3] = off;
  return c + 1;
}

/** Actions that are not faults: what the network and the clocks do on their own. */
export function isFair(a: Action): boolean {
  return a.kind === 'deliver' || a.kind === 'timer' || a.kind === 'tick';
}
