/**
 * The simulated cluster's setups, on Inferno's topology (spec/topology.ts): load balancers first (type
 * proxy), then one governator, then backends, ids n1..nN in that order, distinct addresses. Every node
 * lists only the first `seedCount` nodes as seeds (the load balancers, at the default 3): a deployment
 * names a few stable seeds, and listing every node would cost N² seed entries (10⁸ at 10,000 nodes)
 * before the first message. A protocol whose nodes mean something else by their seeds lays out its
 * own cluster (SimProtocol.clusterSetups: the hybrid's backend lists its one load balancer).
 */
import { makeNodeInfo } from '../spec/node.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { NodeSetup } from '../spec/step.js';
import { roleAt, topologyFor } from '../spec/topology.js';
import type { SimProtocol } from './sim-protocol.js';

export function simCluster<S, M, Cfg>(definition: ProtocolDefinition<S, M, Cfg>, n: number, seedCount: number, seed: number): NodeSetup<Cfg>[] {
  // The protocol's own cluster() supplies its default config; a 2-node cluster is enough to read it.
  const config = definition.cluster(2, { seed })[0].config;
  const topology = topologyFor(n);
  const seeds = Array.from({ length: Math.min(seedCount, n) }, (_, i) => `n${i + 1}`);
  const setups: NodeSetup<Cfg>[] = [];
  for (let i = 0; i < n; i++) {
    const id = `n${i + 1}`;
    setups.push({
      id,
      info: makeNodeInfo(id, `10.0.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}:8080`, 9090, roleAt(topology, i), 0),
      seeds: seeds.filter((s) => s !== id),
      now: 0,
      rngSeed: seed * 100_003 + i,
      config,
    });
  }
  return setups;
}

/** The setups a run simulates: the protocol's own layout when it has one, else simCluster's. */
export function simSetups<S, M, Cfg>(protocol: SimProtocol<S, M, Cfg>, n: number, seedCount: number, seed: number): NodeSetup<Cfg>[] {
  return protocol.clusterSetups ? protocol.clusterSetups(n, seed) : simCluster(protocol.definition, n, seedCount, seed);
}
