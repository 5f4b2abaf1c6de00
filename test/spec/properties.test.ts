import { describe, expect, it } from 'vitest';
import {
  type MemberView,
  type NodeInfo,
  type Observation,
  type PeerInfo,
  type View,
  accuracy,
  agreement,
  completeness,
  freshness,
  makeNodeInfo,
  noRegression,
  orderIndependence,
  orders,
  selfSovereignty,
  toPeerInfo,
} from 'alice';

const info = (id: string, address: string, at: number): NodeInfo => makeNodeInfo(id, address, 9090, 'backend', at);
const member = (i: NodeInfo, status: MemberView['status'] = 'alive'): MemberView => ({ status, version: 0, info: i });
const view = (self: string, ...members: MemberView[]): View => ({
  self,
  members: Object.fromEntries(members.map((m) => [m.info.id, m])),
});

const a1 = info('a', 'h:1', 1_000);
const a2 = info('a', 'h:2', 5_000);
const b1 = info('b', 'h:3', 1_000);

function obs(views: View[], extra: Partial<Observation> = {}): Observation {
  return {
    views: Object.fromEntries(views.map((v) => [v.self, v])),
    up: Object.fromEntries(views.map((v) => [v.self, true])),
    announced: { a: [{ info: a1, version: 1 }, { info: a2, version: 2 }], b: [{ info: b1, version: 1 }] },
    ...extra,
  };
}

describe('selfSovereignty', () => {
  it('holds when every record was announced by its subject', () => {
    expect(selfSovereignty.check(obs([view('a', member(a2), member(b1)), view('b', member(a1), member(b1))]))).toBeNull();
  });
  it('accepts a record equal at wire precision (whole seconds)', () => {
    expect(selfSovereignty.check(obs([view('b', member({ ...a2, lastUpdated: 5_999 }), member(b1))]))).toBeNull();
  });
  it('is violated by a record its subject never announced', () => {
    const forged = { ...a2, address: 'evil:1' };
    expect(selfSovereignty.check(obs([view('b', member(forged), member(b1))]))).toMatchObject({ node: 'b', member: 'a' });
  });
  it('is violated by a record filed under another id', () => {
    expect(selfSovereignty.check(obs([{ self: 'b', members: { a: member(b1) } }]))?.detail).toMatch(/filed under a names b/);
  });
});

describe('noRegression', () => {
  it('holds when a node moves to a newer announcement', () => {
    expect(noRegression.check(obs([view('b', member(a2))]), obs([view('b', member(a1))]))).toBeNull();
  });
  it('is violated when a node replaces a newer announcement with an older one', () => {
    expect(noRegression.check(obs([view('b', member(a1))]), obs([view('b', member(a2))]))).toMatchObject({ node: 'b', member: 'a' });
  });
});

describe('orderIndependence', () => {
  const p = (id: string, addr: string, at: number): PeerInfo => toPeerInfo(info(id, addr, at));
  const firstWins = (rs: readonly (readonly PeerInfo[])[]): PeerInfo[] => {
    const seen = new Map<string, PeerInfo>();
    for (const r of rs) for (const e of r) if (!seen.has(e.id)) seen.set(e.id, e);
    return [...seen.values()];
  };
  const union = (rs: readonly (readonly PeerInfo[])[]): PeerInfo[] => firstWins([...rs].sort((x, y) => (x[0]?.address ?? '').localeCompare(y[0]?.address ?? '')));
  const responses = [[p('x', 'h:1', 1000)], [p('x', 'h:2', 1000)]];
  it('holds for a resolver whose result does not depend on order', () => {
    const o = obs([], { resolutions: [{ node: 'a', responses, result: union(responses) }] });
    expect(orderIndependence(union).check(o)).toBeNull();
  });
  it('is violated by a first-seen-wins resolver', () => {
    const o = obs([], { resolutions: [{ node: 'a', responses, result: firstWins(responses) }] });
    expect(orderIndependence(firstWins).check(o)).toMatchObject({ node: 'a' });
  });
  it('enumerates every order of up to five responses', () => {
    expect([...orders([1, 2, 3, 4])]).toHaveLength(24);
    expect([...orders([1, 2, 3, 4, 5, 6])]).toHaveLength(7);
  });
});

describe('agreement', () => {
  it('holds when all live nodes hold identical views of the live members', () => {
    expect(agreement.check(obs([view('a', member(a2), member(b1)), view('b', member(a2), member(b1))]))).toBeNull();
  });
  it('is violated when two live nodes disagree about a member', () => {
    expect(agreement.check(obs([view('a', member(a2), member(b1)), view('b', member(a1), member(b1))]))).toMatchObject({ member: 'a' });
  });
  it('is violated when a live node misses a live member', () => {
    expect(agreement.check(obs([view('a', member(a2)), view('b', member(a2), member(b1))]))).toMatchObject({ node: 'a', member: 'b' });
  });
});

describe('completeness', () => {
  it('is violated while a live node still holds a crashed node as alive', () => {
    const o = obs([view('a', member(a2), member(b1)), view('b', member(a2), member(b1))], { up: { a: true, b: false } });
    expect(completeness.check(o)).toMatchObject({ node: 'a', member: 'b' });
  });
  it('holds once the crashed node is marked dead', () => {
    const o = obs([view('a', member(a2), member(b1, 'dead')), view('b', member(b1))], { up: { a: true, b: false } });
    expect(completeness.check(o)).toBeNull();
  });
});

describe('accuracy', () => {
  it('is violated when a live, reachable node is declared dead', () => {
    expect(accuracy.check(obs([view('a', member(a2), member(b1, 'dead')), view('b', member(b1))]))).toMatchObject({ member: 'b' });
  });
  it('is violated when a live, reachable node is removed', () => {
    const before = obs([view('a', member(a2), member(b1)), view('b', member(b1))]);
    expect(accuracy.check(obs([view('a', member(a2)), view('b', member(b1))]), before)).toMatchObject({ node: 'a', member: 'b' });
  });
  it('does not judge nodes across a partition', () => {
    const o = obs([view('a', member(a2), member(b1, 'dead')), view('b', member(b1))], { canReach: () => false });
    expect(accuracy.check(o)).toBeNull();
  });
});

describe('freshness', () => {
  it("is violated while a live node holds less than X's latest", () => {
    expect(freshness.check(obs([view('a', member(a2), member(b1)), view('b', member(a1), member(b1))]))).toMatchObject({ node: 'b', member: 'a' });
  });
  it("holds once every live node holds X's latest", () => {
    expect(freshness.check(obs([view('a', member(a2), member(b1)), view('b', member(a2), member(b1))]))).toBeNull();
  });
});
