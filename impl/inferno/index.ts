/**
 * The inferno-current core as a library and as the simulator and the conformance harness take it.
 */
import type { NodeInfo } from '../../spec/node.js';
import type { ClusterOptions, ProtocolDefinition } from '../../spec/protocol.js';
import { noRegression, selfSovereignty } from '../../spec/properties.js';
import type { NodeSetup } from '../../spec/step.js';
import { routable } from '../../spec/inferno-registry.js';
import { type InfernoConfig, type InfernoMessage, LIBRARY_HEALTH_LOOP, PROXY_HEALTH_LOOP, infernoSetups } from '../../spec/inferno.js';
import { type Topology, smallTopology } from '../../spec/topology.js';
import { type InfernoState, infernoNode } from './core.js';

export { INFERNO_REMOVAL, type InfernoLb, type InfernoState, encodeInfernoState, infernoNode, infernoView } from './core.js';
export { LIBRARY_HEALTH_LOOP, PROXY_HEALTH_LOOP, type InfernoConfig, validateInfernoConfig } from '../../spec/inferno.js';

/**
 * The properties an inferno-current cluster is judged by: the safety ones. Agreement, completeness
 * and freshness ask every node to hold every member; here a backend holds no one and a load balancer
 * only the backends registered with it, by design.
 */
export const INFERNO_PROPERTIES = [selfSovereignty, noRegression];

export function infernoCluster(n: number, layout: Pick<Topology, 'loadBalancers' | 'governators'>, config: InfernoConfig = PROXY_HEALTH_LOOP, options: ClusterOptions = {}): NodeSetup<InfernoConfig>[] {
  return infernoSetups(n, layout, config, options);
}

/** The backends a load balancer routes to: every one registered with it and not yet removed. */
export function infernoHealthyBackends(state: InfernoState): NodeInfo[] {
  return state.lb && state.phase === 'running' ? routable(state.lb.registry) : [];
}

function definition(name: string, config: InfernoConfig): ProtocolDefinition<InfernoState, InfernoMessage, InfernoConfig> {
  return {
    name,
    behaviour: infernoNode,
    properties: INFERNO_PROPERTIES,
    cluster: (n, options) => infernoCluster(n, smallTopology(n), config, options),
    updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
  };
}

export const infernoImplProtocol = definition('inferno-current', PROXY_HEALTH_LOOP);
export const infernoLibraryImplProtocol = definition('inferno-library-health', LIBRARY_HEALTH_LOOP);
