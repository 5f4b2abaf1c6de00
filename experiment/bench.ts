/**
 * The experiment as a batch: protocols × sizes × scenarios, smallest size first, one seed. A scenario
 * whose run hits its budget (wall time, events, heap) at some size is not run at larger sizes, and
 * when the budget ran out in the cluster's start (the cold start's convergence, which every scenario
 * of that start waits for), no scenario of the protocol sharing that start is: the skip is recorded with
 * the run that stopped it, so the report can say where and why it stopped.
 */
import { availableParallelism, loadavg } from 'node:os';
import { type ResultsFile, RESULTS_FORMAT, type Skipped, gitRevision } from './results.js';
import { simProtocol } from './protocols.js';
import { RUN_DEFAULTS, type RunConfig, type RunResult, type WarmCache, runScenario } from './run.js';
import { SCENARIO_GROUPS, type Scenario, scenario } from './scenarios.js';
import { collectGarbage } from './collect.js';

export interface BenchOptions {
  readonly protocols: readonly string[];
  readonly sizes: readonly number[];
  readonly scenarios: readonly string[];
  readonly seed: number;
  readonly run: Partial<RunConfig>;
  /** How the batch was invoked, recorded in the results. */
  readonly command: string;
  /** Repository root, for the commit. */
  readonly root: string;
  readonly progress?: (line: string) => void;
}

/** Per-run budgets `alice bench` applies unless told otherwise. */
export const BENCH_BUDGETS: Pick<RunConfig, 'maxWallMs' | 'maxEvents' | 'maxHeapBytes'> = {
  // 120 s: twice the issue's 60 s target for the 10,000-node run, so a run that misses it is still measured.
  maxWallMs: 120_000,
  // 50 M events: past any run that finishes in the wall budget here; a guard against runaway loops.
  maxEvents: 50_000_000,
  // 3 GB: under the 4 GB the issue allows, with room for the results themselves.
  maxHeapBytes: 3_000_000_000,
};

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * The default experiment (`npm start`): the options of the decision on Inferno's topology at 10, 50
 * and 100 nodes (3 load balancers, a governator, backends), every routing scenario the rules read,
 * plus the cold start. About a minute on a 2-core machine.
 */
export const DEFAULT_EXPERIMENT = {
  protocols: ['inferno-current', 'swim', 'hybrid', 'majority-mesh'],
  sizes: [10, 50, 100],
  scenarios: ['cold-start', ...SCENARIO_GROUPS.routing],
} as const;

/**
 * The machine's load around one run: wall-time figures on a shared machine mean little without it.
 * The 1-minute load average (runnable processes, this one included) before and after, and the cores.
 */
export interface HostLoad {
  readonly cores: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

/** A run as `alice bench` saves it: the run's figures and the host load around it. */
export type BenchRun = RunResult & { readonly host?: HostLoad; readonly revision?: { readonly commit: string | null; readonly dirty: boolean } };

/** Whether a run that ran out of budget did so before its event: in its start. */
function startRanOut(r: RunResult): boolean {
  return r.scenario === 'cold-start' || r.sim.virtualMs <= r.sim.eventAtMs;
}

/**
 * Which start a scenario runs: scenarios with the same start share it (run.ts forks one warm
 * cluster for them), while one with its own network (the loss sweep) or its own preparation (clock
 * skew) starts a cluster of its own, whose running out says nothing about the others.
 */
export function startKey(mode: string, sc: Scenario): string {
  return sc.network === undefined && sc.prepare === undefined ? mode : `${mode}|own start|${sc.name}`;
}

export function runBench(o: BenchOptions): ResultsFile {
  for (const s of o.scenarios) scenario(s);
  const protocols = o.protocols.map((name) => ({ name, sim: simProtocol(name) }));
  const run: RunConfig = { ...RUN_DEFAULTS, ...BENCH_BUDGETS, ...o.run };
  const runs: RunResult[] = [];
  const skipped: Skipped[] = [];
  const stoppedAt = new Map<string, RunResult>();
  // Read before the runs: each run carries it, so a merged or appended file still knows every run's batch.
  const revision = gitRevision(o.root);
  const total = o.sizes.length * protocols.length * o.scenarios.length;
  let k = 0;
  for (const n of [...o.sizes].sort((a, b) => a - b)) {
    for (const p of protocols) {
      // One warm cluster per protocol and size, dropped before the next so memory stays bounded.
      const cache: WarmCache = new Map();
      for (const s of o.scenarios) {
        k++;
        const sc = scenario(s);
        if (sc.start === 'snapshot' && !p.sim.snapshotInit) {
          skipped.push({ protocol: p.name, scenario: s, n, reason: `${p.name} has no start from a member snapshot` });
          o.progress?.(`[${k}/${total}] ${p.name} ${s} N=${n}: skipped (no start from a member snapshot)`);
          continue;
        }
        // A budget hit from a cold start says nothing about snapshot starts, which skip the join, and back.
        // A start that ran out stops every scenario of that start from this size on; a scenario that ran
        // out after its start stops only itself, and only at larger sizes.
        const mode = `${p.name}|${sc.start ?? 'cold'}`;
        const own = stoppedAt.get(`${mode}|${s}`);
        const stop = stoppedAt.get(startKey(mode, sc)) ?? (own && own.n < n ? own : undefined);
        if (stop) {
          skipped.push({ protocol: p.name, scenario: s, n, reason: `${p.name} ${stop.scenario} at N=${stop.n} stopped: ${stop.abort}` });
          o.progress?.(`[${k}/${total}] ${p.name} ${s} N=${n}: skipped (${p.name} stopped at N=${stop.n})`);
          continue;
        }
        // The last run's states are garbage now: collected here, they neither count against this
        // run's heap budget nor slow its first steps.
        collectGarbage();
        const loadBefore = loadavg()[0];
        const measured = runScenario(p.sim, sc, n, o.seed, run, cache);
        const host: HostLoad = { cores: availableParallelism(), loadBefore: round2(loadBefore), loadAfter: round2(loadavg()[0]) };
        const r: BenchRun = { ...measured, host, revision };
        runs.push(r);
        if (r.status === 'aborted') stoppedAt.set(startRanOut(r) ? startKey(mode, sc) : `${mode}|${s}`, r);
        o.progress?.(`[${k}/${total}] ${p.name} ${s} N=${n}: ${r.status}, ${(r.sim.virtualMs / 1000).toFixed(0)} s simulated in ${(r.runtime.wallMs / 1000).toFixed(1)} s${r.abort ? ` (${r.abort})` : ''}`);
      }
    }
  }
  const { commit, dirty } = revision;
  return {
    format: RESULTS_FORMAT,
    commit,
    dirty,
    seed: o.seed,
    command: o.command,
    protocols: protocols.map((p) => p.name),
    sizes: [...o.sizes],
    scenarios: [...o.scenarios],
    run,
    sizeNotes: Object.fromEntries(protocols.map((p) => [p.name, p.sim.sizeNote])),
    runs,
    skipped,
  };
}
