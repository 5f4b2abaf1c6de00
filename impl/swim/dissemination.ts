/**
 * Applying membership updates by the precedence rules of spec/swim.ts, refuting claims about this
 * node, suspicion start and end, and the gossip fan-out.
 */
import type { NodeId } from '../../spec/node.js';
import { sameNodeInfo } from '../../spec/node.js';
import { type MemberUpdate, SWIM_TIMERS, claimOf, overrides, refutationIncarnation, sameHealth, timerName } from '../../spec/swim.js';
import { adjustAwareness } from './awareness.js';
import { isActive } from './membership.js';
import { insertIntoProbeOrder } from './probe-order.js';
import { sampleWhere } from './sample.js';
import type { Step } from './state.js';
import { confirm, expectedConfirmations, suspicionDeadline } from './suspicion.js';

export function selfAlive(st: Step): MemberUpdate {
  const s = st.s;
  return { kind: 'alive', member: s.id, incarnation: s.incarnation, info: s.info, health: s.health };
}

/** Records a change of this node's own record: table, broadcast, and the `announced` ghost record. */
export function announceSelf(st: Step): void {
  const s = st.s;
  st.broadcastRecord(selfAlive(st), s.id, 'alive', s.info, s.health);
  st.notify({ kind: 'announced', info: s.info, version: s.incarnation });
}

/** A claim about this node: a live node never accepts its suspicion or death; it outbids it. */
function refute(st: Step, update: MemberUpdate): void {
  const s = st.s;
  if (s.phase !== 'running') return;
  const next = refutationIncarnation(s.incarnation, claimOf(update));
  if (next === undefined) return;
  // Lifeguard: having to refute one's own suspicion is a sign this node is the slow one.
  if (update.kind === 'suspect' || update.kind === 'dead') s.awareness = adjustAwareness(s.awareness, 1, s.cfg.awarenessMaxMultiplier);
  s.incarnation = next;
  announceSelf(st);
}

function startSuspicion(st: Step, member: NodeId, incarnation: number, from: NodeId): void {
  const s = st.s;
  const susp = { incarnation, start: st.now, confirmers: [], firstFrom: from };
  st.setSuspicion(member, susp);
  st.setTimer(timerName(SWIM_TIMERS.suspicion, member), suspicionDeadline(s.cfg, s.table.size, susp) - st.now);
}

function endSuspicion(st: Step, member: NodeId): void {
  if (!st.suspicion(member)) return;
  st.clearSuspicion(member);
  st.cancelTimer(timerName(SWIM_TIMERS.suspicion, member));
}

/** Applies one update; returns whether it changed the table (and was queued for rebroadcast). */
export function applyUpdate(st: Step, update: MemberUpdate): boolean {
  const s = st.s;
  if (update.member === s.id) {
    refute(st, update);
    return false;
  }
  const current = st.member(update.member);
  if (!overrides(claimOf(update), current)) {
    if (update.kind === 'suspect' && current?.status === 'suspect' && current.incarnation === update.incarnation) confirmSuspicion(st, update);
    return false;
  }
  // Only a member held suspect can have a suspicion (one starts and ends with that status, below),
  // so for any other the suspicion lookup is skipped: it was a second table-sized lookup per update.
  const suspected = current?.status === 'suspect';
  switch (update.kind) {
    case 'alive': {
      if (suspected) endSuspicion(st, update.member);
      if (current === undefined || !isActive(current)) {
        st.notify({ kind: 'joined', member: update.member, info: update.info });
        if (current === undefined) insertIntoProbeOrder(st, update.member);
        else st.cancelTimer(timerName(SWIM_TIMERS.reap, update.member));
      } else {
        if (current.status === 'suspect') st.notify({ kind: 'alive', member: update.member });
        if (!sameNodeInfo(current.info, update.info) || !sameHealth(current.health, update.health)) st.notify({ kind: 'updated', member: update.member, info: update.info });
      }
      st.broadcastRecord(update, update.member, 'alive', update.info, update.health);
      break;
    }
    case 'suspect': {
      // Only an alive member can become suspect (spec overrides), so no older suspicion is held.
      startSuspicion(st, update.member, update.incarnation, update.from);
      st.notify({ kind: 'suspected', member: update.member });
      st.broadcastRecord(update, current!.id, 'suspect', current!.info, current!.health);
      break;
    }
    case 'dead':
    case 'left': {
      if (suspected) endSuspicion(st, update.member);
      if (current!.status === 'dead' || current!.status === 'left') st.cancelTimer(timerName(SWIM_TIMERS.reap, update.member));
      st.notify(update.kind === 'dead' ? { kind: 'failed', member: update.member } : { kind: 'left', member: update.member });
      if (s.cfg.reapAfterMs > 0) st.setTimer(timerName(SWIM_TIMERS.reap, update.member), s.cfg.reapAfterMs);
      st.broadcastRecord(update, current!.id, update.kind, current!.info, current!.health);
      break;
    }
  }
  return true;
}

function confirmSuspicion(st: Step, update: Extract<MemberUpdate, { kind: 'suspect' }>): void {
  const s = st.s;
  const susp = st.suspicion(update.member);
  if (!susp || susp.incarnation !== update.incarnation) return;
  // Enough confirmations to reach the floor: more are no news, neither counted nor re-gossiped
  // (memberlist's suspicion.Confirm stops at k the same way). Re-gossiping every further suspecter
  // kept the whole cluster gossiping about a crashed member for its entire suspicion timeout (at
  // 2,000 nodes, 5× the datagrams of the crash).
  if (susp.confirmers.length >= expectedConfirmations(s.cfg, s.table.size)) return;
  const more = confirm(susp, update.from);
  if (!more) return;
  st.setSuspicion(update.member, more);
  // Re-gossip the confirmation so other observers can count it too (Lifeguard).
  st.broadcast(update);
  if (s.cfg.dogpile) st.setTimer(timerName(SWIM_TIMERS.suspicion, update.member), suspicionDeadline(s.cfg, s.table.size, more) - st.now);
}

export function applyAll(st: Step, updates: readonly MemberUpdate[]): void {
  for (const u of updates) applyUpdate(st, u);
}

/**
 * Applies the updates a datagram carried, then corrects its sender: a suspect or dead claim about a
 * member this node now holds alive at a higher incarnation (itself included, after refuting) is
 * stale, and the sender holds it (a node only gossips the update of its current record), so it gets
 * the alive record back in one `gossip` at once, instead of waiting for the refutation's epidemic,
 * which under loss can miss it until its own suspicion declares a live member dead. One reply per
 * message with stale claims: the traffic is bounded by the stale claims still in circulation.
 */
export function applyCarried(st: Step, from: NodeId, updates: readonly MemberUpdate[]): void {
  applyAll(st, updates);
  let fixes: MemberUpdate[] | undefined;
  for (const u of updates) {
    if (u.kind !== 'suspect' && u.kind !== 'dead') continue;
    const m = st.member(u.member);
    if (!m || m.status !== 'alive' || m.incarnation <= u.incarnation || fixes?.some((f) => f.member === u.member)) continue;
    (fixes ??= []).push({ kind: 'alive', member: m.id, incarnation: m.incarnation, info: m.info, health: m.health });
  }
  if (fixes) st.send(from, { kind: 'gossip', updates: fixes });
}

/** This node suspects `member` (its own probe failed). */
export function suspectMember(st: Step, member: NodeId): void {
  const m = st.member(member);
  if (!m || !isActive(m)) return;
  applyUpdate(st, { kind: 'suspect', member, incarnation: m.incarnation, from: st.s.id });
}

export function onSuspicionTimeout(st: Step, member: NodeId): void {
  const s = st.s;
  const susp = st.suspicion(member);
  const m = st.member(member);
  if (!susp || !m || m.status !== 'suspect' || m.incarnation !== susp.incarnation) return;
  applyUpdate(st, { kind: 'dead', member, incarnation: m.incarnation, from: s.id });
}

/** Up to k active members other than this node and `except`, from the runtime's choice or the rng. */
export function pickActive(st: Step, k: number, except: NodeId | null, aliveOnly = false): NodeId[] {
  const s = st.s;
  // Helpers and push-pull partners must be alive: a suspect may be the very node that is failing.
  const ok = (id: NodeId): boolean => {
    const m = st.member(id);
    return id !== s.id && id !== except && (aliveOnly ? m?.status === 'alive' : isActive(m));
  };
  if (st.given) return [...st.given].filter(ok);
  let picked: NodeId[];
  [picked, s.rng] = sampleWhere(s.probeOrder, k, ok, s.rng);
  return picked;
}

/** Gossip fan-out: queued updates to a few random active members. */
export function onGossipTimer(st: Step): void {
  const s = st.s;
  // With gossip switched off a stray firing still sends what is queued, but must not re-arm itself at +0 ms.
  if (s.cfg.gossipIntervalMs > 0) st.setTimer(SWIM_TIMERS.gossip, s.cfg.gossipIntervalMs);
  if (!st.hasQueuedUpdates() || s.cfg.gossipNodes === 0) return;
  const targets = pickActive(st, s.cfg.gossipNodes, null);
  if (targets.length === 0) return;
  st.choice = targets;
  for (const to of targets) {
    const updates = st.piggyback();
    if (updates.length === 0) break;
    st.send(to, { kind: 'gossip', updates });
  }
}
