/**
 * Inferno's health check, as `service.rs` `start_health_check_loop` behaves: every interval (5 s) a load
 * balancer checks every registered backend at once (one task each) with a timeout (2 s); a check that
 * fails, times out or answers `ready: false` removes the backend at once. `failure_threshold` (3) and
 * `recovery_threshold` (2) exist in `config.rs` but nothing reads them, so one failure is enough.
 */
import type { NodeId } from '../../spec/node.js';
import { type Registry, deregister } from './registration.js';

/** Checks in flight: backend → the seq of the check awaiting its answer. */
export interface HealthChecks {
  readonly inFlight: Readonly<Record<NodeId, number>>;
  readonly nextSeq: number;
}

export const NO_CHECKS: HealthChecks = Object.freeze({ inFlight: Object.freeze({}), nextSeq: 1 });

/** Why a health check removed a backend (the reason a `removed` notification carries). */
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
