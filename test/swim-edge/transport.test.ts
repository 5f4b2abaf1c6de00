/**
 * The network edge on real loopback sockets, with a toy JSON codec standing in for the SWIM codec:
 * datagrams and stream frames arrive, bad input is dropped and counted, never thrown.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Keyring } from '../../impl/swim/keyring.js';
import { Metrics } from '../../impl/swim/metrics.js';
import { NetTransport, TransportError } from '../../impl/swim/transport-udp.js';
import type { Decoded, WireCodec } from '../../impl/swim/wire.js';

type Msg = { readonly text: string; readonly big?: boolean };
const toy: WireCodec<Msg> = {
  encode: (from, message) => new TextEncoder().encode(JSON.stringify({ from, message })),
  decode: (bytes): Decoded<Msg> => {
    try {
      const v = JSON.parse(new TextDecoder().decode(bytes)) as { from: string; message: Msg };
      return typeof v.from === 'string' ? { ok: true, from: v.from, message: v.message } : { ok: false, reason: 'malformed' };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
  },
  prefersStream: (m) => m.big === true,
};

const open: NetTransport<Msg>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function node(id: string, extra: Partial<ConstructorParameters<typeof NetTransport<Msg>>[0]> = {}) {
  const got: [string, Msg][] = [];
  const metrics = new Metrics();
  const t = new NetTransport<Msg>({ id, bind: '127.0.0.1:0', codec: toy, metrics, ...extra });
  open.push(t);
  await t.start((from, m) => got.push([from, m]));
  return { t, got, metrics };
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

async function rawSend(port: number, bytes: Uint8Array) {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.send(bytes, port, '127.0.0.1', () => r()));
  s.close();
}

describe('NetTransport on loopback', () => {
  it('delivers a datagram to a seed given by address and learns the sender id', async () => {
    const a = await node('a');
    const b = await node('b');
    a.t.send(b.t.boundAddress, { text: 'hi' });
    await until(() => b.got.length > 0);
    expect(b.got).toEqual([['a', { text: 'hi' }]]);
    expect(b.t.addressOf('a')).toBe(a.t.boundAddress);
  });

  it('sends stream-bound messages over TCP', async () => {
    const a = await node('a');
    const b = await node('b');
    a.t.learn('b', b.t.boundAddress);
    a.t.send('b', { text: 'x'.repeat(5000), big: true });
    await until(() => b.got.length > 0);
    expect(b.got[0][1].text).toHaveLength(5000);
  });

  it('drops and counts a malformed datagram without delivering it', async () => {
    const b = await node('b');
    await rawSend(Number(b.t.boundAddress.split(':')[1]), new Uint8Array([0xff, 0x00, 0x13]));
    await until(() => b.metrics.total('packets_dropped_total') > 0);
    expect(b.metrics.get('packets_dropped_total', { reason: 'malformed' })).toBe(1);
    expect(b.got).toEqual([]);
  });

  it('drops an unauthenticated datagram when a keyring is set', async () => {
    const ring = new Keyring([randomBytes(32)]);
    const a = await node('a');
    const b = await node('b', { keyring: ring });
    a.t.send(b.t.boundAddress, { text: 'no tag' });
    await until(() => b.metrics.total('packets_dropped_total') > 0);
    expect(b.metrics.get('packets_dropped_total', { reason: 'auth-missing' })).toBe(1);
    expect(b.got).toEqual([]);
  });

  it('delivers between members sharing a keyring', async () => {
    const ring = new Keyring([randomBytes(32)]);
    const a = await node('a', { keyring: ring });
    const b = await node('b', { keyring: ring });
    a.t.send(b.t.boundAddress, { text: 'sealed' });
    await until(() => b.got.length > 0);
    expect(b.got).toEqual([['a', { text: 'sealed' }]]);
  });

  it('refuses to bind a non-loopback address unless told to', () => {
    expect(() => new NetTransport<Msg>({ id: 'a', bind: '0.0.0.0:7946', codec: toy })).toThrow(TransportError);
    expect(() => new NetTransport<Msg>({ id: 'a', bind: '0.0.0.0:7946', codec: toy })).toThrow('not loopback');
  });
});
