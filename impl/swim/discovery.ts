/**
 * Service discovery over a SWIM node's table: who is a member, and which backends a proxy should
 * route to. Reads the core's state; never changes it.
 */
import type { NodeInfo, NodeType } from '../../spec/node.js';
import type { HealthSummary, SwimStatus } from '../../spec/swim.js';
import { allMembers } from './membership.js';
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

/**
 * Members of `nodeType` fit to take traffic: alive (a suspect may be down, so it gets no new
 * requests until it refutes), advertising ready, least-loaded first, then by id for a stable order.
 */
export function healthyBackends(state: SwimState, nodeType: NodeType = 'backend'): NodeInfo[] {
  return members(state)
    .filter((m) => m.status === 'alive' && m.info.nodeType === nodeType && m.health.ready)
    .sort((a, b) => a.health.loadBucket - b.health.loadBucket || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => m.info);
}
