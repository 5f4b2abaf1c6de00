/**
 * The shuffled round-robin probe order: every member is probed once per pass, in an order reshuffled
 * each pass; a new member goes in at a random position so it is probed within one pass (SWIM §4.3).
 * Insertion swaps the newcomer with a random slot (O(1) after the once-per-step copy), so learning a
 * whole table in one push-pull merge stays linear.
 *
 * The order holds member numbers (member-index.ts) in a typed array: 2 bytes a member (4 past 65,536
 * numbered ids) that the collector never traces, where an array of id references cost 8 and was
 * walked by every full collection (at 10,000 nodes, 0.8 GB of orders, and 44 % of the first
 * simulated second in GC).
 */
import type { NodeId } from '../../spec/node.js';
import { memberCount, memberName, memberNumber } from './member-index.js';
import { type Member, isActive } from './membership.js';
import { type RngState, nextInt, shuffleInPlace } from '../../spec/prng.js';

/** Member numbers: 2 bytes each while the process has numbered at most 65,536 ids, 4 after. */
export type Slots = Uint16Array | Int32Array;

/**
 * Room for `capacity` member numbers, in the narrowest array that holds every number handed out so
 * far (numbers only grow, so a Uint16Array made now holds every number any order holds now).
 */
export function slotsFor(capacity: number): Slots {
  return memberCount() <= 0x10000 ? new Uint16Array(capacity) : new Int32Array(capacity);
}

/** A node's probe order, read-only: member numbers in slots[0 .. length); `at` names the member at an index. */
export interface ProbeOrder {
  readonly slots: Slots;
  readonly length: number;
  at(index: number): NodeId | undefined;
}

/**
 * The probe order's storage: the numbers of its members in slots[0 .. length); slots past that are
 * spare room a step may grow into. A state's order is never written: a step writes only the copy
 * Step.orderForWrite made for it (or an order it built), so earlier states stay as they were.
 */
export class OrderSlots implements ProbeOrder {
  constructor(
    public slots: Slots,
    public length: number,
  ) {}
  at(index: number): NodeId | undefined {
    return index >= 0 && index < this.length ? memberName(this.slots[index]) : undefined;
  }
  /** A copy of `order` with room for `spare` more members. */
  static copyOf(order: ProbeOrder, spare: number): OrderSlots {
    const slots = slotsFor(order.length + spare);
    slots.set(order.slots.subarray(0, order.length));
    return new OrderSlots(slots, order.length);
  }
}

export const EMPTY_ORDER: OrderSlots = Object.freeze(new OrderSlots(new Uint16Array(0), 0)) as OrderSlots;

/** The order's ids, in order (the state's canonical text and tests read it so). */
export function orderIds(order: ProbeOrder): NodeId[] {
  const out = new Array<NodeId>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = order.at(i) as NodeId;
  return out;
}

/** Adds a member the table did not hold (callers guarantee it is not in the order yet). */
/**
 * What the probe order needs of a core step (state.ts's Step): the draft's order, position and
 * generator, copy-on-write of the order, and member lookups. Named here so this module does not
 * import the step it serves.
 */
export interface ProbeOrderStep {
  readonly s: { probeOrder: ProbeOrder; probeIndex: number; rng: RngState };
  orderForWrite(): OrderSlots;
  setOrder(order: OrderSlots): void;
  member(id: NodeId): Member | undefined;
}

export function insertIntoProbeOrder(st: ProbeOrderStep, id: NodeId): void {
  const s = st.s;
  const order = st.orderForWrite();
  let pos: number;
  [pos, s.rng] = nextInt(s.rng, order.length + 1);
  const number = memberNumber(id);
  // Full, or too narrow for the number: double the room, so a merge that learns a whole table copies
  // O(n) in all.
  if (order.length === order.slots.length || (number > 0xffff && order.slots instanceof Uint16Array)) {
    const grown = slotsFor(2 * order.length + 8);
    grown.set(order.slots);
    order.slots = grown;
  }
  // The newcomer takes slot `pos`; the member it displaces moves to the end of this pass.
  const last = order.length;
  order.length += 1;
  order.slots[last] = order.slots[pos];
  order.slots[pos] = number;
  // A newcomer placed in the part of the pass already probed waits for the next pass; fine.
}

/**
 * A reaped member leaves the order at once (O(n), but reaping is rare): were it to wait for the end of
 * the pass and be re-learnt meanwhile, insertion would list it twice, and a sample of the order (ping-req
 * helpers, gossip targets) could name it twice.
 */
export function removeFromProbeOrder(st: ProbeOrderStep, id: NodeId): void {
  const s = st.s;
  const n = memberNumber(id);
  const { slots, length } = s.probeOrder;
  let at = 0;
  while (at < length && slots[at] !== n) at++;
  if (at === length) return;
  // Two block copies into a fresh array, not a copy then a shift: at 10,000 nodes every node reaps a
  // crashed member at about the same time.
  const rest = slotsFor(length - 1);
  rest.set(slots.subarray(0, at));
  rest.set(slots.subarray(at + 1, length), at);
  st.setOrder(new OrderSlots(rest, length - 1));
  if (at < s.probeIndex) s.probeIndex -= 1;
}

/**
 * The next active member in the order, advancing past dead, left and reaped ones; reshuffles (and
 * drops reaped ids) at the end of a pass. Undefined when no other member is active.
 */
export function nextProbeTarget(st: ProbeOrderStep): NodeId | undefined {
  const s = st.s;
  for (let pass = 0; pass < 2; pass++) {
    const { slots, length } = s.probeOrder;
    while (s.probeIndex < length) {
      const id = memberName(slots[s.probeIndex]);
      s.probeIndex += 1;
      if (isActive(st.member(id))) return id;
    }
    const keep = slotsFor(length);
    let kept = 0;
    for (let i = 0; i < length; i++) if (st.member(memberName(slots[i])) !== undefined) keep[kept++] = slots[i];
    s.rng = shuffleInPlace(keep, s.rng, kept);
    st.setOrder(new OrderSlots(keep, kept));
    s.probeIndex = 0;
    if (kept === 0) return undefined;
  }
  return undefined;
}
