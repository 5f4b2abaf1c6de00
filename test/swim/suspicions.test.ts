/**
 * The persistent suspicion set (impl/swim/suspicion.ts): a step's writes never show in a state kept
 * from before, and the value depends only on which suspicions it holds, not on how it got there.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NO_SUSPICIONS, type Suspicion, type Suspicions, SuspicionsWriter, suspicionOf, suspicionRecord } from '../../impl/swim/suspicion.js';

const susp = (incarnation: number): Suspicion => ({ incarnation, start: 0, confirmers: [], firstFrom: 'n0' });

function write(base: Suspicions, ops: readonly (readonly [string, number | null])[]): Suspicions {
  const w = new SuspicionsWriter(base);
  for (const [id, inc] of ops) {
    if (inc === null) w.delete(id);
    else w.set(id, susp(inc));
  }
  return w.table;
}

describe('the suspicion set', () => {
  const op = fc.tuple(fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `n${i}`)), fc.option(fc.nat(5)));

  it('holds exactly what a plain record given the same writes holds', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const plain: Record<string, Suspicion> = {};
        for (const [id, inc] of ops) {
          if (inc === null) delete plain[id];
          else plain[id] = susp(inc);
        }
        const t = write(NO_SUSPICIONS, ops);
        expect(suspicionRecord(t)).toEqual(plain);
        for (let i = 0; i < 40; i++) expect(suspicionOf(t, `n${i}`)).toEqual(plain[`n${i}`]);
      }),
    );
  });

  it('leaves the value it started from unchanged', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(op, { maxLength: 40 }), (first, second) => {
        const a = write(NO_SUSPICIONS, first);
        const before = JSON.stringify(a);
        write(a, second);
        expect(JSON.stringify(a)).toBe(before);
      }),
    );
  });

  it('is the empty value again once every suspicion is ended', () => {
    const t = write(NO_SUSPICIONS, [['n1', 0], ['n2', 1], ['n1', null], ['n2', null]]);
    expect(t).toEqual(NO_SUSPICIONS);
  });
});
