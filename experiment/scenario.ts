/**
 * What a scenario is and what it may do to a run (the environment `run.ts` hands it), apart from the
 * scenarios themselves so that both scenario modules (scenarios.ts, routing-scenarios.ts) can name it.
 */
import type { NetworkConfig } from './network.js';
import type { Reflects } from './observe.js';
import type { SimProtocol } from './sim-protocol.js';
import type { Simulator } from './simulator.js';

export interface ScenarioEnv {
  readonly sim: Simulator<unknown, unknown, unknown>;
  readonly protocol: SimProtocol<unknown, unknown, unknown>;
  readonly n: number;
  /** Nodes 0..seedCount-1 are the seeds; scenarios leave them running so joins keep working. */
  readonly seedCount: number;
  /** The node single-node scenarios act on: the last one, a backend and never a seed. */
  readonly subject: number;
  /** Start watching `members` from `since`; the watch's result goes into the run's results. */
  watch(label: string, members: readonly number[], reflects: Reflects, since: number): void;
  /** Count membership notifications from `since` on (churn). */
  countChurn(since: number): void;
  /** The scenario removes `member` on purpose: its removal is not a false positive. */
  exemptFromFalsePositives(member: number): void;
  /** Watch load balancers until none routes to `member` (the ready-flag scenario). */
  watchNotRouted(label: string, member: number, since: number): void;
  /** Indices of the load balancers (type proxy) and of the backends, by the run's setups. */
  readonly loadBalancers: readonly number[];
  readonly backends: readonly number[];
  /** The backends `observer` routes to now (SimProtocol.healthyBackends); null when the protocol has no routing rule. */
  routedBy(observer: number): ReadonlySet<number> | null;
  /**
   * Watch `observers` until `holds(state, observer)` is true for each (a whole-state condition);
   * without a routing rule in the protocol the watch has no observers.
   */
  watchRouting(label: string, observers: readonly number[], holds: (observer: number, routes: (member: number) => boolean) => boolean, since: number): void;
  /** A member watch (as `watch`) judged over `observers` only. */
  watchAmong(label: string, observers: readonly number[], members: readonly number[], reflects: Reflects, since: number): void;
  /** From `since`, false positives are load balancers dropping a running backend from routing (observe.ts RoutingRemovals). */
  countRoutingRemovals(since: number): void;
}

export interface Scenario {
  readonly name: string;
  /** One line for the report. */
  readonly summary: string;
  /** Network overrides for the whole run (the loss sweep). */
  readonly network?: Partial<NetworkConfig>;
  /** The sweep a scenario belongs to and its x value (false positives vs loss). */
  readonly sweep?: { readonly name: string; readonly x: number };
  /** Nodes that do not start before the event (a backend that joins at it); the warm-up converges without them. */
  heldBack?(n: number): readonly number[];
  /** Loss from the event time on, after a lossless warm-up (the routing loss sweep); the run shares the lossless warm-up. */
  readonly lossFromEvent?: number;
  /** Before any node starts (clock skew). */
  prepare?(env: ScenarioEnv): void;
  /** At the event time: act, and register what to watch. Cold start has no event (it starts at 0). */
  trigger?(env: ScenarioEnv, at: number): void;
  /**
   * How the cluster starts. Default cold: every node joins through the seeds and the run waits for
   * convergence. 'snapshot': every node is restored from the same persisted member list
   * (SimProtocol.snapshotInit), converged by construction, which is how a run reaches 10,000 nodes.
   */
  readonly start?: 'snapshot';
  /** How long to keep running after the event (scheduled at `eventAt`), ms. */
  observeMs(protocol: SimProtocol<unknown, unknown, unknown>, eventAt: number): number;
}
