/**
 * The shuffled round-robin probe order: every member is probed once per pass, in an order reshuffled
 * each pass; a new member goes in at a random position so it is probed within one pass (SWIM §4.3).
 * Insertion swaps the newcomer with a random slot (O(1) after the once-per-step copy), so learning a
 * whole table in one push-pull merge stays linear.
 */
import type { NodeId } from '../../spec/node.js';
import { isActive } from './membership.js';
import { nextInt, shuffled } from './rng.js';
import type { Step } from './state.js';

/** Adds a member the table did not hold (callers guarantee it is not in the order yet). */
export function insertIntoProbeOrder(st: Step, id: NodeId): void {
  const s = st.s;
  const order = st.orderForWrite();
  let pos: number;
  [pos, s.rng] = nextInt(s.rng, order.length + 1);
  order.push(id);
  // The newcomer takes slot `pos`; the member it displaces moves to the end of this pass.
  const last = order.length - 1;
  order[last] = order[pos];
  order[pos] = id;
  // A newcomer placed in the part of the pass already probed waits for the next pass; fine.
}

/**
 * A reaped member leaves the order at once (O(n), but reaping is rare): were it to wait for the end of
 * the pass and be re-learnt meanwhile, insertion would list it twice, and a sample of the order (ping-req
 * helpers, gossip targets) could name it twice.
 */
export function removeFromProbeOrder(st: Step, id: NodeId): void {
  const s = st.s;
  const at = s.probeOrder.indexOf(id);
  if (at < 0) return;
  st.orderForWrite().splice(at, 1);
  if (at < s.probeIndex) s.probeIndex -= 1;
}

/**
 * The next active member in the order, advancing past dead, left and reaped ones; reshuffles (and
 * drops reaped ids) at the end of a pass. Undefined when no other member is active.
 */
export function nextProbeTarget(st: Step): NodeId | undefined {
  const s = st.s;
  for (let pass = 0; pass < 2; pass++) {
    while (s.probeIndex < s.probeOrder.length) {
      const id = s.probeOrder[s.probeIndex];
      s.probeIndex += 1;
      if (isActive(st.member(id))) return id;
    }
    const keep = s.probeOrder.filter((id) => st.member(id) !== undefined);
    let order: NodeId[];
    [order, s.rng] = shuffled(keep, s.rng);
    st.setOrder(order);
    s.probeIndex = 0;
    if (order.length === 0) return undefined;
  }
  return undefined;
}
