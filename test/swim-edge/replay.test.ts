/**
 * Replay protection of authenticated packets: a sealed frame is accepted once; a copy, or a frame
 * sealed outside the time window, is refused as `auth-replay`; the per-sender memory is bounded and a
 * sender pushed out of it cannot be replayed either.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring } from '../../impl/swim/keyring.js';
import { Metrics } from '../../impl/swim/metrics.js';
import { NetTransport } from '../../impl/swim/transport-udp.js';
import { SwimCodec } from '../../impl/swim/codec.js';
import type { SwimMessage } from '../../spec/swim.js';

const key = randomBytes(32);
const payload = new Uint8Array([1, 2, 3]);

describe('replay protection', () => {
  it('accepts a sealed frame once and refuses every copy as auth-replay', () => {
    const sender = new Keyring([key]);
    const receiver = new Keyring([key]);
    const frame = sender.seal(payload);
    const results = Array.from({ length: 50 }, () => receiver.open(frame));
    expect(results[0].ok).toBe(true);
    expect(results.slice(1).every((r) => !r.ok && r.reason === 'auth-replay')).toBe(true);
  });

  it('accepts frames of one sender out of order within its window, each once', () => {
    const sender = new Keyring([key]);
    const receiver = new Keyring([key]);
    const frames = Array.from({ length: 10 }, () => sender.seal(payload));
    for (const f of [...frames].reverse()) expect(receiver.open(f).ok).toBe(true);
    for (const f of frames) expect(receiver.open(f)).toEqual({ ok: false, reason: 'auth-replay' });
  });

  it('refuses a frame sealed further from the receiver\'s clock than the window', () => {
    let now = 1_000_000;
    const sender = new Keyring([key], { now: () => now });
    const receiver = new Keyring([key], { now: () => now, replayWindowMs: 30_000 });
    const frame = sender.seal(payload);
    now += 30_001;
    expect(receiver.open(frame)).toEqual({ ok: false, reason: 'auth-replay' });
    expect(receiver.open(sender.seal(payload)).ok).toBe(true);
  });

  it('keeps at most maxSenders senders, and still refuses a replay from a sender it forgot', () => {
    const receiver = new Keyring([key], { maxSenders: 100 });
    const first = new Keyring([key]).seal(payload);
    expect(receiver.open(first).ok).toBe(true);
    for (let i = 0; i < 1_000; i++) expect(receiver.open(new Keyring([key]).seal(payload)).ok).toBe(true);
    expect(receiver.trackedSenders).toBeLessThanOrEqual(100);
    expect(receiver.open(first)).toEqual({ ok: false, reason: 'auth-replay' });
  });

  it('counts replayed datagrams at the transport as packets_dropped_total{reason="auth-replay"} and delivers one', () => {
    const metrics = new Metrics();
    const ring = new Keyring([key]);
    const codec = new SwimCodec();
    const t = new NetTransport<SwimMessage>({ id: 'b', bind: '127.0.0.1:0', codec, keyring: new Keyring([key]), metrics });
    const frame = ring.seal(codec.encode('a', { kind: 'ping', seq: 1, updates: [] }, 1400));
    let delivered = 0;
    for (let i = 0; i < 50; i++) t.ingest(frame, { host: '127.0.0.1', port: 7000 }, () => delivered++);
    expect(delivered).toBe(1);
    expect(metrics.get('packets_dropped_total', { reason: 'auth-replay' })).toBe(49);
  });
});
