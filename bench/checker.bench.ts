/**
 * `npm run bench:checker`: exploration speed and memory of the checker on
 *  (a) the majority model, 3 nodes, crash and update faults (budget 2), breadth-first, and
 *  (b) the synthetic model of 7 independent counters mod 10 (exactly 10^7 reachable states),
 * reporting distinct and generated states per second and bytes per visited state. Each case runs
 * three times; medians are printed. Pass --full to explore all 10^7 states of (b); by default (b)
 * stops at 2,000,000 states so the script finishes in minutes on a shared 2-core machine.
 */
import { check } from '../checker/index.js';
import { countersProtocol } from '../model/counters/index.js';
import { majorityProtocol } from '../model/majority/index.js';
import { median } from './stats.js';

const full = process.argv.includes('--full');
const runs = 3;

interface Case {
  name: string;
  run: () => ReturnType<typeof check>;
}

const cases: Case[] = [
  {
    name: '(a) majority, 3 nodes, crash+update, budget 2, depth ≤ 7',
    run: () => check(majorityProtocol, { nodes: 3, faults: ['crash', 'update'], faultBudget: 2, maxDepth: 7, maxStates: 0, timeLimitSec: 0, properties: ['selfSovereignty', 'agreement'] }),
  },
  {
    name: `(b) 7 counters mod 10${full ? ' (all 10^7 states)' : ', first 2,000,000 states'}`,
    run: () => check(countersProtocol(10), { nodes: 7, faults: [], maxDepth: 100, maxStates: full ? 0 : 2_000_000, timeLimitSec: 0 }),
  },
];

console.log(`checker benchmark, node ${process.version}, one core, ${runs} runs each (median)`);
for (const c of cases) {
  const results = Array.from({ length: runs }, () => c.run());
  const s = results.map((r) => r.stats);
  const m = (f: (x: (typeof s)[number]) => number) => median(s.map(f));
  console.log(`  ${c.name}`);
  console.log(
    `    ${s[0].distinct.toLocaleString('en')} distinct, ${s[0].generated.toLocaleString('en')} generated (${s[0].stoppedBy}); ` +
      `median ${Math.round(m((x) => x.distinctPerSec)).toLocaleString('en')} distinct/s, ${Math.round(m((x) => x.generatedPerSec)).toLocaleString('en')} generated/s, ` +
      `${m((x) => x.seconds).toFixed(1)} s`,
  );
  console.log(
    `    visited set ${m((x) => x.bytesPerState).toFixed(1)} B/state (target ≤ 16), trace pointers ${m((x) => x.traceBytesPerState).toFixed(1)} B/state, ` +
      `memo hit rate ${(m((x) => x.memoHitRate) * 100).toFixed(2)}%, ${s[0].localStates} local states`,
  );
}
console.log('  targets on (b): ≥ 500,000 distinct states/s on one core; SPIN 6.5 does 470,000–860,000 states/s there');
