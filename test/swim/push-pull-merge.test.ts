/**
 * A push-pull merge walks the incoming table beside its own when the records come sorted by id (as
 * every node sends them) and looks each record up otherwise: the order the records come in, and a
 * record repeated, must not change what the merge does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberRecord, SwimStatus } from '../../spec/swim.js';
import { swimCore } from '../../impl/swim/index.js';
import { levelEntries } from '../../impl/swim/broadcast-queue.js';
import { allRecords, getMember, makeMember } from '../../impl/swim/membership.js';
import { listedTable, tableRecords } from '../../impl/swim/push-pull.js';
import { Step } from '../../impl/swim/state.js';
import { aliveOf, nodeKnowing, recv, setup } from './helpers.js';

function record(id: string, status: SwimStatus, incarnation: number): MemberRecord {
  const a = aliveOf(id, incarnation);
  if (a.kind !== 'alive') throw new Error('unreachable');
  return { member: id, status, incarnation, info: a.info, health: a.health };
}

/** A claim about one of members n1..n`max`. */
const claimUpTo = (max: number) =>
  fc.record({
    id: fc.integer({ min: 1, max }).map((i) => `n${i}`),
    status: fc.constantFrom<SwimStatus>('alive', 'suspect', 'dead', 'left'),
    incarnation: fc.integer({ min: 0, max: 2 }),
  });
const claim = claimUpTo(14);

/** Sorted by id, as every node sends its table. */
const byId = (rs: readonly MemberRecord[]) => [...rs].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));

describe('push-pull merge', () => {
  it('ends in the same view and notifications whatever the order of the records', () => {
    fc.assert(
      fc.property(fc.uniqueArray(claim, { selector: (c) => c.id, maxLength: 14 }), fc.integer(), (claims, seed) => {
        // Unique per member, as a node's table is; shuffled by the seed, then sorted for the walk.
        const records = claims.map((c) => record(c.id, c.status, c.incarnation));
        const shuffled = records.map((r, i) => ({ r, k: Math.imul(i + 1, seed | 1) >>> 0 })).sort((a, b) => a.k - b.k).map((x) => x.r);
        const sorted = byId(records);
        const base = nodeKnowing(8);
        const a = recv(base, 'n2', { kind: 'sync', members: sorted });
        const b = recv(base, 'n2', { kind: 'sync', members: shuffled });
        expect(swimCore.view(b.state)).toEqual(swimCore.view(a.state));
        const notes = (o: typeof a.outputs) => o.filter((x) => x.type === 'notify').map((x) => JSON.stringify(x)).sort();
        expect(notes(b.outputs)).toEqual(notes(a.outputs));
      }),
      { numRuns: 200 },
    );
  });

  it('answers a sync with its table as the merge left it, the member it learnt included', () => {
    const base = nodeKnowing(6);
    const r = recv(base, 'n2', { kind: 'sync', members: [record('n20', 'alive', 3)] });
    const reply = r.outputs.find((o) => o.type === 'send' && o.message.kind === 'syncReply');
    if (reply?.type !== 'send' || reply.message.kind !== 'syncReply') throw new Error('no syncReply sent');
    expect(reply.message.members.find((m) => m.member === 'n20')?.incarnation).toBe(3);
    expect(reply.message.members).toEqual(allRecords(r.state.table));
    expect(listedTable(reply.message.members)).toBe(r.state.table);
  });

  it('answers a sync that changed nothing with the table it already held', () => {
    const base = nodeKnowing(6);
    const r = recv(base, 'n2', { kind: 'sync', members: allRecords(base.table) });
    const reply = r.outputs.find((o) => o.type === 'send' && o.message.kind === 'syncReply');
    if (reply?.type !== 'send' || reply.message.kind !== 'syncReply') throw new Error('no syncReply sent');
    expect(r.state.table).toBe(base.table);
    expect(reply.message.members).toEqual(allRecords(base.table));
  });

  it('leaves a listing\'s table as listed when the step writes to the table after listing it', () => {
    // A sizer measures a listing by its table after the step (experiment/swim-sim.ts), so a write
    // later in the same step must copy, not change the slot arrays the listed table holds.
    const base = nodeKnowing(6);
    const st = new Step({ ...base }, 0, undefined);
    const m3 = getMember(base.table, 'n3')!;
    st.put(makeMember('n3', 'alive', 5, m3.info, m3.health, 0));
    const records = tableRecords(st);
    st.put(makeMember('n3', 'alive', 9, m3.info, m3.health, 0));
    const listed = listedTable(records)!;
    expect(getMember(listed, 'n3')?.incarnation).toBe(5);
    expect(allRecords(listed)).toEqual(records);
    expect(getMember(st.s.table, 'n3')?.incarnation).toBe(9);
  });

  it('merges a listing made in this process as it merges a copy of the same records', () => {
    // A listing from tableRecords is merged slot array by slot array against this node's table
    // (membership.ts pickRecords), skipping the ones both tables share; a copy of it is walked
    // record by record. Both tables come from one ancestor, whose suspects sit in shared slot arrays.
    const claims = fc.uniqueArray(claimUpTo(40), { selector: (c) => c.id, maxLength: 12 }).map((cs) => byId(cs.map((c) => record(c.id, c.status, c.incarnation))));
    fc.assert(
      fc.property(claims, claims, claims, (common, mine, theirs) => {
        const ancestor = recv(nodeKnowing(30), 'n2', { kind: 'sync', members: common }).state;
        const own = recv(ancestor, 'n2', { kind: 'sync', members: mine }).state;
        const other = recv(ancestor, 'n3', { kind: 'sync', members: theirs }).state;
        const reply = recv(other, 'n4', { kind: 'sync', members: [] }).outputs.find((o) => o.type === 'send' && o.message.kind === 'syncReply');
        if (reply?.type !== 'send' || reply.message.kind !== 'syncReply') throw new Error('no syncReply sent');
        const listing = reply.message.members;
        expect(listedTable(listing)).toBeDefined();
        const picked = recv(own, 'n5', { kind: 'sync', members: listing });
        const walked = recv(own, 'n5', { kind: 'sync', members: [...listing] });
        expect(swimCore.encode(picked.state)).toBe(swimCore.encode(walked.state));
        expect(picked.outputs).toEqual(walked.outputs);
      }),
      { numRuns: 300 },
    );
  });

  it('merges a repeated record as it merges it once followed by the same claim again', () => {
    const base = nodeKnowing(6);
    const twice = recv(base, 'n2', { kind: 'sync', members: [record('n3', 'alive', 1), record('n3', 'alive', 1), record('n4', 'dead', 0)] });
    const once = recv(base, 'n2', { kind: 'sync', members: [record('n3', 'alive', 1), record('n4', 'dead', 0)] });
    expect(swimCore.encode(twice.state)).toBe(swimCore.encode(once.state));
  });

  it('queues one update object for a record that several nodes learn from the same table', () => {
    // What the codec measures once per object (SwimCodec.sizeOf): a cold start's joiners all learn
    // each member from the seed's one table.
    const table = [record('n7', 'alive', 2)];
    const queued = (id: string) => {
      const after = recv(swimCore.init(setup(id)).state, 'n2', { kind: 'sync', members: table }).state;
      return levelEntries(after.queue.levels[0]).find((e) => e.update.member === 'n7')?.update;
    };
    const a = queued('n3');
    expect(a).toEqual(aliveOf('n7', 2));
    expect(queued('n4')).toBe(a);
  });
});
