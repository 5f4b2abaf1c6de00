/**
 * A load balancer's health loop as the models say it: the rules of spec/inferno-health.ts asked (for
 * guards) and applied (for actions), and their results said as outputs. Shared by the inferno-current
 * and hybrid statecharts, whose load balancers run the same HTTP side under different timer names;
 * the cores say the same results in impl/inferno/health-loop.ts, and conformance holds the two to it.
 */
import {
  type HealthChecks,
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
import type { Registry } from '../../spec/inferno-registry.js';
import type { HealthLoop } from '../../spec/inferno.js';
import type { NodeId } from '../../spec/node.js';
import type { Input, Output } from '../../spec/step.js';
import { parseTimer, timerName } from '../../spec/swim.js';

/** What a load balancer's context holds for its health checks. */
export interface HealthContext {
  readonly registry: Registry;
  readonly round: ProxyRound;
  readonly checks: HealthChecks;
}

export interface HealthSettings {
  readonly healthLoop: HealthLoop;
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
}

/** The protocol's names for the ticker and the (keyed) check timeout. */
export interface HealthNames {
  readonly tick: string;
  readonly checkTimeout: string;
}

type HealthMessage = { readonly kind: 'healthCheck'; readonly seq: number };
type Out = Output<HealthMessage>;
/** Any protocol's input: only a `healthReply` message is read. */
type Ev = Input<{ readonly kind: string }>;
type Reply = { readonly kind: 'healthReply'; readonly seq: number; readonly ready: boolean };

/** The progress a step makes: the new health context and what it says. */
export interface HealthUpdate {
  readonly part: HealthContext;
  readonly outputs: readonly Out[];
  /** Backends removed by this step. */
  readonly removed: readonly NodeId[];
}

const send = (to: NodeId, seq: number): Out => ({ type: 'send', to, message: { kind: 'healthCheck', seq } });
const removal = (member: NodeId, reason: string): Out => ({ type: 'notify', event: { kind: 'removed', member, reason } });
const timerOf = (e: Ev): { base: string; key: string } | undefined => (e.type === 'timer' ? parseTimer(e.timer) : undefined);

function replyOf(e: Ev): { from: NodeId; message: Reply } | undefined {
  return e.type === 'receive' && e.message.kind === 'healthReply' ? { from: e.from, message: e.message as Reply } : undefined;
}

export const isTick = (e: Ev, n: HealthNames): boolean => timerOf(e)?.base === n.tick;

/** The ticker re-armed, as every tick does first. */
export const armTick = (cfg: HealthSettings, n: HealthNames): Out => ({ type: 'setTimer', timer: n.tick, after: cfg.healthIntervalMs });

/** The proxy loop's step for this event (a connect answered or timed out), per spec, or null when it changes nothing. */
export function proxyStepOf(c: HealthContext, e: Ev, n: HealthNames): ProxyRoundStep | null {
  const r = replyOf(e);
  if (r) return proxyAnswer(c.registry, c.round, r.from, r.message.seq);
  const t = timerOf(e);
  if (t?.base === n.checkTimeout) return proxyTimeout(c.registry, c.round, Number(t.key));
  return null;
}

/** A tick between rounds over a non-empty table starts a round (over an empty one it only re-arms). */
export const tickStartsRound = (c: HealthContext, e: Ev, n: HealthNames): boolean => isTick(e, n) && proxyTick(c.registry, c.round).check !== undefined;

/** The check in flight ended and it was the round's last, nothing owed after. */
export function checkEndsRound(c: HealthContext, e: Ev, n: HealthNames): boolean {
  const r = proxyStepOf(c, e, n);
  return r !== null && r.round.current === null;
}

/** One proxy-loop step said as outputs: the cancelled timeout, the removals, the next check. */
function proxyOutputs(c: HealthContext, r: ProxyRoundStep, cfg: HealthSettings, n: HealthNames, head: readonly Out[]): HealthUpdate {
  const out: Out[] = [...head];
  for (const member of r.removed) out.push(removal(member, PROXY_REMOVAL_REASON));
  if (r.check) {
    out.push(send(r.check.backend, r.check.seq));
    out.push({ type: 'setTimer', timer: timerName(n.checkTimeout, r.check.seq), after: cfg.healthTimeoutMs });
  }
  return { part: { ...c, registry: r.registry, round: r.round }, outputs: out, removed: r.removed };
}

/** The ticker ticked (it re-arms first): a round starts, or, one being under way, is owed. */
export function proxyTicked(c: HealthContext, cfg: HealthSettings, n: HealthNames): HealthUpdate {
  return proxyOutputs(c, proxyTick(c.registry, c.round), cfg, n, [armTick(cfg, n)]);
}

/** The check in flight connected (its timeout cancelled) or timed out: the round moves on. */
export function proxyCheckEnded(c: HealthContext, e: Ev, cfg: HealthSettings, n: HealthNames): HealthUpdate | null {
  const r = proxyStepOf(c, e, n);
  if (!r) return null;
  const reply = replyOf(e);
  return proxyOutputs(c, r, cfg, n, reply ? [{ type: 'cancelTimer', timer: timerName(n.checkTimeout, reply.message.seq) }] : []);
}

/** A library-loop answer to the check in flight, with the `ready` it carries. */
export function libraryReply(c: HealthContext, e: Ev): { from: NodeId; seq: number; ready: boolean } | undefined {
  const r = replyOf(e);
  if (!r || c.checks.inFlight[r.from] !== r.message.seq) return undefined;
  return { from: r.from, seq: r.message.seq, ready: r.message.ready };
}

export function isTimeoutOfLibraryCheck(c: HealthContext, e: Ev, n: HealthNames): boolean {
  const t = timerOf(e);
  return t?.base === n.checkTimeout && onTimeout(c.registry, c.checks, t.key).settled;
}

/** The library loop's round: a check to every registered backend at once, each with its own timeout. */
export function libraryRound(c: HealthContext, cfg: HealthSettings, n: HealthNames): HealthUpdate {
  const out: Out[] = [armTick(cfg, n)];
  const r = startRound(c.registry, c.checks);
  for (const s of r.sent) {
    out.push(send(s.backend, s.seq));
    out.push({ type: 'setTimer', timer: timerName(n.checkTimeout, s.backend), after: cfg.healthTimeoutMs });
  }
  return { part: { ...c, checks: r.checks }, outputs: out, removed: [] };
}

/** An answer settles its check; `ready: false` removes the backend at once. */
export function libraryAnswered(c: HealthContext, e: Ev, n: HealthNames): HealthUpdate | null {
  const reply = libraryReply(c, e);
  if (!reply) return null;
  const v = onReply(c.registry, c.checks, reply.from, reply.seq, reply.ready);
  const out: Out[] = [{ type: 'cancelTimer', timer: timerName(n.checkTimeout, reply.from) }];
  if (v.removed !== undefined) out.push(removal(reply.from, REMOVAL_REASONS.notReady));
  return { part: { ...c, registry: v.registry, checks: v.checks }, outputs: out, removed: v.removed !== undefined ? [reply.from] : [] };
}

/** A check unanswered by its timeout removes the backend at once (one failure is enough). */
export function libraryTimedOut(c: HealthContext, e: Ev, n: HealthNames): HealthUpdate | null {
  const t = timerOf(e);
  if (t?.base !== n.checkTimeout) return null;
  const v = onTimeout(c.registry, c.checks, t.key);
  const removed = v.removed !== undefined ? [t.key] : [];
  return { part: { ...c, registry: v.registry, checks: v.checks }, outputs: removed.map((m) => removal(m, REMOVAL_REASONS.timedOut)), removed };
}

/**
 * The health loop's part of a load balancer's statechart, the same in inferno-current and the hybrid
 * (each machine's setup names these guards and actions): the proxy binary's loop, one TCP connect at
 * a time, or the library's, every check of a round at once.
 */
export const HEALTH_LOOP_STATES = {
  choosingLoop: {
    always: [{ guard: 'isProxyLoop', target: 'proxyIdle' }, { target: 'libraryLoop' }],
  },
  /** Proxy loop, between rounds. */
  proxyIdle: {
    on: {
      timer: [
        { guard: 'tickStartsRound', target: 'proxyChecking', actions: 'tickProxyLoop' },
        { guard: 'isHealthTick', actions: 'tickProxyLoop' },
      ],
    },
  },
  /** Proxy loop, one TCP connect in flight; the failed ones wait for the round's end. */
  proxyChecking: {
    on: {
      timer: [
        // A tick during a round is owed a round of its own (tokio's burst behaviour).
        { guard: 'isHealthTick', actions: 'tickProxyLoop' },
        { guard: 'checkEndsRound', target: 'proxyIdle', actions: 'endProxyCheck' },
        { guard: 'checkEndsInRound', actions: 'endProxyCheck' },
      ],
      receive: [
        { guard: 'checkEndsRound', target: 'proxyIdle', actions: 'endProxyCheck' },
        { guard: 'checkEndsInRound', actions: 'endProxyCheck' },
      ],
    },
  },
  /** Library loop: every check of a round in flight at once, each settled on its own. */
  libraryLoop: {
    on: {
      timer: [
        { guard: 'isHealthTick', actions: 'startLibraryRound' },
        { guard: 'isTimeoutOfLibraryCheckInFlight', actions: 'removeTimedOutBackend' },
      ],
      receive: [
        { guard: 'isReadyReplyToCheckInFlight', actions: 'settleLibraryCheck' },
        { guard: 'isNotReadyReplyToCheckInFlight', actions: 'settleLibraryCheck' },
      ],
    },
  },
} as const;
