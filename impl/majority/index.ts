import { clusterIds, type ProtocolDefinition, type ClusterOptions } from '../../spec/protocol.js';
import type { MajorityConfig, MajorityMessage } from '../../spec/majority.js';
import { makeNodeInfo, type NodeType } from '../../spec/node.js';
import type { NodeSetup } from '../../spec/step.js';
import { SHARED_PROPERTIES, orderIndependence } from '../../spec/properties.js';
import { MAJORITY_DEFAULTS } from './config.js';
import { type MajorityState, majorityNode } from './node.js';
import { resolvePeers } from './resolver.js';

export * from './resolver.js';
export * from './config.js';
export * from './node.js';

/** n1 is a proxy (the load balancer), the rest backends; every node registers with every other. */
export function majorityCluster(n: number, config: MajorityConfig = MAJORITY_DEFAULTS, options: ClusterOptions = {}): NodeSetup<MajorityConfig>[] {
  const ids = clusterIds(n);
  const now = options.now ?? 0;
  return ids.map((id, i) => {
    const type: NodeType = i === 0 ? 'proxy' : 'backend';
    return {
      id,
      info: makeNodeInfo(id, `10.0.0.${i + 1}:8080`, 9090, type, now),
      seeds: ids.filter((s) => s !== id),
      now,
      rngSeed: (options.seed ?? 1) + i,
      config,
    };
  });
}

export const majorityImplProtocol: ProtocolDefinition<MajorityState, MajorityMessage, MajorityConfig> = {
  name: 'majority',
  behaviour: majorityNode,
  properties: [...SHARED_PROPERTIES, orderIndependence(resolvePeers)],
  cluster: (n, options) => majorityCluster(n, MAJORITY_DEFAULTS, options),
  updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
};
