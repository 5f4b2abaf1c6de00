import { describe, expect, it } from 'vitest';
import { simProtocol } from '../../experiment/protocols.js';
import { runScenario } from '../../experiment/run.js';
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
