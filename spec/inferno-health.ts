/**
 * Inferno's health check, as `service.rs` `start_health_check_loop` behaves: every interval (5 s) a load
 * balancer checks every registered backend at once (one task each) with a timeout (2 s); a check that
 * fails, times out or answers `ready: false` removes the backend at once. `failure_threshold` (3) and
 * `recovery_threshold` (2) exist in `config.rs` but nothing reads them, so one failure is enough.
 */
import type { NodeId } from './node.js';
import { type Registry, deregister } from './inferno-registry.js';

/** Checks in flight: backend → the seq of the check awaiting its answer. */
export interface HealthChecks {
  readonly inFlight: Readonly<Record<NodeId, number>>;
  readonly nextSeq: number;
}

export const NO_CHECKS: HealthChecks = Object.freeze({ inFlight: Object.freeze({}), nextSeq: 1 });

/** Why a health check removed a backend (the reason a `removed` notification carries). */
/** Why the proxy loop removed a backend (one reason covers a refused and a timed-out connect). */
export const PROXY_REMOVAL_REASON = 'health check: TCP connect to the metrics port failed or timed out';

export const REMOVAL_REASONS = { notReady: 'health check: ready false', timedOut: 'health check: no answer within the timeout' } as const;

/** One round: a check to every registered backend, by id. A check still in flight is replaced. */
export function startRound(registry: Registry, checks: HealthChecks): { readonly checks: HealthChecks; readonly sent: readonly { readonly backend: NodeId; readonly seq: number }[] } {
  const ids = Object.keys(registry).sort();
  if (ids.length === 0) return { checks, sent: [] };
  const inFlight: Record<NodeId, number> = { ...checks.inFlight };
  const sent = ids.map((backend, i) => {
    const seq = checks.nextSeq + i;
    inFlight[backend] = seq;
    return { backend, seq };
  });
  return { checks: { inFlight, nextSeq: checks.nextSeq + ids.length }, sent };
}

export interface HealthVerdict {
  readonly registry: Registry;
  readonly checks: HealthChecks;
  /** Set when the backend was removed: why. */
  readonly removed?: string;
  /** The answer closed a check in flight (so its timeout is to be cancelled). */
  readonly settled: boolean;
}

function settle(checks: HealthChecks, backend: NodeId): HealthChecks {
  const { [backend]: _done, ...inFlight } = checks.inFlight;
  return { ...checks, inFlight };
}

/** An answer to check `seq`: ready keeps the backend, not ready removes it; a stale answer changes nothing. */
export function onReply(registry: Registry, checks: HealthChecks, backend: NodeId, seq: number, ready: boolean): HealthVerdict {
  if (checks.inFlight[backend] !== seq) return { registry, checks, settled: false };
  const after = settle(checks, backend);
  if (ready) return { registry, checks: after, settled: true };
  return { registry: deregister(registry, backend), checks: after, removed: REMOVAL_REASONS.notReady, settled: true };
}

/** The timeout of `backend`'s check: still unanswered, the backend is removed. */
export function onTimeout(registry: Registry, checks: HealthChecks, backend: NodeId): HealthVerdict {
  if (checks.inFlight[backend] === undefined) return { registry, checks, settled: false };
  const removed = backend in registry ? REMOVAL_REASONS.timedOut : undefined;
  const verdict = { registry: deregister(registry, backend), checks: settle(checks, backend), settled: true };
  return removed ? { ...verdict, removed } : verdict;
}

/**
 * The proxy binary's loop (`proxy/src/server.rs` `start_health_checking`): at each tick of a 30 s
 * ticker, every registered backend in turn, one TCP connect at a time, each awaited until it connects
 * or times out; the ones that failed are removed together when the round ends. The ticker is a
 * `tokio::time::interval` with its default missed-tick behaviour (burst): a tick that comes while a
 * round is still going is not lost, it starts the next round as soon as this one ends.
 */
export interface ProxyRound {
  /** The check in flight, or null between rounds. */
  readonly current: { readonly backend: NodeId; readonly seq: number } | null;
  /**
   * This round's backends in check order, fixed when it began (Inferno's round walks the list
   * `get_all_peers` returned then), and the index of the next one to check. An index, not a shrinking
   * copy: copying the rest at every check made a round O(n²), 5·10^7 ids per load balancer per round
   * at 10,000 backends.
   */
  readonly order: readonly NodeId[];
  readonly next: number;
  /** Backends that failed this round, removed when it ends. */
  readonly failed: readonly NodeId[];
  /** Ticks that came during the round, each owed a round of its own. */
  readonly owed: number;
  readonly nextSeq: number;
}

export const IDLE_ROUND: ProxyRound = Object.freeze({ current: null, order: Object.freeze([]), next: 0, failed: Object.freeze([]), owed: 0, nextSeq: 1 });

/** What one event did to the proxy loop: the round, the registry, a check to send, backends removed. */
export interface ProxyRoundStep {
  readonly round: ProxyRound;
  readonly registry: Registry;
  /** The next check to send (its timeout to arm), if any. */
  readonly check?: { readonly backend: NodeId; readonly seq: number };
  /** Backends removed by the round that just ended. */
  readonly removed: readonly NodeId[];
}

function begin(registry: Registry, round: ProxyRound): ProxyRoundStep {
  // `get_all_peers` gives the backends in map order; ids sorted is our deterministic stand-in.
  const order = Object.keys(registry).sort();
  if (order.length === 0) return { round: { ...round, current: null, order: [], next: 0, failed: [] }, registry, removed: [] };
  const check = { backend: order[0], seq: round.nextSeq };
  return { round: { ...round, current: check, order, next: 1, failed: [], nextSeq: round.nextSeq + 1 }, registry, check, removed: [] };
}

/** The ticker ticked: a round starts, or, one being under way, is owed. */
export function proxyTick(registry: Registry, round: ProxyRound): ProxyRoundStep {
  if (round.current !== null) return { round: { ...round, owed: round.owed + 1 }, registry, removed: [] };
  return begin(registry, round);
}

/** The check in flight ended (`passed` or not): the next backend, or the round's end and its removals. */
function advance(registry: Registry, round: ProxyRound, passed: boolean): ProxyRoundStep {
  const current = round.current as NonNullable<ProxyRound['current']>;
  const failed = passed ? round.failed : [...round.failed, current.backend];
  if (round.next < round.order.length) {
    const check = { backend: round.order[round.next], seq: round.nextSeq };
    return { round: { ...round, current: check, next: round.next + 1, failed, nextSeq: round.nextSeq + 1 }, registry, check, removed: [] };
  }
  const removed = failed.filter((id) => id in registry);
  const after = removed.reduce(deregister, registry);
  const idle: ProxyRound = { ...round, current: null, order: [], next: 0, failed: [] };
  if (round.owed === 0) return { round: idle, registry: after, removed };
  const r = begin(after, { ...idle, owed: round.owed - 1 });
  return { ...r, removed };
}

/** The connection of check `seq` was accepted; any other answer is stale and changes nothing. */
export function proxyAnswer(registry: Registry, round: ProxyRound, backend: NodeId, seq: number): ProxyRoundStep | null {
  if (round.current === null || round.current.backend !== backend || round.current.seq !== seq) return null;
  return advance(registry, round, true);
}

/** Check `seq` timed out: it failed (a timeout of a check already answered changes nothing). */
export function proxyTimeout(registry: Registry, round: ProxyRound, seq: number): ProxyRoundStep | null {
  if (round.current === null || round.current.seq !== seq) return null;
  return advance(registry, round, false);
}
