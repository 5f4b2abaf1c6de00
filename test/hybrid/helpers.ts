import type { NodeId } from '../../spec/node.js';
import type { HybridMessage } from '../../spec/hybrid.js';
import { HYBRID_DEFAULTS, type HybridCoreConfig, type HybridState, healthyBackends, hybridCluster, hybridNode } from '../../impl/hybrid/index.js';
import { isHttpMessage } from '../../spec/hybrid.js';
import { Sim } from '../swim/sim.js';

/** A hybrid cluster of n nodes with L load balancers (n1..nL) in the test network, 1 ms per message. */
export function cluster(n: number, loadBalancers: number, config: HybridCoreConfig = HYBRID_DEFAULTS, governators = 0): Sim<HybridState, HybridMessage, HybridCoreConfig> {
  return new Sim(hybridNode, hybridCluster(n, { loadBalancers, governators }, config));
}

export function routes(sim: Sim<HybridState, HybridMessage, HybridCoreConfig>, lb: NodeId): NodeId[] {
  return healthyBackends(sim.states.get(lb)!).map((b) => b.id);
}

export const swimSent = (sim: Sim<HybridState, HybridMessage, HybridCoreConfig>) => sim.sent.filter((s) => !isHttpMessage(s.message));
export const httpSent = (sim: Sim<HybridState, HybridMessage, HybridCoreConfig>) => sim.sent.filter((s) => isHttpMessage(s.message));

export const NOT_READY = { ready: false, requestsInProgress: 0, cpuUsage: 0, memoryUsage: 0, failedResponses: 0, connectedPeers: 0, backoffRequests: 0 } as const;
