/**
 * The SWIM core in small clusters on the deterministic test network (sim.ts): join, failure detection,
 * leave, metadata propagation and anti-entropy, judged by the shared and SWIM properties.
 */
import { describe, expect, it } from 'vitest';
import { SWIM_LAN, SWIM_LOCAL, type SwimCoreConfig, type SwimState, swimCluster, swimCore } from '../../impl/swim/index.js';
import type { NodeId } from '../../spec/node.js';
import { type Observation, SHARED_PROPERTIES, agreement, completeness, freshness } from '../../spec/properties.js';
import { SWIM_PROPERTIES } from '../../spec/swim-properties.js';
import type { SwimMessage } from '../../spec/swim.js';
import { Sim } from './sim.js';

const FAST: SwimCoreConfig = { ...SWIM_LAN, pushPullIntervalMs: 5_000, reapAfterMs: 0 };

function cluster(n: number, config: SwimCoreConfig = FAST): Sim<SwimState, SwimMessage, SwimCoreConfig> {
  return new Sim(swimCore, swimCluster(n, config));
}

function observe(sim: Sim<SwimState, SwimMessage, SwimCoreConfig>): Observation {
  const views: Record<NodeId, ReturnType<typeof sim.view>> = {};
  const up: Record<NodeId, boolean> = {};
  const announced: Record<NodeId, { info: import('../../spec/node.js').NodeInfo; version: number }[]> = {};
  for (const id of sim.states.keys()) {
    views[id] = sim.view(id);
    up[id] = sim.up.get(id) ?? false;
    announced[id] = [];
  }
  for (const e of sim.events) if (e.event.kind === 'announced') announced[e.node].push({ info: e.event.info, version: e.event.version });
  return { views, up, announced };
}

/** Runs in 100 ms slices, checking every `always` property between slices. */
function runChecked(sim: Sim<SwimState, SwimMessage, SwimCoreConfig>, until: number, properties: readonly (typeof SHARED_PROPERTIES)[number][] = [...SHARED_PROPERTIES, ...SWIM_PROPERTIES]): void {
  let before = observe(sim);
  for (let t = sim.now + 100; t <= until; t += 100) {
    sim.runUntil(t);
    const now = observe(sim);
    for (const p of properties) {
      if (p.temporal === 'always') expect(p.check(now, before), p.name).toBeNull();
    }
    before = now;
  }
}

describe('SWIM core in a cluster', () => {
  it('five nodes joining through one seed all hold each other alive', () => {
    const sim = cluster(5);
    runChecked(sim, 5_000);
    expect(agreement.check(observe(sim))).toBeNull();
  });

  it('every live node marks a crashed node failed, and no live node is ever marked dead', () => {
    const sim = cluster(5);
    sim.runUntil(3_000);
    sim.input('n4', { type: 'crash' });
    runChecked(sim, 40_000);
    expect(completeness.check(observe(sim))).toBeNull();
    for (const id of ['n1', 'n2', 'n3', 'n5']) expect(sim.view(id).members.n4.status).toBe('dead');
  });

  it('a graceful leave is recorded as left, not failed', () => {
    const sim = cluster(4);
    sim.runUntil(3_000);
    sim.input('n3', { type: 'command', command: { kind: 'leave' } });
    runChecked(sim, 40_000);
    for (const id of ['n1', 'n2', 'n4']) expect(sim.view(id).members.n3.status).toBe('left');
    expect(sim.events.some((e) => e.event.kind === 'failed')).toBe(false);
  });

  it('a node that left and joins again comes back at a higher incarnation', () => {
    const sim = cluster(3);
    sim.runUntil(3_000);
    sim.input('n3', { type: 'command', command: { kind: 'leave' } });
    sim.runUntil(6_000);
    sim.input('n3', { type: 'command', command: { kind: 'join', seeds: ['n1'] } });
    runChecked(sim, 12_000);
    for (const id of ['n1', 'n2']) expect(sim.view(id).members.n3).toMatchObject({ status: 'alive', version: 1 });
  });

  it("a member's new NodeInfo reaches every node", () => {
    const sim = cluster(5);
    sim.runUntil(3_000);
    sim.input('n2', { type: 'command', command: { kind: 'update', patch: { address: '10.9.0.2:8080' } } });
    runChecked(sim, 8_000);
    expect(freshness.check(observe(sim))).toBeNull();
  });

  it('push-pull repairs a node that missed every gossiped update', () => {
    const sim = cluster(4, { ...FAST, gossipIntervalMs: 0 });
    sim.runUntil(3_000);
    // n4 hears no piggybacked updates for a while: only full-state exchanges get through to it.
    sim.drop = (_from, to, m) => to === 'n4' && m.kind !== 'sync' && m.kind !== 'syncReply' && m.kind !== 'ping';
    sim.input('n2', { type: 'command', command: { kind: 'update', patch: { address: '10.9.0.2:8080' } } });
    sim.runUntil(4_000);
    expect(sim.view('n4').members.n2.info.address).not.toBe('10.9.0.2:8080');
    sim.runUntil(20_000);
    expect(sim.view('n4').members.n2.info.address).toBe('10.9.0.2:8080');
  });

  it('a node cut off from everyone is suspected, refutes when it hears of it, and stays alive', () => {
    const sim = cluster(4);
    sim.runUntil(3_000);
    // n3's outgoing acks are lost for two seconds: others suspect it; once heard again it refutes.
    sim.drop = (from, _to, m) => from === 'n3' && m.kind === 'ack' && sim.now < 5_000;
    runChecked(sim, 30_000);
    expect(sim.events.some((e) => e.event.kind === 'suspected' && e.event.member === 'n3')).toBe(true);
    expect(sim.states.get('n3')!.incarnation).toBeGreaterThan(0);
    for (const id of ['n1', 'n2', 'n4']) expect(sim.view(id).members.n3.status).toBe('alive');
  });
});

describe('SWIM core: probing and gossip', () => {
  it('probes every active member once per pass of the round-robin order', () => {
    const sim = cluster(5, { ...FAST, gossipIntervalMs: 0, pushPullIntervalMs: 0 });
    sim.runUntil(3_000);
    // Start watching at a pass boundary: n1 has just probed the last member of its order.
    const n1 = () => sim.states.get('n1')!;
    while (n1().probeIndex < n1().probeOrder.length) sim.runUntil(sim.now + 50);
    const from = sim.sent.length;
    sim.runUntil(sim.now + 10 * 1_000);
    const targets = sim.sent.slice(from).filter((s) => s.from === 'n1' && s.message.kind === 'ping').map((s) => s.to);
    expect(targets.slice(0, 4).sort()).toEqual(['n2', 'n3', 'n4', 'n5']);
  });

  it('the gossip timer sends queued updates to gossipNodes random members and reports them', () => {
    let state = swimCore.init(swimCluster(6, FAST)[0]).state;
    const r0 = swimCore.step(state, {
      type: 'receive',
      from: 'n2',
      now: 0,
      message: { kind: 'syncReply', members: swimCluster(6, FAST).map((s) => ({ member: s.id, status: 'alive', incarnation: 0, info: s.info, health: { ready: true, loadBucket: 0 } })) },
    });
    state = r0.state;
    const r = swimCore.step(state, { type: 'timer', timer: 'gossip', now: 200 });
    const sends = r.outputs.filter((o) => o.type === 'send');
    expect(r.choice).toHaveLength(3);
    expect(sends.map((o) => (o.type === 'send' ? o.to : ''))).toEqual(r.choice);
    expect(sends.every((o) => o.type === 'send' && o.message.kind === 'gossip' && o.message.updates.length > 0)).toBe(true);
  });

  it('the same state and input always give the same result (the generator lives in the state)', () => {
    const state = swimCore.init(swimCluster(6, FAST)[1]).state;
    const a = swimCore.step(state, { type: 'timer', timer: 'probe', now: 1_000 });
    const b = swimCore.step(state, { type: 'timer', timer: 'probe', now: 1_000 });
    expect(b).toEqual(a);
  });
});

describe('SWIM core: partition heal (reconnect)', () => {
  const SIDE_A = new Set(['n1', 'n2', 'n3']);
  const across = (a: string, b: string): boolean => SIDE_A.has(a) !== SIDE_A.has(b);
  const ids = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];

  /** Six nodes on SWIM_LAN (reaping at 30 s), split 3/3 from 5 s to 35 s. */
  function partitioned(config: SwimCoreConfig): Sim<SwimState, SwimMessage, SwimCoreConfig> {
    const sim = cluster(6, config);
    sim.runUntil(5_000);
    sim.drop = (from, to) => sim.now < 35_000 && across(from, to);
    sim.runUntil(35_000);
    // The split was real: each side has declared the other dead (and not yet reaped it).
    for (const a of ids) for (const b of ids) if (across(a, b)) expect(sim.view(a).members[b]?.status, `${a} on ${b}`).toBe('dead');
    return sim;
  }

  function everyoneAlive(sim: Sim<SwimState, SwimMessage, SwimCoreConfig>): boolean {
    return ids.every((a) => ids.every((b) => sim.view(a).members[b]?.status === 'alive'));
  }

  it('both sides of a healed partition re-merge within 20 s: the wrongly dead refute', () => {
    const sim = partitioned(SWIM_LAN);
    // Accuracy and agreement assume no partition; SWIM's own safety properties hold throughout.
    runChecked(sim, 55_000, SWIM_PROPERTIES);
    expect(everyoneAlive(sim)).toBe(true);
    for (const id of ids) expect(sim.states.get(id)!.incarnation, id).toBeGreaterThan(0);
  });

  it('healing declares no one on a node\'s own side failed: stale deaths arrive as suspicions, and are refuted', () => {
    const sim = partitioned(SWIM_LAN);
    sim.runUntil(55_000);
    const sameSide = sim.events.filter((e) => e.at >= 35_000 && e.event.kind === 'failed' && !across(e.node, e.event.member));
    expect(sameSide).toEqual([]);
  });

  it('without reconnect, a healed partition stays split (what the mechanism is for)', () => {
    const sim = partitioned({ ...SWIM_LAN, reconnectIntervalMs: 0 });
    sim.runUntil(50_000);
    expect(everyoneAlive(sim)).toBe(false);
  });

  it('a member that left is never contacted again, a crashed one is tried until it is reaped', () => {
    const sim = cluster(6, SWIM_LAN);
    sim.runUntil(5_000);
    sim.input('n5', { type: 'command', command: { kind: 'leave' } });
    sim.input('n6', { type: 'crash' });
    const from = sim.sent.length;
    sim.runUntil(80_000);
    const syncsTo = (id: string) => sim.sent.slice(from).filter((s) => s.to === id && s.message.kind === 'sync');
    expect(syncsTo('n5')).toEqual([]);
    expect(syncsTo('n6').length).toBeGreaterThan(0);
    // Reaped (30 s after it was declared dead, by 80 s at the latest): no more tries.
    expect(syncsTo('n6').every((s) => s.at < 75_000)).toBe(true);
  });
});

describe('SWIM core: dissemination budget of the presets', () => {
  it('on the local preset, 40 nodes joining through one seed all know each other within 2 s, without waiting for push-pull', () => {
    // With λ = 2 (4 sends per node and update below 100 members) a few (node, member) pairs missed
    // the joiners' announcements and waited for push-pull: converged at 15.1 s here.
    const sim = cluster(40, SWIM_LOCAL);
    const ids = [...sim.states.keys()];
    sim.runUntil(2_000);
    const missing = ids.flatMap((a) => ids.filter((b) => sim.view(a).members[b]?.status !== 'alive').map((b) => `${a}→${b}`));
    expect(missing).toEqual([]);
  });
});
