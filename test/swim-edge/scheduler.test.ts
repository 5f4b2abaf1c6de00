/**
 * The system scheduler judges a timeout only after reading the I/O that was already waiting: after an
 * event-loop stall, a reply that arrived before the deadline is delivered before the timer fires, and
 * so is the reply of a peer sharing the event loop, which answers only when its own turn reads the ping.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { systemScheduler } from '../../impl/runtime/types.js';

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // The stall: nothing else runs.
  }
}

/** A UDP socket that sends itself one datagram, with `onDatagram` called when it is read. */
async function selfSocket(onDatagram: () => void): Promise<{ poke: () => void; close: () => Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', onDatagram);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  return {
    poke: () => socket.send(Buffer.from('x'), port, '127.0.0.1'),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

describe('systemScheduler', () => {
  it('after a stall, a datagram that arrived before the deadline is read before the timer fires', async () => {
    const order: string[] = [];
    const s = await selfSocket(() => order.push('datagram'));
    let done!: () => void;
    const fired = new Promise<void>((resolve) => (done = resolve));
    systemScheduler.set(() => {
      order.push('timer');
      done();
    }, 5);
    s.poke();
    busyWait(60);
    await fired;
    await s.close();
    expect(order).toEqual(['datagram', 'timer']);
  });

  it('after a stall, the reply of a peer in the same process to a datagram sent before the deadline is read before the timer fires', async () => {
    const order: string[] = [];
    const prober = createSocket('udp4');
    const peer = createSocket('udp4');
    await Promise.all([prober, peer].map((x) => new Promise<void>((resolve) => x.bind(0, '127.0.0.1', resolve))));
    // The peer answers when its loop turn reads the ping, so the reply exists only after that poll.
    peer.on('message', (_m, from) => peer.send(Buffer.from('ack'), from.port, '127.0.0.1'));
    prober.on('message', () => order.push('reply'));
    let done!: () => void;
    const fired = new Promise<void>((resolve) => (done = resolve));
    systemScheduler.set(() => {
      order.push('timer');
      done();
    }, 5);
    prober.send(Buffer.from('ping'), peer.address().port, '127.0.0.1');
    busyWait(60);
    await fired;
    await Promise.all([prober, peer].map((x) => new Promise<void>((resolve) => x.close(() => resolve()))));
    expect(order).toEqual(['reply', 'timer']);
  });

  it('a timer cleared by that datagram does not fire, though its deadline had passed', async () => {
    let fired = false;
    let handle: unknown;
    const s = await selfSocket(() => systemScheduler.clear(handle));
    handle = systemScheduler.set(() => {
      fired = true;
    }, 5);
    s.poke();
    busyWait(60);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await s.close();
    expect(fired).toBe(false);
  });

  it('a timer fires once after its delay', async () => {
    let count = 0;
    systemScheduler.set(() => count++, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(count).toBe(1);
  });
});
