/**
 * Starting from a persisted member list, as Serf restarts a node from its snapshot file: the node
 * begins with the members the list names instead of learning them through a join. The simulator uses
 * it to start a large cluster already converged (every node restored from the same list), which the
 * join storm of a cold start cannot reach at 10,000 nodes.
 *
 * The list becomes one persistent member table (membership.ts), built once: every node restored from
 * it shares that table until it changes a member, when copy-on-first-write gives it its own slot
 * arrays and leaf. Each node still gets its own probe order, shuffled by its own generator, so its
 * probing is what a node that learnt the same members one by one would do.
 */
import { AliceError } from '../../spec/errors.js';
import type { NodeId } from '../../spec/node.js';
import type { NodeSetup, StepResult } from '../../spec/step.js';
import { type MemberRecord, SWIM_TIMERS, type SwimMessage, pushPullPeriod } from '../../spec/swim.js';
import type { SwimCoreConfig } from './config.js';
import { configOf, freshState, start } from './lifecycle.js';
import { TableWriter, emptyTable, makeMember, type MemberTable } from './membership.js';
import { memberNumber } from './member-index.js';
import { OrderSlots, type Slots, slotsFor } from './probe-order.js';
import { nextInt, shuffleInPlace } from '../../spec/prng.js';
import { Step, type SwimState } from './state.js';

export class SnapshotError extends AliceError {
  constructor(message: string) {
    super('SWIM_SNAPSHOT', message);
  }
}

/** A persisted member list, ready to restore nodes from (build it once with memberSnapshot). */
export interface MemberSnapshot {
  readonly table: MemberTable;
  /** Its members' ids, sorted: each restored node shuffles its probe order from these. */
  readonly ids: readonly NodeId[];
  /** The same members' numbers (member-index.ts), in the same order. */
  readonly numbers: Slots;
}

/**
 * The snapshot of `records`, each member recorded as entering its status at `now`. Only alive records
 * are accepted: a snapshot lists the members that were alive when it was written, and a suspicion or
 * death restored without its timer would never end.
 */
export function memberSnapshot(records: readonly MemberRecord[], now: number): MemberSnapshot {
  const w = new TableWriter(emptyTable());
  const ids: NodeId[] = [];
  for (const r of records) {
    if (r.status !== 'alive') throw new SnapshotError(`member ${r.member} is ${r.status}: a snapshot holds only alive members; drop it or record it alive`);
    w.put(makeMember(r.member, 'alive', r.incarnation, r.info, r.health, now));
    if (w.table.size === ids.length) throw new SnapshotError(`member ${r.member} appears twice in the snapshot`);
    ids.push(r.member);
  }
  ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) memberNumber(id);
  const numbers = slotsFor(ids.length);
  for (let i = 0; i < ids.length; i++) numbers[i] = memberNumber(ids[i]);
  return { table: w.table, ids, numbers };
}

/**
 * init() for a node restored from `snapshot`: its table is the snapshot's, its probe order the
 * snapshot's other members shuffled by its own generator, and it starts as init() does (announces
 * itself at incarnation 0, arms its periodic timers, push-pull timed by the table's size), except that
 * it joins no seed (the snapshot already is the membership, and anti-entropy repairs what it missed)
 * and its first push-pull is staggered.
 * A crash and restart afterwards is a cold start through the seeds, as for any node.
 */
export function swimInitFromSnapshot(setup: NodeSetup<SwimCoreConfig>, snapshot: MemberSnapshot): StepResult<SwimState, SwimMessage> {
  const cfg = configOf(setup);
  const draft = freshState(setup, cfg);
  draft.table = snapshot.table;
  // A copy without this node's own id (found by binary search: ids are sorted), made of two block
  // copies; a filter called a closure 10^8 times restoring 10,000 nodes.
  const ids = snapshot.ids;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < setup.id) lo = mid + 1;
    else hi = mid;
  }
  const listed = lo < ids.length && ids[lo] === setup.id;
  const order = slotsFor(ids.length - (listed ? 1 : 0));
  order.set(snapshot.numbers.subarray(0, lo));
  order.set(snapshot.numbers.subarray(listed ? lo + 1 : lo), lo);
  draft.rng = shuffleInPlace(order, draft.rng);
  draft.probeOrder = new OrderSlots(order, order.length);
  const st = new Step(draft, setup.now, undefined);
  start(st, []);
  staggerPushPull(st);
  return { state: st.s, outputs: st.outputs };
}

/**
 * The first push-pull at a point of its period drawn by the node's generator (memberlist staggers it
 * the same way): nodes restored together would otherwise all exchange full tables at the same moment,
 * which no running cluster does. start() armed it at a full period; this re-arms that output in place.
 */
function staggerPushPull(st: Step): void {
  const s = st.s;
  if (s.cfg.pushPullIntervalMs <= 0) return;
  const k = st.outputs.findIndex((o) => o.type === 'setTimer' && o.timer === SWIM_TIMERS.pushPull);
  if (k < 0) return;
  let after: number;
  [after, s.rng] = nextInt(s.rng, pushPullPeriod(s.cfg.pushPullIntervalMs, s.table.size));
  st.outputs[k] = { type: 'setTimer', timer: SWIM_TIMERS.pushPull, after };
}
