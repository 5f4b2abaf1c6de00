import { describe, expect, it } from 'vitest';
import {
  type MajorityConfig,
  type MajorityMessage,
  type MajorityState,
  type NodeSetup,
  MAJORITY_PRESETS,
  getHealthyBackends,
  majorityCluster,
  majorityConfig,
  majorityNode,
  ConfigError,
} from 'alice';
import { LocalCluster } from '../../impl/runtime/local-cluster.js';

const local = MAJORITY_PRESETS.local;
const cluster = (n: number, cfg: MajorityConfig = local): LocalCluster<MajorityState, MajorityMessage, MajorityConfig> =>
  new LocalCluster(majorityNode, majorityCluster(n, cfg, { now: 1_000_000 }));

describe('majority node core', () => {
  it('announces its own record at start', () => {
    const [setup] = majorityCluster(1, local, { now: 5_000 });
    const { outputs } = majorityNode.init(setup);
    expect(outputs[0]).toMatchObject({ type: 'notify', event: { kind: 'announced', version: 0, info: { id: 'n1', lastUpdated: 5_000 } } });
  });

  it('sends a registration to every seed, in id order, and arms the registration timer', () => {
    const [setup] = majorityCluster(3, local);
    const sends = majorityNode.init(setup).outputs.filter((o) => o.type === 'send');
    expect(sends.map((o) => o.type === 'send' && o.to)).toEqual(['n2', 'n3']);
    expect(majorityNode.init(setup).outputs).toContainEqual({ type: 'setTimer', timer: 'registration', after: local.registrationTimeoutMs });
  });

  it('registers, resolves and converges: every node knows every node', () => {
    const c = cluster(4);
    c.runFor(100);
    for (const id of c.ids()) expect(Object.keys(c.view(id).members).sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(c.notifications.some((n) => n.event.kind === 'resolved')).toBe(true);
  });

  it('propagates a self-sovereign update to every peer', () => {
    const c = cluster(3);
    c.runFor(100);
    c.command('n2', { kind: 'update', patch: { address: '10.9.9.9:8080' } });
    c.runFor(100);
    for (const id of c.ids()) expect(c.view(id).members.n2.info.address).toBe('10.9.9.9:8080');
    expect(c.view('n1').members.n2.version).toBe(1);
  });

  it('rejects an update for another node with a typed NOT_OWNER notification and keeps its record', () => {
    const c = cluster(2);
    c.runFor(100);
    const before = c.view('n1').members.n2.info;
    const forged: MajorityMessage = { kind: 'update', originator: 'n2', info: { ...before, address: 'evil:1' }, version: 9 };
    const r = majorityNode.step(c.state('n1'), { type: 'receive', from: 'n3', message: forged, now: 0 });
    expect(r.outputs).toContainEqual({ type: 'notify', event: expect.objectContaining({ kind: 'rejected', code: 'NOT_OWNER' }) });
    expect(majorityNode.view(r.state).members.n2.info).toEqual(before);
  });

  it('ignores an update older than the version it holds', () => {
    const c = cluster(2);
    c.runFor(100);
    c.command('n2', { kind: 'update', patch: { address: 'new:1' } });
    c.runFor(100);
    const stale: MajorityMessage = { kind: 'update', originator: 'n2', info: { ...c.view('n1').members.n2.info, address: 'old:1' }, version: 0 };
    const r = majorityNode.step(c.state('n1'), { type: 'receive', from: 'n2', message: stale, now: 0 });
    expect(majorityNode.view(r.state).members.n2.info.address).toBe('new:1');
  });

  it('retries an unacknowledged update with exponential backoff, at most maxUpdateRetries times', () => {
    const c = cluster(2);
    c.runFor(100);
    c.crash('n2');
    c.command('n1', { kind: 'update', patch: { address: 'x:1' } });
    const retries: number[] = [];
    let state = c.state('n1');
    for (let i = 0; i < 6; i++) {
      const r = majorityNode.step(state, { type: 'timer', timer: 'updateRetry', now: 0 });
      state = r.state;
      const armed = r.outputs.find((o) => o.type === 'setTimer');
      if (armed && armed.type === 'setTimer') retries.push(armed.after);
    }
    expect(retries).toEqual([200, 400, 800, 1600]);
  });

  it('lets a load balancer drop a backend that reports ready: false', () => {
    const c = cluster(3);
    c.runFor(100);
    c.command('n3', { kind: 'vitals', vitals: { ready: false, requestsInProgress: 0, cpuUsage: 0, memoryUsage: 0, failedResponses: 0, connectedPeers: 0, backoffRequests: 0 } });
    c.runFor(local.healthIntervalMs + 50);
    expect(getHealthyBackends(c.state('n1')).map((b) => b.id)).toEqual(['n2']);
    expect(c.notifications).toContainEqual(expect.objectContaining({ node: 'n1', event: { kind: 'removed', member: 'n3', reason: 'not ready' } }));
  });

  it('lets a load balancer drop an unreachable backend, while nodes that do not health-check keep it', () => {
    const c = cluster(3);
    c.runFor(100);
    c.crash('n3');
    c.runFor(local.healthIntervalMs + local.healthTimeoutMs + 50);
    expect(c.view('n1').members.n3).toBeUndefined();
    expect(c.view('n2').members.n3?.status).toBe('alive');
  });

  it('restarts from its setup and registers again after a crash', () => {
    const c = cluster(3);
    c.runFor(100);
    c.crash('n2');
    expect(Object.keys(c.view('n2').members)).toEqual(['n2']);
    c.restart('n2');
    c.runFor(100);
    expect(Object.keys(c.view('n2').members).sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('ignores every input while crashed', () => {
    const c = cluster(2);
    c.crash('n1');
    const s = c.state('n1');
    expect(majorityNode.step(s, { type: 'timer', timer: 'health', now: 0 })).toEqual({ state: s, outputs: [] });
  });

  it('resolves with the replies it has when the registration timer fires, and says so when it has none', () => {
    const setups: NodeSetup<MajorityConfig>[] = majorityCluster(2, local);
    const { state } = majorityNode.init(setups[0]);
    const r = majorityNode.step(state, { type: 'timer', timer: 'registration', now: 0 });
    expect(r.state.phase).toBe('serving');
    expect(r.outputs).toContainEqual({ type: 'notify', event: expect.objectContaining({ kind: 'rejected', code: 'CONSENSUS' }) });
  });

  it('is deterministic: the same run gives the same states', () => {
    const a = cluster(4);
    const b = cluster(4);
    a.runFor(5_000);
    b.runFor(5_000);
    for (const id of a.ids()) expect(majorityNode.encode(a.state(id))).toBe(majorityNode.encode(b.state(id)));
  });

  it('refuses a configuration whose health timeout is not shorter than its interval', () => {
    expect(() => majorityConfig({ healthTimeoutMs: 5_000 })).toThrow(ConfigError);
    expect(() => majorityConfig({ retryBaseMs: -1 })).toThrow(/retryBaseMs/);
  });
});
