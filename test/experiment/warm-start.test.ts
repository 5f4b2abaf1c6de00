/**
 * The converged start used at scale (scenarios warm-…): every SWIM node restored from the same
 * persisted member list. It must leave the cluster where a cold start's convergence does, replay from
 * its seed, and say so when a protocol cannot start that way.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runBench, startKey } from '../../experiment/bench.js';
import { buildReport } from '../../experiment/report.js';
import { simCluster } from '../../experiment/cluster.js';
import { majoritySimProtocol } from '../../experiment/majority-sim.js';
import { Watch, present } from '../../experiment/observe.js';
import { RunError, runScenario } from '../../experiment/run.js';
import { SCALE_PERIODS, SCENARIOS, SCENARIO_GROUPS, scenario } from '../../experiment/scenarios.js';
import { summaryTable } from '../../experiment/summary.js';
import { Simulator } from '../../experiment/simulator.js';
import { swimSimProtocol } from '../../experiment/swim-sim.js';
import type { SwimCoreConfig, SwimState } from '../../impl/swim/index.js';
import type { SwimMessage } from '../../spec/swim.js';
import type { View } from '../../spec/view.js';
import { tempDir } from '../fixtures/temp-dir.js';

const N = 20;

function simulator(n: number, seed = 1) {
  const p = swimSimProtocol();
  const sim = new Simulator<SwimState, SwimMessage, SwimCoreConfig>(p, simCluster(p.definition, n, 3, seed), { seed });
  return { p, sim };
}

/** Each node's View, members only (self aside), as the properties compare them. */
const views = (sim: Simulator<SwimState, SwimMessage, SwimCoreConfig>): Record<string, View['members']> =>
  Object.fromEntries(sim.ids.map((id, i) => [id, sim.view(i)!.members]));

describe('a snapshot start', () => {
  it('gives every node the View a converged cold start gives it', () => {
    const cold = simulator(N);
    for (let i = 0; i < N; i++) cold.sim.at(i * 37, () => cold.sim.start(i));
    const converged = new Watch(cold.sim, 'converged', Array.from({ length: N }, (_, i) => i), present, 0);
    cold.sim.runUntil(20_000);
    expect(converged.completedAt()).not.toBeNull();

    const warm = simulator(N);
    const starter = warm.p.snapshotInit!(warm.sim.setups);
    for (let i = 0; i < N; i++) warm.sim.at(i * 37, () => warm.sim.start(i, (s) => starter.init(s)));
    warm.sim.runUntil(20_000);

    expect(views(warm.sim)).toEqual(views(cold.sim));
  });

  it('replays byte for byte from the same seed, and differs under another', () => {
    const p = swimSimProtocol();
    const run = (seed: number) => JSON.stringify(runScenario(p, scenario('warm-crash-one'), 12, seed).sim);
    const a = run(3);
    expect(run(3)).toBe(a);
    expect(run(4)).not.toBe(a);
  });

  it('runs the scale target of 100 protocol periods and sees the crash detected by every live node', () => {
    const p = swimSimProtocol();
    const r = runScenario(p, scenario('warm-crash-one'), 30, 1);
    expect(r.sim.virtualMs).toBeGreaterThanOrEqual(SCALE_PERIODS * p.periodMs);
    expect(r.sim.coldStartMs).toBeNull();
    const detected = r.sim.watches.find((w) => w.label === 'detected')!;
    expect(detected.observers).toBe(29);
    expect(detected.allMs).not.toBeNull();
  });

  it('is refused, with the reason, for a protocol that cannot start from a snapshot', () => {
    expect(() => runScenario(majoritySimProtocol() as never, scenario('warm-crash-one'), 10, 1)).toThrow(RunError);
    const results = runBench({ protocols: ['majority'], sizes: [10], scenarios: ['warm-crash-one'], seed: 1, run: {}, command: 'test', root: process.cwd() });
    expect(results.runs).toEqual([]);
    expect(results.skipped).toEqual([{ protocol: 'majority', scenario: 'warm-crash-one', n: 10, reason: 'majority has no start from a member snapshot' }]);
  });
});

describe('the converged-start form of every scenario', () => {
  const withEvent = SCENARIOS.filter((s) => s.start === undefined && s.trigger !== undefined);

  it('exists for every cold scenario that has an event, starting from a snapshot', () => {
    expect(withEvent.length).toBeGreaterThan(10);
    for (const s of withEvent) expect(scenario(`warm-${s.name}`).start).toBe('snapshot');
    expect(SCENARIO_GROUPS.warm).toEqual(withEvent.map((s) => `warm-${s.name}`));
    expect(SCENARIO_GROUPS.cold).toContain('cold-start');
    expect(SCENARIO_GROUPS.cold.some((s) => s.startsWith('warm-'))).toBe(false);
  });

  it('lasts at least the scale target of 100 protocol periods, or the cold form\'s observation if longer', () => {
    const p = swimSimProtocol();
    for (const s of withEvent) {
      const w = scenario(`warm-${s.name}`);
      expect(10_000 + w.observeMs(p, 10_000)).toBeGreaterThanOrEqual(SCALE_PERIODS * p.periodMs);
      expect(w.observeMs(p, 10_000)).toBeGreaterThanOrEqual(s.observeMs(p, 10_000));
    }
  });

  it('runs the same event as the cold form: an update is reflected by every node', () => {
    const r = runScenario(swimSimProtocol(), scenario('warm-update-address'), 12, 1);
    const w = r.sim.watches.find((x) => x.label === 'reflects')!;
    expect(r.sim.coldStartMs).toBeNull();
    expect(w.reflected).toBe(12);
    expect(w.allMs).not.toBeNull();
  });

  it('gets its own summary row, apart from the cold runs', () => {
    const results = runBench({ protocols: ['swim'], sizes: [8], scenarios: ['update-address', 'warm-update-address', 'warm-crash-one'], seed: 1, run: {}, command: 'test', root: process.cwd() });
    const t = summaryTable(results);
    expect(t).toMatch(/^swim\s+8\s+cold\s/m);
    expect(t).toMatch(/^swim\s+8\s+converged\s+–\s+\d+ ms\s+[\d.]+ m?s \(7\/7\)/m);
  });
});

describe('a batch whose runs run out of budget', () => {
  const bench = (scenarios: string[], sizes: number[], maxEvents: number) =>
    runBench({ protocols: ['swim'], sizes, scenarios, seed: 1, run: { maxEvents }, command: 'test', root: process.cwd() });

  it('skips only that scenario, and only at larger sizes, when it ran out after its event', () => {
    // 7,000 events: past the converged start and a 6-node update run, short of a 6-node partition run.
    const r = bench(['warm-update-address', 'warm-partition'], [6, 8], 7_000);
    expect(r.runs.map((x) => [x.scenario, x.n, x.status === 'aborted'])).toEqual([
      ['warm-update-address', 6, false],
      ['warm-partition', 6, true],
      ['warm-update-address', 8, true],
    ]);
    expect(r.skipped.map((x) => [x.scenario, x.n])).toEqual([['warm-partition', 8]]);
    expect(r.skipped[0].reason).toMatch(/^swim warm-partition at N=6 stopped: /);
  });

  it('counts a scenario with its own network or preparation as a start of its own', () => {
    const key = (name: string) => startKey(`swim|${scenario(name).start ?? 'cold'}`, scenario(name));
    expect(key('update-address')).toBe(key('crash-one'));
    expect(key('cold-start')).toBe(key('partition'));
    expect(key('warm-update-address')).toBe(key('warm-crash-10pct'));
    expect(key('warm-update-address')).not.toBe(key('update-address'));
    expect(key('loss-10')).not.toBe(key('update-address'));
    expect(key('loss-10')).not.toBe(key('loss-20'));
    expect(key('clock-skew')).not.toBe(key('update-address'));
  });

  it('skips every scenario of that start from the same size on when the start itself ran out', () => {
    // 100 events: short of either start's end (a cold start's convergence, a converged start's event).
    const r = bench(['cold-start', 'update-address', 'warm-update-address'], [6, 8], 100);
    expect(r.runs.map((x) => [x.scenario, x.n, x.status])).toEqual([['cold-start', 6, 'aborted'], ['warm-update-address', 6, 'aborted']]);
    expect(r.skipped.map((x) => [x.scenario, x.n])).toEqual([['update-address', 6], ['cold-start', 8], ['update-address', 8], ['warm-update-address', 8]]);
  });
});

describe('Watch.completedAt', () => {
  it('agrees with the full result at every moment of a cold start', () => {
    const { sim } = simulator(12);
    for (let i = 0; i < 12; i++) sim.at(i * 50, () => sim.start(i));
    const w = new Watch(sim, 'converged', Array.from({ length: 12 }, (_, i) => i), present, 0);
    let seenDone = false;
    for (let t = 100; t <= 10_000; t += 100) {
      sim.runUntil(t);
      expect(w.completedAt()).toBe(w.result().allMs);
      seenDone ||= w.completedAt() !== null;
    }
    expect(seenDone).toBe(true);
  });
});

describe('the report on the scale target', () => {
  const ROOT = new URL('../..', import.meta.url).pathname;
  const small = runBench({ protocols: ['swim'], sizes: [8], scenarios: ['warm-crash-one'], seed: 1, run: {}, command: 'test', root: ROOT });
  /** The small run relabelled as a 10,000-node one with the given wall time and memory peak. */
  const report = (wallMs: number, peak: number) => {
    const run = { ...small.runs[0], n: 10_000, runtime: { ...small.runs[0].runtime, wallMs, peakHeapBytes: peak, maxRssBytes: peak } };
    const dir = tempDir('alice-scale-');
    return buildReport([{ path: join(dir, 'r.json'), results: { ...small, sizes: [10_000], runs: [run] } }], { outDir: dir, checkerPath: join(dir, 'none.json'), root: ROOT, regenerate: 'test' }).markdown;
  };

  it('says the target is met when 100 periods took at most 60 s and 4 GB', () => {
    const md = report(45_000, 2e9);
    expect(md).toContain('### The 10,000-node swim target: 100 protocol periods in ≤ 60 s of wall time and ≤ 4 GB');
    expect(md).toMatch(/\*\*Met\.\*\* Run `warm-crash-one` at N = 10,000/);
  });

  it('says it is not met, and which bound was passed, when the run was slower', () => {
    const md = report(90_000, 2e9);
    expect(md).toContain('**Not met: wall time over the target.**');
    expect(md).toContain('| wall time | 90.0 s | ≤ 60 s | no (1.5×) |');
  });

  it('judges every converged-start run at 10,000 nodes and names the ones that missed', () => {
    const runs = small.runs.filter((r) => r.scenario === 'warm-crash-one');
    const at = (scenarioName: string, wallMs: number) => ({ ...runs[0], scenario: scenarioName, n: 10_000, runtime: { ...runs[0].runtime, wallMs, peakHeapBytes: 2e9, maxRssBytes: 2e9 } });
    const dir = tempDir('alice-scale-');
    const file = { ...small, sizes: [10_000], scenarios: ['warm-crash-one', 'warm-partition', 'warm-loss-30'], runs: [at('warm-crash-one', 50_000), at('warm-partition', 55_000), at('warm-loss-30', 75_000)] };
    const md = buildReport([{ path: join(dir, 'r.json'), results: file }], { outDir: dir, checkerPath: join(dir, 'none.json'), root: ROOT, regenerate: 'test' }).markdown;
    expect(md).toMatch(/\*\*Met\.\*\* Run `warm-crash-one` at N = 10,000/);
    expect(md).toContain('(3 runs, each ≥ 100 periods) against the same target: met in 2 of 3 (not met: `warm-loss-30` 75.0 s, 2.00 GB)');
    expect(md).toContain('slowest `warm-loss-30` 75.0 s');
  });

  it('says it is not met when the memory peak passed 4 GB', () => {
    const md = report(45_000, 5e9);
    expect(md).toContain('**Not met: memory over the target.**');
    expect(md).toContain('| memory (larger of heap peak and RSS peak) | 5.00 GB | ≤ 4 GB | no |');
  });
});
