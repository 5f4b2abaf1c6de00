/**
 * Reading figures back out of a results file: one run by (protocol, scenario, N), and the handful of
 * numbers each table, chart and rule uses. Every figure the report prints goes through here, so a
 * reader can find which field of which run it came from.
 */
import type { ResultsFile } from './results.js';
import type { RunResult } from './run.js';
import type { WatchResult } from './observe.js';
import { optionName } from './rules.js';

/**
 * The run of (protocol, scenario, N); when a file holds several (appended re-measurements), the newest,
 * which is the last written. A protocol matches under its option name too (`majority-mesh` is the
 * batch's name for what its runs record as `majority`).
 */
export function findRun(results: ResultsFile, protocol: string, scenario: string, n: number): RunResult | undefined {
  const want = optionName(protocol);
  for (let i = results.runs.length - 1; i >= 0; i--) {
    const r = results.runs[i];
    if (optionName(r.protocol) === want && r.scenario === scenario && r.n === n) return r;
  }
  return undefined;
}

/** Every (protocol, scenario, N) once, its newest run, in first-seen order. */
export function newestRuns(results: ResultsFile): RunResult[] {
  const key = (r: RunResult) => `${r.protocol}|${r.scenario}|${r.n}`;
  const newest = new Map<string, RunResult>();
  for (const r of results.runs) newest.set(key(r), r);
  return [...newest.values()];
}

export function watch(run: RunResult | undefined, label: string): WatchResult | undefined {
  return run?.sim.watches.find((w) => w.label === label);
}

/** Sizes measured for a protocol in a scenario (status ok or aborted), ascending. */
export function sizesOf(results: ResultsFile, protocol: string, scenario: string): number[] {
  return [...new Set(results.runs.filter((r) => r.protocol === protocol && r.scenario === scenario).map((r) => r.n))].sort((a, b) => a - b);
}

/** ms until every live node reflected the update (p99 over nodes); null when some node never did. */
export function updateP99(run: RunResult | undefined): number | null | undefined {
  const w = watch(run, 'reflects');
  if (!run || !w || run.status !== 'ok') return undefined;
  return w.allMs === null ? null : w.perObserver.p99;
}

/** ms until the last live node stopped listing the crashed node; null when some never did. */
export function detectionLast(run: RunResult | undefined): number | null | undefined {
  const w = watch(run, 'detected');
  if (!run || !w || run.status !== 'ok') return undefined;
  return w.allMs;
}

/** "k/N" of live nodes that reflected a watch within the run. */
export function coverage(w: WatchResult | undefined): string {
  return w ? `${w.reflected}/${w.observers}` : '–';
}

export function ms(v: number | null | undefined): string {
  if (v === undefined) return '–';
  if (v === null) return 'never';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 10) return `${Math.round(v)} ms`;
  return `${v.toFixed(2)} ms`;
}

export function num(v: number | null | undefined, digits = 0): string {
  if (v === undefined || v === null) return '–';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function bytes(v: number | null | undefined): string {
  if (v === undefined || v === null) return '–';
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)} GB`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} MB`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(1)} kB`;
  return `${Math.round(v)} B`;
}
