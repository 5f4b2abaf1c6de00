/**
 * `npm run bench:sim-cost`: how the simulator's cost grows with N, without and with datagram loss
 * (issue 16 §2). Runs SWIM's converged-start scenarios through `runBench` (the same runs `alice
 * bench` makes), then splits each run's CPU into messages delivered per node per simulated second
 * (the protocol's volume) and CPU per delivered message (our code's price), prints the table with
 * log–log growth exponents and each scenario's ratio to the no-loss one, and writes the results
 * file and a log–log chart.
 *
 * Options: --sizes 10,100,1000,10000  --scenarios warm-loss-0,warm-loss-10  --max-run-seconds 300
 *          --out out/sim-cost.json  --chart out/sim-cost-vs-n.svg
 * An aborted run (its budget ran out) is kept: its rates cover the part it simulated, and the table
 * says so. Not part of `npm test`.
 */
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../cli/files.js';
import { type CostGrowth, costGrowth } from '../experiment/cost-growth.js';
import { runBench } from '../experiment/bench.js';
import { lineChart } from '../experiment/svg-chart.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = 'warm-loss-0';

function fail(message: string): never {
  process.stderr.write(`bench:sim-cost: ${message}\n`);
  process.exit(2);
}

function options() {
  try {
    const { values } = parseArgs({
      options: {
        sizes: { type: 'string', default: '10,100,1000,10000' },
        scenarios: { type: 'string', default: `${BASELINE},warm-loss-10` },
        'max-run-seconds': { type: 'string', default: '300' },
        out: { type: 'string', default: 'out/sim-cost.json' },
        chart: { type: 'string', default: 'out/sim-cost-vs-n.svg' },
      },
      strict: true,
    });
    const sizes = values.sizes.split(',').map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 2)) fail(`--sizes takes whole numbers ≥ 2, comma-separated; got '${values.sizes}'`);
    const budget = Number(values['max-run-seconds']);
    if (!(budget > 0)) fail(`--max-run-seconds takes a positive number; got '${values['max-run-seconds']}'`);
    const scenarios = values.scenarios.split(',');
    if (!scenarios.includes(BASELINE)) fail(`--scenarios must include ${BASELINE}, the baseline the ratios divide by`);
    return { sizes, scenarios, budget, out: values.out, chart: values.chart };
  } catch (e) {
    return fail((e as Error).message);
  }
}

const fmt = (x: number | null): string => (x === null ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: 2 }));

function table(g: CostGrowth): string {
  const lines = [
    '| scenario | N | status | simulated s | wall s | CPU µs / node / sim s | delivered / node / sim s | CPU µs / delivered | peak RSS |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of g.scenarios) {
    for (const r of s.rows) {
      const status = r.status === 'ok' ? 'ok' : `aborted (${r.abort ?? 'budget'}; rates over the part simulated)`;
      const rss = r.peakRssBytes === null ? '–' : `${(r.peakRssBytes / 1e9).toFixed(2)} GB`;
      lines.push(`| ${s.scenario} | ${fmt(r.n)} | ${status} | ${fmt(r.simulatedS)} | ${fmt(r.wallS)} | ${fmt(r.cpuMicrosPerNodeSimS)} | ${fmt(r.deliveredPerNodeSimS)} | ${fmt(r.cpuMicrosPerDelivered)} | ${rss} |`);
    }
  }
  lines.push('', '| scenario | exponent of CPU / node / sim s in N | of delivered / node / sim s | of CPU / delivered |', '|---|---:|---:|---:|');
  for (const s of g.scenarios) lines.push(`| ${s.scenario} | ${fmt(s.perNodeCostExponent)} | ${fmt(s.perNodeMessagesExponent)} | ${fmt(s.perMessageCostExponent)} |`);
  lines.push('', `| scenario | N | CPU / node / sim s over ${BASELINE} | delivered / node / sim s over ${BASELINE} |`, '|---|---:|---:|---:|');
  for (const r of g.ratios) lines.push(`| ${r.scenario} | ${fmt(r.n)} | ${fmt(r.cost)}× | ${fmt(r.messages)}× |`);
  return lines.join('\n');
}

const o = options();
const say = (s: string) => process.stdout.write(`${s}\n`);
say(`bench:sim-cost: swim ${o.scenarios.join(', ')} at N = ${o.sizes.join(', ')}, ${o.budget} s per run; load before ${loadavg()[0].toFixed(2)}`);
const results = runBench({
  protocols: ['swim'],
  sizes: o.sizes,
  scenarios: o.scenarios,
  seed: 1,
  run: { maxWallMs: o.budget * 1000 },
  command: `npm run bench:sim-cost -- ${process.argv.slice(2).join(' ')}`.trim(),
  root: ROOT,
  progress: say,
});
const growth = costGrowth(results.runs, BASELINE);
writeFileAtomic(o.out, `${JSON.stringify({ ...results, growth }, null, 1)}\n`);
writeFileAtomic(o.chart, lineChart({
  title: 'SWIM simulation: CPU per node per simulated second',
  xLabel: 'nodes (N)',
  yLabel: 'CPU µs per node per sim s',
  logX: true,
  logY: true,
  series: growth.scenarios.map((s) => ({ name: s.scenario, points: s.rows.map((r) => [r.n, r.cpuMicrosPerNodeSimS] as const) })),
}));
say('');
say(table(growth));
say('');
say(`commit ${results.commit ?? 'unknown'}${results.dirty ? ' (dirty tree)' : ''}; load after ${loadavg()[0].toFixed(2)}; results ${o.out}, chart ${o.chart}`);
