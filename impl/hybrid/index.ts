/**
 * The hybrid core as a library and as the simulator takes it (`hybridImplProtocol`).
 */
import { type NodeType, type NodeInfo, makeNodeInfo } from '../../spec/node.js';
import type { ClusterOptions, ProtocolDefinition } from '../../spec/protocol.js';
import { noRegression, selfSovereignty } from '../../spec/properties.js';
import type { NodeSetup } from '../../spec/step.js';
import type { HybridMessage } from '../../spec/hybrid.js';
import { ConfigError } from '../../spec/errors.js';
import { routable } from '../inferno/registration.js';
import { HYBRID_DEFAULTS, HYBRID_SHARED, type HybridCoreConfig, validateHybridConfig } from './config.js';
import { type HybridState, hybridNode } from './core.js';
import { sharedRoutable } from './shared.js';

export { HYBRID_DEFAULTS, HYBRID_SHARED, type HybridCoreConfig, validateHybridConfig } from './config.js';
export { type HybridRole, type HybridState, type LbPart, encodeHybridState, hybridNode, hybridView, roleOf } from './core.js';

/**
 * The properties a hybrid cluster is judged by: the safety ones. agreement, completeness, accuracy
 * and freshness ask every node to hold every member, which the design rules out on purpose (a backend
 * holds no one, a load balancer only its own backends).
 */
export const HYBRID_PROPERTIES = [selfSovereignty, noRegression];

export interface HybridTopology {
  readonly loadBalancers: number;
  readonly governators: number;
}

/**
 * Setups of a hybrid cluster: ids n1..nN, load balancers first, then the governators, then backends
 * (the experiment's topology order). Backend b (0-based among backends) registers with load balancer
 * b mod L: "the nearest" in Inferno's words, by index here, so each LB gets an even share. Load
 * balancers join SWIM through n1, as operators run SWIM with one seed.
 */
export function hybridCluster(n: number, topology: HybridTopology, config: HybridCoreConfig = HYBRID_DEFAULTS, options: ClusterOptions = {}): NodeSetup<HybridCoreConfig>[] {
  const { loadBalancers: L, governators: G } = topology;
  if (!Number.isInteger(L) || L < 1) throw new ConfigError('loadBalancers', `must be a whole number ≥ 1, got ${String(L)}`);
  if (!Number.isInteger(G) || G < 0 || L + G > n) throw new ConfigError('governators', `must be a whole number ≥ 0 with loadBalancers + governators ≤ n (${n}), got ${String(G)}`);
  validateHybridConfig(config);
  const now = options.now ?? 0;
  return Array.from({ length: n }, (_, i) => {
    const id = `n${i + 1}`;
    const type: NodeType = i < L ? 'proxy' : i < L + G ? 'governator' : 'backend';
    const info = makeNodeInfo(id, `10.0.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}:8080`, 9090, type, now);
    const seeds = type === 'proxy' ? (i === 0 ? [] : ['n1']) : type === 'backend' ? [`n${((i - L - G) % L) + 1}`] : [];
    return { id, info, seeds, now, rngSeed: (options.seed ?? 1) + i, config };
  });
}

/**
 * The topology of a small cluster (checker, conformance, tests): half the nodes load balancers, at
 * least one, so two or more of them run SWIM from 4 nodes on; no governator (it takes no part).
 */
export function smallTopology(n: number): HybridTopology {
  return { loadBalancers: Math.max(1, Math.floor(n / 2)), governators: 0 };
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
