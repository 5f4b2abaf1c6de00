/**
 * `npm run bench`: resolveConsensus at Inferno's two reference sizes. Responses hold every node, with
 * one entry in ten disagreeing (another address, an older timestamp), so conflicts and majority
 * selection are exercised as in a cluster after an update.
 */
import { type PeerInfo, resolveConsensus } from '../index.js';
import { median, sampleMicros } from './stats.js';

function responses(r: number, nodes: number): PeerInfo[][] {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: r }, () =>
    Array.from({ length: nodes }, (_, i): PeerInfo => {
      const stale = rand() < 0.1;
      return {
        id: `node-${i}`,
        address: stale ? `10.1.${i >> 8}.${i & 255}:3000` : `10.0.${i >> 8}.${i & 255}:3000`,
        metricsPort: 9090,
        nodeType: i % 10 === 0 ? 'proxy' : 'backend',
        isLoadBalancer: i % 10 === 0,
        lastUpdated: (1_700_000_000 - (stale ? 60 : 0)) * 1000,
      };
    }),
  );
}

const cases = [
  { name: '10 responses × 10 nodes', r: 10, n: 10, samples: 31, batch: 2_000, targetMicros: 20 },
  { name: '100 responses × 1000 nodes', r: 100, n: 1000, samples: 15, batch: 3, targetMicros: 25_000 },
];

console.log(`resolveConsensus, node ${process.version}, median of samples (per call)`);
for (const c of cases) {
  const input = responses(c.r, c.n);
  const times = sampleMicros(() => resolveConsensus(input), c.samples, c.batch);
  const m = median(times);
  const shown = m >= 1000 ? `${(m / 1000).toFixed(2)} ms` : `${m.toFixed(2)} µs`;
  const target = c.targetMicros >= 1000 ? `${c.targetMicros / 1000} ms` : `${c.targetMicros} µs`;
  console.log(`  ${c.name.padEnd(28)} median ${shown.padStart(10)}   target ≤ ${target}   ${m <= c.targetMicros ? 'met' : 'MISSED'}   (min ${Math.min(...times).toFixed(2)} µs, max ${Math.max(...times).toFixed(2)} µs, ${c.samples} samples)`);
}
