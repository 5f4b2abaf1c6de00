/**
 * The one contract (ARCHITECTURE.md): a node, model or implementation, is a pure step function.
 *
 *   init(setup)        -> { state, outputs }
 *   step(state, input) -> { state, outputs }     same state + input, same result
 *   view(state)        -> View                   what this node believes about the cluster
 *
 * Inputs and outputs are discriminated by `type`, so an XState machine can take an Input as its event
 * and emit an Output with XState's `emit` action unchanged (see model/adapter.ts).
 */
import type { NodeId, NodeInfo, NodeType, NodeVitals, PeerInfo } from './node.js';
import type { View } from './view.js';

/**
 * An open choice, resolved outside the step function. A model leaves it to the explorer (every
 * enabled choice is explored); an implementation draws it from its seeded generator and reports it in
 * StepResult.choice, so a conformance harness can feed the same choice to the model. Encoded as a list
 * of tokens, usually member ids: a probe target is [id], ping-req helpers are [h1, h2, h3].
 */
export type Choice = readonly string[];

/** Changes an operator may make to the node's own NodeInfo. The node stamps lastUpdated itself. */
export interface NodeInfoPatch {
  readonly address?: string;
  readonly metricsPort?: number;
  readonly nodeType?: NodeType;
  readonly isLoadBalancer?: boolean;
  readonly capabilities?: readonly string[];
}

/** Operator commands, shared by every protocol. */
export type Command =
  | { readonly kind: 'join'; readonly seeds: readonly NodeId[] }
  | { readonly kind: 'leave' }
  | { readonly kind: 'update'; readonly patch: NodeInfoPatch }
  | { readonly kind: 'vitals'; readonly vitals: NodeVitals };

/** What every input carries, whatever its type (exported so that declarations of machines built on Input can name it). */
export interface InputBase {
  /** The runtime's clock reading on this node, in milliseconds (skew included). Never read globally. */
  readonly now: number;
  /** Set when the runtime (checker, conformance harness) resolves the step's open choice itself. */
  readonly choice?: Choice;
}

export type Input<M> =
  | (InputBase & { readonly type: 'receive'; readonly from: NodeId; readonly message: M })
  | (InputBase & { readonly type: 'timer'; readonly timer: string })
  | (InputBase & { readonly type: 'command'; readonly command: Command })
  /** The process dies: volatile state is lost, timers are void, nothing more is sent. */
  | (InputBase & { readonly type: 'crash' })
  /** The process starts again from its durable setup (id, own NodeInfo, seeds) and rejoins. */
  | (InputBase & { readonly type: 'restart' });

/** Application-facing events. `announced` is how a node states its own NodeInfo (the properties' ghost record). */
export type Notification =
  | { readonly kind: 'announced'; readonly info: NodeInfo; readonly version: number }
  | { readonly kind: 'joined'; readonly member: NodeId; readonly info: NodeInfo }
  | { readonly kind: 'updated'; readonly member: NodeId; readonly info: NodeInfo }
  | { readonly kind: 'suspected'; readonly member: NodeId }
  | { readonly kind: 'alive'; readonly member: NodeId }
  | { readonly kind: 'failed'; readonly member: NodeId }
  | { readonly kind: 'left'; readonly member: NodeId }
  | { readonly kind: 'removed'; readonly member: NodeId; readonly reason: string }
  /** A resolution-based protocol adopted `result` from `responses` (in the order resolved). */
  | { readonly kind: 'resolved'; readonly responses: readonly (readonly PeerInfo[])[]; readonly result: readonly PeerInfo[] }
  /** An input refused with a typed error (e.g. an update for a node other than its sender). */
  | { readonly kind: 'rejected'; readonly code: string; readonly reason: string };

export type Output<M> =
  | { readonly type: 'send'; readonly to: NodeId; readonly message: M }
  /** Arm (or re-arm: it replaces) the named timer to fire `after` ms from the input's `now`. */
  | { readonly type: 'setTimer'; readonly timer: string; readonly after: number }
  | { readonly type: 'cancelTimer'; readonly timer: string }
  | { readonly type: 'notify'; readonly event: Notification };

export interface StepResult<S, M> {
  readonly state: S;
  readonly outputs: readonly Output<M>[];
  /** The open choice this step resolved, if it had one (always set by implementations that chose). */
  readonly choice?: Choice;
}

/** What a node starts from; all of it survives a crash (it is the process's configuration). */
export interface NodeSetup<Cfg = unknown> {
  readonly id: NodeId;
  readonly info: NodeInfo;
  /** Peers this node may contact first (Inferno: the configured peers; SWIM: the seeds). */
  readonly seeds: readonly NodeId[];
  /** Clock reading at start, ms. */
  readonly now: number;
  /** Seed of the node's own deterministic generator (implementations only; models leave choices open). */
  readonly rngSeed: number;
  readonly config: Cfg;
}

/**
 * A protocol node behind the step contract. The checker, the simulator, the conformance harness and
 * the production runtime all drive this interface and nothing else.
 */
export interface NodeBehaviour<S, M, Cfg = unknown> {
  /** 'majority', 'swim', or a user's name. */
  readonly protocol: string;
  init(setup: NodeSetup<Cfg>): StepResult<S, M>;
  step(state: S, input: Input<M>): StepResult<S, M>;
  view(state: S): View;
  /**
   * The choices this input leaves open in this state, or undefined when the step is deterministic.
   * Models implement it; an explorer steps once per returned choice, with `input.choice` set.
   */
  choices?(state: S, input: Input<M>): readonly Choice[] | undefined;
  /** Canonical text of a state: equal states, equal text. The checker interns states by it. */
  encode(state: S): string;
  /**
   * The state `encode` wrote, rebuilt from its text (optional). The checker's worker threads need it
   * to hand states to one another, since a state object cannot cross threads.
   */
  decode?(text: string): S;
}

/** The inputs that carry no message: what the environment (not a peer) does to a node. */
export type LocalInput<M> = Exclude<Input<M>, { type: 'receive' }>;

/**
 * The behaviour's members as a plain object, each method bound to it: what to spread when wrapping
 * one member. A spread of the behaviour itself leaves a class's methods behind on its prototype.
 */
export function behaviourMembers<S, M, Cfg>(b: NodeBehaviour<S, M, Cfg>): NodeBehaviour<S, M, Cfg> {
  return {
    protocol: b.protocol,
    init: b.init.bind(b),
    step: b.step.bind(b),
    view: b.view.bind(b),
    encode: b.encode.bind(b),
    ...(b.choices ? { choices: b.choices.bind(b) } : {}),
    ...(b.decode ? { decode: b.decode.bind(b) } : {}),
  };
}

export function notifications<M>(outputs: readonly Output<M>[]): Notification[] {
  const out: Notification[] = [];
  for (const o of outputs) if (o.type === 'notify') out.push(o.event);
  return out;
}
