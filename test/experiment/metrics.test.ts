/**
 * The metrics, checked on the toy heartbeat protocol where the right figure can be worked out by
 * hand, each next to a deliberately broken variant that the same check must refute.
 */
import { topologyFor } from '../../spec/topology.js';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../experiment/run.js';
import { scenario } from '../../experiment/scenarios.js';
import { majoritySimProtocol } from '../../experiment/majority-sim.js';
import { heartbeatProtocol, type HeartbeatConfig } from './toy.js';

const N = 8;
const everyoneSeeds = { seedCount: N };
const toy = (c: Partial<HeartbeatConfig> = {}) => heartbeatProtocol({ periodMs: 1000, timeoutMs: 3000, ...c }) as never;
const run = (name: string, c: Partial<HeartbeatConfig> = {}, seed = 1) => runScenario(toy(c), scenario(name), N, seed, everyoneSeeds);

describe('update convergence', () => {
  it('is one LAN hop when the update is sent at once', () => {
    const w = run('update-address').sim.watches.find((x) => x.label === 'reflects')!;
    expect(w.reflected).toBe(N);
    expect(w.perObserver.p99).toBeLessThan(2);
  });

  it('refutes a variant that waits for the next period', () => {
    const w = run('update-address', { beatOnUpdate: false }).sim.watches.find((x) => x.label === 'reflects')!;
    expect(w.perObserver.p99).toBeGreaterThan(2);
  });
});

describe('crash detection', () => {
  it('lands between the timeout and the timeout plus two periods, at every live node', () => {
    const w = run('crash-one').sim.watches.find((x) => x.label === 'detected')!;
    expect(w.reflected).toBe(N - 1);
    expect(w.perPair.min).toBeGreaterThan(2000);
    expect(w.allMs).toBeLessThan(5000);
  });

  it('reports never when some live node does not detect', () => {
    const w = run('crash-one', { timeoutMs: 1_000_000 }).sim.watches.find((x) => x.label === 'detected')!;
    expect(w.allMs).toBeNull();
    expect(w.reflected).toBe(0);
  });
});

describe('false positives', () => {
  it('are zero on a clean network with a timeout above the period', () => {
    expect(run('update-address').sim.falsePositives.declarations).toBe(0);
  });

  it('are counted when the timeout is shorter than the period (a broken detector)', () => {
    const fp = run('update-address', { timeoutMs: 500 }).sim.falsePositives;
    expect(fp.declarations).toBeGreaterThan(0);
    expect(fp.members).toBe(N);
  });

  it('are attributed to the partition when the halves cannot reach each other', () => {
    const r = run('partition');
    expect(r.sim.falsePositives.acrossPartition).toBeGreaterThan(0);
    expect(r.sim.watches.find((x) => x.label === 'healed')!.reflected).toBe(N);
  });
});

describe('traffic', () => {
  it('is one beat to every other node per period in steady state', () => {
    const r = run('update-address');
    const beat = r.sim.byKind.beat;
    const mean = beat.bytes / beat.messages;
    expect(r.sim.steady.messagesPerNodePerSec).toBeCloseTo(N - 1, 5);
    expect(r.sim.steady.bytesPerNodePerSec / ((N - 1) * mean)).toBeGreaterThan(0.95);
    expect(r.sim.steady.bytesPerNodePerSec / ((N - 1) * mean)).toBeLessThan(1.05);
  });

  it('counts membership churn while a node flaps', () => {
    expect(run('flapping').sim.churnPerNode).toBeGreaterThan(0);
  });
});

describe('the majority system in the simulator', () => {
  it('gives a forked scenario the same figures as a fresh run', () => {
    const fresh = runScenario(majoritySimProtocol() as never, scenario('crash-one'), 5, 3);
    const cache = new Map();
    runScenario(majoritySimProtocol() as never, scenario('update-type'), 5, 3, {}, cache);
    const forked = runScenario(majoritySimProtocol() as never, scenario('crash-one'), 5, 3, {}, cache);
    expect(JSON.stringify(forked.sim)).toBe(JSON.stringify(fresh.sim));
  });

  it('is detected as crashed only by the load balancers (they alone health-check)', () => {
    const w = runScenario(majoritySimProtocol() as never, scenario('crash-one'), 5, 3).sim.watches.find((x) => x.label === 'detected')!;
    expect(w.reflected).toBe(topologyFor(5).loadBalancers);
    expect(w.allMs).toBeNull();
  });
});
