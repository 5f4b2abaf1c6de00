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
import { aliveOf, nodeKnowing, recv, setup } from './helpers.js';

function record(id: string, status: SwimStatus, incarnation: number): MemberRecord {
  const a = aliveOf(id, incarnation);
  if (a.kind !== 'alive') throw new Error('unreachable');
  return { member: id, status, incarnation, info: a.info, health: a.health };
}

const claim = fc.record({
  id: fc.integer({ min: 1, max: 14 }).map((i) => `n${i}`),
  status: fc.constantFrom<SwimStatus>('alive', 'suspect', 'dead', 'left'),
  incarnation: fc.integer({ min: 0, max: 2 }),
});

describe('push-pull merge', () => {
  it('ends in the same view and notifications whatever the order of the records', () => {
    fc.assert(
      fc.property(fc.uniqueArray(claim, { selector: (c) => c.id, maxLength: 14 }), fc.integer(), (claims, seed) => {
        // Unique per member, as a node's table is; shuffled by the seed, then sorted for the walk.
        const records = claims.map((c) => record(c.id, c.status, c.incarnation));
        const shuffled = records.map((r, i) => ({ r, k: Math.imul(i + 1, seed | 1) >>> 0 })).sort((a, b) => a.k - b.k).map((x) => x.r);
        const sorted = [...records].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
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
