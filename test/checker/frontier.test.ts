/**
 * The frontier gives back exactly the states pushed into it, in queue order (breadth-first) or stack
 * order (depth-first), with their index and sums: its records store each state as a difference from
 * the state pushed before it, which must round-trip whatever the lengths and however pushes and
 * takes interleave, across chunk boundaries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Frontier } from '../../checker/frontier.js';

interface Entry {
  readonly words: number[];
  readonly index: number;
  readonly a: number;
  readonly b: number;
}

const entry = fc.record({
  words: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { maxLength: 12 }),
  index: fc.nat(),
  a: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  b: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
});

/** Pushes (entries) and takes (null), run against the frontier and a plain array. */
function replay(ops: readonly (Entry | null)[], oldest: boolean): void {
  const f = new Frontier();
  const model: Entry[] = [];
  const into: number[] = [];
  for (const op of ops) {
    if (op) {
      f.push(op.words, op.index, op.a, op.b);
      model.push(op);
    } else if (model.length > 0) {
      const want = oldest ? model.shift()! : model.pop()!;
      f.take(oldest, into);
      expect({ words: [...into], index: f.index, a: f.sumA, b: f.sumB }).toEqual(want);
    }
    expect(f.size).toBe(model.length);
  }
}

describe('the frontier', () => {
  it('takes states breadth-first in the order they were pushed, however pushes and takes interleave', () => {
    fc.assert(
      fc.property(fc.array(fc.option(entry, { freq: 3 }), { maxLength: 200 }), (ops) => {
        replay(ops, true);
      }),
    );
  });

  it('takes states depth-first, newest first, however pushes and takes interleave', () => {
    fc.assert(
      fc.property(fc.array(fc.option(entry, { freq: 3 }), { maxLength: 200 }), (ops) => {
        replay(ops, false);
      }),
    );
  });

  it('round-trips a 300,000-record queue that spans many chunks, both ways', () => {
    for (const oldest of [true, false]) {
      const f = new Frontier();
      const state = Array.from({ length: 40 }, (_, i) => i % 5);
      const n = 300_000;
      for (let i = 0; i < n; i++) {
        state[i % 7] = i;
        f.push(state, i, i ^ 0x5555, -i);
      }
      const into: number[] = [];
      let wrong = 0;
      for (let k = 0; k < n; k++) {
        const i = oldest ? k : n - 1 - k;
        f.take(oldest, into);
        // State i has word j (< 7) = the last i' ≤ i with i' % 7 = j, or j % 5 if none yet.
        const want = (j: number) => (j < 7 ? (i >= j ? i - ((i - j) % 7) : j % 5) : j % 5);
        if (f.index !== i || f.sumA !== (i ^ 0x5555) || f.sumB !== -i || into.length !== 40 || into.some((w, j) => w !== want(j))) wrong++;
      }
      expect(wrong).toBe(0);
      expect(f.size).toBe(0);
    }
  });
});
