/**
 * Variant `hybrid-shared` (ours): its rules are spec/hybrid-shared.ts, which the hybrid model follows
 * too; the core reads its SWIM table for them through the SWIM core's View.
 */
import type { NodeId } from '../../spec/node.js';
import { liveLoadBalancers as liveIn } from '../../spec/hybrid-shared.js';
import { type SwimState, swimView } from '../swim/index.js';

export { NO_SHARED, type Shared, onBackendsOf, onLbGone, onSwimNotifications, shareOutputs, sharedRoutable } from '../../spec/hybrid-shared.js';

/** The other load balancers this SWIM table holds alive. */
export function liveLoadBalancers(swim: SwimState): NodeId[] {
  return liveIn(swimView(swim));
}
