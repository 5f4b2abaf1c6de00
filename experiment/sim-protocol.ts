/**
 * What the simulator needs from a protocol beyond its ProtocolDefinition: how many bytes a message
 * takes on the wire, how to read one member out of a node's state without building the whole View
 * (the View of a 10,000-member node is 10,000 records; convergence is tracked member by member), and
 * the protocol period that scales a run.
 */
import type { NodeId, NodeInfo } from '../spec/node.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { NodeSetup, Notification, StepResult } from '../spec/step.js';
import type { MemberView } from '../spec/view.js';

/**
 * How a message travels: 'udp', a datagram the loss model may drop; 'tcp', over a pooled connection
 * (reused while it carries a message within 90 s), loss costing retransmissions; 'connect', the SYN
 * of a fresh connection opened and dropped (a bare TCP-connect health check), loss costing the
 * handshake's 1 s, 2 s, 4 s … retries; 'connect-ack', that connect's SYN-ACK.
 */
export type SimTransport = 'udp' | 'tcp' | 'connect' | 'connect-ack';

export interface SimProtocol<S, M, Cfg = unknown> {
  readonly definition: ProtocolDefinition<S, M, Cfg>;
  /** Bytes one message occupies on the wire (payload; link-layer headers excluded). */
  sizeOf(message: M): number;
  /** How sizeOf is computed, for the report (measured encoder or documented estimate). */
  readonly sizeNote: string;
  /** A short label per message kind, to split traffic in the report. */
  kindOf(message: M): string;
  /** One member as `state`'s View would show it; must agree with behaviour.view(state).members[id]. */
  memberView(state: S, id: NodeId): MemberView | undefined;
  /** Backends a load balancer in `state` routes to, when the protocol has that notion (ready-flag scenario). */
  healthyBackends?(state: S): readonly NodeInfo[];
  /**
   * Whether healthyBackends(state) includes `id`, in O(1); must agree with it. Optional: the routing
   * watches then re-read one member per notification instead of the whole list (a 1,000-member SWIM
   * table sorted at every notification a load balancer gets under loss made the sweep 10× slower).
   */
  routesTo?(state: S, id: NodeId): boolean;
  /** The protocol's natural period, ms: SWIM's probe period, the majority system's re-announce. */
  readonly periodMs: number;
  /** How long steady state is averaged over, ms: at least one full cycle of every periodic task. */
  readonly steadyWindowMs: number;
  /**
   * The steady window at `n` nodes, where a periodic task's cycle grows with the cluster (SWIM's
   * push-pull: one more interval per doubling past 32 members, spec/swim.ts pushPullPeriod). A
   * window shorter than that cycle samples whichever nodes happened to exchange tables in it: at
   * 1,000 nodes a 30 s window put 24 B/s on the 5 load balancers and 131 B/s on the backends of the
   * same protocol. Default: steadyWindowMs at every size.
   */
  steadyWindowAt?(n: number): number;
  /**
   * A converged start without the join (a Serf-style persisted member list): given every node's
   * setup, the init each node starts with instead of behaviour.init, all of them holding every node
   * as it announces itself. Protocols without one run only from a cold start.
   */
  snapshotInit?(setups: readonly NodeSetup<Cfg>[]): SnapshotStart<S, M, Cfg>;
  /**
   * How a message travels. Default 'udp' (every message a datagram the loss model may drop). 'tcp':
   * never lost, each loss it would have suffered costs a retransmission delay instead (network.ts
   * tcpRetransmitDelay); a partition still drops it, as the connection would time out.
   */
  transportOf?(message: M): SimTransport;
  /**
   * The cluster's setups when the protocol lays them out itself (the hybrid: each backend names its one
   * load balancer as its seed); default experiment/cluster.ts simCluster. Must follow spec/topology.ts.
   */
  clusterSetups?(n: number, seed: number): NodeSetup<Cfg>[];
  /**
   * Members this node has already judged failed and will drop later, all at once (Inferno's proxy
   * loop removes the backends that failed when its round ends); the run counts the live ones among
   * them as false removals still to come. Default: none (a protocol that drops at once).
   */
  pendingRemovals?(state: S): readonly NodeId[];
  /** Time spent in the protocol's own resolver for a `resolved` notification, µs (majority system). */
  resolverMicros?(event: Extract<Notification, { kind: 'resolved' }>): number;
}

/** How each node of a snapshot start is initialised. */
export interface SnapshotStart<S, M, Cfg> {
  init(setup: NodeSetup<Cfg>): StepResult<S, M>;
}

/** The fallback memberView: build the View and look the member up (fine for small clusters and tests). */
export function memberViewFromView<S>(view: (s: S) => { members: Readonly<Record<NodeId, MemberView>> }) {
  return (state: S, id: NodeId): MemberView | undefined => view(state).members[id];
}
