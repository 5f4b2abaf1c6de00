import { describe, expect, it } from 'vitest';
import { swimCore, swimHealthyBackends } from '../../impl/swim/index.js';
import { type MemberUpdate, SWIM_TIMERS } from '../../spec/swim.js';
import { CFG, aliveOf, nodeKnowing, notes, recv, sends, setup, step, timer, timersSet } from './helpers.js';

describe('SWIM core: start and join', () => {
  it('announces its own record at version 0 and arms the periodic timers', () => {
    const r = swimCore.init(setup('n1', [], { ...CFG, gossipIntervalMs: 200, pushPullIntervalMs: 30_000 }));
    expect(notes(r.outputs)).toContainEqual({ kind: 'announced', info: setup('n1').info, version: 0 });
    expect(timersSet(r.outputs)).toEqual({ probe: 1000, gossip: 200, pushPull: 30_000, reconnect: CFG.reconnectIntervalMs });
  });

  it('joins through every seed and retries on the join timer', () => {
    const r = swimCore.init(setup('n1', ['n2', 'n3']));
    expect(sends(r.outputs).map((s) => [s.to, s.message.kind])).toEqual([['n2', 'join'], ['n3', 'join']]);
    const again = timer(r.state, SWIM_TIMERS.join, 1000);
    expect(sends(again.outputs).map((s) => s.to)).toEqual(['n2', 'n3']);
  });

  it('reports a typed rejection after the last join attempt', () => {
    let state = swimCore.init(setup('n1', ['n2'], { ...CFG, joinMaxAttempts: 2 })).state;
    state = timer(state, SWIM_TIMERS.join, 1000).state;
    const last = timer(state, SWIM_TIMERS.join, 2000);
    expect(sends(last.outputs)).toEqual([]);
    expect(notes(last.outputs)).toContainEqual(expect.objectContaining({ kind: 'rejected', code: 'JOIN_FAILED' }));
  });

  it('a seed answers a join with its full table and learns the joiner', () => {
    const seed = swimCore.init(setup('n2')).state;
    const joinerRecord = { member: 'n1', status: 'alive' as const, incarnation: 0, info: setup('n1').info, health: { ready: true, loadBucket: 0 } };
    const r = recv(seed, 'n1', { kind: 'join', self: joinerRecord });
    expect(notes(r.outputs)).toContainEqual({ kind: 'joined', member: 'n1', info: setup('n1').info });
    const reply = sends(r.outputs)[0];
    expect(reply.message.kind === 'syncReply' && reply.message.members.map((m) => m.member)).toEqual(['n1', 'n2']);
  });

  it('a sync reply completes the join and stops the retries', () => {
    const state = swimCore.init(setup('n1', ['n2'])).state;
    const rec = { member: 'n2', status: 'alive' as const, incarnation: 0, info: setup('n2').info, health: { ready: true, loadBucket: 0 } };
    const r = recv(state, 'n2', { kind: 'syncReply', members: [rec] });
    expect(r.outputs).toContainEqual({ type: 'cancelTimer', timer: SWIM_TIMERS.join });
    expect(sends(timer(r.state, SWIM_TIMERS.join, 1000).outputs)).toEqual([]);
  });
});

describe('SWIM core: failure detection', () => {
  it('answers a ping with an ack of the same sequence number', () => {
    const r = recv(nodeKnowing(2), 'n2', { kind: 'ping', seq: 42, updates: [] });
    expect(sends(r.outputs)).toEqual([{ to: 'n2', message: expect.objectContaining({ kind: 'ack', seq: 42 }) }]);
  });

  it('probes one member per period and reports the target as its choice', () => {
    const r = timer(nodeKnowing(3), SWIM_TIMERS.probe, 1000);
    expect(r.choice).toHaveLength(1);
    expect(sends(r.outputs)).toEqual([{ to: r.choice![0], message: expect.objectContaining({ kind: 'ping' }) }]);
    expect(timersSet(r.outputs)).toEqual({ 'ackTimeout:1': 500, 'probeEnd:1': 1000 });
  });

  it('an ack ends the probe and schedules the next one at the end of the period', () => {
    const p = timer(nodeKnowing(3), SWIM_TIMERS.probe, 1000);
    const r = recv(p.state, p.choice![0], { kind: 'ack', seq: 1, updates: [] }, 1100);
    expect(r.outputs).toContainEqual({ type: 'cancelTimer', timer: 'probeEnd:1' });
    expect(timersSet(r.outputs)).toEqual({ probe: 900 });
  });

  it('on the ack timeout it asks k helpers, never the target', () => {
    const p = timer(nodeKnowing(6), SWIM_TIMERS.probe, 1000);
    const r = timer(p.state, 'ackTimeout:1', 1500);
    const s = sends(r.outputs);
    expect(s).toHaveLength(3);
    expect(s.every((x) => x.message.kind === 'pingReq' && x.message.target === p.choice![0] && x.to !== p.choice![0])).toBe(true);
    expect(r.choice).toEqual(s.map((x) => x.to));
  });

  it('no ack by the end of the period makes the target suspect', () => {
    const p = timer(nodeKnowing(3), SWIM_TIMERS.probe, 1000);
    const r = timer(timer(p.state, 'ackTimeout:1', 1500).state, 'probeEnd:1', 2000);
    expect(notes(r.outputs)).toContainEqual({ kind: 'suspected', member: p.choice![0] });
    expect(swimCore.view(r.state).members[p.choice![0]].status).toBe('suspect');
    expect(Object.keys(timersSet(r.outputs))).toContain(`suspicion:${p.choice![0]}`);
  });

  it('an indirect ack relayed by a helper saves the target', () => {
    const p = timer(nodeKnowing(3), SWIM_TIMERS.probe, 1000);
    const ind = timer(p.state, 'ackTimeout:1', 1500);
    const r = recv(ind.state, ind.choice![0], { kind: 'ack', seq: 1, updates: [] }, 1600);
    const end = timer(r.state, 'probeEnd:1', 2000);
    expect(notes(end.outputs)).toEqual([]);
    expect(swimCore.view(end.state).members[p.choice![0]].status).toBe('alive');
  });

  it('a helper relays the target ack to the requester under the requester sequence number', () => {
    const helper = nodeKnowing(3);
    const req = recv(helper, 'n2', { kind: 'pingReq', seq: 9, target: 'n3', updates: [] });
    const ping = sends(req.outputs)[0];
    expect(ping.to).toBe('n3');
    const relaySeq = ping.message.kind === 'ping' ? ping.message.seq : -1;
    const ack = recv(req.state, 'n3', { kind: 'ack', seq: relaySeq, updates: [] });
    expect(sends(ack.outputs)).toEqual([{ to: 'n2', message: expect.objectContaining({ kind: 'ack', seq: 9 }) }]);
  });

  it('a helper that hears nothing from the target sends the requester a nack', () => {
    const req = recv(nodeKnowing(3), 'n2', { kind: 'pingReq', seq: 9, target: 'n3', updates: [] });
    const relayTimer = Object.keys(timersSet(req.outputs)).find((t) => t.startsWith('relay:'))!;
    const r = timer(req.state, relayTimer, 500);
    expect(sends(r.outputs)).toEqual([{ to: 'n2', message: expect.objectContaining({ kind: 'nack', seq: 9 }) }]);
  });

  it('missing nacks raise the local health multiplier, which stretches the next period', () => {
    const p = timer(nodeKnowing(6), SWIM_TIMERS.probe, 1000);
    const ind = timer(p.state, 'ackTimeout:1', 1500);
    const end = timer(ind.state, 'probeEnd:1', 2000);
    expect(end.state.awareness).toBe(3);
    const next = timer(end.state, SWIM_TIMERS.probe, 2000);
    expect(timersSet(next.outputs)['probeEnd:2']).toBe(4000);
  });

  it('after an ack the next probe comes one base interval after the probe began, however stretched the period (memberlist probeNode)', () => {
    const p = timer(nodeKnowing(6), SWIM_TIMERS.probe, 1000);
    const end = timer(timer(p.state, 'ackTimeout:1', 1500).state, 'probeEnd:1', 2000);
    const next = timer(end.state, SWIM_TIMERS.probe, 2000);
    // Health 3 stretches this period to 4 s, but the ack at 2.3 s brings the next probe at 3 s, not 6 s.
    expect(timersSet(next.outputs)['probeEnd:2']).toBe(4000);
    const seq = Number(Object.keys(timersSet(next.outputs)).find((t) => t.startsWith('probeEnd:'))!.split(':')[1]);
    const acked = recv(next.state, next.state.probe!.target, { kind: 'ack', seq, updates: [] }, 2300);
    expect(timersSet(acked.outputs)[SWIM_TIMERS.probe]).toBe(700);
  });

  it('a probe of a suspected member carries the suspicion first (buddy system)', () => {
    let state = nodeKnowing(2);
    state = recv(state, 'n3', { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n3' }] }).state;
    const r = timer(state, SWIM_TIMERS.probe, 1000, ['n2']);
    const ping = sends(r.outputs)[0].message;
    expect(ping.kind === 'ping' && ping.updates[0]).toEqual({ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n1' });
  });
});

describe('SWIM core: suspicion and refutation', () => {
  it('a suspicion that times out declares the member failed', () => {
    let state = nodeKnowing(3);
    state = recv(state, 'n3', { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n3' }] }).state;
    const r = timer(state, 'suspicion:n2', 30_000);
    expect(notes(r.outputs)).toEqual([{ kind: 'failed', member: 'n2' }]);
    expect(swimCore.view(r.state).members.n2.status).toBe('dead');
  });

  it('independent confirmations shorten the suspicion timeout (dogpile)', () => {
    let state = nodeKnowing(6);
    const first = recv(state, 'n3', { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n3' }] });
    const second = recv(first.state, 'n4', { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n4' }] });
    expect(timersSet(second.outputs)['suspicion:n2']).toBeLessThan(timersSet(first.outputs)['suspicion:n2']);
    state = second.state;
    const again = recv(state, 'n4', { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n4' }] });
    expect(timersSet(again.outputs)['suspicion:n2']).toBeUndefined();
  });

  it('a live node that hears it is suspected refutes with a higher incarnation', () => {
    const r = recv(nodeKnowing(3), 'n2', { kind: 'ping', seq: 1, updates: [{ kind: 'suspect', member: 'n1', incarnation: 0, from: 'n2' }] });
    expect(notes(r.outputs)).toContainEqual(expect.objectContaining({ kind: 'announced', version: 1 }));
    const ack = sends(r.outputs).find((s) => s.message.kind === 'ack')!.message;
    expect(ack.kind === 'ack' && ack.updates).toContainEqual(expect.objectContaining({ kind: 'alive', member: 'n1', incarnation: 1 }));
    expect(swimCore.view(r.state).members.n1.status).toBe('alive');
  });

  it('a live node declared dead refutes too', () => {
    const r = recv(nodeKnowing(3), 'n2', { kind: 'gossip', updates: [{ kind: 'dead', member: 'n1', incarnation: 0, from: 'n2' }] });
    expect(r.state.incarnation).toBe(1);
  });

  it('a refutation clears the suspicion everywhere it arrives', () => {
    let state = nodeKnowing(3);
    state = recv(state, 'n3', { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n3' }] }).state;
    const r = recv(state, 'n2', { kind: 'gossip', updates: [aliveOf('n2', 1)] });
    expect(notes(r.outputs)).toContainEqual({ kind: 'alive', member: 'n2' });
    expect(r.outputs).toContainEqual({ type: 'cancelTimer', timer: 'suspicion:n2' });
  });
});

describe('SWIM core: dissemination', () => {
  it('piggybacks an update at most λ·⌈log10(n+1)⌉ times', () => {
    let state = nodeKnowing(3);
    state = recv(state, 'n2', { kind: 'gossip', updates: [aliveOf('n2', 1)] }).state;
    let carried = 0;
    for (let i = 0; i < 10; i++) {
      const r = recv(state, 'n3', { kind: 'ping', seq: i, updates: [] });
      state = r.state;
      const m = sends(r.outputs)[0].message;
      if (m.kind === 'ack' && m.updates.some((u) => u.member === 'n2' && u.incarnation === 1)) carried++;
    }
    expect(carried).toBe(4);
  });

  it('packs piggybacked updates to the byte budget', () => {
    const state = nodeKnowing(20, { ...CFG, packetBudgetBytes: 200, sizeOf: () => 50 });
    const m = sends(recv(state, 'n3', { kind: 'ping', seq: 1, updates: [] }).outputs)[0].message;
    expect(m.kind === 'ack' && m.updates.length).toBe(4);
  });

  it('sends the least-sent updates first', () => {
    let state = nodeKnowing(20, { ...CFG, packetBudgetBytes: 100, sizeOf: () => 50 });
    const first = sends(recv(state, 'n3', { kind: 'ping', seq: 1, updates: [] }).outputs)[0].message;
    state = recv(state, 'n3', { kind: 'ping', seq: 1, updates: [] }).state;
    const second = sends(recv(state, 'n3', { kind: 'ping', seq: 2, updates: [] }).outputs)[0].message;
    const ids = (m: typeof first) => (m.kind === 'ack' ? m.updates.map((u) => u.member) : []);
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
  });

  it('push-pull merges a remote table and answers with its own', () => {
    const state = nodeKnowing(2);
    const rec = { member: 'n5', status: 'alive' as const, incarnation: 3, info: setup('n5').info, health: { ready: true, loadBucket: 0 } };
    const r = recv(state, 'n2', { kind: 'sync', members: [rec] });
    expect(swimCore.view(r.state).members.n5.version).toBe(3);
    const reply = sends(r.outputs)[0].message;
    expect(reply.kind === 'syncReply' && reply.members.map((m) => m.member)).toEqual(['n1', 'n2', 'n5']);
  });
});

describe('SWIM core: reconnect (partition heal)', () => {
  const record = (member: string, status: 'alive' | 'dead' | 'left', incarnation = 0) => ({ member, status, incarnation, info: setup(member).info, health: { ready: true, loadBucket: 0 } });
  const gossipOf = (...updates: MemberUpdate[]) => ({ kind: 'gossip' as const, updates });

  it('a dead record in a pushed table is merged as a suspicion, so the member can still refute', () => {
    const r = recv(nodeKnowing(3), 'n2', { kind: 'sync', members: [record('n3', 'dead')] });
    expect(swimCore.view(r.state).members.n3.status).toBe('suspect');
    expect(notes(r.outputs)).toContainEqual({ kind: 'suspected', member: 'n3' });
    expect(notes(r.outputs)).not.toContainEqual({ kind: 'failed', member: 'n3' });
  });

  it('a gossiped death is still a death', () => {
    const r = recv(nodeKnowing(3), 'n2', gossipOf({ kind: 'dead', member: 'n3', incarnation: 0, from: 'n2' }));
    expect(swimCore.view(r.state).members.n3.status).toBe('dead');
  });

  it('the reconnect timer sends the whole table to the dead member it drew, reports it, and re-arms', () => {
    const state = recv(nodeKnowing(3), 'n2', gossipOf({ kind: 'dead', member: 'n3', incarnation: 0, from: 'n2' })).state;
    const r = timer(state, SWIM_TIMERS.reconnect, 1_000, ['n3']);
    expect(r.choice).toEqual(['n3']);
    const sent = sends(r.outputs);
    expect(sent.map((s) => s.to)).toEqual(['n3']);
    expect(sent[0].message.kind === 'sync' && sent[0].message.members.map((m) => [m.member, m.status])).toEqual([['n1', 'alive'], ['n2', 'alive'], ['n3', 'dead']]);
    expect(timersSet(r.outputs)[SWIM_TIMERS.reconnect]).toBe(CFG.reconnectIntervalMs);
  });

  it('the reconnect timer never contacts a member that left, nor an alive one', () => {
    const state = recv(nodeKnowing(3), 'n2', gossipOf({ kind: 'left', member: 'n3', incarnation: 0 })).state;
    expect(sends(timer(state, SWIM_TIMERS.reconnect, 1_000, ['n3']).outputs)).toEqual([]);
    expect(sends(timer(state, SWIM_TIMERS.reconnect, 1_000, ['n2']).outputs)).toEqual([]);
  });

  it('drawing on its own, a node tries a dead member only as often as dead members are in its table', () => {
    let state = nodeKnowing(11);
    state = recv(state, 'n2', gossipOf({ kind: 'dead', member: 'n3', incarnation: 0, from: 'n2' })).state;
    let tries = 0;
    for (let i = 0; i < 400; i++) {
      const r = timer(state, SWIM_TIMERS.reconnect, 1_000 * i);
      state = r.state;
      const sent = sends(r.outputs);
      for (const s of sent) expect(s.to).toBe('n3');
      tries += sent.length;
    }
    // 1 dead of 10 others: about 40 of 400 draws.
    expect(tries).toBeGreaterThan(20);
    expect(tries).toBeLessThan(70);
  });

  it('a member wrongly held dead refutes when the reconnect sync tells it, and answers with its new incarnation', () => {
    const r = recv(nodeKnowing(3), 'n2', { kind: 'sync', members: [record('n1', 'dead', 0), record('n2', 'alive')] });
    expect(r.state.incarnation).toBe(1);
    const reply = sends(r.outputs).find((s) => s.message.kind === 'syncReply')!.message;
    expect(reply.kind === 'syncReply' && reply.members.find((m) => m.member === 'n1')).toMatchObject({ status: 'alive', incarnation: 1 });
  });

  it('a bad reconnect interval is rejected with a typed error naming the knob', () => {
    expect(() => swimCore.init(setup('n1', [], { ...CFG, reconnectIntervalMs: -1 }))).toThrow(/reconnectIntervalMs/);
  });
});

describe('SWIM core: correcting stale claims', () => {
  const suspect = (member: string, incarnation: number, from = 'n3'): MemberUpdate => ({ kind: 'suspect', member, incarnation, from });

  it('a suspicion of a member held alive at a higher incarnation is answered with the alive record', () => {
    const state = recv(nodeKnowing(3), 'n2', { kind: 'gossip', updates: [aliveOf('n2', 2)] }).state;
    const r = recv(state, 'n3', { kind: 'gossip', updates: [suspect('n2', 1)] });
    expect(sends(r.outputs)).toEqual([{ to: 'n3', message: { kind: 'gossip', updates: [aliveOf('n2', 2)] } }]);
    expect(swimCore.view(r.state).members.n2).toMatchObject({ status: 'alive', version: 2 });
  });

  it('a stale death is answered too, on any datagram that carries it', () => {
    const state = recv(nodeKnowing(3), 'n2', { kind: 'gossip', updates: [aliveOf('n2', 2)] }).state;
    const r = recv(state, 'n3', { kind: 'nack', seq: 9, updates: [{ kind: 'dead', member: 'n2', incarnation: 0, from: 'n3' }] });
    expect(sends(r.outputs)).toEqual([{ to: 'n3', message: { kind: 'gossip', updates: [aliveOf('n2', 2)] } }]);
  });

  it('a refuting node sends its new record straight back to whoever told it of its suspicion', () => {
    const r = recv(nodeKnowing(3), 'n3', { kind: 'gossip', updates: [suspect('n1', 0, 'n2')] });
    expect(sends(r.outputs)).toEqual([{ to: 'n3', message: { kind: 'gossip', updates: [expect.objectContaining({ kind: 'alive', member: 'n1', incarnation: 1 })] } }]);
  });

  it('a current claim, or news about a member held only at the same incarnation, gets no reply', () => {
    const r = recv(nodeKnowing(3), 'n3', { kind: 'gossip', updates: [suspect('n2', 0)] });
    expect(sends(r.outputs)).toEqual([]);
    expect(swimCore.view(r.state).members.n2.status).toBe('suspect');
  });
});

describe('SWIM core: lifecycle and metadata', () => {
  it('a graceful leave tells every active member and is not a failure', () => {
    const r = step(nodeKnowing(3), { type: 'command', command: { kind: 'leave' } });
    expect(sends(r.outputs).map((s) => s.to).sort()).toEqual(['n2', 'n3']);
    expect(swimCore.view(r.state).members.n1.status).toBe('left');
    const other = recv(nodeKnowing(3), 'n2', { kind: 'gossip', updates: [{ kind: 'left', member: 'n2', incarnation: 0 }] });
    expect(notes(other.outputs)).toEqual([{ kind: 'left', member: 'n2' }]);
  });

  it('a member declared dead rejoins with a higher incarnation', () => {
    let state = recv(nodeKnowing(3), 'n3', { kind: 'gossip', updates: [{ kind: 'dead', member: 'n2', incarnation: 0, from: 'n3' }] }).state;
    expect(notes(recv(state, 'n2', { kind: 'gossip', updates: [aliveOf('n2', 0)] }).outputs)).toEqual([]);
    const r = recv(state, 'n2', { kind: 'gossip', updates: [aliveOf('n2', 1)] });
    expect(notes(r.outputs)).toContainEqual(expect.objectContaining({ kind: 'joined', member: 'n2' }));
    state = r.state;
    expect(swimCore.view(state).members.n2).toMatchObject({ status: 'alive', version: 1 });
  });

  it('a restarted node moves past its previous life', () => {
    let state = nodeKnowing(3);
    state = step(state, { type: 'crash' }).state;
    state = step(state, { type: 'restart' }, 5000).state;
    const r = recv(state, 'n2', { kind: 'syncReply', members: [{ member: 'n1', status: 'dead', incarnation: 2, info: setup('n1').info, health: { ready: true, loadBucket: 0 } }] });
    expect(r.state.incarnation).toBe(3);
  });

  it('reaps a dead member after the reap time', () => {
    const d = recv(nodeKnowing(3), 'n3', { kind: 'gossip', updates: [{ kind: 'dead', member: 'n2', incarnation: 0, from: 'n3' }] });
    expect(timersSet(d.outputs)['reap:n2']).toBe(CFG.reapAfterMs);
    const r = timer(d.state, 'reap:n2', CFG.reapAfterMs);
    expect(notes(r.outputs)).toEqual([expect.objectContaining({ kind: 'removed', member: 'n2' })]);
    expect(swimCore.view(r.state).members.n2).toBeUndefined();
  });

  it('an update raises its own incarnation and announces the new record', () => {
    const r = step(nodeKnowing(2), { type: 'command', command: { kind: 'update', patch: { address: '10.9.9.9:1' } } }, 7000);
    expect(notes(r.outputs)).toEqual([{ kind: 'announced', info: { ...setup('n1').info, address: '10.9.9.9:1', lastUpdated: 7000 }, version: 1 }]);
  });

  it('rate-limits vitals-driven record changes and sends the latest when the window opens', () => {
    const vitals = (cpu: number) => ({ ready: true, requestsInProgress: 0, cpuUsage: cpu, memoryUsage: 0, failedResponses: 0, connectedPeers: 0, backoffRequests: 0 });
    let r = step(nodeKnowing(2), { type: 'command', command: { kind: 'vitals', vitals: vitals(90) } }, 0);
    expect(r.state.incarnation).toBe(1);
    r = step(r.state, { type: 'command', command: { kind: 'vitals', vitals: vitals(30) } }, 1000);
    expect(r.state.incarnation).toBe(1);
    expect(timersSet(r.outputs)).toEqual({ metadata: CFG.metadataMinIntervalMs - 1000 });
    r = timer(r.state, SWIM_TIMERS.metadata, CFG.metadataMinIntervalMs);
    expect(r.state.incarnation).toBe(2);
    expect(r.state.health.loadBucket).toBe(1);
  });

  it('healthy backends are alive, ready backends only', () => {
    let state = nodeKnowing(4);
    state = recv(state, 'n3', { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 0, from: 'n3' }, { ...(aliveOf('n4', 1) as Extract<MemberUpdate, { kind: 'alive' }>), health: { ready: false, loadBucket: 0 } }] }).state;
    expect(swimHealthyBackends(state).map((i) => i.id)).toEqual(['n3']);
  });

  it('stepping leaves the earlier state untouched', () => {
    const before = nodeKnowing(3);
    const enc = swimCore.encode(before);
    recv(before, 'n3', { kind: 'gossip', updates: [{ kind: 'dead', member: 'n2', incarnation: 0, from: 'n3' }] });
    expect(swimCore.encode(before)).toBe(enc);
  });
});
