/**
 * Where each figure the rules read comes from: which scenario's run, which field. A figure is taken
 * only from a valid run (facts/runs.ts) and carries the runs it came from; a run that is not valid
 * leaves a gap with its reason, never a number.
 */
import { type WatchResult, removalsOf } from '../observe.js';
import type { ByRole, RunResult } from '../run.js';
import { type MetricId, optionName } from '../rules.js';
import type { Invalidity, JudgedRun, RunRef } from './runs.js';

/** The loss levels of the routing sweep (`routing-loss-<pct>`); 0 % is the sweep's control. */
export const ROUTING_LOSS_LEVELS = [0, 5, 10, 20, 30] as const;
/** The levels the false-removal rules sum over: 0 % has no loss to remove anyone. */
export const JUDGED_LOSS_LEVELS = [5, 10, 20, 30] as const;

/** Per-role figures (`RunResult.sim.byRole`, run.ts); runs written before they existed lack them. */
export type { ByRole, RoleFigures } from '../run.js';
export const byRoleOf = (r: RunResult): ByRole | undefined => (r.sim as Partial<RunResult['sim']>).byRole;

/** A figure and the runs it came from; `value` null means "never within the run". */
export interface Figure {
  readonly value: number | null;
  readonly runs: readonly RunRef[];
  /** Converged start (`warm-…`) rather than a cold start. */
  readonly converged: boolean;
  /** What a reader must know to read the value (e.g. nobody can notice). */
  readonly note?: string;
  /** Further figures of the same runs a table shows beside the value (the loss table's longest removal). */
  readonly extra?: Readonly<Record<string, number | null>>;
}

export type Cell =
  | { readonly kind: 'figure'; readonly figure: Figure }
  | { readonly kind: 'invalid'; readonly runs: readonly RunRef[]; readonly reason: Invalidity }
  | { readonly kind: 'missing' };

interface Source {
  readonly scenarios: readonly string[];
  /** The value from the valid runs of `scenarios`, in that order; undefined: the runs do not carry it. */
  readonly read: (runs: readonly RunResult[]) => { value: number | null; note?: string } | undefined;
}

const watchOf = (r: RunResult, label: string): WatchResult | undefined => r.sim.watches.find((w) => w.label === label);
const allMs = (label: string): Source['read'] => ([r]) => {
  const w = watchOf(r, label);
  return w === undefined ? undefined : { value: w.allMs };
};

const loss = (pct: number): string => `routing-loss-${pct}`;

/** The source of every metric the rules read. Traffic and memory: the steady window of the crash run, before its event. */
export const METRIC_SOURCES: Readonly<Record<MetricId, Source>> = {
  'routing-crash': { scenarios: ['routing-crash'], read: allMs('routing-stopped') },
  'routing-ready-false': { scenarios: ['routing-ready-false'], read: allMs('routing-stopped') },
  'routing-join': { scenarios: ['routing-join'], read: allMs('routing-started') },
  'lb-crash': {
    scenarios: ['lb-crash'],
    read: ([r]) => {
      const w = watchOf(r, 'lb-crash-noticed');
      if (w === undefined) return undefined;
      return w.observers === 0 ? { value: null, note: 'nobody notices: no live node has any notion of the load-balancer set' } : { value: w.allMs };
    },
  },
  'false-removals': {
    scenarios: JUDGED_LOSS_LEVELS.map(loss),
    read: (runs) => {
      const pending = runs.reduce((a, r) => a + (r.sim.falsePositives.pending ?? 0), 0);
      const value = runs.reduce((a, r) => a + removalsOf(r.sim.falsePositives), 0);
      return pending > 0 ? { value, note: `${pending} of them decided by a health round still under way at the end of the run` } : { value };
    },
  },
  'false-removal-time': {
    scenarios: JUDGED_LOSS_LEVELS.map(loss),
    read: (runs) => ({ value: Math.max(0, ...runs.map((r) => r.sim.falsePositives.durationMs.max ?? 0)) }),
  },
  'partition-heal': { scenarios: ['routing-partition'], read: allMs('routing-healed') },
  'lb-traffic': { scenarios: ['routing-crash'], read: ([r]) => role(r, (b) => b.loadBalancer.steady.bytesPerNodePerSec) },
  'lb-memory': { scenarios: ['routing-crash'], read: ([r]) => role(r, (b) => b.loadBalancer.stateBytes.mean) },
  'backend-traffic': { scenarios: ['routing-crash'], read: ([r]) => role(r, (b) => b.backend.steady.bytesPerNodePerSec) },
  'backend-memory': { scenarios: ['routing-crash'], read: ([r]) => role(r, (b) => b.backend.stateBytes.mean) },
};

function role(r: RunResult, pick: (b: ByRole) => number): { value: number } | undefined {
  const b = byRoleOf(r);
  return b && b.backend.nodes + b.loadBalancer.nodes > 0 ? { value: pick(b) } : undefined;
}

/** An index over judged runs by (option, scenario, N). */
export class RunIndex {
  private readonly map = new Map<string, JudgedRun>();
  constructor(readonly all: readonly JudgedRun[]) {
    for (const j of all) this.map.set(RunIndex.key(optionName(j.run.protocol), j.run.scenario, j.run.n), j);
  }
  private static key(o: string, s: string, n: number): string {
    return `${o}|${s}|${n}`;
  }
  get(option: string, scenario: string, n: number): JudgedRun | undefined {
    return this.map.get(RunIndex.key(option, scenario, n));
  }
  options(): string[] {
    return [...new Set(this.all.map((j) => optionName(j.run.protocol)))];
  }
  sizes(option: string, scenarios: readonly string[]): number[] {
    const set = new Set(scenarios.flatMap((s) => [s, `warm-${s}`]));
    return [...new Set(this.all.filter((j) => optionName(j.run.protocol) === option && set.has(j.run.scenario)).map((j) => j.run.n))].sort((a, b) => a - b);
  }
}

/**
 * The cell of one figure from a given set of scenarios: every run valid → the figure; a run present
 * but invalid → the gap and why; a run absent → missing.
 */
export function cellFrom(index: RunIndex, option: string, n: number, scenarios: readonly string[], read: Source['read'], converged: boolean): Cell {
  const runs = scenarios.map((s) => index.get(option, converged ? `warm-${s}` : s, n));
  if (runs.some((r) => r === undefined)) {
    const present = runs.filter((r): r is JudgedRun => r !== undefined);
    const bad = present.find((r) => !r.validity.valid);
    if (bad && !bad.validity.valid) return { kind: 'invalid', runs: [bad.ref], reason: bad.validity.reason };
    return { kind: 'missing' };
  }
  const judged = runs as JudgedRun[];
  const bad = judged.filter((r) => !r.validity.valid);
  if (bad.length > 0) {
    const first = bad[0].validity;
    return { kind: 'invalid', runs: bad.map((r) => r.ref), reason: first.valid ? 'stopped by its budget' : first.reason };
  }
  const v = read(judged.map((r) => r.run));
  if (v === undefined) return { kind: 'missing' };
  return { kind: 'figure', figure: { value: v.value, runs: judged.map((r) => r.ref), converged, ...(v.note ? { note: v.note } : {}) } };
}

/** A cell from the cold-start runs when they give a figure, else the converged-start (`warm-…`) ones. */
export function preferCold(index: RunIndex, option: string, n: number, scenarios: readonly string[], read: Source['read']): Cell {
  const cold = cellFrom(index, option, n, scenarios, read, false);
  if (cold.kind === 'figure') return cold;
  const warm = cellFrom(index, option, n, scenarios, read, true);
  return warm.kind === 'figure' ? warm : cold.kind === 'invalid' ? cold : warm;
}

/** A metric's cell. */
export function metricCell(index: RunIndex, option: string, metric: MetricId, n: number): Cell {
  const src = METRIC_SOURCES[metric];
  return preferCold(index, option, n, src.scenarios, src.read);
}
