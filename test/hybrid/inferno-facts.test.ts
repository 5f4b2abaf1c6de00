/**
 * The hybrid baseline against what Inferno's PR #17 code states (commit 4dce5c6, unchanged at HEAD;
 * docs/hybrid.md gives each reference). One test per fact, named for it.
 */
import { describe, expect, it } from 'vitest';
import type { MemberUpdate } from '../../spec/swim.js';
import { isHttpMessage } from '../../spec/hybrid.js';
import { HYBRID_WITH_LIBRARY_HEALTH } from '../../impl/hybrid/index.js';
import { cluster, httpSent, NOT_READY, routes, swimSent } from './helpers.js';

describe("Inferno's hybrid, as its code states it", () => {
  it('SWIM members are load balancers only: a backend sends and receives no SWIM message (swim.rs spec 1, 2)', () => {
    const sim = cluster(6, 2);
    sim.runUntil(60_000);
    const backends = new Set(['n3', 'n4', 'n5', 'n6']);
    const touching = swimSent(sim).filter((s) => backends.has(s.from) || backends.has(s.to));
    expect(swimSent(sim).length).toBeGreaterThan(0);
    expect(touching).toEqual([]);
  });

  it('SWIM gossip carries only load balancer state, never a backend record (swim.rs spec 4, 5)', () => {
    const sim = cluster(6, 3);
    sim.runUntil(60_000);
    const named = new Set<string>();
    for (const s of swimSent(sim)) {
      const m = s.message;
      if (isHttpMessage(m)) continue;
      const updates: readonly MemberUpdate[] = 'updates' in m ? m.updates : [];
      for (const u of updates) named.add(u.member);
      if (m.kind === 'join') named.add(m.self.member);
      if (m.kind === 'sync' || m.kind === 'syncReply') for (const r of m.members) named.add(r.member);
    }
    expect([...named].sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('a backend registers once, at process start, with its one load balancer (registration.rs, no re-announcement)', () => {
    const sim = cluster(5, 2);
    sim.runUntil(120_000);
    const registrations = httpSent(sim).filter((s) => s.message.kind === 'register');
    expect(registrations.map((s) => [s.from, s.to])).toEqual([
      ['n3', 'n1'],
      ['n4', 'n2'],
      ['n5', 'n1'],
    ]);
  });

  it('a load balancer routes only to the backends registered with it (swim.rs spec 3)', () => {
    const sim = cluster(6, 2);
    sim.runUntil(10_000);
    expect(routes(sim, 'n1')).toEqual(['n3', 'n5']);
    expect(routes(sim, 'n2')).toEqual(['n4', 'n6']);
  });

  it('each load balancer checks its backends every 30 s, one TCP connect at a time (server.rs start_health_checking, unchanged at 521355c)', () => {
    const sim = cluster(3, 1);
    sim.runUntil(60_500);
    const checks = httpSent(sim).filter((s) => s.message.kind === 'healthCheck');
    // n2 is checked, answers 1 ms + 1 ms later, and only then is n3 checked.
    expect(checks.map((s) => [s.at, s.to])).toEqual([
      [30_000, 'n2'],
      [30_002, 'n3'],
      [60_000, 'n2'],
      [60_002, 'n3'],
    ]);
  });

  it('a connect unanswered within 5 s fails, and the round removes the backend when it ends', () => {
    const sim = cluster(3, 1);
    sim.runUntil(31_000);
    sim.input('n2', { type: 'crash' });
    sim.runUntil(66_000);
    const removed = sim.events.filter((e) => e.node === 'n1' && e.event.kind === 'removed');
    // n2's check times out at 65 s, n3 is checked then and answers at 65.002 s, and the round ends.
    expect(removed.map((e) => [e.at, e.event.kind === 'removed' && e.event.member])).toEqual([[65_002, 'n2']]);
    expect(routes(sim, 'n1')).toEqual(['n3']);
  });

  it('a backend answering ready: false stays routed: the connect is accepted and `ready` is never read', () => {
    const sim = cluster(3, 1);
    sim.runUntil(6_000);
    sim.input('n3', { type: 'command', command: { kind: 'vitals', vitals: NOT_READY } });
    sim.runUntil(120_000);
    expect(routes(sim, 'n1')).toEqual(['n2', 'n3']);
  });

  it('a backend removed by the loop is routed again once its restart registers it', () => {
    const sim = cluster(3, 1);
    sim.runUntil(31_000);
    sim.input('n3', { type: 'crash' });
    sim.runUntil(66_000);
    expect(routes(sim, 'n1')).toEqual(['n2']);
    sim.input('n3', { type: 'restart' });
    sim.runUntil(66_010);
    expect(routes(sim, 'n1')).toEqual(['n2', 'n3']);
  });

  it("a load balancer's registrations die with its process: after a restart it routes to none of its backends", () => {
    const sim = cluster(6, 2);
    sim.runUntil(10_000);
    sim.input('n1', { type: 'crash' });
    sim.input('n1', { type: 'restart' });
    sim.runUntil(120_000);
    expect(routes(sim, 'n1')).toEqual([]);
    // …and no other load balancer picks them up: n3 and n5 are routed by no one.
    expect(routes(sim, 'n2')).toEqual(['n4', 'n6']);
  });

  it('a governator takes no part: it sends nothing and nothing is sent to it', () => {
    const sim = cluster(6, 2, undefined, 1);
    sim.runUntil(60_000);
    expect(sim.sent.filter((s) => s.from === 'n3' || s.to === 'n3')).toEqual([]);
  });
});

describe('variant hybrid-library-health: the library loop no Inferno binary calls', () => {
  it('each load balancer checks each of its backends every 5 s (service.rs start_health_check_loop)', () => {
    const sim = cluster(3, 1, HYBRID_WITH_LIBRARY_HEALTH);
    sim.runUntil(20_500);
    const checks = httpSent(sim).filter((s) => s.message.kind === 'healthCheck');
    expect(checks.map((s) => s.at)).toEqual([5_000, 10_000, 15_000, 20_000].flatMap((t) => [t, t]));
  });

  it('one check unanswered within 2 s removes the backend (failure_threshold is never read)', () => {
    const sim = cluster(3, 1, HYBRID_WITH_LIBRARY_HEALTH);
    sim.runUntil(6_000);
    sim.input('n2', { type: 'crash' });
    sim.runUntil(12_100);
    const removed = sim.events.filter((e) => e.node === 'n1' && e.event.kind === 'removed');
    expect(removed.map((e) => [e.at, e.event.kind === 'removed' && e.event.member])).toEqual([[12_000, 'n2']]);
    expect(routes(sim, 'n1')).toEqual(['n3']);
  });

  it('an answer ready: false removes the backend at that check', () => {
    const sim = cluster(3, 1, HYBRID_WITH_LIBRARY_HEALTH);
    sim.runUntil(6_000);
    sim.input('n3', { type: 'command', command: { kind: 'vitals', vitals: NOT_READY } });
    sim.runUntil(10_100);
    expect(routes(sim, 'n1')).toEqual(['n2']);
  });

  it('a removed backend comes back only by registering again: ready again, it stays out (recovery_threshold is never read)', () => {
    const sim = cluster(3, 1, HYBRID_WITH_LIBRARY_HEALTH);
    sim.runUntil(6_000);
    sim.input('n3', { type: 'command', command: { kind: 'vitals', vitals: NOT_READY } });
    sim.runUntil(11_000);
    sim.input('n3', { type: 'command', command: { kind: 'vitals', vitals: { ...NOT_READY, ready: true } } });
    sim.runUntil(60_000);
    expect(routes(sim, 'n1')).toEqual(['n2']);
    sim.input('n3', { type: 'crash' });
    sim.input('n3', { type: 'restart' });
    sim.runUntil(60_010);
    expect(routes(sim, 'n1')).toEqual(['n2', 'n3']);
  });

});
