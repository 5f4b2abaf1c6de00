/**
 * Results shaped as the experiment contract defines them (routing scenarios, per-role figures), built
 * by hand so the facts layer and the report can be tested before the branches that produce such runs
 * land. Every figure is a parameter: tests choose who should win and plant invalid runs.
 */
import type { ResultsFile } from '../../experiment/results.js';
import type { RunResult } from '../../experiment/run.js';

export interface FakeRouting {
  readonly protocol: string;
  readonly scenario: string;
  readonly n: number;
  readonly status?: 'ok' | 'aborted';
  /** The watch's allMs (null: never); its label is the one the contract gives the scenario. */
  readonly allMs?: number | null;
  readonly observers?: number;
  readonly falseRemovals?: number;
  readonly longestMs?: number | null;
  readonly lbBytes?: number;
  readonly backendBytes?: number;
  readonly lbState?: number;
  readonly backendState?: number;
  readonly eventAtMs?: number;
  readonly virtualMs?: number;
  readonly observeEndMs?: number;
  readonly revision?: { readonly commit: string | null; readonly dirty: boolean };
}

const LABELS: Readonly<Record<string, string>> = {
  'routing-crash': 'routing-stopped',
  'routing-ready-false': 'routing-stopped',
  'routing-join': 'routing-started',
  'lb-crash': 'lb-crash-noticed',
  'routing-partition': 'routing-healed',
};

const dist = (v: number | null) => (v === null ? { count: 0, min: null, p50: null, p99: null, max: null } : { count: 1, min: v, p50: v, p99: v, max: v });

export function fakeRouting(f: FakeRouting): RunResult {
  const label = LABELS[f.scenario.replace(/^warm-/, '')];
  const traffic = (b: number) => ({ messagesPerNodePerSec: 1, bytesPerNodePerSec: b, windowMs: 10_000 });
  const removals = f.falseRemovals ?? 0;
  const allMs = f.allMs === undefined ? 1_000 : f.allMs;
  const observers = f.observers ?? 3;
  return {
    protocol: f.protocol,
    scenario: f.scenario,
    n: f.n,
    seed: 1,
    network: { latency: 'lan', loss: 0, duplication: 0 },
    status: f.status ?? 'ok',
    ...(f.status === 'aborted' ? { abort: 'simulation stopped: wall-time budget' } : {}),
    ...(f.revision ? { revision: f.revision } : {}),
    sim: {
      virtualMs: f.virtualMs ?? 100_000,
      events: 1,
      steps: 1,
      coldStartMs: 1_000,
      eventAtMs: f.eventAtMs ?? 30_000,
      ...(f.observeEndMs !== undefined ? { observeEndMs: f.observeEndMs } : {}),
      watches: label ? [{ label, observers, reflected: allMs === null ? 0 : observers, perObserver: dist(allMs), allMs, perPair: dist(allMs), relapses: 0 }] : [],
      falsePositives: { members: removals, declarations: removals, acrossPartition: 0, durationMs: dist(removals > 0 ? (f.longestMs ?? 5_000) : null), open: 0 },
      churnPerNode: null,
      steady: traffic(f.lbBytes ?? 100),
      during: traffic(f.lbBytes ?? 100),
      byKind: {},
      busiestSenderRatio: 1,
      delivered: 0,
      dropped: 0,
      stateBytes: { mean: 100, max: 100, sampled: 1 },
      properties: null,
      byRole: {
        loadBalancer: { nodes: 3, steady: traffic(f.lbBytes ?? 100), stateBytes: { mean: f.lbState ?? 1_000, max: f.lbState ?? 1_000, sampled: 3 } },
        backend: { nodes: f.n - 4, steady: traffic(f.backendBytes ?? 50), stateBytes: { mean: f.backendState ?? 200, max: f.backendState ?? 200, sampled: 3 } },
      },
    },
    runtime: { wallMs: 1_000, processCpuMs: 1_000, cpuMicrosPerNodePerSimSecond: 1, heapUsedBytes: 1e6, peakHeapBytes: 1e6, maxRssBytes: 1e7, peakRssBytes: 1e7, resolverMicros: null },
  } as unknown as RunResult;
}

/** Every routing scenario for one option at one size, from per-metric figures. */
export interface OptionShape {
  readonly crash: number | null;
  readonly readyFalse: number | null;
  readonly join: number | null;
  readonly lbCrash: number | null;
  /** Observers of the lb-crash watch; 0: nobody can notice. */
  readonly lbObservers?: number;
  /** False removals at 5, 10, 20, 30 % loss. */
  readonly removals: readonly [number, number, number, number];
  readonly heal: number | null;
  readonly lbBytes: number;
  readonly backendBytes: number;
  readonly lbState: number;
  readonly backendState: number;
}

export function routingRuns(protocol: string, n: number, s: OptionShape): RunResult[] {
  const role = { lbBytes: s.lbBytes, backendBytes: s.backendBytes, lbState: s.lbState, backendState: s.backendState };
  return [
    fakeRouting({ protocol, scenario: 'routing-crash', n, allMs: s.crash, ...role }),
    fakeRouting({ protocol, scenario: 'routing-ready-false', n, allMs: s.readyFalse, ...role }),
    fakeRouting({ protocol, scenario: 'routing-join', n, allMs: s.join, ...role }),
    fakeRouting({ protocol, scenario: 'lb-crash', n, allMs: s.lbCrash, observers: s.lbObservers ?? 3, ...role }),
    fakeRouting({ protocol, scenario: 'routing-loss-0', n, ...role }),
    ...([5, 10, 20, 30] as const).map((pct, i) => fakeRouting({ protocol, scenario: `routing-loss-${pct}`, n, falseRemovals: s.removals[i], longestMs: 6_000 * (i + 1), ...role })),
    fakeRouting({ protocol, scenario: 'routing-partition', n, allMs: s.heal, ...role }),
  ];
}

export const INFERNO_TODAY: OptionShape = {
  crash: 7_000,
  readyFalse: 5_000,
  join: 5_000,
  lbCrash: null,
  lbObservers: 0,
  removals: [3, 8, 20, 40],
  heal: 10_000,
  lbBytes: 2_000,
  backendBytes: 300,
  lbState: 40_000,
  backendState: 1_000,
};

export const FAST_AND_CHEAP: OptionShape = {
  crash: 1_500,
  readyFalse: 5_000,
  join: 5_000,
  lbCrash: 2_500,
  removals: [0, 0, 1, 2],
  heal: 3_000,
  lbBytes: 3_000,
  backendBytes: 300,
  lbState: 60_000,
  backendState: 1_000,
};

export function resultsFile(runs: RunResult[], o: { commit?: string | null; dirty?: boolean } = {}): ResultsFile {
  return {
    format: 'alice-bench-results/1',
    commit: o.commit === undefined ? 'c0ffee0000000000000000000000000000000000' : o.commit,
    dirty: o.dirty ?? false,
    seed: 1,
    command: 'alice bench --test',
    protocols: [...new Set(runs.map((r) => r.protocol))],
    sizes: [...new Set(runs.map((r) => r.n))],
    scenarios: [...new Set(runs.map((r) => r.scenario))],
    run: {} as ResultsFile['run'],
    sizeNotes: {},
    runs,
    skipped: [],
  };
}
