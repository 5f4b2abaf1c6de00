/**
 * inferno-current against what Inferno's code does (the parent of commit 4dce5c6; unchanged at HEAD
 * for every fact here). One test per fact, named for it with the file it comes from;
 * docs/inferno-current.md lists them with the departures.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../spec/errors.js';
import { LIBRARY_HEALTH_LOOP, PROXY_HEALTH_LOOP, infernoCluster, infernoNode, validateInfernoConfig } from '../../impl/inferno/index.js';
import { NOT_READY, cluster, routes, sentOf } from './helpers.js';

describe("inferno-current, as Inferno's code behaves", () => {
  it('a backend registers once, at process start, with every load balancer of its list (backend registration.rs), never again', () => {
    const sim = cluster(5, 2);
    sim.runUntil(300_000);
    expect(sentOf(sim, 'register').map((s) => [s.from, s.to, s.at])).toEqual([
      ['n3', 'n1', 0], ['n3', 'n2', 0], ['n4', 'n1', 0], ['n4', 'n2', 0], ['n5', 'n1', 0], ['n5', 'n2', 0],
    ]);
    expect(routes(sim, 'n1')).toEqual(['n3', 'n4', 'n5']);
  });

  it("a backend ignores the registration's answer, success or refusal (registration.rs only logs it)", () => {
    const [, backend] = infernoCluster(2, { loadBalancers: 1, governators: 0 });
    const s = infernoNode.init(backend).state;
    for (const message of [{ kind: 'registered' } as const, { kind: 'refused', reason: 'already exists' } as const]) {
      const r = infernoNode.step(s, { type: 'receive', from: 'n1', message, now: 10 });
      expect(r.outputs).toEqual([]);
      expect(r.state).toBe(s);
    }
  });

  it('a registration that fails is never retried (registration.rs: warn and go on to the next load balancer)', () => {
    const sim = cluster(3, 2, PROXY_HEALTH_LOOP, 0, (_from, to, m) => m.kind === 'register' && to === 'n1');
    sim.runUntil(300_000);
    expect(routes(sim, 'n1')).toEqual([]);
    expect(routes(sim, 'n2')).toEqual(['n3']);
    expect(sentOf(sim, 'register')).toHaveLength(2);
  });

  it("a backend's update is never sent: the backend binary has no update path (broadcast_self_update has no caller)", () => {
    const sim = cluster(3, 1);
    sim.runUntil(1_000);
    const before = sim.sent.length;
    sim.input('n3', { type: 'command', command: { kind: 'update', patch: { address: '10.9.9.9:8080' } } });
    expect(sim.sent.length).toBe(before);
    sim.runUntil(300_000);
    expect(sim.view('n1').members.n3.info.address).not.toBe('10.9.9.9:8080');
    expect(sim.view('n3').members.n3.info.address).toBe('10.9.9.9:8080');
  });

  it('leaving tells no one: deregister is a placeholder that only logs (registration.rs)', () => {
    const sim = cluster(3, 1);
    sim.runUntil(1_000);
    const before = sim.sent.length;
    sim.input('n3', { type: 'command', command: { kind: 'leave' } });
    expect(sim.sent.length).toBe(before);
  });

  it("a load balancer refuses an id it already holds and keeps the old record (service.rs register_backend: 'already exists')", () => {
    const [lb, backend] = infernoCluster(2, { loadBalancers: 1, governators: 0 });
    let s = infernoNode.init(lb).state;
    s = infernoNode.step(s, { type: 'receive', from: 'n2', message: { kind: 'register', info: backend.info }, now: 1 }).state;
    const moved = { ...backend.info, address: '10.9.9.9:8080' };
    const r = infernoNode.step(s, { type: 'receive', from: 'n2', message: { kind: 'register', info: moved }, now: 2 });
    expect(r.outputs).toEqual([{ type: 'send', to: 'n2', message: { kind: 'refused', reason: "Backend with ID 'n2' already exists" } }]);
    expect(infernoNode.view(r.state).members.n2.info.address).toBe(backend.info.address);
  });

  it('load balancers know nothing of each other: no message passes between them, and none holds another', () => {
    const sim = cluster(6, 3);
    sim.runUntil(300_000);
    const lbs = new Set(['n1', 'n2', 'n3']);
    expect(sim.sent.filter((s) => lbs.has(s.from) && lbs.has(s.to))).toEqual([]);
    expect(Object.keys(sim.view('n1').members).sort()).toEqual(['n1', 'n4', 'n5', 'n6']);
  });

  it('the health loop ticks every 30 s, the proxy CLI default (proxy cli_options.rs --health-check-interval 30)', () => {
    const sim = cluster(2, 1);
    sim.runUntil(95_000);
    expect(sentOf(sim, 'healthCheck').map((s) => s.at)).toEqual([30_000, 60_000, 90_000]);
  });

  it('backends are checked one after another, each check awaited (proxy server.rs start_health_checking)', () => {
    const sim = cluster(4, 1);
    sim.runUntil(31_000);
    // 1 ms each way: each check is sent when the one before it is answered.
    expect(sentOf(sim, 'healthCheck').map((s) => [s.to, s.at])).toEqual([['n2', 30_000], ['n3', 30_002], ['n4', 30_004]]);
  });

  it('a check is a TCP connect that fails after 5 s without an answer (proxy to_config hard-codes the timeout)', () => {
    const sim = cluster(3, 1);
    sim.runUntil(1_000);
    sim.input('n2', { type: 'crash' });
    sim.runUntil(34_000);
    // n2 (first in the round) times out at 35 s; only then is n3 checked.
    expect(sentOf(sim, 'healthCheck').map((s) => [s.to, s.at])).toEqual([['n2', 30_000]]);
    sim.runUntil(36_000);
    expect(sentOf(sim, 'healthCheck').map((s) => [s.to, s.at])).toEqual([['n2', 30_000], ['n3', 35_000]]);
  });

  it('the backends that failed are removed together when the round ends (proxy server.rs step 3)', () => {
    const sim = cluster(4, 1);
    sim.runUntil(1_000);
    sim.input('n2', { type: 'crash' });
    sim.input('n3', { type: 'crash' });
    sim.runUntil(39_000);
    expect(routes(sim, 'n1')).toEqual(['n2', 'n3', 'n4']);
    sim.runUntil(41_000);
    expect(routes(sim, 'n1')).toEqual(['n4']);
    expect(sim.events.filter((e) => e.event.kind === 'removed').map((e) => e.at)).toEqual([40_002, 40_002]);
  });

  it('ready: false is not read: the TCP connect succeeds and the backend stays routed (proxy server.rs check_peer_health)', () => {
    const sim = cluster(3, 1);
    sim.runUntil(1_000);
    sim.input('n2', { type: 'command', command: { kind: 'vitals', vitals: NOT_READY } });
    sim.runUntil(300_000);
    expect(routes(sim, 'n1')).toEqual(['n2', 'n3']);
  });

  it('a removed backend comes back only by registering again, which it does only at process start', () => {
    const sim = cluster(2, 1);
    sim.runUntil(1_000);
    sim.drop = (from, to) => from === 'n2' || to === 'n2';
    sim.runUntil(40_000);
    expect(routes(sim, 'n1')).toEqual([]);
    sim.drop = () => false;
    sim.runUntil(600_000);
    expect(routes(sim, 'n1')).toEqual([]);
    sim.input('n2', { type: 'crash' });
    sim.input('n2', { type: 'restart' });
    sim.runUntil(601_000);
    expect(routes(sim, 'n1')).toEqual(['n2']);
  });

  it('a restarted load balancer has forgotten every backend, and no backend registers again (registrations live in memory)', () => {
    const sim = cluster(4, 1);
    sim.runUntil(1_000);
    sim.input('n1', { type: 'crash' });
    sim.input('n1', { type: 'restart' });
    sim.runUntil(300_000);
    expect(routes(sim, 'n1')).toEqual([]);
  });

  it('a tick during a round is owed, not lost: the next round starts when this one ends (tokio interval, default burst)', () => {
    // Seven silent backends take 7 × 5 s = 35 s, past the next tick at 60 s from a round begun at 30 s.
    const sim = cluster(8, 1);
    sim.runUntil(1_000);
    for (let i = 2; i <= 8; i++) sim.input(`n${i}`, { type: 'crash' });
    sim.runUntil(200_000);
    expect(sim.events.filter((e) => e.event.kind === 'removed').map((e) => e.at)).toEqual(Array(7).fill(65_000));
    expect(routes(sim, 'n1')).toEqual([]);
  });

  it('the governator takes no part: it sends nothing', () => {
    const sim = cluster(4, 1, PROXY_HEALTH_LOOP, 1);
    sim.runUntil(300_000);
    expect(sim.sent.filter((s) => s.from === 'n2' || s.to === 'n2')).toEqual([]);
  });

  it('a health timeout not below the interval is refused, as Inferno validates it (proxy and service-discovery config.rs)', () => {
    expect(() => validateInfernoConfig({ ...PROXY_HEALTH_LOOP, healthTimeoutMs: 30_000 })).toThrow(ConfigError);
  });
});

describe('variant inferno-library-health: the library loop nothing in Inferno calls (service.rs start_health_check_loop)', () => {
  it('checks every backend at once every 5 s', () => {
    const sim = cluster(4, 1, LIBRARY_HEALTH_LOOP);
    sim.runUntil(6_000);
    expect(sentOf(sim, 'healthCheck').map((s) => [s.to, s.at])).toEqual([['n2', 5_000], ['n3', 5_000], ['n4', 5_000]]);
  });

  it('removes a backend answering ready: false at once', () => {
    const sim = cluster(3, 1, LIBRARY_HEALTH_LOOP);
    sim.runUntil(1_000);
    sim.input('n2', { type: 'command', command: { kind: 'vitals', vitals: NOT_READY } });
    sim.runUntil(5_010);
    expect(routes(sim, 'n1')).toEqual(['n3']);
  });

  it('removes a silent backend at its 2 s timeout', () => {
    const sim = cluster(3, 1, LIBRARY_HEALTH_LOOP);
    sim.runUntil(1_000);
    sim.input('n2', { type: 'crash' });
    sim.runUntil(7_100);
    expect(sim.events.filter((e) => e.event.kind === 'removed').map((e) => [e.event.kind === 'removed' && e.event.member, e.at])).toEqual([['n2', 7_000]]);
  });
});
