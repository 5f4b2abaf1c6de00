/** The summary table `alice bench` prints when it finishes: one row per protocol and size. */
import { OPTIONS, optionName } from './rules.js';
import type { ResultsFile } from './results.js';
import { bytes, coverage, detectionLast, findRun, ms, num, updateP99, watch } from './figures.js';

export function summaryTable(results: ResultsFile): string {
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
        const any = upd ?? cold ?? crash ?? loss;
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
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r, i) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ') + (i === 0 ? '\n' + widths.map((w) => '─'.repeat(w)).join('  ') : '')).join('\n') + '\n';
}

/** Options in the rules' order (the incumbent first), any other protocol after them. */
function rank(p: string): number {
  const i = (OPTIONS as readonly string[]).indexOf(optionName(p));
  return i < 0 ? OPTIONS.length : i;
}
