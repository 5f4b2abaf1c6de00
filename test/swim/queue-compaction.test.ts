/**
 * A node whose datagrams never reach the older part of its broadcast queue (saturation: more updates
 * queued than datagrams carry) still learns newer updates about members it already queued. Each one
 * supersedes the last; the queue compacts itself before superseded entries outnumber current ones,
 * so what it holds stays bounded by its members, not by the updates it ever learnt.
 */
import { describe, expect, it } from 'vitest';
import { levelEntries, queueLength } from '../../impl/swim/broadcast-queue.js';
import { getMember } from '../../impl/swim/membership.js';
import { aliveOf, nodeKnowing, recv } from './helpers.js';

describe('SWIM broadcast queue compaction', () => {
  it('keeps at most twice the members plus 64 entries however many updates supersede each other', () => {
    let state = nodeKnowing(8);
    for (let inc = 1; inc <= 500; inc++) state = recv(state, 'n2', { kind: 'gossip', updates: [aliveOf('n3', inc)] }).state;
    expect(state.table.size).toBe(8);
    expect(queueLength(state.queue)).toBeLessThanOrEqual(2 * 8 + 64 + 1);
  });

  it('keeps the newest update about a member queued and current through compactions', () => {
    let state = nodeKnowing(8);
    for (let inc = 1; inc <= 500; inc++) state = recv(state, 'n2', { kind: 'gossip', updates: [aliveOf('n3', inc)] }).state;
    const order = getMember(state.table, 'n3')?.queuedOrder;
    const queued = levelEntries(state.queue.levels[0]).find((e) => e.order === order);
    expect(queued?.update).toEqual(aliveOf('n3', 500));
    expect(getMember(state.table, 'n3')?.incarnation).toBe(500);
  });
});
