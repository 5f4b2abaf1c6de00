import { describe, expect, it } from 'vitest';
import { getMember } from '../../impl/swim/membership.js';
import { SnapshotError, memberSnapshot, swimCore, swimInitFromSnapshot, swimView } from '../../impl/swim/index.js';
import { DEFAULT_HEALTH, type MemberRecord, SWIM_TIMERS, pushPullPeriod } from '../../spec/swim.js';
import { orderIds } from '../../impl/swim/probe-order.js';
import { shuffleInPlace, shuffled } from '../../spec/prng.js';
import fc from 'fast-check';
import { CFG, sends, setup, timersSet } from './helpers.js';

const CFG_PP = { ...CFG, pushPullIntervalMs: 30_000 };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const recordOf = (id: string): MemberRecord => ({ member: id, status: 'alive', incarnation: 0, info: setup(id).info, health: DEFAULT_HEALTH });
const snapshotOf = (n: number) => memberSnapshot(ids(n).map(recordOf), 0);
const restored = (id: string, n: number, rngSeed = 7) => swimInitFromSnapshot({ ...setup(id, ['n1'], CFG_PP), rngSeed }, snapshotOf(n));

describe('shuffleInPlace', () => {
  it('draws what shuffled draws: the same permutation and the same next generator state', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), fc.integer(), (items, rng) => {
        const copy = items.slice();
        const next = shuffleInPlace(copy, rng);
        expect([copy, next]).toEqual(shuffled(items, rng));
      }),
    );
  });

  it('shuffles only the first `count` slots of a typed array, as shuffled shuffles that prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 60 }), fc.nat(60), fc.integer(), (items, spare, rng) => {
        const slots = Int32Array.from([...items, ...Array.from({ length: spare }, (_, i) => 5000 + i)]);
        const next = shuffleInPlace(slots, rng, items.length);
        const [expected, expectedNext] = shuffled(items, rng);
        expect([[...slots.subarray(0, items.length)], next]).toEqual([expected, expectedNext]);
        expect([...slots.subarray(items.length)]).toEqual(Array.from({ length: spare }, (_, i) => 5000 + i));
      }),
    );
  });
});

describe('starting from a member snapshot', () => {
  it('holds every member of the snapshot alive, as the View shows them', () => {
    const { state } = restored('n3', 10);
    const view = swimView(state);
    expect(Object.keys(view.members).sort()).toEqual(ids(10).sort());
    for (const id of ids(10)) expect(view.members[id]).toEqual({ status: 'alive', version: 0, info: setup(id).info });
  });

  it('joins no seed: the snapshot is the membership', () => {
    const { state, outputs } = restored('n3', 10);
    expect(sends(outputs).filter((s) => s.message.kind === 'join')).toEqual([]);
    expect(state.joined).toBe(true);
  });

  it('announces itself and arms probe and gossip timers as a fresh start does', () => {
    const { outputs } = restored('n3', 10);
    expect(outputs).toContainEqual({ type: 'notify', event: { kind: 'announced', info: setup('n3').info, version: 0 } });
    const timers = timersSet(outputs);
    expect(timers[SWIM_TIMERS.probe]).toBe(CFG_PP.probeIntervalMs);
  });

  it('probes every other member once per pass, in an order its own generator shuffled', () => {
    const a = restored('n3', 50, 1).state;
    const b = restored('n3', 50, 2).state;
    const others = ids(50).filter((id) => id !== 'n3').sort();
    expect(orderIds(a.probeOrder).sort()).toEqual(others);
    expect(orderIds(a.probeOrder)).not.toEqual(orderIds(b.probeOrder));
    expect(orderIds(restored('n3', 50, 1).state.probeOrder)).toEqual(orderIds(a.probeOrder));
  });

  it('staggers its first push-pull within one period instead of arming it a full period away', () => {
    const period = pushPullPeriod(CFG_PP.pushPullIntervalMs, 200);
    const firsts = ids(20).map((id) => timersSet(restored(id, 200, Number(id.slice(1))).outputs)[SWIM_TIMERS.pushPull]);
    for (const t of firsts) {
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThan(period);
    }
    expect(new Set(firsts).size).toBeGreaterThan(10);
  });

  it('shares the snapshot table between nodes until they change a member, and changes none of it', () => {
    const snapshot = snapshotOf(100);
    const a = swimInitFromSnapshot(setup('n1', [], CFG_PP), snapshot).state;
    const b = swimInitFromSnapshot(setup('n2', [], CFG_PP), snapshot).state;
    expect(getMember(a.table, 'n50')).toBe(getMember(snapshot.table, 'n50'));
    expect(getMember(b.table, 'n50')).toBe(getMember(snapshot.table, 'n50'));
    // Each node's own record is its own (since = its start), the snapshot's stays as it was.
    expect(getMember(snapshot.table, 'n1')?.since).toBe(0);
    expect(snapshot.table.size).toBe(100);
  });

  it('restarts cold after a crash: through its seeds, like any node', () => {
    let { state } = restored('n3', 10);
    state = swimCore.step(state, { type: 'crash', now: 100 }).state;
    const r = swimCore.step(state, { type: 'restart', now: 200 });
    expect(sends(r.outputs).map((s) => [s.to, s.message.kind])).toEqual([['n1', 'join']]);
  });

  it('refuses a member recorded as anything but alive, naming it', () => {
    expect(() => memberSnapshot([recordOf('n1'), { ...recordOf('n2'), status: 'dead' }], 0)).toThrow(SnapshotError);
    expect(() => memberSnapshot([{ ...recordOf('n2'), status: 'suspect' }], 0)).toThrow(/n2 is suspect/);
  });

  it('refuses a member listed twice, naming it', () => {
    expect(() => memberSnapshot([recordOf('n1'), recordOf('n2'), recordOf('n1')], 0)).toThrow(/n1 appears twice/);
  });
});
