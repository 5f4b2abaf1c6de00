/**
 * The hybrid core as a library and as the simulator takes it (`hybridImplProtocol`).
 */
import type { NodeInfo } from '../../spec/node.js';
import type { ClusterOptions, ProtocolDefinition } from '../../spec/protocol.js';
import { noRegression, selfSovereignty } from '../../spec/properties.js';
import type { NodeSetup } from '../../spec/step.js';
import { type HybridMessage, type HybridTopology, hybridSetups, smallTopology } from '../../spec/hybrid.js';
import { routable } from '../../spec/inferno-registry.js';
import { HYBRID_DEFAULTS, HYBRID_SHARED, type HybridCoreConfig, validateHybridConfig } from './config.js';
import { type HybridState, hybridNode } from './core.js';
import { sharedRoutable } from './shared.js';

export { type HybridTopology, smallTopology } from '../../spec/hybrid.js';
export { HYBRID_DEFAULTS, HYBRID_SHARED, HYBRID_WITH_LIBRARY_HEALTH, type HybridCoreConfig, validateHybridConfig } from './config.js';
export { type HybridState, type LbPart, encodeHybridState, hybridNode, hybridView } from './core.js';

/**
 * The properties a hybrid cluster is judged by: the safety ones. agreement, completeness, accuracy
 * and freshness ask every node to hold every member, which the design rules out on purpose (a backend
 * holds no one, a load balancer only its own backends).
 */
export const HYBRID_PROPERTIES = [selfSovereignty, noRegression];

/** Hybrid cluster setups (spec/hybrid.ts), the config checked first. */
export function hybridCluster(n: number, topology: HybridTopology, config: HybridCoreConfig = HYBRID_DEFAULTS, options: ClusterOptions = {}): NodeSetup<HybridCoreConfig>[] {
  return hybridSetups(n, topology, validateHybridConfig(config), options);
}

/** The backends a load balancer routes to: its own (baseline), or every live LB's (variant shared). */
export function healthyBackends(state: HybridState): NodeInfo[] {
  if (!state.lb || state.phase !== 'running') return [];
  return state.setup.config.variant === 'shared' ? sharedRoutable(state.lb.registry, state.lb.shared) : routable(state.lb.registry);
}

function definition(name: string, config: HybridCoreConfig): ProtocolDefinition<HybridState, HybridMessage, HybridCoreConfig> {
  return {
    name,
    behaviour: hybridNode,
    properties: HYBRID_PROPERTIES,
    cluster: (n, options) => hybridCluster(n, smallTopology(n), config, options),
    updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
  };
}

export const hybridImplProtocol = definition('hybrid', HYBRID_DEFAULTS);
export const hybridSharedImplProtocol = definition('hybrid-shared', HYBRID_SHARED);
