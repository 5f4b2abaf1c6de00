/**
 * How a death declared by one observer reaches the others, next to hashicorp/memberlist: the facts
 * the side-by-side bench (docs/swim-timing.md, "Where the spread after the first declaration goes")
 * depends on. memberlist is read for its rules (state.go deadNode, net.go sendMsg, queue.go
 * TransmitLimitedQueue); none of its code is carried over.
 */
import { describe, expect, it } from 'vitest';
import { SWIM_TIMERS, type SwimMessage, timerName } from '../../spec/swim.js';
import type { Output } from '../../spec/step.js';
import { estimateSize } from '../../impl/swim/broadcast-queue.js';
import { swimCore } from '../../impl/swim/index.js';
import { CFG, aliveOf, nodeKnowing, notes, recv, sends } from './helpers.js';

const suspectN3 = { kind: 'suspect', member: 'n3', incarnation: 0, from: 'n2' } as const;
const deadN3 = { kind: 'dead', member: 'n3', incarnation: 0, from: 'n4' } as const;
const gossip = (...updates: SwimMessage extends infer M ? (M extends { kind: 'gossip'; updates: infer U } ? U : never) : never) => ({ kind: 'gossip', updates }) as const;
const cancels = (outputs: readonly Output<SwimMessage>[]) => outputs.flatMap((o) => (o.type === 'cancelTimer' ? [o.timer] : []));

describe('a gossiped death, as memberlist takes it', () => {
  it('an observer still waiting on its own suspicion timer takes the gossiped dead at once and notifies the failure (memberlist state.go deadNode: NotifyLeave on any dead not older than its record)', () => {
    const suspecting = recv(nodeKnowing(5), 'n2', gossip(suspectN3), 0).state;
    const r = recv(suspecting, 'n4', gossip(deadN3), 1_000);
    expect(notes(r.outputs)).toContainEqual({ kind: 'failed', member: 'n3' });
    expect(swimCore.view(r.state).members.n3.status).toBe('dead');
  });

  it('the gossiped dead clears the local suspicion timer, so no second declaration follows (memberlist state.go deadNode: delete(m.nodeTimers, …))', () => {
    const suspecting = recv(nodeKnowing(5), 'n2', gossip(suspectN3), 0).state;
    const r = recv(suspecting, 'n4', gossip(deadN3), 1_000);
    expect(cancels(r.outputs)).toContain(timerName(SWIM_TIMERS.suspicion, 'n3'));
  });

  it('the observer re-gossips the dead it took, and the very next ack it sends carries it (memberlist deadNode: encodeAndBroadcast; net.go sendMsg piggybacks broadcasts on every ack)', () => {
    const suspecting = recv(nodeKnowing(5), 'n2', gossip(suspectN3), 0).state;
    const dead = recv(suspecting, 'n4', gossip(deadN3), 1_000).state;
    const r = recv(dead, 'n5', { kind: 'ping', seq: 3, updates: [] }, 1_010);
    const ack = sends(r.outputs).find((s) => s.message.kind === 'ack');
    expect(ack?.message.kind === 'ack' ? ack.message.updates : []).toContainEqual(deadN3);
  });

  it('with room for one update only, the fresh dead goes ahead of every older update not yet sent (memberlist queue.go: fewest transmits first; among equals Alice takes the newest)', () => {
    // n1 has just learnt n2..n5: four alive records queued, none sent yet. The budget fits one alive
    // record or the dead, not both, so the datagram shows which one the queue ranks first.
    const budget = estimateSize(aliveOf('n2'));
    expect(estimateSize(deadN3)).toBeLessThanOrEqual(budget);
    const learnt = nodeKnowing(5, { ...CFG, packetBudgetBytes: budget });
    const dead = recv(learnt, 'n4', gossip(deadN3), 1_000).state;
    const r = recv(dead, 'n5', { kind: 'ping', seq: 3, updates: [] }, 1_010);
    const ack = sends(r.outputs).find((s) => s.message.kind === 'ack');
    expect(ack?.message.kind === 'ack' ? ack.message.updates : []).toEqual([deadN3]);
  });
});
