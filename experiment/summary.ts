/**
 * The summary tables `alice bench` prints when it finishes, one row per protocol and size: the
 * routing figures the rules judge (when the batch ran the routing scenarios), and the membership
 * figures of the older scenarios (when it ran those).
 */
import { type Cell, RunIndex, metricCell } from './facts/metrics.js';
import { judgeRuns } from './facts/runs.js';
import { type MetricId, OPTIONS, RULES, optionName } from './rules.js';
import type { ResultsFile } from './results.js';
import { bytes, coverage, detectionLast, findRun, ms, num, updateP99, watch } from './figures.js';
import { SCENARIO_GROUPS } from './scenarios.js';

export function summaryTable(results: ResultsFile): string {
  const tables = [routingTable(results), membershipTable(results)].filter((t): t is string => t !== null);
  return tables.length > 0 ? tables.join('\n') : membershipTable(results, true) ?? '';
}

/** The short headings of the routing rules' metrics, in the rules' order. */
const ROUTING_HEADS: Readonly<Partial<Record<MetricId, string>>> = {
  'routing-crash': 'backend crash',
  'routing-ready-false': 'ready: false',
  'routing-join': 'new backend',
  'lb-crash': 'LB crash',
  'false-removals': 'false removals',
  'false-removal-time': 'longest removal',
  'partition-heal': 'partition heal',
  'lb-traffic': 'LB B/s',
};

/** What the rules read, per option and size, as the report's tables show it; null: no routing runs. */
function routingTable(results: ResultsFile): string | null {
  const routing = new Set<string>(SCENARIO_GROUPS.routing.flatMap((s) => [s, `warm-${s}`]));
  if (!results.runs.some((r) => routing.has(r.scenario))) return null;
  const index = new RunIndex(judgeRuns([{ path: '', results }]));
  const rules = RULES.filter((r) => ROUTING_HEADS[r.metric] !== undefined);
  const head = ['option', 'N', ...rules.map((r) => `${r.id} ${ROUTING_HEADS[r.metric]}`)];
  const rows: string[][] = [head];
  for (const option of [...new Set(results.protocols.map(optionName))].sort((a, b) => rank(a) - rank(b))) {
    for (const n of results.sizes) {
      const cells = rules.map((r) => cellText(metricCell(index, option, r.metric, n), r.unit));
      if (cells.every((c) => c === '–')) continue;
      rows.push([option, String(n), ...cells]);
    }
  }
  return layout(rows, 2) + 'routing: the rules\' figures (experiment/rules.ts); "not evidence": a run stopped before its event or window ended\n';
}

function cellText(c: Cell, unit: string): string {
  if (c.kind === 'missing') return '–';
  if (c.kind === 'invalid') return 'not evidence';
  const { value, note } = c.figure;
  if (value === null) return note?.startsWith('nobody') ? 'nobody notices' : 'never';
  if (unit === 'ms') return ms(value);
  if (unit === 'removals') return num(value);
  if (unit === 'B/node/s') return num(value);
  return bytes(value);
}

function membershipTable(results: ResultsFile, coldOnly = false): string | null {
  const head = ['protocol', 'N', 'start', 'cold start', 'update p99', 'crash: last detection', 'FP @10% loss', 'steady B/node/s', 'state/node', 'CPU µs/node/s'];
  const rows: string[][] = [head];
  const protocols = [...results.protocols].sort((a, b) => rank(a) - rank(b));
  for (const p of protocols) {
    for (const n of results.sizes) {
      // One row per way the cluster started: cold (joins) and converged (`warm-…` scenarios).
      for (const [start, prefix] of [['cold', ''], ['converged', 'warm-']] as const) {
        const cold = prefix === '' ? findRun(results, p, 'cold-start', n) : undefined;
        const upd = findRun(results, p, `${prefix}update-address`, n);
        const crash = findRun(results, p, `${prefix}crash-one`, n);
        const loss = findRun(results, p, `${prefix}loss-10`, n);
        const any = upd ?? crash ?? loss ?? (coldOnly ? cold : undefined);
        if (!any) continue;
        const det = detectionLast(crash);
        // A run stopped by its budget measured nothing final: say so rather than print "never".
        const stopped = (r: typeof any | undefined, text: string): string => (r === undefined ? '–' : r.status === 'aborted' ? 'stopped' : text);
        rows.push([
          p,
          String(n),
          start,
          stopped(cold, ms(cold?.sim.coldStartMs)),
          stopped(upd, ms(updateP99(upd))),
          stopped(crash, `${ms(det)} (${coverage(watch(crash, 'detected'))})`),
          stopped(loss, String(loss?.sim.falsePositives.declarations)),
          num(upd?.sim.steady.bytesPerNodePerSec),
          bytes(any.sim.stateBytes.mean),
          num(any.runtime.cpuMicrosPerNodePerSimSecond, 1),
        ]);
      }
    }
  }
  return rows.length > 1 ? layout(rows, 3) : null;
}

/** Columns padded to width, the first `left` ones left-aligned, a rule under the heading. */
function layout(rows: readonly string[][], left: number): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r, i) => r.map((cell, c) => (c < left ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ') + (i === 0 ? '\n' + widths.map((w) => '─'.repeat(w)).join('  ') : '')).join('\n') + '\n';
}

/** Options in the rules' order (the incumbent first), any other protocol after them. */
function rank(p: string): number {
  const i = (OPTIONS as readonly string[]).indexOf(optionName(p));
  return i < 0 ? OPTIONS.length : i;
}
