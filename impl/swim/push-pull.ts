/**
 * Anti-entropy: a periodic full-state exchange with one random member, so a member whose piggybacked
 * updates were lost still converges. The same merge serves a joiner's first reply from its seed.
 */
import type { NodeId } from '../../spec/node.js';
import { type MemberRecord, type MemberUpdate, SWIM_TIMERS, pushPullPeriod } from '../../spec/swim.js';
import { applyUpdate, pickActive } from './dissemination.js';
import { allMembers, toRecord } from './membership.js';
import type { Step } from './state.js';

/** This node's whole table as records, sorted by id (O(n log n), once per exchange). */
export function tableRecords(st: Step): MemberRecord[] {
  return allMembers(st.s.table).map(toRecord);
}

/** The update a record claims; `from` is who sent the table (it vouches for suspicions and deaths). */
export function recordUpdate(r: MemberRecord, from: NodeId): MemberUpdate {
  switch (r.status) {
    case 'alive':
      return { kind: 'alive', member: r.member, incarnation: r.incarnation, info: r.info, health: r.health };
    case 'suspect':
      return { kind: 'suspect', member: r.member, incarnation: r.incarnation, from };
    case 'dead':
      return { kind: 'dead', member: r.member, incarnation: r.incarnation, from };
    case 'left':
      return { kind: 'left', member: r.member, incarnation: r.incarnation };
  }
}

/**
 * Merges a remote table by the same precedence rules as gossip. A member this node does not know is
 * learnt only from an alive record: a stranger's suspicion or death is no news worth keeping.
 */
export function mergeRecords(st: Step, records: readonly MemberRecord[], from: NodeId): void {
  for (const r of records) {
    // Fast path for the common case, a record this node already holds: only a suspicion can still
    // matter (as a confirmation), every other equal claim is a no-op by the precedence rules.
    const cur = st.member(r.member);
    if (cur && r.status !== 'suspect' && cur.status === r.status && cur.incarnation === r.incarnation) continue;
    applyUpdate(st, recordUpdate(r, from));
  }
}

export function onPushPullTimer(st: Step): void {
  // Push-pull switched off: a stray firing still syncs once but never re-arms itself at +0 ms.
  if (st.s.cfg.pushPullIntervalMs > 0) st.setTimer(SWIM_TIMERS.pushPull, pushPullPeriod(st.s.cfg.pushPullIntervalMs, st.s.table.size));
  const [target] = pickActive(st, 1, null, true);
  if (target === undefined) return;
  st.choice = [target];
  st.send(target, { kind: 'sync', members: tableRecords(st) });
}

export function onSync(st: Step, from: NodeId, members: readonly MemberRecord[]): void {
  mergeRecords(st, members, from);
  st.send(from, { kind: 'syncReply', members: tableRecords(st) });
}
