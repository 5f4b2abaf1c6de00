/**
 * The SWIM protocol core as a library and as the simulator takes it (`swimImplProtocol`).
 */
import { type ClusterOptions, type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import { SHARED_PROPERTIES } from '../../spec/properties.js';
import type { NodeSetup } from '../../spec/step.js';
import type { SwimMessage } from '../../spec/swim.js';
import { SWIM_PROPERTIES } from '../../spec/swim-properties.js';
import { SWIM_LAN, type SwimCoreConfig } from './config.js';
import { type SwimState, swimNode } from './core.js';

export { SWIM_LAN, SWIM_LOCAL, SWIM_PRESETS, SWIM_WAN, type SwimCoreConfig, validateSwimConfig } from './config.js';
export { swimNode, swimView, encodeSwimState, type SwimState } from './core.js';
export { healthyBackends, members, routesTo, type SwimMember } from './discovery.js';
export { estimateSize as estimateUpdateSize } from './broadcast-queue.js';
export { type MemberSnapshot, SnapshotError, memberSnapshot, swimInitFromSnapshot } from './snapshot.js';

/**
 * An n-node cluster n1..nN that joins through n1 (n1 starts it): one seed, as operators run SWIM,
 * and no O(n²) join traffic when the simulator starts 10,000 nodes.
 */
export function swimCluster(n: number, config: SwimCoreConfig = SWIM_LAN, options: ClusterOptions = {}): NodeSetup<SwimCoreConfig>[] {
  return standardCluster(n, config, options).map((s, i) => ({ ...s, seeds: i === 0 ? [] : ['n1'] }));
}

export const swimImplProtocol: ProtocolDefinition<SwimState, SwimMessage, SwimCoreConfig> = {
  name: 'swim',
  behaviour: swimNode,
  properties: [...SHARED_PROPERTIES, ...SWIM_PROPERTIES],
  cluster: (n, options) => swimCluster(n, SWIM_LAN, options),
  updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
};

/** Names the test suite uses. */
export { swimNode as swimCore } from './core.js';
export { healthyBackends as swimHealthyBackends } from './discovery.js';
