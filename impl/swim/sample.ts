/**
 * SWIM's random choices of members (ping-req helpers, gossip targets), drawn from the one seeded
 * generator (spec/prng.ts) whose state the core keeps.
 */
import { type RngState, nextInt } from '../../spec/prng.js';

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
