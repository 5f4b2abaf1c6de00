/**
 * The scale judgements the report's scale appendix prints: the 10,000-node SWIM target (100
 * periods, ≤ 60 s wall, ≤ 4 GB) against the run that measures it, and what each large run showed or
 * why it is not evidence. The writer (report-scale.ts) formats these.
 */
import type { HostLoad } from '../bench.js';
import { coverage, ms, newestRuns } from '../figures.js';
import { SIM_PROTOCOLS } from '../protocols.js';
import type { ResultsFile } from '../results.js';
import type { RunResult } from '../run.js';
import { SCALE_PERIODS, SCENARIOS } from '../scenarios.js';
import { runValidity } from './runs.js';

/** The scale target: 10,000 SWIM nodes, 100 protocol periods, ≤ 60 s wall, ≤ 4 GB. */
export const SCALE_TARGET = { protocol: 'swim', n: 10_000, periods: SCALE_PERIODS, wallMs: 60_000, bytes: 4e9 } as const;

/** Runtime figures as a results file holds them: files written before a field existed lack it. */
export type StoredRuntime = Pick<RunResult['runtime'], 'wallMs' | 'heapUsedBytes'> & Partial<RunResult['runtime']>;
export type StoredRun = RunResult & { readonly host?: HostLoad };

export function startsFromSnapshot(name: string): boolean {
  return SCENARIOS.find((s) => s.name === name)?.start === 'snapshot';
}

const periodOf = (protocol: string): number => SIM_PROTOCOLS[protocol]?.().periodMs ?? 1000;

/** The scenario the target is stated on: one crash in a running cluster. */
const TARGET_SCENARIO = 'warm-crash-one';

export interface TargetVerdict {
  readonly run: StoredRun;
  readonly periods: number;
  /** The larger of the V8 heap peak and the process's resident peak: what the 4 GB bounds. */
  readonly memoryBytes: number;
  readonly wallMet: boolean;
  readonly memoryMet: boolean;
}

/**
 * The run the target is judged on: SWIM's newest run at N = 10,000, preferring one crash in a
 * converged cluster (the target is about a running cluster, not its join storm), then any other
 * converged start, else any scenario at that size.
 */
export function scaleTarget(results: ResultsFile): TargetVerdict | null {
  const at = newestRuns(results).filter((r) => r.protocol === SCALE_TARGET.protocol && r.n === SCALE_TARGET.n);
  const run = (at.find((r) => r.scenario === TARGET_SCENARIO) ?? at.find((r) => startsFromSnapshot(r.scenario)) ?? at.find((r) => r.status === 'ok') ?? at[0]) as StoredRun | undefined;
  return run ? verdictOf(run) : null;
}

/** Every converged-start SWIM run at N = 10,000, each judged against the target. */
export function scaleTargetRuns(results: ResultsFile): TargetVerdict[] {
  return newestRuns(results)
    .filter((r) => r.protocol === SCALE_TARGET.protocol && r.n === SCALE_TARGET.n && startsFromSnapshot(r.scenario))
    .map((r) => verdictOf(r as StoredRun));
}

/**
 * The run's own resident peak (sampled during it) when recorded; else the process's peak so far,
 * which counts every earlier run of the same batch too.
 */
export function rssOf(rt: StoredRuntime): number | undefined {
  return rt.peakRssBytes ?? rt.maxRssBytes;
}

/** What a run showed, for the table: its first watch when the run is valid, else why it is not evidence. */
export function outcomeOf(r: RunResult): string {
  const v = runValidity(r);
  if (!v.valid) return v.reason;
  const w = r.sim.watches.find((x) => x.label === 'detected') ?? r.sim.watches[0];
  if (w) return `${w.label} ${coverage(w)}`;
  if (startsFromSnapshot(r.scenario)) return 'converged start';
  return r.sim.coldStartMs === null ? 'not converged' : `converged in ${ms(r.sim.coldStartMs)}`;
}

function verdictOf(run: StoredRun): TargetVerdict {
  const rt: StoredRuntime = run.runtime;
  const memoryBytes = Math.max(rt.peakHeapBytes ?? rt.heapUsedBytes, rssOf(rt) ?? 0);
  const periods = run.sim.virtualMs / periodOf(run.protocol);
  return {
    run,
    periods,
    memoryBytes,
    wallMet: runValidity(run).valid && periods >= SCALE_PERIODS && rt.wallMs <= SCALE_TARGET.wallMs,
    memoryMet: memoryBytes <= SCALE_TARGET.bytes,
  };
}
