/**
 * The model's membership table and dissemination, as plain functions over plain JSON: the precedence
 * rules come from spec/swim.ts (`overrides`, `refutationIncarnation`), never restated here. Each
 * function returns the new context and appends what it emits to `out`.
 */
import type { NodeId, NodeInfo } from '../../spec/node.js';
import { sameNodeInfo } from '../../spec/node.js';
import type { Output } from '../../spec/step.js';
import {
  type HealthSummary,
  type MemberRecord,
  type MemberUpdate,
  SWIM_TIMERS,
  type SwimConfig,
  type SwimMessage,
  type SwimStatus,
  claimOf,
  overrides,
  pushedUpdate,
  refutationIncarnation,
  retransmitLimit,
  sameHealth,
  suspicionConfirmations,
  suspicionMinMs,
  suspicionTimeout,
  timerName,
} from '../../spec/swim.js';

export type Out = Output<SwimMessage>;

export interface ModelMember {
  readonly status: SwimStatus;
  readonly incarnation: number;
  readonly info: NodeInfo;
  readonly health: HealthSummary;
}

export interface ModelSuspicion {
  readonly incarnation: number;
  readonly firstFrom: NodeId;
  readonly confirmers: readonly NodeId[];
  /** When it began (only kept with dogpile on, where the deadline moves with confirmations). */
  readonly start: number;
}

export interface SwimContext {
  readonly id: NodeId;
  /** The durable seeds a restart joins through; `seeds` are the current join's. */
  readonly setupSeeds: readonly NodeId[];
  readonly seeds: readonly NodeId[];
  readonly cfg: SwimConfig;
  readonly setupInfo: NodeInfo;
  readonly incarnation: number;
  readonly info: NodeInfo;
  readonly health: HealthSummary;
  readonly members: Readonly<Record<NodeId, ModelMember>>;
  readonly queue: readonly { readonly update: MemberUpdate; readonly sent: number; readonly order: number }[];
  readonly nextOrder: number;
  readonly seq: number;
  readonly probe: { readonly seq: number; readonly target: NodeId; readonly start: number; readonly end: number; readonly indirect: boolean; readonly expectedNacks: number; readonly nacks: number } | null;
  readonly relays: Readonly<Record<string, { readonly origin: NodeId; readonly seq: number }>>;
  readonly suspicions: Readonly<Record<NodeId, ModelSuspicion>>;
  readonly awareness: number;
  readonly joined: boolean;
  readonly joinAttempts: number;
}

export const isActiveStatus = (s: SwimStatus | undefined): boolean => s === 'alive' || s === 'suspect';

export function activeOthers(ctx: SwimContext, except: NodeId | null = null): NodeId[] {
  return Object.keys(ctx.members)
    .filter((id) => id !== ctx.id && id !== except && isActiveStatus(ctx.members[id].status))
    .sort();
}

export function scaledMs(ctx: SwimContext, ms: number): number {
  return ms * (ctx.awareness + 1);
}

export function withAwareness(ctx: SwimContext, delta: number): SwimContext {
  return { ...ctx, awareness: Math.max(0, Math.min(ctx.cfg.awarenessMaxMultiplier - 1, ctx.awareness + delta)) };
}

export function enqueueUpdate(ctx: SwimContext, update: MemberUpdate): SwimContext {
  const queue = ctx.queue.filter((e) => e.update.member !== update.member);
  return { ...ctx, queue: [...queue, { update, sent: 0, order: ctx.nextOrder }], nextOrder: ctx.nextOrder + 1 };
}

/** Updates for one datagram: fewest-sent first, newest first among equals (no byte budget in the model). */
export function takePiggyback(ctx: SwimContext): [MemberUpdate[], SwimContext] {
  if (ctx.queue.length === 0) return [[], ctx];
  const limit = retransmitLimit(ctx.cfg.retransmitMult, Object.keys(ctx.members).length);
  const ranked = [...ctx.queue].sort((a, b) => a.sent - b.sent || b.order - a.order);
  const queue = ctx.queue.filter((e) => e.sent + 1 < limit).map((e) => ({ ...e, sent: e.sent + 1 }));
  return [ranked.map((e) => e.update), { ...ctx, queue }];
}

function suspicionFloor(ctx: SwimContext): number {
  const n = Object.keys(ctx.members).length;
  if (ctx.cfg.suspicionTimeoutMs !== undefined) return ctx.cfg.suspicionTimeoutMs;
  return suspicionMinMs(ctx.cfg.suspicionMult, n, ctx.cfg.probeIntervalMs);
}

function suspicionAfter(ctx: SwimContext, s: ModelSuspicion, now: number): number {
  const n = Object.keys(ctx.members).length;
  const min = suspicionFloor(ctx);
  const max = ctx.cfg.dogpile ? min * ctx.cfg.suspicionMaxTimeoutMult : min;
  const expected = suspicionConfirmations(ctx.cfg.suspicionMult, n);
  return Math.max(0, s.start + suspicionTimeout(min, max, s.confirmers.length, expected) - now);
}

export function selfAliveUpdate(ctx: SwimContext): MemberUpdate {
  return { kind: 'alive', member: ctx.id, incarnation: ctx.incarnation, info: ctx.info, health: ctx.health };
}

/** This node's record changed: table, broadcast, and the `announced` ghost record. */
export function announce(ctx: SwimContext, out: Out[]): SwimContext {
  const members = { ...ctx.members, [ctx.id]: { status: 'alive' as const, incarnation: ctx.incarnation, info: ctx.info, health: ctx.health } };
  out.push({ type: 'notify', event: { kind: 'announced', info: ctx.info, version: ctx.incarnation } });
  return enqueueUpdate({ ...ctx, members }, selfAliveUpdate(ctx));
}

function endSuspicion(ctx: SwimContext, member: NodeId, out: Out[]): SwimContext {
  if (!(member in ctx.suspicions)) return ctx;
  const { [member]: _gone, ...rest } = ctx.suspicions;
  out.push({ type: 'cancelTimer', timer: timerName(SWIM_TIMERS.suspicion, member) });
  return { ...ctx, suspicions: rest };
}

/** One update by the precedence rules; claims about this node are refuted. */
export function applyUpdate(ctx: SwimContext, u: MemberUpdate, now: number, out: Out[]): SwimContext {
  if (u.member === ctx.id) {
    const next = refutationIncarnation(ctx.incarnation, claimOf(u));
    if (next === undefined) return ctx;
    const c = u.kind === 'suspect' || u.kind === 'dead' ? withAwareness(ctx, 1) : ctx;
    return announce({ ...c, incarnation: next }, out);
  }
  const cur = ctx.members[u.member];
  if (!overrides(claimOf(u), cur)) {
    if (u.kind === 'suspect' && cur?.status === 'suspect' && cur.incarnation === u.incarnation) return confirmSuspicion(ctx, u, now, out);
    return ctx;
  }
  let c = ctx;
  let next: ModelMember;
  if (u.kind === 'alive') {
    next = { status: 'alive', incarnation: u.incarnation, info: u.info, health: u.health };
    c = endSuspicion(c, u.member, out);
    if (!isActiveStatus(cur?.status)) {
      out.push({ type: 'notify', event: { kind: 'joined', member: u.member, info: u.info } });
      if (cur) out.push({ type: 'cancelTimer', timer: timerName(SWIM_TIMERS.reap, u.member) });
    } else {
      if (cur!.status === 'suspect') out.push({ type: 'notify', event: { kind: 'alive', member: u.member } });
      if (!sameNodeInfo(cur!.info, u.info) || !sameHealth(cur!.health, u.health)) out.push({ type: 'notify', event: { kind: 'updated', member: u.member, info: u.info } });
    }
  } else if (u.kind === 'suspect') {
    next = { ...cur!, status: 'suspect', incarnation: u.incarnation };
    // A suspicion at a higher incarnation replaces the older one and its timer.
    c = endSuspicion(c, u.member, out);
    const s: ModelSuspicion = { incarnation: u.incarnation, firstFrom: u.from, confirmers: [], start: c.cfg.dogpile ? now : 0 };
    c = { ...c, suspicions: { ...c.suspicions, [u.member]: s } };
    out.push({ type: 'setTimer', timer: timerName(SWIM_TIMERS.suspicion, u.member), after: suspicionAfter(c, { ...s, start: now }, now) });
    out.push({ type: 'notify', event: { kind: 'suspected', member: u.member } });
  } else {
    next = { ...cur!, status: u.kind, incarnation: u.incarnation };
    c = endSuspicion(c, u.member, out);
    if (cur!.status === 'dead' || cur!.status === 'left') out.push({ type: 'cancelTimer', timer: timerName(SWIM_TIMERS.reap, u.member) });
    out.push({ type: 'notify', event: u.kind === 'dead' ? { kind: 'failed', member: u.member } : { kind: 'left', member: u.member } });
    if (c.cfg.reapAfterMs > 0) out.push({ type: 'setTimer', timer: timerName(SWIM_TIMERS.reap, u.member), after: c.cfg.reapAfterMs });
  }
  c = { ...c, members: { ...c.members, [u.member]: next } };
  return enqueueUpdate(c, u);
}

function confirmSuspicion(ctx: SwimContext, u: Extract<MemberUpdate, { kind: 'suspect' }>, now: number, out: Out[]): SwimContext {
  const s = ctx.suspicions[u.member];
  if (!s || s.incarnation !== u.incarnation || u.from === s.firstFrom || s.confirmers.includes(u.from)) return ctx;
  // Confirmations beyond the expected count are no news (memberlist's suspicion.Confirm stops at k).
  if (s.confirmers.length >= suspicionConfirmations(ctx.cfg.suspicionMult, Object.keys(ctx.members).length)) return ctx;
  const more = { ...s, confirmers: [...s.confirmers, u.from] };
  const c = enqueueUpdate({ ...ctx, suspicions: { ...ctx.suspicions, [u.member]: more } }, u);
  if (c.cfg.dogpile) out.push({ type: 'setTimer', timer: timerName(SWIM_TIMERS.suspicion, u.member), after: suspicionAfter(c, more, now) });
  return c;
}

export function applyAll(ctx: SwimContext, updates: readonly MemberUpdate[], now: number, out: Out[]): SwimContext {
  let c = ctx;
  for (const u of updates) c = applyUpdate(c, u, now, out);
  return c;
}

/**
 * The updates a datagram carried, then a correction to its sender: each suspect or dead claim about a
 * member now held alive at a higher incarnation (this node included, after refuting) is stale, and
 * the sender gets the alive records back in one `gossip` (spec/swim.md, Correcting stale claims).
 */
export function applyCarried(ctx: SwimContext, from: NodeId, updates: readonly MemberUpdate[], now: number, out: Out[]): SwimContext {
  const c = applyAll(ctx, updates, now, out);
  const fixes: MemberUpdate[] = [];
  for (const u of updates) {
    if (u.kind !== 'suspect' && u.kind !== 'dead') continue;
    const m = c.members[u.member];
    if (!m || m.status !== 'alive' || m.incarnation <= u.incarnation || fixes.some((f) => f.member === u.member)) continue;
    fixes.push({ kind: 'alive', member: u.member, incarnation: m.incarnation, info: m.info, health: m.health });
  }
  if (fixes.length > 0) out.push({ type: 'send', to: from, message: { kind: 'gossip', updates: fixes } });
  return c;
}

export function fullState(ctx: SwimContext): MemberRecord[] {
  return Object.keys(ctx.members)
    .sort()
    .map((id) => {
      const m = ctx.members[id];
      return { member: id, status: m.status, incarnation: m.incarnation, info: m.info, health: m.health };
    });
}

/** Push-pull merge: every record by the same precedence rules as gossip, a dead one as a suspicion (spec/swim.ts pushedUpdate). */
export function mergeState(ctx: SwimContext, from: NodeId, records: readonly MemberRecord[], now: number, out: Out[]): SwimContext {
  let c = ctx;
  for (const r of records) c = applyUpdate(c, pushedUpdate(r, from), now, out);
  return c;
}
