/**
 * The core's seeded generator (mulberry32): its whole state is one 32-bit integer kept in the node's
 * state, so a step stays a pure function of (state, input) and a run replays from its seed.
 */
export type RngState = number;

/** A float in [0, 1) and the generator's next state. */
export function nextFloat(rng: RngState): [number, RngState] {
  const next = (rng + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

/** An integer in [0, bound). */
export function nextInt(rng: RngState, bound: number): [number, RngState] {
  const [f, r] = nextFloat(rng);
  return [Math.floor(f * bound), r];
}

/** A Fisher–Yates shuffle of a copy of `items`. */
export function shuffled<T>(items: readonly T[], rng: RngState): [T[], RngState] {
  const out = [...items];
  let r = rng;
  for (let i = out.length - 1; i > 0; i--) {
    let j: number;
    [j, r] = nextInt(r, i + 1);
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return [out, r];
}

/**
 * `shuffled` in place, of items[0 .. count): the same draws, the same permutation, the same next state,
 * without a tuple per draw. Restoring 10,000 nodes from a member snapshot shuffles 10,000 ids for each
 * (10^8 draws). Probe orders are Int32Arrays, arrays serve tests: each call site sees one kind.
 */
export function shuffleInPlace<T>(items: { [index: number]: T; readonly length: number }, rng: RngState, count = items.length): RngState {
  let r = rng;
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

/** Up to `k` distinct items picked at random from `items` (a partial shuffle). */
export function sample<T>(items: readonly T[], k: number, rng: RngState): [T[], RngState] {
  const pool = [...items];
  const out: T[] = [];
  let r = rng;
  while (out.length < k && pool.length > 0) {
    let j: number;
    [j, r] = nextInt(r, pool.length);
    out.push(pool[j]);
    pool[j] = pool[pool.length - 1];
    pool.pop();
  }
  return [out, r];
}

/**
 * Up to `k` distinct items of `items` that satisfy `accept`, drawn by rejection (at most `tries`
 * draws), then sorted: O(k) per call instead of a scan of the whole table, which matters when a
 * 10,000-member node picks gossip targets five times a second.
 */
export function sampleWhere<T extends string>(
  items: { readonly length: number; at(index: number): T | undefined },
  k: number,
  accept: (item: T) => boolean,
  rng: RngState,
  tries = 8 * k + 8,
): [T[], RngState] {
  const out: T[] = [];
  let r = rng;
  if (items.length === 0 || k <= 0) return [out, r];
  // Few candidates: an exact partial shuffle of the acceptable ones is cheap and never misses one.
  if (items.length <= 4 * k + 4) {
    const ok: T[] = [];
    for (let j = 0; j < items.length; j++) {
      const item = items.at(j) as T;
      if (accept(item)) ok.push(item);
    }
    const [picked, r2] = sample(ok, k, r);
    return [picked.sort(), r2];
  }
  for (let t = 0; t < tries && out.length < k; t++) {
    let j: number;
    [j, r] = nextInt(r, items.length);
    const item = items.at(j) as T;
    if (!out.includes(item) && accept(item)) out.push(item);
  }
  return [out.sort(), r];
}
