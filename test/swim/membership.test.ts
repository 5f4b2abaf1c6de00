/**
 * The member table lists its members sorted by id whatever happened to it: allMembers reuses one
 * sorted order per membership (shared by tables that only replaced records), so it must never serve
 * an order that a later insertion or removal made stale, nor one another table filled in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeNodeInfo } from '../../spec/node.js';
import { DEFAULT_HEALTH } from '../../spec/swim.js';
import { type Member, type MemberTable, allMembers, allRecords, emptyTable, getMember, makeMember, putMember, removeMember, sumRecords, toRecord } from '../../impl/swim/membership.js';

function member(id: string, incarnation: number): Member {
  return makeMember(id, 'alive', incarnation, makeNodeInfo(id, '10.0.0.1:8080', 9090, 'backend', 0), DEFAULT_HEALTH, 0);
}

/** What allMembers must return: every member the table holds, sorted by id, read afresh. */
function plainListing(table: MemberTable, ids: ReadonlySet<string>): Member[] {
  return [...ids].sort().map((id) => getMember(table, id) as Member);
}

type Op = { readonly put: string; readonly inc: number } | { readonly remove: string } | { readonly list: true };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ put: fc.integer({ min: 0, max: 40 }).map((i) => `n${i}`), inc: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ remove: fc.integer({ min: 0, max: 40 }).map((i) => `n${i}`) }),
  fc.constant({ list: true as const }),
);

describe('member table listing', () => {
  it('lists every table of a history sorted by id, listings of earlier tables interleaved', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const history: { table: MemberTable; ids: Set<string> }[] = [{ table: emptyTable(), ids: new Set() }];
        for (const o of ops) {
          const { table, ids } = history[history.length - 1];
          if ('put' in o) history.push({ table: putMember(table, member(o.put, o.inc)), ids: new Set(ids).add(o.put) });
          else if ('remove' in o) {
            const rest = new Set(ids);
            rest.delete(o.remove);
            history.push({ table: removeMember(table, o.remove), ids: rest });
          } else {
            // Listing an older table fills the order it shares with the tables derived from it.
            const older = history[Math.floor(history.length / 2)];
            expect(allMembers(older.table)).toEqual(plainListing(older.table, older.ids));
          }
        }
        for (const h of history) expect(allMembers(h.table)).toEqual(plainListing(h.table, h.ids));
      }),
      { numRuns: 300 },
    );
  });

  it('lists wire records as the members listing mapped to records, for every table of a history', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        let t = emptyTable();
        for (const o of ops) {
          if ('put' in o) t = putMember(t, member(o.put, o.inc));
          else if ('remove' in o) t = removeMember(t, o.remove);
          expect(allRecords(t)).toEqual(allMembers(t).map(toRecord));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('sums a measure over every table of a history, slot sums shared between the tables', () => {
    const measure = (r: ReturnType<typeof toRecord>): number => r.incarnation * 7 + r.member.length;
    const memo = new WeakMap<object, number>();
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const history: MemberTable[] = [emptyTable()];
        for (const o of ops) {
          const t = history[history.length - 1];
          if ('put' in o) history.push(putMember(t, member(o.put, o.inc)));
          else if ('remove' in o) history.push(removeMember(t, o.remove));
        }
        for (const t of history) expect(sumRecords(t, measure, memo)).toBe(allRecords(t).reduce((a, r) => a + measure(r), 0));
      }),
      { numRuns: 100 },
    );
  });

  it('lists a table whose records were replaced with the new records, in the order of the old listing', () => {
    let t = emptyTable();
    for (let i = 0; i < 500; i++) t = putMember(t, member(`n${i}`, 0));
    const before = allMembers(t).map((m) => m.id);
    const replaced = putMember(putMember(t, member('n7', 5)), member('n123', 2));
    const after = allMembers(replaced);
    expect(after.map((m) => m.id)).toEqual(before);
    expect(after.find((m) => m.id === 'n7')?.incarnation).toBe(5);
    expect(allMembers(t).find((m) => m.id === 'n7')?.incarnation).toBe(0);
  });
});
