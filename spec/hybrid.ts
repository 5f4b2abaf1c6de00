/**
 * The hybrid Inferno chose in its PR #17 (commit 4dce5c6, `crates/shared/src/service_discovery/swim.rs`
 * module doc): SWIM only among load balancers, each backend registering directly with one load
 * balancer, health checks unchanged. What a SWIM record carries is a load balancer's own state only
 * ("SWIM gossip contains only load balancer state, not backend state"); a load balancer knows only the
 * backends registered with it. docs/hybrid.md gives the code references and our departures.
 *
 * Messages are SWIM's own among load balancers (spec/swim.ts, unchanged) and the HTTP exchanges of
 * registration and health checking between a backend and its load balancer.
 */
import { type NodeId, type NodeInfo } from './node.js';
import type { ClusterOptions } from './protocol.js';
import type { NodeSetup } from './step.js';
import { type HealthLoop, LIBRARY_HEALTH_LOOP, PROXY_HEALTH_LOOP } from './inferno.js';
import type { SwimConfig, SwimMessage } from './swim.js';
import { roleSetups } from './topology.js';

/** What the HTTP side of a hybrid node says: registration and health checks, each over TCP. */
export type HybridHttpMessage =
  /** POST /register: a backend announces itself to its load balancer, once, at process start. */
  | { readonly kind: 'register'; readonly info: NodeInfo }
  /** The registration response. Inferno's backend ignores its body; it carries the backends the LB knows. */
  | { readonly kind: 'registered'; readonly known: number }
  /** GET /health (the metrics port) from a load balancer; `seq` pairs it with its reply. */
  | { readonly kind: 'healthCheck'; readonly seq: number }
  /** The backend's answer: `ready: false` removes it as surely as no answer. */
  | { readonly kind: 'healthReply'; readonly seq: number; readonly ready: boolean }
  /**
   * Variant `hybrid-shared` only: a load balancer tells the other live load balancers which backends
   * it currently routes to (its whole list, so a lost or late one is repaired by the next).
   */
  | { readonly kind: 'backendsOf'; readonly lb: NodeId; readonly backends: readonly NodeInfo[] };

export type HybridMessage = SwimMessage | HybridHttpMessage;

const HTTP_KINDS: ReadonlySet<string> = new Set<HybridHttpMessage['kind']>(['register', 'registered', 'healthCheck', 'healthReply', 'backendsOf']);

export function isHttpMessage(m: HybridMessage): m is HybridHttpMessage {
  return HTTP_KINDS.has(m.kind);
}

/** Timers of the HTTP side; SWIM's keep their own names (spec/swim.ts SWIM_TIMERS), which never collide. */
export const HYBRID_TIMERS = {
  /** A load balancer's health-check round (Inferno: `start_health_check_loop`'s ticker). */
  healthRound: 'healthRound',
  /** `checkTimeout:<backend>`: the 2 s HTTP timeout of one backend's check. */
  checkTimeout: 'checkTimeout',
  /** Variant `hybrid-shared`: a load balancer's periodic push of its backend list to the other LBs. */
  share: 'share',
} as const;

/** Which variant a node runs; `baseline` is Inferno's design as its code states it. */
export type HybridVariant = 'baseline' | 'shared';

export interface HybridConfig<Swim extends SwimConfig = SwimConfig> {
  /** SWIM among load balancers (ours: memberlist's LAN values; Inferno's SwimConfig10k differs, docs/hybrid.md). */
  readonly swim: Swim;
  /**
   * Which of Inferno's health loops a load balancer runs (spec/inferno.ts): 'proxy', the one the proxy
   * binary starts (`server.rs` `start_health_checking`, unchanged at Inferno's head 521355c, where the
   * proxy builds no SWIM at all); 'library' is variant `hybrid-library-health`, the uncalled
   * `start_health_check_loop` that reads `ready`.
   */
  readonly healthLoop: HealthLoop;
  /** Time between health rounds: the proxy loop's 30 s (`health_check_interval`); the library loop's 5 s. */
  readonly healthIntervalMs: number;
  /** A check without an answer by then fails, and one failure removes: 5 s (proxy loop), 2 s (library loop). */
  readonly healthTimeoutMs: number;
  readonly variant: HybridVariant;
  /**
   * Variant `shared` only: how often a LB pushes its backend list to every live LB besides pushing on
   * each change, ms. 5 s: a list lost in flight is repaired within one library-loop round.
   */
  readonly shareIntervalMs: number;
}

/** The health checks as the proxy binary runs them (PROXY_HEALTH_LOOP), with the variant switched off. */
export const HYBRID_HEALTH_DEFAULTS = { ...PROXY_HEALTH_LOOP, shareIntervalMs: 5_000 } as const;

/** Variant `hybrid-library-health`: the library loop's 5 s / 2 s checks that read `ready` (LIBRARY_HEALTH_LOOP). */
export const HYBRID_LIBRARY_HEALTH = { ...LIBRARY_HEALTH_LOOP, shareIntervalMs: 5_000 } as const;

export interface HybridTopology {
  readonly loadBalancers: number;
  readonly governators: number;
}

/**
 * Setups of a hybrid cluster: ids n1..nN, load balancers first, then the governators, then backends
 * (the experiment's topology order). Backend b (0-based among backends) registers with load balancer
 * b mod L: "the nearest" in Inferno's words, by index here, so each LB gets an even share. Load
 * balancers join SWIM through n1, as operators run SWIM with one seed.
 */
export function hybridSetups<Cfg extends HybridConfig>(n: number, topology: HybridTopology, config: Cfg, options: ClusterOptions = {}): NodeSetup<Cfg>[] {
  const L = topology.loadBalancers;
  return roleSetups(n, topology, config, options, (type, i) =>
    type === 'proxy' ? (i === 0 ? [] : ['n1']) : type === 'backend' ? [`n${((i - L - topology.governators) % L) + 1}`] : [],
  );
}

export { smallTopology } from './topology.js';
