/**
 * The simulator's seeded generator. Every random draw of a run (latency, loss, duplication, skew,
 * which nodes crash) comes from one of these, so a run replays exactly from its seed. Separate
 * streams per concern (network, scenario) keep a change in one from shifting the draws of the other.
 */

/** A 32-bit generator (Weyl sequence + avalanche mix): fast, tiny state, good enough for a network model. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    // Mixing the seed once keeps small neighbouring seeds (1, 2, 3) from giving correlated streams.
    this.s = mix32((seed | 0) ^ 0x9e3779b9);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    return (mix32(this.s) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. Draws nothing when p is 0, so a lossless run spends no entropy on loss. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Standard normal (Box–Muller; one value per call keeps the stream position simple to reason about). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** This generator set to `other`'s exact position: both continue with the same draws. */
  copyOf(other: Rng): Rng {
    this.s = other.s;
    return this;
  }

  /** A derived generator: same parent seed and label, same stream. */
  fork(label: number): Rng {
    return new Rng(mix32(this.s ^ Math.imul(label + 1, 0x85ebca6b)));
  }
}

/** A 32-bit avalanche: every input bit flips about half the output bits. */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) | 0;
}

/** A stable uniform [0, 1) for a pair of integers: per-link properties without storing N² values. */
export function hashUnit(a: number, b: number, salt: number): number {
  return (mix32(mix32(a ^ salt) ^ Math.imul(b + 0x27d4eb2f, 0x165667b1)) >>> 0) / 4294967296;
}
