/**
 * The codec's per-member cache is bounded: a stream of junk member ids never grows it past its cap,
 * and a member reaped from the table is forgotten by the codec too.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { SwimCodec } from '../../impl/swim/codec.js';
import { SWIM_LOCAL } from '../../impl/swim/config.js';
import { createSwimNode } from '../../impl/swim/node.js';
import { FakeTime } from '../../impl/runtime/types.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { MemberUpdate } from '../../spec/swim.js';

const junk = (i: number): MemberUpdate => ({ kind: 'alive', member: `junk-${i}`, incarnation: 1, info: makeNodeInfo(`junk-${i}`, '127.0.0.1:3000', 9090, 'backend', 1), health: { ready: true, loadBucket: 0 } });

/** A sender whose records carry a gossip address for every member, as a relay's do. */
const sender = new SwimCodec({ self: 'mallory', selfAddress: () => '127.0.0.1:9', addressOf: () => '127.0.0.1:9' });
const gossip = (from: number, n: number) => sender.encode('mallory', { kind: 'gossip', updates: Array.from({ length: n }, (_, k) => junk(from + k)) }, 1 << 20);

describe('codec per-member cache', () => {
  it('holds at most maxCachedRecords entries under 20,000 distinct ids', () => {
    const codec = new SwimCodec({ self: 'bob', maxCachedRecords: 1_000 });
    let peak = 0;
    for (let i = 0; i < 20_000; i += 100) {
      expect(codec.decode(gossip(i, 100)).ok).toBe(true);
      peak = Math.max(peak, codec.cachedRecords);
    }
    expect(peak).toBe(1_000);
  });

  it('keeps a running agent\'s cache flat under a stream of junk ids, and forgets reaped members', async () => {
    const time = new FakeTime(Date.UTC(2026, 0, 1));
    const node = createSwimNode({
      id: 'bob',
      info: makeNodeInfo('bob', '127.0.0.1:3000', 9090, 'backend', 1),
      bind: '127.0.0.1:0',
      config: { ...SWIM_LOCAL, reapAfterMs: 1_000 },
      clock: time,
      scheduler: time,
      maxCachedRecords: 500,
      leaveGraceMs: 0,
    });
    await node.start();
    const socket = createSocket('udp4');
    const port = Number(node.transport.boundAddress.split(':')[1]);
    const send = (bytes: Uint8Array) => new Promise<void>((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    try {
      let peak = 0;
      for (let i = 0; i < 4_000; i += 20) {
        await send(gossip(i, 20));
        await send(sender.encode('mallory', { kind: 'gossip', updates: Array.from({ length: 20 }, (_, k): MemberUpdate => ({ kind: 'left', member: `junk-${i + k}`, incarnation: 1 })) }, 1400));
        await new Promise((r) => setImmediate(r));
        peak = Math.max(peak, node.codec.cachedRecords);
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(node.metrics.total('packets_in_total')).toBeGreaterThan(300);
      expect(peak).toBeLessThanOrEqual(500);
      expect(node.codec.cachedRecords).toBeGreaterThan(0);
      // The junk members left; once reaped from the table, the codec forgets them too.
      time.advance(2_000);
      await new Promise((r) => setTimeout(r, 20));
      expect(node.codec.cachedRecords).toBe(0);
    } finally {
      socket.close();
      await node.kill();
    }
  });
});
