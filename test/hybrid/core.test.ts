/**
 * The hybrid core's own rules, beyond the facts it takes from Inferno (inferno-facts.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { HYBRID_DEFAULTS, hybridCluster, hybridNode, validateHybridConfig } from '../../impl/hybrid/index.js';
import { ConfigError } from '../../spec/errors.js';
import { cluster, routes } from './helpers.js';

describe('hybrid core', () => {
  it('load balancers find each other through SWIM: every one holds every other alive', () => {
    const sim = cluster(7, 3);
    sim.runUntil(20_000);
    for (const lb of ['n1', 'n2', 'n3']) {
      const v = sim.view(lb);
      expect(['n1', 'n2', 'n3'].map((id) => v.members[id]?.status)).toEqual(['alive', 'alive', 'alive']);
    }
  });

  it('a crashed load balancer is declared failed by the others through SWIM (our SWIM core, not the stub)', () => {
    const sim = cluster(7, 3);
    sim.runUntil(20_000);
    sim.input('n3', { type: 'crash' });
    sim.runUntil(40_000);
    const failed = sim.events.filter((e) => e.event.kind === 'failed' && e.event.member === 'n3').map((e) => e.node);
    expect(failed.sort()).toEqual(['n1', 'n2']);
  });

  it('backends hold no one but themselves', () => {
    const sim = cluster(4, 2);
    sim.runUntil(20_000);
    expect(Object.keys(sim.view('n3').members)).toEqual(['n3']);
  });

  it("a load balancer's view holds the load balancers and its own backends", () => {
    const sim = cluster(6, 2);
    sim.runUntil(20_000);
    expect(Object.keys(sim.view('n1').members).sort()).toEqual(['n1', 'n2', 'n3', 'n5']);
  });

  it('a registration naming someone other than its sender is ignored', () => {
    const [lb, backend] = hybridCluster(2, { loadBalancers: 1, governators: 0 });
    const s = hybridNode.init(lb).state;
    const r = hybridNode.step(s, { type: 'receive', from: 'n9', message: { kind: 'register', info: backend.info }, now: 1 });
    expect(r.outputs).toEqual([]);
    expect(hybridNode.view(r.state).members.n2).toBeUndefined();
  });

  it('a stale health answer (an older seq) changes nothing', () => {
    const [lb, backend] = hybridCluster(2, { loadBalancers: 1, governators: 0 });
    let s = hybridNode.init(lb).state;
    s = hybridNode.step(s, { type: 'receive', from: 'n2', message: { kind: 'register', info: backend.info }, now: 1 }).state;
    s = hybridNode.step(s, { type: 'timer', timer: 'healthRound', now: 5_000 }).state;
    const r = hybridNode.step(s, { type: 'receive', from: 'n2', message: { kind: 'healthReply', seq: 99, ready: false }, now: 5_001 });
    expect(r.outputs).toEqual([]);
    expect(r.state).toBe(s);
  });

  it('the same state and input give the same result', () => {
    const setups = hybridCluster(4, { loadBalancers: 2, governators: 0 });
    const a = hybridNode.init(setups[1]);
    const b = hybridNode.init(setups[1]);
    expect(hybridNode.encode(a.state)).toBe(hybridNode.encode(b.state));
    const input = { type: 'timer', timer: 'probe', now: 1_000 } as const;
    expect(hybridNode.step(a.state, input)).toEqual(hybridNode.step(b.state, input));
  });

  it('backends are spread over the load balancers by index', () => {
    const setups = hybridCluster(10, { loadBalancers: 3, governators: 1 });
    expect(setups.map((s) => [s.info.nodeType, s.seeds.join()])).toEqual([
      ['proxy', ''],
      ['proxy', 'n1'],
      ['proxy', 'n1'],
      ['governator', ''],
      ['backend', 'n1'],
      ['backend', 'n2'],
      ['backend', 'n3'],
      ['backend', 'n1'],
      ['backend', 'n2'],
      ['backend', 'n3'],
    ]);
  });

  it('a bad topology or config is refused with the knob named', () => {
    expect(() => hybridCluster(3, { loadBalancers: 0, governators: 0 })).toThrow(ConfigError);
    expect(() => hybridCluster(3, { loadBalancers: 2, governators: 2 })).toThrow(/governators/);
    expect(() => validateHybridConfig({ ...HYBRID_DEFAULTS, healthTimeoutMs: 40_000 })).toThrow(/healthTimeoutMs/);
    expect(() => validateHybridConfig({ ...HYBRID_DEFAULTS, healthLoop: 'tcp' as 'proxy' })).toThrow(/healthLoop/);
  });

  it('a crashed backend stops answering, and its restart registers it again', () => {
    const sim = cluster(3, 1);
    sim.runUntil(31_000);
    sim.input('n2', { type: 'crash' });
    sim.runUntil(66_000);
    expect(routes(sim, 'n1')).toEqual(['n3']);
    sim.input('n2', { type: 'restart' });
    sim.runUntil(66_010);
    expect(routes(sim, 'n1')).toEqual(['n2', 'n3']);
  });
});
