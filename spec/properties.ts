/**
 * Named properties over Views. Each is a pure predicate over an Observation of the whole cluster (and,
 * for step properties, the Observation before the step), with a one-line meaning and the network and
 * timing assumptions under which it is expected to hold. The checker and the simulator evaluate the
 * same objects; the comparison of the two protocols is a table of these properties.
 */
import type { NodeId, NodeInfo, PeerInfo } from './node.js';
import type { Input } from './step.js';
import { type View, isPresent, sameAtWirePrecision, sameMemberView } from './view.js';

/** Stateright's names: `always` invariants, `sometimes` reachability sanity checks, `eventually` convergence. */
export type Temporal = 'always' | 'sometimes' | 'eventually';

/** The weakest environment under which a property is expected to hold. */
export interface Assumptions {
  /** 'bounded': timers fire at their deadline and messages arrive within a bound. 'async': any order. */
  readonly timing: 'async' | 'bounded';
  /** Whether the property is expected to hold when messages may be lost. */
  readonly tolerates: { readonly loss: boolean; readonly partitions: boolean; readonly crashes: boolean };
  /** For `eventually`: it is judged once faults and operator updates stop and messages drain. */
  readonly note: string;
  /** With loss tolerated: at most this many lost messages per run (absent: any number). */
  readonly maxLosses?: number;
  /** Holds only with push-pull anti-entropy on. */
  readonly pushPull?: boolean;
  /** Cluster sizes it is claimed for. */
  readonly minNodes?: number;
  readonly maxNodes?: number;
  /** The protocol does not guarantee it at all (a documented design flaw): every violation is expected. */
  readonly never?: string;
}

/** One record X announced about itself (the ghost history every property may consult). */
export interface Announcement {
  readonly info: NodeInfo;
  readonly version: number;
}

/** A message in flight, as a property sees it (`needs.messages`). */
export interface InFlightMessage<M = unknown> {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: M;
}

/**
 * A snapshot of the whole cluster, as the checker or simulator sees it between steps: what a property
 * sees of a global state. `S` and `M` are the model's own local-state and message
 * types (a protocol's `Property<S, M>` gets them typed); membership properties read only Views.
 */
export interface Observation<S = unknown, M = unknown> {
  /** Every node's current View, keyed by node id (a crashed node keeps the View it had). */
  readonly views: Readonly<Record<NodeId, View>>;
  /** Which nodes are running. */
  readonly up: Readonly<Record<NodeId, boolean>>;
  /** Every NodeInfo each node has announced (its `announced` notifications), oldest first. */
  readonly announced: Readonly<Record<NodeId, readonly Announcement[]>>;
  /**
   * Every node's own local state, keyed by node id (the checker fills it; a property of a model that is
   * not about membership reads it, cast to the model's state type). Absent where only Views are known.
   */
  readonly states?: Readonly<Record<NodeId, S>>;
  /**
   * Every message in flight, for properties that declare `needs.messages` (absent for the others, and
   * wherever the checker does not run the model: the simulator and conformance see no network).
   * Each copy is listed. Unordered channels: a multiset, in the checker's interning order (which
   * differs between worker threads and runs: read it as a multiset). `--ordered`: grouped by channel,
   * each channel's messages oldest first (the first is the one that may arrive).
   */
  readonly messages?: readonly InFlightMessage<M>[];
  /** Whether a message from a can currently reach b (false across a partition). Defaults to always. */
  readonly canReach?: (a: NodeId, b: NodeId) => boolean;
  /**
   * Resolutions performed in the last step, for resolution-based protocols: who resolved, the
   * responses in the order they were resolved, and the peers the node adopted.
   */
  readonly resolutions?: readonly Resolution[];
  /**
   * The node step that produced this state: who stepped and on which input (a delivery names the
   * sender and the message). Filled only for properties that declare `needs.step`; absent for steps
   * of the environment alone (the clock, a loss, a partition) and where the checker cannot say.
   */
  readonly step?: { readonly node: NodeId; readonly input: Input<unknown> };
  /** Bounded timing: the global clock, ms (absent under async timing). */
  readonly clock?: number;
  /**
   * A node's armed timers, with their deadlines (ms on the global clock) under bounded timing. Only
   * for properties that declare `needs.timers`; rules of a protocol's timeouts are stated with it.
   */
  readonly timers?: (node: NodeId) => readonly ArmedTimer[];
}

export interface ArmedTimer {
  readonly timer: string;
  /** Bounded timing only. */
  readonly deadline?: number;
}

export interface Resolution {
  readonly node: NodeId;
  readonly responses: readonly (readonly PeerInfo[])[];
  readonly result: readonly PeerInfo[];
}

export interface Violation {
  readonly property: string;
  /** The observer whose view is wrong, and the member it is wrong about, where that applies. */
  readonly node?: NodeId;
  readonly member?: NodeId;
  readonly detail: string;
}

export interface Property<S = unknown, M = unknown> {
  readonly name: string;
  readonly temporal: Temporal;
  /** One line: what it means. */
  readonly meaning: string;
  readonly assumptions: Assumptions;
  /** What the property reads beyond Views (each costs the checker work, so only such properties get it). */
  readonly needs?: { readonly step?: boolean; readonly timers?: boolean; readonly messages?: boolean };
  /** Null when it holds in this observation (and step, for step properties); else what is wrong. */
  check(now: Observation<S, M>, before?: Observation<S, M>): Violation | null;
}

const ANY: Assumptions['tolerates'] = { loss: true, partitions: true, crashes: true };

function upNodes(obs: Observation): NodeId[] {
  return Object.keys(obs.up).filter((id) => obs.up[id]).sort();
}

/** Position of `info` in X's announcement history (the latest match), or -1 if X never announced it. */
export function announcementIndex(obs: Observation, info: NodeInfo): number {
  const history = obs.announced[info.id] ?? [];
  for (let i = history.length - 1; i >= 0; i--) if (sameAtWirePrecision(history[i].info, info)) return i;
  return -1;
}

function latestAnnouncement(obs: Observation, id: NodeId): NodeInfo | undefined {
  const history = obs.announced[id];
  return history && history.length > 0 ? history[history.length - 1].info : undefined;
}

function* heldRecords(obs: Observation): Generator<[NodeId, NodeId, View]> {
  for (const node of Object.keys(obs.views).sort()) {
    const view = obs.views[node];
    for (const member of Object.keys(view.members).sort()) yield [node, member, view];
  }
}

export const selfSovereignty: Property = {
  name: 'selfSovereignty',
  temporal: 'always',
  meaning: 'every NodeInfo a node holds for X was announced by X',
  assumptions: { timing: 'async', tolerates: ANY, note: 'any network, any faults' },
  check(obs) {
    for (const [node, member, view] of heldRecords(obs)) {
      const info = view.members[member].info;
      if (info.id !== member) {
        return { property: this.name, node, member, detail: `record filed under ${member} names ${info.id}` };
      }
      if (announcementIndex(obs, info) < 0) {
        return { property: this.name, node, member, detail: `${node} holds a record for ${member} that ${member} never announced` };
      }
    }
    return null;
  },
};

export const noRegression: Property = {
  name: 'noRegression',
  temporal: 'always',
  meaning: 'a node never replaces what it holds for X with an older version of X',
  assumptions: { timing: 'async', tolerates: ANY, note: 'step property: compares each view with the one before the step' },
  check(obs, before) {
    if (!before) return null;
    for (const [node, member, view] of heldRecords(obs)) {
      const was = before.views[node]?.members[member];
      if (!was) continue;
      const oldIdx = announcementIndex(before, was.info);
      const newIdx = announcementIndex(obs, view.members[member].info);
      if (newIdx < oldIdx) {
        return {
          property: this.name,
          node,
          member,
          detail: `${node} replaced ${member}'s announcement #${oldIdx} with the older #${newIdx}`,
        };
      }
    }
    return null;
  },
};

/** Every order of `items` when there are few, else the identity, reversal and every rotation. */
export function* orders<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 5) {
    const permute = function* (rest: T[], acc: T[]): Generator<T[]> {
      if (rest.length === 0) yield acc;
      for (let i = 0; i < rest.length; i++) yield* permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, rest[i]]);
    };
    yield* permute([...items], []);
    return;
  }
  for (let r = 0; r < items.length; r++) yield [...items.slice(r), ...items.slice(0, r)];
  yield [...items].reverse();
}

function samePeerSet(a: readonly PeerInfo[], b: readonly PeerInfo[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((p) => [p.id, p]));
  return a.every((p) => {
    const q = byId.get(p.id);
    return q !== undefined && sameAtWirePrecision({ ...p, capabilities: [] }, { ...q, capabilities: [] });
  });
}

/**
 * orderIndependence needs the protocol's own resolver (spec depends on no protocol), so it is made
 * per protocol: `orderIndependence(resolve)`. Protocols that resolve nothing report no resolutions,
 * and the property holds vacuously for them.
 */
export function orderIndependence(resolve: (responses: readonly (readonly PeerInfo[])[]) => readonly PeerInfo[]): Property {
  return {
    name: 'orderIndependence',
    temporal: 'always',
    meaning: 'resolving the same set of responses in any order gives the same view',
    assumptions: { timing: 'async', tolerates: ANY, note: 'checked at every resolution, over all orders (≤5 responses) or rotations and reversal' },
    check(obs) {
      for (const r of obs.resolutions ?? []) {
        for (const order of orders(r.responses)) {
          const other = resolve(order);
          if (!samePeerSet(other, r.result)) {
            return {
              property: 'orderIndependence',
              node: r.node,
              detail: `${r.node} resolved ${r.responses.length} responses to a different view when they arrive in another order`,
            };
          }
        }
      }
      return null;
    },
  };
}

export const agreement: Property = {
  name: 'agreement',
  temporal: 'eventually',
  meaning: 'once faults and updates stop and messages drain, all live nodes hold identical views of the live members',
  assumptions: { timing: 'async', tolerates: { loss: false, partitions: false, crashes: true }, note: 'judged after faults stop, under fair delivery and timers' },
  check(obs) {
    const live = upNodes(obs);
    for (const a of live) {
      for (const x of live) {
        if (!isPresent(obs.views[a], x)) return { property: this.name, node: a, member: x, detail: `${a} does not hold live member ${x}` };
      }
    }
    for (let i = 1; i < live.length; i++) {
      const [a, b] = [live[0], live[i]];
      for (const x of live) {
        if (!sameMemberView(obs.views[a].members[x], obs.views[b].members[x])) {
          return { property: this.name, node: b, member: x, detail: `${a} and ${b} disagree about ${x}` };
        }
      }
    }
    return null;
  },
};

export const completeness: Property = {
  name: 'completeness',
  temporal: 'eventually',
  meaning: 'a crashed node is eventually removed or marked dead by every live node',
  assumptions: { timing: 'async', tolerates: { loss: false, partitions: false, crashes: true }, note: 'judged after faults stop, under fair delivery and timers' },
  check(obs) {
    const live = upNodes(obs);
    for (const x of Object.keys(obs.up).sort()) {
      if (obs.up[x]) continue;
      for (const n of live) {
        if (isPresent(obs.views[n], x)) return { property: this.name, node: n, member: x, detail: `${n} still holds crashed ${x} as ${obs.views[n].members[x].status}` };
      }
    }
    return null;
  },
};

export const accuracy: Property = {
  name: 'accuracy',
  temporal: 'always',
  meaning: 'a live, reachable node is never removed or declared dead',
  assumptions: { timing: 'bounded', tolerates: { loss: false, partitions: false, crashes: true }, note: 'bounded delay, no loss: under async timing any timeout can fire early' },
  check(obs, before) {
    const reach = obs.canReach ?? (() => true);
    for (const n of upNodes(obs)) {
      for (const x of upNodes(obs)) {
        if (n === x || !reach(n, x) || !reach(x, n)) continue;
        const m = obs.views[n].members[x];
        if (m && m.status === 'dead') return { property: this.name, node: n, member: x, detail: `${n} declared live, reachable ${x} dead` };
        // An observer that was down before the step restarted: it forgets everything, which is no removal.
        if (!m && before?.up[n] && before.views[n]?.members[x] && before.up[x]) {
          return { property: this.name, node: n, member: x, detail: `${n} removed live, reachable ${x}` };
        }
      }
    }
    return null;
  },
};

export const freshness: Property = {
  name: 'freshness',
  temporal: 'eventually',
  meaning: "after X updates its NodeInfo, every live node eventually holds X's latest",
  assumptions: { timing: 'async', tolerates: { loss: false, partitions: false, crashes: true }, note: 'judged after faults and updates stop, under fair delivery and timers' },
  check(obs) {
    const live = upNodes(obs);
    for (const x of live) {
      const latest = latestAnnouncement(obs, x);
      if (!latest) continue;
      for (const n of live) {
        const held = obs.views[n]?.members[x];
        if (!held || !sameAtWirePrecision(held.info, latest)) {
          return { property: this.name, node: n, member: x, detail: `${n} does not hold ${x}'s latest announcement` };
        }
      }
    }
    return null;
  },
};

/** The shared properties, in the order the comparison table lists them. */
export const SHARED_PROPERTIES: readonly Property[] = [selfSovereignty, noRegression, agreement, completeness, accuracy, freshness];
