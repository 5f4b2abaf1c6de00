/**
 * Variant `hybrid-shared` (ours, not Inferno's): each load balancer tells every live load balancer
 * (as its SWIM table shows them) the backends it routes to, whole, on every change and every share
 * interval; a load balancer SWIM declares failed or left takes its list with it. Reason: in Inferno's
 * hybrid a load balancer knows only its own backends (swim.rs: "Load balancers only know metrics of
 * backends registered to them"), so no load balancer but one ever routes to a backend; this variant
 * asks what it costs for every load balancer to route to every backend.
 *
 * The rules live here, in spec/, because the hybrid core (impl/hybrid) and the hybrid model
 * (model/hybrid) both follow them: each reads its own SWIM table only through its View.
 */
import type { NodeId, NodeInfo } from './node.js';
import type { HybridMessage } from './hybrid.js';
import type { Notification, Output } from './step.js';
import type { View } from './view.js';
import { type Registry, routable } from './inferno-registry.js';

/** Backend lists by the load balancer that sent them. */
export type Shared = Readonly<Record<NodeId, readonly NodeInfo[]>>;

export const NO_SHARED: Shared = Object.freeze({});

type Out = Output<HybridMessage>;

/** The other load balancers a SWIM View holds alive, by id (a suspect may be down: it gets the list at the next push). */
export function liveLoadBalancers(swim: View): NodeId[] {
  return Object.keys(swim.members)
    .sort()
    .filter((id) => id !== swim.self && swim.members[id].status === 'alive' && swim.members[id].info.nodeType === 'proxy');
}

/** The own list to every live load balancer. */
export function shareOutputs(self: NodeId, registry: Registry, to: readonly NodeId[]): Out[] {
  if (to.length === 0) return [];
  const backends = routable(registry);
  return to.map((lb) => ({ type: 'send', to: lb, message: { kind: 'backendsOf', lb: self, backends } }));
}

function sameIds(a: readonly NodeInfo[], b: readonly NodeInfo[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i] || (x.id === b[i].id && x.lastUpdated === b[i].lastUpdated));
}

/** A list from `lb` replaces the one held; `joined`/`removed` say what changed for routing. */
export function onBackendsOf(shared: Shared, lb: NodeId, backends: readonly NodeInfo[], out: Out[]): Shared {
  const had = shared[lb] ?? [];
  if (sameIds(had, backends)) return shared;
  const before = new Set(had.map((b) => b.id));
  const after = new Set(backends.map((b) => b.id));
  for (const b of backends) if (!before.has(b.id)) out.push({ type: 'notify', event: { kind: 'joined', member: b.id, info: b } });
  for (const b of had) if (!after.has(b.id)) out.push({ type: 'notify', event: { kind: 'removed', member: b.id, reason: `no longer routed by ${lb}` } });
  return { ...shared, [lb]: backends };
}

/** SWIM declared `lb` failed or left: the backends it routed to are no longer known through it. */
export function onLbGone(shared: Shared, lb: NodeId, out: Out[]): Shared {
  const had = shared[lb];
  if (had === undefined) return shared;
  for (const b of had) out.push({ type: 'notify', event: { kind: 'removed', member: b.id, reason: `its load balancer ${lb} is gone` } });
  const { [lb]: _gone, ...rest } = shared;
  return rest;
}

/**
 * What SWIM's notifications of one step mean for the variant, in their order: a load balancer failed
 * or left takes its list with it; one newly joined gets this one's list at once, not at the next
 * periodic push. Appends to `out`, after SWIM's own outputs.
 */
export function onSwimNotifications(shared: Shared, self: NodeId, registry: Registry, swimOutputs: readonly Output<unknown>[], out: Out[]): Shared {
  let next = shared;
  for (const o of swimOutputs) {
    if (o.type !== 'notify') continue;
    const e: Notification = o.event;
    if (e.kind === 'failed' || e.kind === 'left') next = onLbGone(next, e.member, out);
    else if (e.kind === 'joined') out.push({ type: 'send', to: e.member, message: { kind: 'backendsOf', lb: self, backends: routable(registry) } });
  }
  return next;
}

/** Every backend this load balancer routes to: its own, then those other live load balancers route to, by id. */
export function sharedRoutable(registry: Registry, shared: Shared): NodeInfo[] {
  const all = new Map<NodeId, NodeInfo>();
  for (const list of Object.values(shared)) for (const b of list) all.set(b.id, b);
  for (const b of routable(registry)) all.set(b.id, b);
  return [...all.keys()].sort().map((id) => all.get(id) as NodeInfo);
}
