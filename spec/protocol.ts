/**
 * A protocol as the checker, the simulator and the conformance harness take it: a node behaviour,
 * the properties it is judged by, and how to set up a cluster of it. The built-in protocols export
 * one of these from their model (for the checker) and from their implementation (for the simulator);
 * a user checks a model of their own by writing one.
 */
import { type NodeId, type NodeType, makeNodeInfo } from './node.js';
import type { NodeBehaviour, NodeInfoPatch, NodeSetup } from './step.js';
import type { Assumptions, Observation, Property } from './properties.js';

export interface ClusterOptions {
  /** Clock reading every node starts from, ms. */
  readonly now?: number;
  /** Base of the per-node generator seeds (implementations). */
  readonly seed?: number;
}

/** What the environment may do to a cluster beyond delivering messages and firing timers. */
export const FAULT_KINDS = ['crash', 'restart', 'loss', 'dup', 'partition', 'update', 'leave', 'skew'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The faults a protocol is checked under unless the user says otherwise. A model that declares none
 * is checked without faults: the checker never adds any of its own.
 */
export interface FaultDeclaration {
  readonly kinds: readonly FaultKind[];
  /** Budgeted faults (every kind but loss) one run may take. */
  readonly budget: number;
  /** Messages one run may lose; absent: loss (when declared) is unlimited. */
  readonly maxLosses?: number;
}

export interface ProtocolDefinition<S, M, Cfg = unknown> {
  readonly name: string;
  readonly behaviour: NodeBehaviour<S, M, Cfg>;
  /** The properties this protocol is judged by: the shared ones (spec/properties.ts) plus its own. */
  readonly properties: readonly Property<S, M>[];
  /** Setups of an n-node cluster with ids n1..nN (stable order), default NodeInfo, seeds and config. */
  cluster(n: number, options?: ClusterOptions): NodeSetup<Cfg>[];
  /** The operator updates an explorer may inject into node `id` (a small, finite set). */
  updates?(id: NodeId): readonly NodeInfoPatch[];
  /**
   * Declares every node interchangeable: renaming node ids by any permutation maps reachable states
   * to reachable states. The checker may then keep one state per orbit (`--symmetry`).
   */
  readonly symmetry?: Symmetry<S, M>;
  /**
   * What partial-order reduction (`--por`, checker/por.ts) may rely on beyond the step contract.
   * Absent: any node may send to any other. Checked, not trusted: every local step the checker
   * computes is held to it (a send it does not allow is reported as a `modelStep` violation).
   */
  readonly independence?: Independence;
  /**
   * Whether a state in which nothing can happen is where the model is meant to end (work done),
   * not a deadlock. Absent: every such state is a deadlock (see checker/deadlock.ts).
   */
  isFinal?(obs: Observation<S, M>): boolean;
  /** The cluster size it is checked with unless the user says otherwise (absent: the checker's default, 3). */
  readonly nodes?: number;
  /** The faults it is checked under by default (absent: none). */
  readonly faults?: FaultDeclaration;
  /** What this configuration of the protocol offers that a property's assumptions may ask for. */
  readonly features?: { readonly pushPull?: boolean };
  /** Per property name, the assumptions under which this protocol claims it (absent: the property's own). */
  readonly assumptions?: Readonly<Record<string, Assumptions>>;
  /**
   * A node's local state in a line, for traces: supplied, traces show each node's state in these
   * words instead of its membership View. Absent, a trace whose Views never list a second member
   * (a model not about membership only fakes them) shows `behaviour.encode(state)` instead.
   */
  describe?(state: S): string;
  /** A message in a few words, for traces (absent: its `kind`, version and address, if it has them). */
  describeMessage?(message: M): string;
}

export interface Independence {
  /**
   * Every node `id` may ever send to, from any state it can reach: the static communication topology
   * (a ring, a pipeline, a server that only answers its clients). `[]` for a node that never sends.
   */
  sendsTo(id: NodeId): readonly NodeId[];
}

export interface Symmetry<S, M> {
  /** The local state with every node id renamed by `map`. */
  rename(state: S, map: Readonly<Record<NodeId, NodeId>>): S;
  /** A message with every node id renamed by `map`. */
  renameMessage(message: M, map: Readonly<Record<NodeId, NodeId>>): M;
}

/** The ids a cluster of n nodes uses, n1..nN: short, so traces stay readable. */
export function clusterIds(n: number): NodeId[] {
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/**
 * The cluster every built-in protocol is checked and simulated on: n1 is a proxy (the load balancer),
 * the others backends, each with a distinct address, and every node lists every other as a seed.
 */
export function standardCluster<Cfg>(n: number, config: Cfg, options: ClusterOptions = {}): NodeSetup<Cfg>[] {
  const ids = clusterIds(n);
  const now = options.now ?? 0;
  return ids.map((id, i) => {
    const type: NodeType = i === 0 ? 'proxy' : 'backend';
    return {
      id,
      info: makeNodeInfo(id, `10.0.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}:8080`, 9090, type, now),
      seeds: ids.filter((s) => s !== id),
      now,
      rngSeed: (options.seed ?? 1) + i,
      config,
    };
  });
}
