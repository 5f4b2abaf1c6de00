import { type ClusterOptions, type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import type { MajorityConfig, MajorityMessage } from '../../spec/majority.js';
import type { NodeSetup } from '../../spec/step.js';
import { SHARED_PROPERTIES, orderIndependence } from '../../spec/properties.js';
import { MAJORITY_HARDENED_DEFAULTS, resolveNewest } from '../../spec/majority-hardened.js';
import { MAJORITY_DEFAULTS } from './config.js';
import { type MajorityState, majorityNode } from './node.js';
import { resolvePeers } from './resolver.js';

export * from './resolver.js';
export * from './config.js';
export * from './node.js';

export function majorityCluster(n: number, config: MajorityConfig = MAJORITY_DEFAULTS, options: ClusterOptions = {}): NodeSetup<MajorityConfig>[] {
  return standardCluster(n, config, options);
}

export const majorityImplProtocol: ProtocolDefinition<MajorityState, MajorityMessage, MajorityConfig> = {
  name: 'majority',
  behaviour: majorityNode,
  properties: [...SHARED_PROPERTIES, orderIndependence(resolvePeers)],
  cluster: (n, options) => majorityCluster(n, MAJORITY_DEFAULTS, options),
  updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
};

/** The majority-hardened variant (spec/majority-hardened.ts): the same core with versioned records on. */
export const majorityHardenedImplProtocol: ProtocolDefinition<MajorityState, MajorityMessage, MajorityConfig> = {
  ...majorityImplProtocol,
  name: 'majority-hardened',
  properties: [...SHARED_PROPERTIES, orderIndependence(resolveNewest)],
  cluster: (n, options) => majorityCluster(n, MAJORITY_HARDENED_DEFAULTS, options),
};
