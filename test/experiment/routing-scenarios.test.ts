import { describe, expect, it } from 'vitest';
import { runValidity } from '../../experiment/facts/runs.js';
import { simProtocol } from '../../experiment/protocols.js';
import { type RunResult, runScenario } from '../../experiment/run.js';
import { SCENARIO_GROUPS, scenario } from '../../experiment/scenarios.js';
import { topologyFor } from '../../spec/topology.js';

const N = 10;
const L = topologyFor(N).loadBalancers;
const runs = new Map<string, RunResult>();
function run(protocol: string, name: string): RunResult {
  const key = `${protocol}|${name}`;
  let r = runs.get(key);
  if (!r) {
    r = runScenario(simProtocol(protocol), scenario(name), N, 1);
    runs.set(key, r);
  }
  return r;
}
const watch = (r: RunResult, label: string) => {
  const w = r.sim.watches.find((x) => x.label === label);
  if (!w) throw new Error(`no watch ${label} in ${r.protocol}/${r.scenario}`);
  return w;
};

describe('the routing scenarios are registered', () => {
  it('lists every scenario the facts layer reads', () => {
    expect(SCENARIO_GROUPS.routing).toEqual([
      'routing-crash',
      'routing-ready-false',
      'routing-join',
      'lb-crash',
      'routing-loss-0',
      'routing-loss-5',
      'routing-loss-10',
      'routing-loss-20',
      'routing-loss-30',
      'routing-partition',
    ]);
  });

  it('has a converged-start form of each (warm-…)', () => {
    for (const s of SCENARIO_GROUPS.routing) expect(scenario(`warm-${s}`).start).toBe('snapshot');
  });
});

/** Whether the protocol's load balancers learn of `ready: false` (the proxy loop's TCP connect does not read it). */
const READS_READY: Readonly<Record<string, boolean>> = { swim: true, hybrid: false, 'hybrid-library-health': true };

for (const protocol of ['swim', 'hybrid', 'hybrid-library-health']) {
  describe(`${protocol} at ${N} nodes`, () => {
    it('routing-crash: every load balancer stops routing to the crashed backend, in finite time', () => {
      const w = watch(run(protocol, 'routing-crash'), 'routing-stopped');
      expect(w.observers).toBe(L);
      expect(w.allMs).not.toBeNull();
      expect(w.allMs!).toBeGreaterThan(0);
    });

    if (READS_READY[protocol]) {
      it('routing-ready-false: every load balancer stops routing to the backend reporting not ready', () => {
        const w = watch(run(protocol, 'routing-ready-false'), 'routing-stopped');
        expect(w.observers).toBe(L);
        expect(w.allMs).not.toBeNull();
        expect(w.allMs!).toBeGreaterThan(0);
      });
    } else {
      it('routing-ready-false: the load balancer it registered with keeps routing to the backend reporting not ready (its connect is still accepted)', () => {
        const w = watch(run(protocol, 'routing-ready-false'), 'routing-stopped');
        expect(w.observers).toBe(L);
        // The others never routed to it (it registered with one load balancer only).
        expect(w.reflected).toBe(L - 1);
        expect(w.allMs).toBeNull();
      });
    }

    it('lb-crash: the live nodes that know a load balancer notice the crash in finite time', () => {
      const w = watch(run(protocol, 'lb-crash'), 'lb-crash-noticed');
      expect(w.observers).toBeGreaterThan(0);
      expect(w.allMs).not.toBeNull();
    });

    it('routing-loss-0: no loss, no false removal', () => {
      expect(run(protocol, 'routing-loss-0').sim.falsePositives.declarations).toBe(0);
    });

    it('routing-loss-30: records 30 % loss from the event on, and the run is valid evidence', () => {
      const r = run(protocol, 'routing-loss-30');
      expect(r.network).toMatchObject({ loss: 0.3, lossFromEvent: true });
      expect(runValidity(r).valid).toBe(true);
    });

    it('every routing run finishes and is valid evidence', () => {
      for (const s of SCENARIO_GROUPS.routing) expect(runValidity(run(protocol, s))).toEqual({ valid: true });
    });
  });
}

describe('swim routes by membership', () => {
  it('routing-join: every load balancer routes to the new backend within a second', () => {
    const w = watch(run('swim', 'routing-join'), 'routing-started');
    expect(w.observers).toBe(L);
    expect(w.allMs).not.toBeNull();
    expect(w.allMs!).toBeLessThan(1_000);
  });

  it('routing-loss-30: SWIM load balancers drop live backends, and each removal ends within the run', () => {
    const fp = run('swim', 'routing-loss-30').sim.falsePositives;
    expect(fp.declarations).toBeGreaterThan(0);
    expect(fp.durationMs.max).not.toBeNull();
    expect(Number.isFinite(fp.durationMs.max)).toBe(true);
  });

  it('routing-partition: every load balancer routes again to every backend it lost, in finite time after the heal', () => {
    const r = run('swim', 'routing-partition');
    expect(r.sim.falsePositives.acrossPartition).toBeGreaterThan(0);
    expect(watch(r, 'routing-healed').allMs).not.toBeNull();
  });

  it('lb-crash: every other node is an observer (every node is a member)', () => {
    expect(watch(run('swim', 'lb-crash'), 'lb-crash-noticed').observers).toBe(N - 1);
  });
});

describe('the hybrid routes only what registered with each load balancer', () => {
  it('routing-join: only the load balancer the backend registered with routes to it, so "every LB" never happens', () => {
    const w = watch(run('hybrid', 'routing-join'), 'routing-started');
    expect(w.observers).toBe(L);
    expect(w.reflected).toBe(1);
    expect(w.allMs).toBeNull();
  });

  it('routing-partition: a backend removed across the partition never comes back (no re-registration), so routing never heals', () => {
    const r = run('hybrid', 'routing-partition');
    expect(r.sim.falsePositives.declarations).toBeGreaterThan(0);
    expect(r.sim.falsePositives.open).toBe(r.sim.falsePositives.declarations);
    expect(watch(r, 'routing-healed').allMs).toBeNull();
  });

  it('lb-crash: only the other load balancers can notice (backends hold no one)', () => {
    expect(watch(run('hybrid', 'lb-crash'), 'lb-crash-noticed').observers).toBe(L - 1);
  });
});

describe('a run stopped before its event', () => {
  it('is not valid evidence for its figure', () => {
    const r = runScenario(simProtocol('swim'), scenario('routing-crash'), N, 1, { maxEvents: 200 });
    expect(r.status).toBe('aborted');
    expect(runValidity(r)).toMatchObject({ valid: false, reason: 'stopped before its event' });
  });

  it('is reported as aborted when its budget ran out before every node had started', () => {
    const r = runScenario(simProtocol('inferno-current'), scenario('routing-crash'), N, 1, { maxEvents: 3 });
    expect(r.status).toBe('aborted');
    expect(r.sim.virtualMs).toBeLessThan(2_000);
  });
});

describe('inferno-current routes what registered and removes on one failed check', () => {
  it('routing-partition: a backend whose sequential check timed out after the heal stays removed, so routing never heals (not "0 ms" at the heal)', () => {
    const r = run('inferno-current', 'routing-partition');
    expect(r.sim.falsePositives.declarations).toBeGreaterThan(0);
    expect(r.sim.falsePositives.open).toBe(r.sim.falsePositives.declarations);
    const w = watch(r, 'routing-healed');
    expect(w.relapses).toBeGreaterThan(0);
    expect(w.allMs).toBeNull();
  });

  it('routing-crash: every load balancer stops routing to the crashed backend after a missed 30 s check and its 5 s timeout', () => {
    const w = watch(run('inferno-current', 'routing-crash'), 'routing-stopped');
    expect(w.allMs).not.toBeNull();
    expect(w.allMs!).toBeGreaterThan(5_000);
    expect(w.allMs!).toBeLessThanOrEqual(35_000 + 1_000);
  });
});

describe('inferno-current at 1,000 nodes', () => {
  it('every backend registers with all 5 load balancers (its --discovery-lb list), not with the first 3 nodes', () => {
    const setups = simProtocol('inferno-current').clusterSetups!(1_000, 1);
    const lbs = setups.filter((s) => s.info.nodeType === 'proxy').map((s) => s.id);
    expect(lbs).toHaveLength(5);
    for (const s of setups.filter((x) => x.info.nodeType === 'backend')) expect(s.seeds).toEqual(lbs);
  });

  it('routing-loss-30: a round of 994 one-at-a-time checks outlasts the run, so failed checks are counted as removals still to come', () => {
    const fp = runScenario(simProtocol('inferno-current'), scenario('routing-loss-30'), 1_000, 1).sim.falsePositives;
    expect(fp.declarations).toBe(0);
    expect(fp.pending).toBeGreaterThan(0);
  });
});
