/**
 * Service discovery over a SWIM node's table: who is a member, and which backends a proxy should
 * route to. Reads the core's state; never changes it.
 */
import type { NodeInfo, NodeType } from '../../spec/node.js';
import type { HealthSummary, SwimStatus } from '../../spec/swim.js';
import { allMembers, getMember } from './membership.js';
import type { SwimState } from './state.js';

export interface SwimMember {
  readonly id: string;
  readonly status: SwimStatus;
  readonly incarnation: number;
  readonly info: NodeInfo;
  readonly health: HealthSummary;
}

/** Every member this node holds, itself included, sorted by id. */
export function members(state: SwimState): SwimMember[] {
  return allMembers(state.table).map((m) => ({ id: m.id, status: m.status, incarnation: m.incarnation, info: m.info, health: m.health }));
}

/** The rule healthyBackends applies to one member (alive, of the type, ready). */
function fitForTraffic(m: { readonly status: SwimStatus; readonly info: NodeInfo; readonly health: HealthSummary }, nodeType: NodeType): boolean {
  return m.status === 'alive' && m.info.nodeType === nodeType && m.health.ready;
}

/** Whether healthyBackends(state, nodeType) includes member `id`, in O(1). */
export function routesTo(state: SwimState, id: string, nodeType: NodeType = 'backend'): boolean {
  const m = getMember(state.table, id);
  return m !== undefined && fitForTraffic(m, nodeType);
}

/**
 * Members of `nodeType` fit to take traffic: alive (a suspect may be down, so it gets no new
 * requests until it refutes), advertising ready, least-loaded first, then by id for a stable order.
 */
export function healthyBackends(state: SwimState, nodeType: NodeType = 'backend'): NodeInfo[] {
  return members(state)
    .filter((m) => fitForTraffic(m, nodeType))
    .sort((a, b) => a.health.loadBucket - b.health.loadBucket || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => m.info);
}
