/**
 * The converged start used at scale (scenario warm-crash-one): every SWIM node restored from the same
 * persisted member list. It must leave the cluster where a cold start's convergence does, replay from
 * its seed, and say so when a protocol cannot start that way.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from '../../experiment/bench.js';
import { buildReport } from '../../experiment/report.js';
import { mergeResults } from '../../experiment/results.js';
import { simCluster } from '../../experiment/cluster.js';
import { majoritySimProtocol } from '../../experiment/majority-sim.js';
import { Watch, present } from '../../experiment/observe.js';
import { RunError, runScenario } from '../../experiment/run.js';
import { SCALE_PERIODS, scenario } from '../../experiment/scenarios.js';
import { Simulator } from '../../experiment/simulator.js';
import { swimSimProtocol } from '../../experiment/swim-sim.js';
import type { SwimCoreConfig, SwimState } from '../../impl/swim/index.js';
import type { SwimMessage } from '../../spec/swim.js';
import type { View } from '../../spec/view.js';

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
    const dir = mkdtempSync(join(tmpdir(), 'alice-scale-'));
    const results = mergeResults([{ path: join(dir, 'r.json'), results: { ...small, sizes: [10_000], runs: [run] } }]);
    return buildReport(results, { outDir: dir, checkerPath: join(dir, 'none.json'), root: ROOT, regenerate: 'test' }).markdown;
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

  it('says it is not met when the memory peak passed 4 GB', () => {
    const md = report(45_000, 5e9);
    expect(md).toContain('**Not met: memory over the target.**');
    expect(md).toContain('| memory (larger of heap peak and RSS peak) | 5.00 GB | ≤ 4 GB | no |');
  });
});
