import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SwimCodec } from '../../impl/swim/codec.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { MemberUpdate, SwimMessage } from '../../spec/swim.js';
import { gossipAddress, swimMessageSizer } from '../../experiment/swim-sim.js';
import { messageArb } from '../swim-edge/arbitraries.js';
import { SWIM_LAN, swimCluster, swimCore } from '../../impl/swim/index.js';
import { listedTable } from '../../impl/swim/push-pull.js';
import { Sim } from '../swim/sim.js';

const encodedLength = (codec: SwimCodec, m: SwimMessage): number => codec.encode('n00000', m, Number.MAX_SAFE_INTEGER).length;

describe('SWIM message sizes on the simulated wire', () => {
  it('equal the length of the production codec encoding, for every kind of message', () => {
    const codec = new SwimCodec({ addressOf: gossipAddress });
    const sizeOf = swimMessageSizer(codec);
    fc.assert(
      fc.property(messageArb, (m) => {
        expect(sizeOf(m)).toBe(encodedLength(codec, m));
      }),
    );
  });

  it('equal the encoding for a datagram carrying more updates than its count byte can name', () => {
    const codec = new SwimCodec({ addressOf: gossipAddress });
    const updates: MemberUpdate[] = Array.from({ length: 300 }, (_, i) => ({ kind: 'left', member: `n${i + 1}`, incarnation: i }));
    const m: SwimMessage = { kind: 'gossip', updates };
    expect(swimMessageSizer(codec)(m)).toBe(encodedLength(codec, m));
  });

  it('equal the encoding for full-table exchanges whose records share NodeInfo objects, as simulated tables do', () => {
    const codec = new SwimCodec({ addressOf: gossipAddress });
    const sizeOf = swimMessageSizer(codec);
    const info = makeNodeInfo('n42', '10.0.0.42:8080', 9090, 'backend', 0);
    const health = { ready: true, loadBucket: 0 };
    for (const [status, incarnation] of [['alive', 0], ['suspect', 300], ['dead', 70_000]] as const) {
      const m: SwimMessage = { kind: 'syncReply', members: [{ member: 'n42', status, incarnation, info, health }] };
      expect(sizeOf(m)).toBe(encodedLength(codec, m));
    }
  });

  it('equal the encoding for every full-table exchange a cluster sent, measured after its tables moved on', () => {
    // Sized by the tables they were listed from (sealed, so later steps cannot change what they hold),
    // with one sizer's slot sums shared across a history of tables that a crash and an update changed.
    const sim = new Sim(swimCore, swimCluster(12, { ...SWIM_LAN, pushPullIntervalMs: 2_000 }));
    sim.runUntil(10_000);
    sim.input('n3', { type: 'command', command: { kind: 'update', patch: { address: '10.9.0.3:8080' } } });
    sim.input('n7', { type: 'crash' });
    sim.runUntil(40_000);
    const codec = new SwimCodec({ addressOf: gossipAddress });
    const sizeOf = swimMessageSizer(codec);
    const exchanges = sim.sent.map((e) => e.message).filter((m) => m.kind === 'sync' || m.kind === 'syncReply');
    expect(exchanges.length).toBeGreaterThan(50);
    for (const m of exchanges) {
      expect(listedTable(m.members)).toBeDefined();
      expect(sizeOf(m)).toBe(encodedLength(codec, m));
    }
  });

  it('count the gossip address each alive record carries', () => {
    const withAddress = new SwimCodec({ addressOf: gossipAddress });
    const without = new SwimCodec();
    const alive: MemberUpdate = { kind: 'alive', member: 'n7', incarnation: 0, info: makeNodeInfo('n7', '10.0.0.7:8080', 9090, 'backend', 0), health: { ready: true, loadBucket: 0 } };
    const m: SwimMessage = { kind: 'ping', seq: 1, updates: [alive] };
    expect(swimMessageSizer(withAddress)(m) - swimMessageSizer(without)(m)).toBe(1 + gossipAddress('n7').length);
  });
});
