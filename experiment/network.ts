/**
 * The simulated network: per-link latency drawn from a distribution, random loss, duplication and
 * partitions that start and heal. Per-link figures are derived from a hash of the link's endpoints, so
 * 10,000 nodes need no N² table and a link keeps its character for the whole run.
 */
import { ConfigError } from '../spec/errors.js';
import { type Rng, hashUnit } from '../spec/prng.js';

/**
 * Latency of one link: a base figure fixed per link, uniform in [minBaseMs, maxBaseMs] (near and far
 * peers), times a per-message log-normal jitter exp(σ·Z) (median 1, a right tail like real queues).
 */
export interface LatencyModel {
  readonly name: string;
  readonly minBaseMs: number;
  readonly maxBaseMs: number;
  readonly jitterSigma: number;
}

/**
 * LAN: one data centre, 0.1–0.5 ms one way (same rack to across the hall), jitter σ 0.3.
 * WAN: regions apart, 10–80 ms one way (metro to cross-continent), jitter σ 0.2.
 * Both are orders of magnitude below every protocol timeout here, as in the deployments they stand for.
 */
export const LATENCY_PRESETS: Readonly<Record<'lan' | 'wan', LatencyModel>> = {
  lan: { name: 'lan', minBaseMs: 0.1, maxBaseMs: 0.5, jitterSigma: 0.3 },
  wan: { name: 'wan', minBaseMs: 10, maxBaseMs: 80, jitterSigma: 0.2 },
};

export interface NetworkConfig {
  readonly latency: LatencyModel;
  /** Probability that one datagram is lost, 0..1. */
  readonly loss: number;
  /** Probability that one datagram is delivered twice (the copy with its own latency), 0..1. */
  readonly duplication: number;
}

/** LAN, lossless, no duplication: the baseline every scenario departs from. */
export const NETWORK_DEFAULTS: NetworkConfig = { latency: LATENCY_PRESETS.lan, loss: 0, duplication: 0 };

export function networkConfig(overrides: Partial<NetworkConfig> = {}): NetworkConfig {
  const c = { ...NETWORK_DEFAULTS, ...overrides };
  for (const k of ['loss', 'duplication'] as const) {
    if (!(c[k] >= 0 && c[k] <= 1)) throw new ConfigError(`network.${k}`, `expected a probability in 0..1, got ${String(c[k])}`);
  }
  const l = c.latency;
  if (!(l.minBaseMs >= 0 && l.maxBaseMs >= l.minBaseMs && l.jitterSigma >= 0)) {
    throw new ConfigError('network.latency', `expected 0 ≤ minBaseMs ≤ maxBaseMs and jitterSigma ≥ 0, got ${JSON.stringify(l)}`);
  }
  return c;
}

/**
 * TCP's retransmission rule as Linux applies it (include/net/tcp.h), which is what an HTTP health
 * check or a memberlist push-pull stream meets on a lossy link: the loss model never drops a TCP
 * message, each loss it would have suffered delays it by the retransmission timeout instead, doubling
 * per consecutive loss (RFC 6298 back-off).
 */
export const TCP = {
  /** TCP_TIMEOUT_INIT: a SYN (or its SYN-ACK) lost is retried after 1 s, then 2 s, 4 s … (RFC 6298 §2.1). */
  synRtoMs: 1_000,
  /** tcp_syn_retries default 6: the seventh handshake attempt lost and connect() fails (127 s in all). */
  synRetries: 6,
  /** TCP_RTO_MIN: on an established LAN connection (RTT ≪ 200 ms) a lost segment is resent after 200 ms, then 400 ms … */
  minRtoMs: 200,
  /** tcp_retries2 default 15: after 15 retransmissions of a segment the connection is dropped. */
  dataRetries: 15,
  /** TCP_RTO_MAX: the back-off stops doubling at 120 s. */
  maxRtoMs: 120_000,
  /**
   * How long an idle connection stays open for reuse, ms. 90 s: hyper/reqwest's default pool idle
   * timeout (Inferno's HTTP client); a 5 s health check therefore reuses its connection and pays the
   * 1 s SYN timeout only for its first check or after either end restarted.
   */
  idleMs: 90_000,
} as const;

/**
 * The extra delay, ms, of opening a TCP connection: each attempt needs its SYN and its SYN-ACK
 * through (two draws), and a failed one costs 1 s, 2 s, 4 s …; null when connect() gives up.
 */
export function tcpHandshakeDelay(lost: () => boolean): number | null {
  let delay = 0;
  let rto: number = TCP.synRtoMs;
  for (let attempt = 0; ; attempt++) {
    const failed = lost() || lost();
    if (!failed) return delay;
    if (attempt === TCP.synRetries) return null;
    delay += rto;
    rto = Math.min(2 * rto, TCP.maxRtoMs);
  }
}

/**
 * The extra delay, ms, of one TCP message whose transmissions each get lost when `lost()` says so;
 * null when TCP gives up (the connection times out, the message is dropped). On a new connection the
 * handshake comes first: an attempt needs its SYN and its SYN-ACK through (two draws), and a failed one
 * costs 1 s, 2 s, 4 s …; then the data segment: each loss costs 200 ms, 400 ms, 800 ms … Lost ACKs
 * cost nothing here: the data already arrived, the sender's spurious resend is not modelled.
 */
export function tcpRetransmitDelay(lost: () => boolean, established: boolean): number | null {
  let delay = 0;
  if (!established) {
    const handshake = tcpHandshakeDelay(lost);
    if (handshake === null) return null;
    delay = handshake;
  }
  let rto: number = TCP.minRtoMs;
  for (let attempt = 0; lost(); attempt++) {
    if (attempt === TCP.dataRetries) return null;
    delay += rto;
    rto = Math.min(2 * rto, TCP.maxRtoMs);
  }
  return delay;
}

/** A partition: while active, nodes on different sides cannot reach each other (both directions). */
export interface Partition {
  readonly from: number;
  readonly until: number;
  /** Side of each node, by node index. */
  readonly side: Uint8Array;
}

export class Network {
  private readonly partitions: Partition[] = [];
  private readonly salt: number;
  /** The loss in force now: config.loss until a scenario changes it (setLoss). */
  private loss: number;

  constructor(
    readonly config: NetworkConfig,
    private readonly rng: Rng,
  ) {
    this.salt = rng.int(0x7fffffff);
    this.loss = config.loss;
  }

  /** Loss from now on (a sweep that starts losing at its event, after a lossless warm-up). */
  setLoss(loss: number): void {
    if (!(loss >= 0 && loss <= 1)) throw new ConfigError('network.loss', `expected a probability in 0..1, got ${String(loss)}`);
    this.loss = loss;
  }

  get currentLoss(): number {
    return this.loss;
  }

  /** An independent copy at the same generator position, with the same partitions. */
  fork(): Network {
    const n = Object.create(Network.prototype) as Network;
    Object.assign(n, this);
    const w = n as unknown as Record<string, unknown>;
    w.partitions = this.partitions.slice();
    w.rng = this.rng.fork(0).copyOf(this.rng);
    return n;
  }

  addPartition(p: Partition): void {
    if (!(p.until > p.from)) throw new ConfigError('partition', `must heal after it starts (from ${p.from}, until ${p.until})`);
    this.partitions.push(p);
  }

  canReach(a: number, b: number, at: number): boolean {
    for (const p of this.partitions) if (at >= p.from && at < p.until && p.side[a] !== p.side[b]) return false;
    return true;
  }

  /** The fixed base latency of the link between a and b (symmetric). */
  baseLatency(a: number, b: number): number {
    const l = this.config.latency;
    const u = a < b ? hashUnit(a, b, this.salt) : hashUnit(b, a, this.salt);
    return l.minBaseMs + u * (l.maxBaseMs - l.minBaseMs);
  }

  /**
   * What happens to one datagram sent at `at`: the delivery delays of its copies (none when lost or
   * cut off by a partition, two when duplicated).
   */
  transmit(a: number, b: number, at: number): readonly number[] {
    if (!this.canReach(a, b, at)) return NO_COPIES;
    if (this.rng.chance(this.loss)) return NO_COPIES;
    const first = this.delay(a, b);
    if (!this.rng.chance(this.config.duplication)) return [first];
    return [first, this.delay(a, b)];
  }

  /**
   * What happens to one TCP message sent at `at` (tcpRetransmitDelay): one copy, late by its
   * retransmissions, never duplicated (TCP delivers once). Across a partition it is dropped: the
   * retransmissions would outlast a health check's timeout, and a stream that cannot connect fails.
   * Reachability is judged at the send: a partition starting during the retransmissions is not seen.
   */
  transmitTcp(a: number, b: number, at: number, established: boolean): readonly number[] {
    if (!this.canReach(a, b, at)) return NO_COPIES;
    const extra = this.loss > 0 ? tcpRetransmitDelay(() => this.rng.chance(this.loss), established) : 0;
    if (extra === null) return NO_COPIES;
    // One latency per handshake leg, when a connection is opened: SYN, SYN-ACK, then the data.
    const handshake = established ? 0 : 2 * this.baseLatency(a, b);
    return [handshake + extra + this.delay(a, b)];
  }

  /**
   * A bare TCP connect from a to b (Inferno's proxy health check: `TcpStream::connect`, then dropped):
   * a fresh handshake every time, never a pooled connection; the SYN's delivery at b, late by the
   * handshake's retransmissions. Its SYN-ACK is `transmitConnectAck`.
   */
  transmitConnect(a: number, b: number, at: number): readonly number[] {
    if (!this.canReach(a, b, at)) return NO_COPIES;
    const extra = this.loss > 0 ? tcpHandshakeDelay(() => this.rng.chance(this.loss)) : 0;
    if (extra === null) return NO_COPIES;
    return [extra + this.delay(a, b)];
  }

  /** The SYN-ACK of a bare connect: its losses were drawn with the SYN's (transmitConnect), so only its latency. */
  transmitConnectAck(a: number, b: number, at: number): readonly number[] {
    return this.canReach(a, b, at) ? [this.delay(a, b)] : NO_COPIES;
  }

  private delay(a: number, b: number): number {
    const sigma = this.config.latency.jitterSigma;
    const jitter = sigma > 0 ? Math.exp(sigma * this.rng.normal()) : 1;
    return this.baseLatency(a, b) * jitter;
  }
}

const NO_COPIES: readonly number[] = [];
