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

  constructor(
    readonly config: NetworkConfig,
    private readonly rng: Rng,
  ) {
    this.salt = rng.int(0x7fffffff);
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
    if (this.rng.chance(this.config.loss)) return NO_COPIES;
    const first = this.delay(a, b);
    if (!this.rng.chance(this.config.duplication)) return [first];
    return [first, this.delay(a, b)];
  }

  private delay(a: number, b: number): number {
    const sigma = this.config.latency.jitterSigma;
    const jitter = sigma > 0 ? Math.exp(sigma * this.rng.normal()) : 1;
    return this.baseLatency(a, b) * jitter;
  }
}

const NO_COPIES: readonly number[] = [];
