/**
 * `npm run bench:checker`: exploration speed and memory of the checker on
 *  (a) the majority model, 3 nodes, crash and update faults (budget 2), breadth-first, on one
 *      thread and on 2 worker threads (the parallel target is on this model), and
 *  (b) the synthetic model of 7 independent counters mod 10 (exactly 10^7 reachable states),
 *      on one thread and on 2 worker threads (the speed-up is the ratio of the two medians),
 * reporting distinct and generated states per second and bytes per visited state, and the load
 * average (the machine is shared: quote figures with it). Each case runs three times; medians are
 * printed. Pass --full to explore all 10^7 states of (b) once per case; by default (b) stops at
 * 2,000,000 states so the script finishes in minutes on a shared 2-core machine.
 * Pass --workers N to compare N workers instead of 2.
 * Partial-order reduction (--por): (c) the majority case (a) on its safety property alone, and
 * (d) the relay pipeline example with 9 items (3^9 states in full), each without and with POR.
 */
import { loadavg } from 'node:os';
import { type FaultKind, check, checkParallel } from '../checker/index.js';
import { countersProtocol } from '../model/counters/index.js';
import { majorityProtocol } from '../model/majority/index.js';
import { relayPipeline } from '../examples/relay/model.js';
import { median } from './stats.js';

const full = process.argv.includes('--full');
const at = process.argv.indexOf('--workers');
const workers = at >= 0 ? Number(process.argv[at + 1]) : 2;
const runs = full ? 1 : 3;
const countersSource = { module: new URL('../model/counters/index.ts', import.meta.url).href, exportName: 'countersProtocol', args: [10] };
const countersOptions = { nodes: 7, faults: [], maxDepth: 100, maxStates: full ? 0 : 2_000_000, timeLimitSec: 0 };
const majoritySource = { module: new URL('../model/majority/index.ts', import.meta.url).href, exportName: 'majorityProtocol' };
const majorityOptions = { nodes: 3, faults: ['crash', 'update'] as FaultKind[], faultBudget: 2, maxDepth: 7, maxStates: 0, timeLimitSec: 0, properties: ['selfSovereignty', 'agreement'] };
const countersName = `(b) 7 counters mod 10${full ? ' (all 10^7 states)' : ', first 2,000,000 states'}`;

interface Case {
  name: string;
  run: () => ReturnType<typeof check>;
}

const cases: Case[] = [
  { name: '(a) majority, 3 nodes, crash+update, budget 2, depth ≤ 7, one thread', run: () => check(majorityProtocol, majorityOptions) },
  { name: `(a) majority, 3 nodes, crash+update, budget 2, depth ≤ 7, ${workers} workers`, run: () => checkParallel(majorityProtocol, majoritySource, { ...majorityOptions, workers }) },
  { name: `${countersName}, one thread`, run: () => check(countersProtocol(10), countersOptions) },
  { name: `${countersName}, ${workers} workers`, run: () => checkParallel(countersProtocol(10), countersSource, { ...countersOptions, workers }) },
  ...[false, true].map((por) => ({
    name: `(c) majority as (a), selfSovereignty only, ${por ? 'with' : 'without'} --por`,
    run: () => check(majorityProtocol, { ...majorityOptions, properties: ['selfSovereignty'], por }),
  })),
  ...[false, true].map((por) => ({ name: `(d) relay pipeline, 9 items, ${por ? 'with' : 'without'} --por`, run: () => check(relayPipeline(9), { maxStates: 0, timeLimitSec: 0, por }) })),
];

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`checker benchmark, node ${process.version}, ${runs} run(s) each (median); load average at start ${load()}`);
const perSec: number[] = [];
const distinct: number[] = [];
const wall: number[] = [];
const cpuPerState: number[] = [];
for (const c of cases) {
  // CPU time of the whole process (every thread): on a busy machine the wall-clock speed-up of workers
  // says little, while CPU seconds per state show what the parallel search costs in extra work.
  const cpu: number[] = [];
  const results = Array.from({ length: runs }, () => {
    const before = process.cpuUsage();
    const r = c.run();
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1e6);
    return r;
  });
  const s = results.map((r) => r.stats);
  const m = (f: (x: (typeof s)[number]) => number) => median(s.map(f));
  perSec.push(m((x) => x.distinctPerSec));
  distinct.push(s[0].distinct);
  wall.push(m((x) => x.seconds));
  cpuPerState.push(median(cpu) / Math.max(s[0].distinct, 1));
  console.log(`  ${c.name}`);
  console.log(
    `    ${s[0].distinct.toLocaleString('en')} distinct, ${s[0].generated.toLocaleString('en')} generated (${s[0].stoppedBy}); ` +
      `median ${Math.round(m((x) => x.distinctPerSec)).toLocaleString('en')} distinct/s, ${Math.round(m((x) => x.generatedPerSec)).toLocaleString('en')} generated/s, ` +
      `${m((x) => x.seconds).toFixed(1)} s wall, ${median(cpu).toFixed(1)} s CPU (${((median(cpu) / s[0].distinct) * 1e6).toFixed(2)} µs CPU/state)`,
  );
  console.log(
    `    visited set ${m((x) => x.bytesPerState).toFixed(1)} B/state (target ≤ 16), trace pointers ${m((x) => x.traceBytesPerState).toFixed(1)} B/state, ` +
      `memo hit rate ${(m((x) => x.memoHitRate) * 100).toFixed(2)}%, ${s[0].localStates} local states; load average now ${load()}`,
  );
  const p = s[0].por;
  if (p) console.log(`    POR: ample set in ${p.ample.toLocaleString('en')} of ${p.expanded.toLocaleString('en')} expanded states; in full: ${JSON.stringify(p.fallbacks)}`);
}
/** The position of the first case of a group, e.g. '(c)': the ratios below pair it with the next. */
const first = (group: string): number => cases.findIndex((c) => c.name.startsWith(group));
// The ratio of `workers` workers to one thread, for the cases at `one` and `one + 1`.
const speedUp = (label: string, one: number) => {
  console.log(`  ${label} speed-up on ${workers} workers: ${(perSec[one + 1] / perSec[one]).toFixed(2)}× wall clock (ratio of the medians above, worker start-up included)`);
  const cpu = cpuPerState[one + 1] / cpuPerState[one];
  console.log(`      CPU per state on ${workers} workers is ${cpu.toFixed(2)}× one thread's: with ${workers} free cores the speed-up would be about ${(workers / cpu).toFixed(2)}×`);
};
speedUp('(a) majority', first('(a)'));
speedUp('(b) counters', first('(b)'));
console.log(`  target on (a): ≥ 1.70× on ${workers} workers with 2 free cores`);
for (const [label, at] of [['(c) majority', first('(c)')], ['(d) relay', first('(d)')]] as const) {
  console.log(`  ${label} with --por: ${distinct[at + 1].toLocaleString('en')} states for ${distinct[at].toLocaleString('en')} (${(distinct[at] / distinct[at + 1]).toFixed(2)}× fewer), ${wall[at + 1].toFixed(2)} s for ${wall[at].toFixed(2)} s wall`);
}
console.log('  targets on (b): ≥ 500,000 distinct states/s on one core; SPIN 6.5 does 470,000–860,000 states/s there');
