/**
 * inferno-current: Inferno's service discovery as its code behaves before its SWIM change (the parent
 * of commit 4dce5c6) and at its head, read from lucky-tensor/inferno (docs/inferno-current.md gives
 * every fact with its file, and every place this model departs from the code):
 *  - a backend registers once, at process start, with every load balancer of its `--discovery-lb`
 *    list (`backend/src/cli_options.rs` → `registration.rs`): one POST each, reply ignored, a failure
 *    logged and never retried; it sends no update and its `deregister` sends nothing;
 *  - a load balancer keeps the registrations in memory (`service.rs` `register_backend`), refusing an
 *    id it already holds, and health-checks what it holds (`proxy/src/server.rs`
 *    `start_health_checking`, on by default): every 30 s, one backend after another, a TCP connect to
 *    the backend's metrics port with a 5 s timeout; the backends that failed are removed when the
 *    round ends and come back only by registering again;
 *  - load balancers know nothing of each other; the governator takes no part.
 * Variant `inferno-library-health` swaps the proxy's loop for the library's `start_health_check_loop`
 * (`service.rs`: 5 s, 2 s, all backends at once, `ready: false` removes), which nothing in Inferno
 * calls but its docs and the issue describe.
 */
import { ConfigError } from './errors.js';
import type { NodeId, NodeInfo } from './node.js';
import type { ClusterOptions } from './protocol.js';
import type { NodeSetup } from './step.js';
import { type Topology, roleSetups } from './topology.js';

/** What inferno-current's nodes say to each other: HTTP (and the proxy's bare TCP connect), all over TCP. */
export type InfernoMessage =
  /** POST /registration on the load balancer's operations port (6100), body {id, address, metrics_port}. */
  | { readonly kind: 'register'; readonly info: NodeInfo }
  /** 200 {"status":"registered"} (the legacy answer to that body); the backend only logs it. */
  | { readonly kind: 'registered' }
  /** The error answer to a known id; the backend only logs it. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** One health check: the proxy loop's TCP connect, or the library loop's GET of NodeVitals. */
  | { readonly kind: 'healthCheck'; readonly seq: number }
  /** The connection accepted (proxy loop: `ready` unread) or the vitals answered (library loop). */
  | { readonly kind: 'healthReply'; readonly seq: number; readonly ready: boolean };

export const INFERNO_TIMERS = {
  /** The health loop's ticker (`tokio::time::interval`). */
  healthTick: 'healthTick',
  /** Proxy loop: `checkTimeout:<seq>`, the one check in flight; library loop: `checkTimeout:<backend>`, one per check. */
  checkTimeout: 'checkTimeout',
} as const;

/** Which of Inferno's two health-check loops a load balancer runs. */
export type HealthLoop = 'proxy' | 'library';

export interface InfernoConfig {
  readonly healthLoop: HealthLoop;
  /** Time between the ticker's ticks, ms. */
  readonly healthIntervalMs: number;
  /** A check unanswered this long fails, ms. */
  readonly healthTimeoutMs: number;
}

/**
 * The loop the proxy binary runs: `--health-check-interval` default 30 (`proxy/src/cli_options.rs`),
 * the timeout hard-coded to 5 s in its `to_config`, checks one after another, `ready` not read.
 */
export const PROXY_HEALTH_LOOP: InfernoConfig = Object.freeze({ healthLoop: 'proxy', healthIntervalMs: 30_000, healthTimeoutMs: 5_000 });

/** The library loop (`service.rs` `start_health_check_loop`, `config.rs` defaults 5 s and 2 s), never called. */
export const LIBRARY_HEALTH_LOOP: InfernoConfig = Object.freeze({ healthLoop: 'library', healthIntervalMs: 5_000, healthTimeoutMs: 2_000 });

/** Throws a ConfigError naming the first knob out of range. */
export function validateInfernoConfig<C extends InfernoConfig>(cfg: C): C {
  if (cfg.healthLoop !== 'proxy' && cfg.healthLoop !== 'library') throw new ConfigError('healthLoop', `must be 'proxy' or 'library', got '${String(cfg.healthLoop)}'`);
  for (const k of ['healthIntervalMs', 'healthTimeoutMs'] as const) {
    const v = cfg[k];
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError(k, `must be a positive number of ms, got ${String(v)}`);
  }
  // Inferno's own validation (proxy `config.rs` and service-discovery `config.rs`): timeout < interval.
  if (cfg.healthTimeoutMs >= cfg.healthIntervalMs) throw new ConfigError('healthTimeoutMs', 'must be less than healthIntervalMs, as Inferno validates it');
  return cfg;
}

/**
 * Setups of an inferno-current cluster: load balancers first, then governators, then backends (ids
 * n1..nN). A backend's seeds are every load balancer (its `--discovery-lb` list); nobody else has any.
 */
export function infernoSetups<Cfg extends InfernoConfig>(n: number, layout: Pick<Topology, 'loadBalancers' | 'governators'>, config: Cfg, options: ClusterOptions = {}): NodeSetup<Cfg>[] {
  const lbs: NodeId[] = Array.from({ length: layout.loadBalancers }, (_, i) => `n${i + 1}`);
  return roleSetups(n, layout, validateInfernoConfig(config), options, (type) => (type === 'backend' ? [...lbs] : []));
}
