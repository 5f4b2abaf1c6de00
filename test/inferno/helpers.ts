import type { NodeId } from '../../spec/node.js';
import type { InfernoMessage } from '../../spec/inferno.js';
import { type InfernoConfig, type InfernoState, PROXY_HEALTH_LOOP, infernoCluster, infernoHealthyBackends, infernoNode } from '../../impl/inferno/index.js';
import { Sim } from '../swim/sim.js';

export type InfernoSim = Sim<InfernoState, InfernoMessage, InfernoConfig>;

/** An inferno-current cluster of n nodes, L load balancers (n1..nL) first, 1 ms per message. */
export function cluster(n: number, loadBalancers: number, config: InfernoConfig = PROXY_HEALTH_LOOP, governators = 0, drop?: InfernoSim['drop']): InfernoSim {
  return new Sim(infernoNode, infernoCluster(n, { loadBalancers, governators }, config), 0, drop);
}

export function routes(sim: InfernoSim, lb: NodeId): NodeId[] {
  return infernoHealthyBackends(sim.states.get(lb)!).map((b) => b.id);
}

export const sentOf = (sim: InfernoSim, kind: InfernoMessage['kind']) => sim.sent.filter((s) => s.message.kind === kind);

export const NOT_READY = { ready: false, requestsInProgress: 0, cpuUsage: 0, memoryUsage: 0, failedResponses: 0, connectedPeers: 0, backoffRequests: 0 } as const;
