/**
 * Anti-entropy: a periodic full-state exchange with one random member, so a member whose piggybacked
 * updates were lost still converges. The same merge serves a joiner's first reply from its seed.
 */
import type { NodeId } from '../../spec/node.js';
import { type MemberRecord, type MemberUpdate, SWIM_TIMERS, pushPullPeriod, pushedUpdate } from '../../spec/swim.js';
import { applyUpdate, pickActive } from './dissemination.js';
import { nextInt } from '../../spec/prng.js';
import { type Member, type MemberTable, allRecords, pickRecords } from './membership.js';
import type { Step } from './state.js';

/**
 * Which table each listing that left a step was made from. The table is sealed first (Step.sealTable),
 * so its tries stay as listed: a sizer may then measure the listing by the table's slot arrays, which
 * consecutive tables share, not record by record (experiment/swim-sim.ts: measuring 10,000 records per
 * exchange was 8 % of a 10,000-node warm run).
 */
const listedFrom = new WeakMap<readonly MemberRecord[], MemberTable>();

/** The table a listing from tableRecords was made from (sealed, so it holds exactly the listing's records). */
export function listedTable(records: readonly MemberRecord[]): MemberTable | undefined {
  return listedFrom.get(records);
}

/** This node's whole table as records, sorted by id (O(n) once the table's membership was listed). */
export function tableRecords(st: Step): MemberRecord[] {
  st.sealTable();
  const records = allRecords(st.s.table);
  listedFrom.set(records, st.s.table);
  return records;
}

/** What precedence compares: a record's or a member's status and incarnation. */
type Claim = Pick<MemberRecord, 'status' | 'incarnation'>;

/**
 * Whether a record can change anything against this node's member of its id: every equal claim is a
 * no-op by the precedence rules, except a suspicion, which can still count as a confirmation.
 */
function mayMerge(r: Claim, cur: Claim | undefined): boolean {
  return !(cur && r.status !== 'suspect' && cur.status === r.status && cur.incarnation === r.incarnation);
}
const mergesItself = new WeakMap<object, boolean>();

/**
 * Merges a remote table by the same precedence rules as gossip, a dead record taken as a suspicion
 * (spec/swim.ts pushedUpdate). A member this node does not know is learnt only from an alive record:
 * a stranger's suspicion or death is no news worth keeping. Records are applied in id order.
 */
export function mergeRecords(st: Step, records: readonly MemberRecord[], from: NodeId): void {
  // A listing made in this process (the simulator, in-process tests) is compared slot by slot with
  // this node's table, skipping the slot arrays both share: on 10,000-node warm-loss-0 this took a
  // run from 122 s to 100 s side by side, the simulation unchanged. The records it picks are those
  // the walk below would apply, in the same order, and none changes another's comparison (each
  // names a different member): the merge is the same.
  const listed = listedTable(records);
  if (listed !== undefined) {
    for (const r of pickRecords(st.s.table, listed, mayMerge, mergesItself)) applyUpdate(st, mergedUpdate(r, from));
    return;
  }
  // A table arrives sorted by id, as this node's own listing is: walking both side by side finds
  // each record's current member without a lookup (at 10,000 members the lookups' cache misses
  // were most of a merge). Records out of order (or repeated) are looked up instead.
  const own = allRecords(st.s.table);
  let j = 0;
  let prev: NodeId | null = null;
  let sorted = true;
  for (const r of records) {
    let cur: MemberRecord | Member | undefined;
    if (sorted && (prev === null || prev < r.member)) {
      while (j < own.length && own[j].member !== r.member && own[j].member < r.member) j++;
      cur = j < own.length && own[j].member === r.member ? own[j] : undefined;
      prev = r.member;
    } else {
      sorted = false;
      cur = st.member(r.member);
    }
    if (mayMerge(r, cur)) applyUpdate(st, mergedUpdate(r, from));
  }
}

/**
 * The update an alive record merges as, made once per record object. Tables hand out the same record
 * objects exchange after exchange (membership.ts toRecord), so in a cold start the thousand nodes that
 * learn a member from one seed's table now queue one update object, not a thousand equal ones: the
 * codec measures each update object once (SwimCodec.sizeOf), and measuring a fresh copy per node was
 * 9 % of the CPU of the first 7 simulated seconds of a 1,000-node cold start under 20 % loss. An update is never mutated, so sharing it changes nothing
 * but identity; other statuses depend on `from` and are rare.
 */
const aliveUpdates = new WeakMap<MemberRecord, MemberUpdate>();
function mergedUpdate(r: MemberRecord, from: NodeId): MemberUpdate {
  if (r.status !== 'alive') return pushedUpdate(r, from);
  let u = aliveUpdates.get(r);
  if (u === undefined) {
    u = pushedUpdate(r, from);
    aliveUpdates.set(r, u);
  }
  return u;
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

/**
 * Reconnect (partition heal): draw one member of the table at random; if it is dead, send it this
 * node's table. A member wrongly declared dead hears its death in the table, refutes, and answers with
 * its own table, which carries its new incarnation (and, as suspicions, this side's deaths as its side
 * saw them) back: both sides re-learn each other and gossip does the rest. Left members are never
 * contacted: they said goodbye. Drawing from the whole table makes a node try with probability
 * dead/members, so the cluster as a whole tries each dead member about once per period (Serf's
 * reconnect rate), whatever its size, while after a partition every node tries at once.
 */
export function onReconnectTimer(st: Step): void {
  const s = st.s;
  if (s.cfg.reconnectIntervalMs > 0) st.setTimer(SWIM_TIMERS.reconnect, s.cfg.reconnectIntervalMs);
  let target: NodeId | undefined;
  if (st.given) target = st.given[0];
  else if (s.probeOrder.length > 0) {
    let i: number;
    [i, s.rng] = nextInt(s.rng, s.probeOrder.length);
    target = s.probeOrder.at(i);
  }
  if (target === undefined || target === s.id || st.member(target)?.status !== 'dead') return;
  st.choice = [target];
  st.send(target, { kind: 'sync', members: tableRecords(st) });
}
