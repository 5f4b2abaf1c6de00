import { describe, expect, it } from 'vitest';
import { simProtocol } from '../../experiment/protocols.js';
import { runScenario, steadyWindowOf } from '../../experiment/run.js';
import { scenario } from '../../experiment/scenarios.js';
import { topologyFor } from '../../spec/topology.js';

describe('per-role figures (sim.byRole)', () => {
  for (const name of ['swim', 'majority', 'hybrid']) {
    it(`${name}: counts the topology's load balancers and backends and measures each`, () => {
      const r = runScenario(simProtocol(name), scenario('crash-one'), 10, 1);
      const t = topologyFor(10);
      expect(r.topology).toEqual(t);
      const { loadBalancer, backend } = r.sim.byRole;
      expect(loadBalancer.nodes).toBe(t.loadBalancers);
      // The crashed subject is a backend: one fewer is live at the end.
      expect(backend.nodes).toBe(t.backends - 1);
      expect(loadBalancer.steady.bytesPerNodePerSec).toBeGreaterThan(0);
      expect(backend.steady.bytesPerNodePerSec).toBeGreaterThan(0);
      expect(loadBalancer.stateBytes.sampled).toBe(t.loadBalancers);
      expect(backend.stateBytes.mean).toBeGreaterThan(0);
    });
  }

  it('hybrid: a load balancer holds more state than a backend, which holds only itself', () => {
    const { loadBalancer, backend } = runScenario(simProtocol('hybrid'), scenario('crash-one'), 10, 1).sim.byRole;
    expect(loadBalancer.stateBytes.mean).toBeGreaterThan(backend.stateBytes.mean);
  });
});

describe('the steady window at scale', () => {
  it("swim: covers the push-pull cycle at the cluster's size, which stretches past 32 members", () => {
    const swim = simProtocol('swim');
    expect(steadyWindowOf(swim, 10)).toBe(30_000);
    // 30 s × (⌈log2(100) − log2(32)⌉ + 1) = 90 s; at 1,000: × 6 = 180 s.
    expect(steadyWindowOf(swim, 100)).toBe(90_000);
    expect(steadyWindowOf(swim, 1_000)).toBe(180_000);
  });

  it('swim: a run measures its steady traffic over that window', () => {
    const r = runScenario(simProtocol('swim'), scenario('crash-one'), 40, 1);
    expect(r.sim.steady.windowMs).toBe(60_000);
    expect(r.sim.byRole.loadBalancer.steady.windowMs).toBe(60_000);
  });

  it('inferno-current: its window does not depend on size', () => {
    const p = simProtocol('inferno-current');
    expect(steadyWindowOf(p, 1_000)).toBe(steadyWindowOf(p, 10));
  });
});
