/**
 * The broadcast queue's persistent stacks pack datagrams exactly as the plain description does: levels
 * by transmission count, each walked newest first, too-big updates skipped (up to 32 in a row),
 * superseded ones dropped, taken ones promoted onto the next level in enqueue order. The reference
 * below is that description written with flat arrays, walked in full; the queue stops early when no
 * entry left can fit, and must take the same updates anyway.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_QUEUE, type BroadcastQueue, type QueuedUpdate, compact, enqueue, levelEntries, needsCompaction, piggyback, queueLength } from '../../impl/swim/broadcast-queue.js';
import type { MemberUpdate } from '../../spec/swim.js';

const MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
/** Sizes are chosen per test run by the update's incarnation, so equal updates have equal sizes. */
const sizeOf = (u: MemberUpdate): number => 5 + ((u.incarnation * 37) % 60);

/** The reference: levels as arrays, oldest first, and a walk over every entry. */
class Reference {
  levels: QueuedUpdate[][] = [];
  next = 0;
  latest = new Map<string, number>();
  enqueue(update: MemberUpdate): void {
    (this.levels[0] ??= []).push({ update, sent: 0, order: this.next });
    this.latest.set(update.member, this.next++);
  }
  take(limit: number, budget: number): MemberUpdate[] {
    const taken: MemberUpdate[] = [];
    let left = budget;
    let misfits = 0;
    let promoted: QueuedUpdate[] = [];
    for (let k = 0; k < this.levels.length || promoted.length > 0; k++) {
      const level = this.levels[k] ?? [];
      const incoming = promoted;
      promoted = [];
      const kept: QueuedUpdate[] = [];
      for (let i = level.length - 1; i >= 0; i--) {
        const e = level[i];
        if (misfits >= 32 || left <= 0) {
          kept.unshift(e);
          continue;
        }
        if (this.latest.get(e.update.member) !== e.order) continue;
        if (sizeOf(e.update) > left) {
          misfits++;
          kept.unshift(e);
          continue;
        }
        misfits = 0;
        left -= sizeOf(e.update);
        taken.push(e.update);
        if (e.sent + 1 < limit) promoted.push({ ...e, sent: e.sent + 1 });
      }
      this.levels[k] = [...kept, ...incoming.reverse()];
    }
    return taken;
  }
}

type Op =
  | { readonly kind: 'enqueue'; readonly member: string; readonly incarnation: number }
  | { readonly kind: 'take'; readonly budget: number }
  | { readonly kind: 'compact' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), member: fc.constantFrom(...MEMBERS), incarnation: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('take' as const), budget: fc.integer({ min: 0, max: 200 }) }) },
);
/** The same operations with compactions anywhere among them. */
const opOrCompactArb: fc.Arbitrary<Op> = fc.oneof({ weight: 5, arbitrary: opArb }, { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) });

function run(ops: readonly Op[], limit: number): { queue: BroadcastQueue; latest: Map<string, number>; ref: Reference; takes: [MemberUpdate[], MemberUpdate[]][] } {
  let q = EMPTY_QUEUE;
  const latest = new Map<string, number>();
  const ref = new Reference();
  const takes: [MemberUpdate[], MemberUpdate[]][] = [];
  const isLatest = (e: QueuedUpdate) => latest.get(e.update.member) === e.order;
  for (const op of ops) {
    if (op.kind === 'compact') {
      q = compact(q, { isLatest });
    } else if (op.kind === 'enqueue') {
      const update: MemberUpdate = { kind: 'left', member: op.member, incarnation: op.incarnation };
      let order: number;
      [q, order] = enqueue(q, update, sizeOf);
      latest.set(op.member, order);
      ref.enqueue(update);
    } else {
      let taken: MemberUpdate[];
      [taken, q] = piggyback(q, limit, op.budget, { isLatest });
      takes.push([taken, ref.take(limit, op.budget)]);
    }
  }
  return { queue: q, latest, ref, takes };
}

describe('SWIM broadcast queue', () => {
  /** Every datagram of a run of `ops` takes what the plain full walk takes. */
  const takesAsThePlainWalk = (ops: fc.Arbitrary<Op>) =>
    fc.assert(
      fc.property(fc.array(ops, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (ops, limit) => {
        for (const [got, want] of run(ops, limit).takes) expect(got).toEqual(want);
      }),
      { numRuns: 400 },
    );

  it('takes, for every datagram, exactly the updates the plain full walk takes', () => {
    takesAsThePlainWalk(opArb);
  });

  it('holds the same current entries, level by level, as the plain full walk', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (ops, limit) => {
        const { queue, latest, ref } = run(ops, limit);
        const current = (entries: readonly QueuedUpdate[]) => entries.filter((e) => latest.get(e.update.member) === e.order);
        const levels = Math.max(queue.levels.length, ref.levels.length);
        for (let k = 0; k < levels; k++) expect(current(levelEntries(queue.levels[k]))).toEqual(current(ref.levels[k] ?? []));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves a queue it was given reading the same after later enqueues and datagrams', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.array(opArb, { maxLength: 30 }), (before, after) => {
        const { queue } = run(before, 3);
        const snapshot = queue.levels.map(levelEntries);
        const length = queueLength(queue);
        let q = queue;
        for (const op of after) {
          if (op.kind === 'compact') continue;
          if (op.kind === 'enqueue') [q] = enqueue(q, { kind: 'left', member: op.member, incarnation: op.incarnation }, sizeOf);
          else [, q] = piggyback(q, 3, op.budget, { isLatest: () => true });
        }
        expect(queue.levels.map(levelEntries)).toEqual(snapshot);
        expect(queueLength(queue)).toBe(length);
      }),
      { numRuns: 200 },
    );
  });

  it('drops an update once it has been sent its retransmit limit of times', () => {
    let q: BroadcastQueue;
    [q] = enqueue(EMPTY_QUEUE, { kind: 'left', member: 'a', incarnation: 1 }, sizeOf);
    const sends: number[] = [];
    for (let i = 0; i < 5; i++) {
      let taken: MemberUpdate[];
      [taken, q] = piggyback(q, 3, 1_000, { isLatest: () => true });
      sends.push(taken.length);
    }
    expect(sends).toEqual([1, 1, 1, 0, 0]);
    expect(queueLength(q)).toBe(0);
  });

  it('takes the same updates for every datagram whenever the queue is compacted', () => {
    takesAsThePlainWalk(opOrCompactArb);
  });

  it('compacts to the current entries alone, each level in its order with its sent count', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 6 }), (ops, limit) => {
        const { queue, latest } = run(ops, limit);
        const isLatest = (e: QueuedUpdate) => latest.get(e.update.member) === e.order;
        const compacted = compact(queue, { isLatest });
        const current = queue.levels.map((l) => levelEntries(l).filter(isLatest));
        while (current.length > 0 && current[current.length - 1].length === 0) current.pop();
        expect(compacted.levels.map(levelEntries)).toEqual(current);
        expect(queueLength(compacted)).toBe(current.reduce((n, l) => n + l.length, 0));
        expect(compacted.nextOrder).toBe(queue.nextOrder);
      }),
      { numRuns: 200 },
    );
  });

  it('asks for compaction only past twice the members plus 64 entries', () => {
    let q = EMPTY_QUEUE;
    for (let i = 0; i < 2 * 10 + 64; i++) [q] = enqueue(q, { kind: 'left', member: 'a', incarnation: i }, sizeOf);
    expect(needsCompaction(q, 10)).toBe(false);
    [q] = enqueue(q, { kind: 'left', member: 'a', incarnation: 99 }, sizeOf);
    expect(needsCompaction(q, 10)).toBe(true);
  });
});
