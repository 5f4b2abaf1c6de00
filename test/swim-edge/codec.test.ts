/** The binary codec: every message round-trips, packing respects the cap, sizeOf is exact. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODEC_VERSION, SwimCodec } from '../../impl/swim/codec.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { MemberUpdate, SwimMessage } from '../../spec/swim.js';
import { PING_SENDER, PING_WITH_THREE_UPDATES } from '../fixtures/codec-ping.js';
import { messageArb, senderArb, updateArb } from './arbitraries.js';

const codec = new SwimCodec();

describe('SWIM codec', () => {
  it('decodes every encoded message to the same message and sender', () => {
    fc.assert(
      fc.property(senderArb, messageArb, (from, message) => {
        expect(codec.decode(codec.encode(from, message, Infinity))).toEqual({ ok: true, from, message });
      }),
      { numRuns: 500 },
    );
  });

  it('reports the exact encoded size of each update through sizeOf', () => {
    fc.assert(
      fc.property(fc.array(updateArb, { minLength: 1, maxLength: 5 }), (updates) => {
        const empty = codec.encode('n1', { kind: 'gossip', updates: [] }, Infinity).length;
        const full = codec.encode('n1', { kind: 'gossip', updates }, Infinity).length;
        expect(full - empty).toBe(updates.reduce((s, u) => s + codec.sizeOf(u), 0));
      }),
    );
  });

  it('packs piggybacked updates to fit the datagram cap, leaving out those that do not fit', () => {
    const big = (i: number): MemberUpdate => ({ kind: 'alive', member: `m${i}`, incarnation: i, info: { ...makeNodeInfo(`m${i}`, '127.0.0.1:1', 9000, 'backend', 0), capabilities: ['x'.repeat(100)] }, health: { ready: true, loadBucket: 0 } });
    const updates = Array.from({ length: 30 }, (_, i) => big(i));
    const c = new SwimCodec();
    const bytes = c.encode('n1', { kind: 'ping', seq: 1, updates }, 1400);
    expect(bytes.length).toBeLessThanOrEqual(1400);
    const d = c.decode(bytes);
    expect(d.ok && d.message.kind === 'ping' && d.message.updates.length).toBeGreaterThan(5);
    expect(c.overflowed).toBeGreaterThan(0);
  });

  it('sends a join as a datagram and the full-state exchanges over a stream', () => {
    const self = { member: 'n2', status: 'alive' as const, incarnation: 0, info: makeNodeInfo('n2', '127.0.0.1:1', 9000, 'backend', 0), health: { ready: true, loadBucket: 0 } };
    expect(codec.prefersStream({ kind: 'join', self })).toBe(false);
    expect(codec.prefersStream({ kind: 'sync', members: [self] })).toBe(true);
    expect(codec.prefersStream({ kind: 'syncReply', members: [self] })).toBe(true);
    expect(codec.encode('n2', { kind: 'join', self }).length).toBeLessThan(1400);
  });

  it('refuses a packet of another version, naming it', () => {
    const bytes = codec.encode('n1', { kind: 'ping', seq: 1, updates: [] });
    bytes[1] = CODEC_VERSION + 1;
    expect(codec.decode(bytes)).toMatchObject({ ok: false, reason: 'unknown-version' });
  });

  it('refuses a truncated packet as truncated', () => {
    const bytes = codec.encode('node-1', { kind: 'pingReq', seq: 300, target: 'node-2', updates: [] });
    expect(codec.decode(bytes.subarray(0, bytes.length - 3))).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('refuses trailing bytes after a complete message', () => {
    const bytes = codec.encode('n1', { kind: 'gossip', updates: [] });
    expect(codec.decode(new Uint8Array([...bytes, 0]))).toMatchObject({ ok: false, reason: 'trailing-bytes' });
  });

  it('refuses an unknown message kind', () => {
    const bytes = codec.encode('n1', { kind: 'gossip', updates: [] });
    bytes[2] = 200;
    expect(codec.decode(bytes)).toMatchObject({ ok: false, reason: 'unknown-kind' });
  });

  it('encodes a ping with three piggybacked updates in well under a datagram', () => {
    expect(codec.encode(PING_SENDER, PING_WITH_THREE_UPDATES).length).toBeLessThan(120);
  });

  it('decodes every id right when more distinct ids pass than its string cache has slots', () => {
    // 20,000 ids of the same length through a 4,096-slot cache: slots are shared and overwritten.
    const c = new SwimCodec();
    for (let i = 0; i < 20_000; i++) {
      const member = `m${String(i).padStart(5, '0')}`;
      const from = `s${String((i * 7919) % 20_000).padStart(5, '0')}`;
      const m: SwimMessage = { kind: 'gossip', updates: [{ kind: 'dead', member, incarnation: i, from }] };
      const d = c.decode(c.encode(from, m));
      if (!d.ok || d.from !== from || JSON.stringify(d.message) !== JSON.stringify(m)) expect({ i, d }).toEqual({ i, d: { ok: true, from, message: m } });
    }
  });

  it('hands out packets that later encodes by other codecs of the process do not overwrite', () => {
    const codecs = [new SwimCodec(), new SwimCodec(), new SwimCodec()];
    const kept: { bytes: Uint8Array; copy: Uint8Array }[] = [];
    for (let i = 0; i < 3_000; i++) {
      const c = codecs[i % 3];
      // Now and then a large full-state frame, which outgrows the shared slab and moves to a new one.
      const m: SwimMessage = i % 500 === 7 ? { kind: 'sync', members: Array.from({ length: 2_000 }, (_, j) => ({ member: `m${j}`, status: 'alive', incarnation: i, info: makeNodeInfo(`m${j}`, '127.0.0.1:1', 9000, 'backend', 0), health: { ready: true, loadBucket: 0 } })) } : { kind: 'ack', seq: i, updates: [{ kind: 'left', member: `x${i}`, incarnation: i }] };
      const bytes = c.encode(`n${i % 3}`, m);
      if (i % 13 === 0 || i % 500 === 7) kept.push({ bytes, copy: Uint8Array.from(bytes) });
    }
    for (const p of kept) expect(Uint8Array.from(p.bytes)).toEqual(p.copy);
    const sync = kept.find((p) => p.bytes.length > 10_000);
    expect(sync && codecs[0].decode(sync.bytes).ok).toBe(true);
  });

  it('hands out packets that later encodes do not overwrite', () => {
    const c = new SwimCodec();
    const first = c.encode('n1', { kind: 'ack', seq: 1, updates: [] });
    const copy = Uint8Array.from(first);
    // ~150 kB of later packets: more than one of the writer's slabs.
    const later: { bytes: Uint8Array; copy: Uint8Array }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const bytes = c.encode('n2', { kind: 'ack', seq: 1_000 + i, updates: [{ kind: 'left', member: `x${i}`, incarnation: i }] });
      if (i % 97 === 0) later.push({ bytes, copy: Uint8Array.from(bytes) });
    }
    expect(Uint8Array.from(first)).toEqual(copy);
    for (const p of later) expect(Uint8Array.from(p.bytes)).toEqual(p.copy);
  });
});
