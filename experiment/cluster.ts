/**
 * The simulated cluster's setups. Same layout as spec/protocol.ts's standardCluster (n1 the proxy, the
 * rest backends, ids n1..nN, distinct addresses), but every node lists only the first `seedCount`
 * nodes as seeds: a deployment names a few stable seeds, and listing every node would cost N² seed
 * entries (10⁸ at 10,000 nodes) before the first message.
 */
import { type NodeType, makeNodeInfo } from '../spec/node.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { NodeSetup } from '../spec/step.js';

export function simCluster<S, M, Cfg>(definition: ProtocolDefinition<S, M, Cfg>, n: number, seedCount: number, seed: number): NodeSetup<Cfg>[] {
  // The protocol's own cluster() supplies its default config; a 2-node cluster is enough to read it.
  const config = definition.cluster(2, { seed })[0].config;
  const seeds = Array.from({ length: Math.min(seedCount, n) }, (_, i) => `n${i + 1}`);
  const setups: NodeSetup<Cfg>[] = [];
  for (let i = 0; i < n; i++) {
    const id = `n${i + 1}`;
    const type: NodeType = i === 0 ? 'proxy' : 'backend';
    setups.push({
      id,
      info: makeNodeInfo(id, `10.0.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}:8080`, 9090, type, 0),
      seeds: seeds.filter((s) => s !== id),
      now: 0,
      rngSeed: seed * 100_003 + i,
      config,
    });
  }
  return setups;
}
