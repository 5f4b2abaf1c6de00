/**
 * The one seeded generator every room draws from (mulberry32): a SWIM core's probe order and helper
 * choice, the conformance harness's walks, the checker's random walks and the simulator's network and
 * scenario streams. Its whole state is one 32-bit integer, so a core keeps it in its plain-JSON state
 * and a step stays a pure function of (state, input); the mutable `Rng` wraps it for drivers.
 */
export type RngState = number;

/** A float in [0, 1) and the generator's next state. */
export function nextFloat(state: RngState): [value: number, next: RngState] {
  const next = (state + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

/** An integer in [0, bound). */
export function nextInt(state: RngState, bound: number): [value: number, next: RngState] {
  const [f, r] = nextFloat(state);
  return [Math.floor(f * bound), r];
}

/** A Fisher–Yates shuffle of a copy of `items`. */
export function shuffled<T>(items: readonly T[], state: RngState): [T[], RngState] {
  const out = [...items];
  const r = shuffleInPlace(out, state);
  return [out, r];
}

/**
 * `shuffled` in place, of items[0 .. count): the same draws, the same permutation, the same next state,
 * without a tuple per draw. Restoring 10,000 nodes from a member snapshot shuffles 10,000 ids for each
 * (10^8 draws), so the draw is inlined here rather than called.
 */
export function shuffleInPlace<T>(items: { [index: number]: T; readonly length: number }, state: RngState, count = items.length): RngState {
  let r = state;
  for (let i = count - 1; i > 0; i--) {
    r = (r + 0x6d2b79f5) | 0;
    let t = r;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const j = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return r;
}

/** A 32-bit avalanche: every input bit flips about half the output bits (seed spreading, hashing). */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) | 0;
}

/** A mutable wrapper for drivers (never for node state, which must stay a value). */
export class Rng {
  constructor(private state: RngState) {}

  /** A generator whose stream does not correlate with neighbouring seeds (1, 2, 3 …). */
  static seeded(seed: number): Rng {
    return new Rng(mix32((seed | 0) ^ 0x9e3779b9));
  }

  /** Uniform in [0, 1). */
  next(): number {
    const [v, s] = nextFloat(this.state);
    this.state = s;
    return v;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)];
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
    this.state = other.state;
    return this;
  }

  /** A derived generator: same parent position and label, same stream. */
  fork(label: number): Rng {
    return new Rng(mix32(this.state ^ Math.imul(label + 1, 0x85ebca6b)));
  }
}

/** A stable uniform [0, 1) for a pair of integers: per-link properties without storing N² values. */
export function hashUnit(a: number, b: number, salt: number): number {
  return (mix32(mix32(a ^ salt) ^ Math.imul(b + 0x27d4eb2f, 0x165667b1)) >>> 0) / 4294967296;
}
