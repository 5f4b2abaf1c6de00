/**
 * A load balancer's health checking as outputs: Inferno's two loops (spec/inferno-health.ts) turned
 * into the messages to send, the timers to arm and cancel, and the `removed` notifications. Shared by
 * the inferno-current core and the hybrid core, whose load balancers run the same HTTP side: a rule
 * of the loop lives in spec/inferno-health.ts and its wiring here, once.
 */
import {
  type HealthChecks,
  IDLE_ROUND,
  NO_CHECKS,
  PROXY_REMOVAL_REASON,
  type ProxyRound,
  type ProxyRoundStep,
  REMOVAL_REASONS,
  onReply,
  onTimeout,
  proxyAnswer,
  proxyTick,
  proxyTimeout,
  startRound,
} from '../../spec/inferno-health.js';
import { EMPTY_REGISTRY, type Registry } from '../../spec/inferno-registry.js';
import type { HealthLoop } from '../../spec/inferno.js';
import type { NodeId } from '../../spec/node.js';
import type { Output } from '../../spec/step.js';
import { timerName } from '../../spec/swim.js';

/** Why a health check removed a backend, as the `removed` notification says it. */
export const HEALTH_REMOVAL = { proxy: PROXY_REMOVAL_REASON, ...REMOVAL_REASONS } as const;

/** What a load balancer holds for its health checks: the table and the loop's progress. */
export interface HealthPart {
  readonly registry: Registry;
  /** The proxy loop's round (healthLoop 'proxy'). */
  readonly round: ProxyRound;
  /** The library loop's checks in flight (healthLoop 'library'). */
  readonly checks: HealthChecks;
}

export const NO_HEALTH: HealthPart = Object.freeze({ registry: EMPTY_REGISTRY, round: IDLE_ROUND, checks: NO_CHECKS });

export interface HealthSettings {
  readonly healthLoop: HealthLoop;
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
}

/** The protocol's names for the loop's two timers (the check timeout is keyed: by seq or by backend). */
export interface HealthTimerNames {
  readonly tick: string;
  readonly checkTimeout: string;
}

export type HealthCheckMessage = { readonly kind: 'healthCheck'; readonly seq: number };

export interface HealthStep {
  readonly part: HealthPart;
  readonly outputs: readonly Output<HealthCheckMessage>[];
  /** Backends this step removed from the table. */
  readonly removed: readonly NodeId[];
}

type Out = Output<HealthCheckMessage>;

const check = (to: NodeId, seq: number): Out => ({ type: 'send', to, message: { kind: 'healthCheck', seq } });
const removal = (member: NodeId, reason: string): Out => ({ type: 'notify', event: { kind: 'removed', member, reason } });

/** The first tick, armed at process start: the ticker's immediate tick finds an empty table. */
export const firstTick = (cfg: HealthSettings, names: HealthTimerNames): Out => ({ type: 'setTimer', timer: names.tick, after: cfg.healthIntervalMs });

function proxyStep(part: HealthPart, r: ProxyRoundStep, cfg: HealthSettings, names: HealthTimerNames, outputs: Out[]): HealthStep {
  for (const member of r.removed) outputs.push(removal(member, HEALTH_REMOVAL.proxy));
  if (r.check) {
    outputs.push(check(r.check.backend, r.check.seq));
    outputs.push({ type: 'setTimer', timer: timerName(names.checkTimeout, r.check.seq), after: cfg.healthTimeoutMs });
  }
  return { part: { ...part, registry: r.registry, round: r.round }, outputs, removed: r.removed };
}

/** The ticker ticked: the timer re-armed and the loop's round begun (or, the proxy loop busy, owed). */
export function healthTicked(part: HealthPart, cfg: HealthSettings, names: HealthTimerNames): HealthStep {
  const outputs: Out[] = [firstTick(cfg, names)];
  if (cfg.healthLoop === 'proxy') return proxyStep(part, proxyTick(part.registry, part.round), cfg, names, outputs);
  const r = startRound(part.registry, part.checks);
  for (const c of r.sent) {
    outputs.push(check(c.backend, c.seq));
    outputs.push({ type: 'setTimer', timer: timerName(names.checkTimeout, c.backend), after: cfg.healthTimeoutMs });
  }
  return { part: { ...part, checks: r.checks }, outputs, removed: [] };
}

/** A backend answered check `seq`; null when the answer is stale (nothing changes). */
export function healthAnswered(part: HealthPart, cfg: HealthSettings, names: HealthTimerNames, from: NodeId, seq: number, ready: boolean): HealthStep | null {
  if (cfg.healthLoop === 'proxy') {
    // The connect was accepted: `ready` is not read.
    const r = proxyAnswer(part.registry, part.round, from, seq);
    return r ? proxyStep(part, r, cfg, names, [{ type: 'cancelTimer', timer: timerName(names.checkTimeout, seq) }]) : null;
  }
  const v = onReply(part.registry, part.checks, from, seq, ready);
  if (!v.settled) return null;
  const outputs: Out[] = [{ type: 'cancelTimer', timer: timerName(names.checkTimeout, from) }];
  if (v.removed !== undefined) outputs.push(removal(from, v.removed));
  return { part: { ...part, registry: v.registry, checks: v.checks }, outputs, removed: v.removed !== undefined ? [from] : [] };
}

/** A check's timeout fired (`key`: its seq for the proxy loop, its backend for the library loop). */
export function healthTimedOut(part: HealthPart, cfg: HealthSettings, names: HealthTimerNames, key: string): HealthStep | null {
  if (cfg.healthLoop === 'proxy') {
    const r = proxyTimeout(part.registry, part.round, Number(key));
    return r ? proxyStep(part, r, cfg, names, []) : null;
  }
  const v = onTimeout(part.registry, part.checks, key);
  if (!v.settled) return null;
  const outputs: Out[] = v.removed !== undefined ? [removal(key, v.removed)] : [];
  return { part: { ...part, registry: v.registry, checks: v.checks }, outputs, removed: v.removed !== undefined ? [key] : [] };
}
