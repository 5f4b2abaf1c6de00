import { describe, expect, it } from 'vitest';
import { Network, TCP, networkConfig, tcpHandshakeDelay, tcpRetransmitDelay } from '../../experiment/network.js';
import { Rng } from '../../spec/prng.js';
import { Simulator } from '../../experiment/simulator.js';
import { heartbeatProtocol } from './toy.js';

/** A loss sequence: true = that transmission is lost, then every later one gets through. */
const losses = (...seq: boolean[]) => {
  let k = 0;
  return () => seq[k++] ?? false;
};

describe('the TCP retransmission delay (Linux RTOs)', () => {
  it('costs nothing when nothing is lost', () => {
    expect(tcpRetransmitDelay(losses(), true)).toBe(0);
    expect(tcpRetransmitDelay(losses(), false)).toBe(0);
  });

  it('delays a segment on an open connection by 200 ms for its first loss', () => {
    expect(tcpRetransmitDelay(losses(true), true)).toBe(200);
  });

  it('doubles the timeout per consecutive loss of the same segment', () => {
    expect(tcpRetransmitDelay(losses(true, true), true)).toBe(200 + 400);
    expect(tcpRetransmitDelay(losses(true, true, true, true), true)).toBe(200 + 400 + 800 + 1600);
  });

  it('delays a new connection by 1 s when its SYN is lost', () => {
    expect(tcpRetransmitDelay(losses(true), false)).toBe(1_000);
  });

  it('delays a new connection by 1 s when its SYN-ACK is lost', () => {
    expect(tcpRetransmitDelay(losses(false, true), false)).toBe(1_000);
  });

  it('adds the data segment’s 200 ms back-off after the handshake', () => {
    // SYN lost, then SYN and SYN-ACK through, then the data lost once.
    expect(tcpRetransmitDelay(losses(true, false, false, true), false)).toBe(1_000 + 200);
  });

  it('gives up the connection after tcp_syn_retries failed retries', () => {
    expect(tcpRetransmitDelay(() => true, false)).toBeNull();
    const justEnough = Array.from({ length: TCP.synRetries }, () => true);
    expect(tcpRetransmitDelay(losses(...justEnough), false)).toBe(1_000 * (2 ** TCP.synRetries - 1));
  });

  it('drops a segment after tcp_retries2 retransmissions', () => {
    expect(tcpRetransmitDelay(() => true, true)).toBeNull();
  });
});

function tcpCluster(network: { loss: number }) {
  const p = heartbeatProtocol();
  const tcp = { ...p, transportOf: () => 'tcp' as const };
  const sim = new Simulator(tcp, p.definition.cluster(3), { seed: 7, network: { latency: { name: 'fixed', minBaseMs: 5, maxBaseMs: 5, jitterSigma: 0 }, loss: network.loss, duplication: 0 } });
  return sim;
}

describe('TCP messages in the simulator', () => {
  it('delivers every TCP message under 30 % loss, none lost', () => {
    const sim = tcpCluster({ loss: 0.3 });
    for (let i = 0; i < 3; i++) sim.start(i);
    sim.runUntil(60_000);
    expect(sim.traffic.dropped).toBe(0);
    expect(sim.traffic.delivered).toBeGreaterThan(0);
  });

  it('drops a TCP message across a partition', () => {
    const sim = tcpCluster({ loss: 0 });
    sim.addPartition({ from: 0, until: 100_000, side: Uint8Array.from([0, 1, 1]) });
    for (let i = 0; i < 3; i++) sim.start(i);
    sim.runUntil(10_000);
    expect(sim.traffic.dropped).toBeGreaterThan(0);
  });

  it('starts losing at setLoss, not before', () => {
    const udp = new Simulator(heartbeatProtocol(), heartbeatProtocol().definition.cluster(3), { seed: 7 });
    for (let i = 0; i < 3; i++) udp.start(i);
    udp.runUntil(10_000);
    expect(udp.traffic.dropped).toBe(0);
    udp.setLoss(1);
    udp.runUntil(20_000);
    expect(udp.traffic.dropped).toBeGreaterThan(0);
  });
});

describe('a bare TCP connect (the proxy health check)', () => {
  it('costs the handshake only: three failed attempts in a row take 1 + 2 + 4 s, past a 5 s check timeout', () => {
    expect(tcpHandshakeDelay(losses(true, true, true))).toBe(1_000 + 2_000 + 4_000);
  });

  it('has no data segment: a connect whose handshake got through costs nothing more, whatever comes after', () => {
    expect(tcpHandshakeDelay(losses(false, false, true, true))).toBe(0);
  });

  it('opens a fresh connection every time: under loss the second connect to the same node pays the handshake again', () => {
    const net = new Network(networkConfig({ loss: 0.5 }), Rng.seeded(7));
    // With half the segments lost, some of 50 connects between the same pair must wait at least one 1 s retry.
    const delays = Array.from({ length: 50 }, (_, k) => net.transmitConnect(0, 1, k * 10_000)[0] ?? Infinity);
    expect(delays.filter((d) => d >= 1_000).length).toBeGreaterThan(10);
  });
});
