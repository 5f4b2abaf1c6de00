/**
 * Visited global states kept as 64-bit fingerprints in one flat open-addressing table (two 32-bit
 * halves side by side in a Uint32Array, linear probing). It grows by half at three-quarters load, not
 * by doubling, so it stays between 1/2 and 3/4 full once past its first size: 10.7 to 16 bytes per
 * visited state (8 bytes a slot), where doubling would swing between 10.7 and 21. Two distinct states collide with probability about
 * n²/2^65: for 10^7 states, under 3·10^-6, the same odds TLC accepts.
 */

/** Two independent 32-bit murmur3-style hashes of words[from, to). */
export function fingerprint(words: ArrayLike<number>, from: number, to: number, out: Uint32Array): void {
  let h1 = 0x9747b28c ^ (to - from);
  let h2 = 0x2f6b3a1d ^ Math.imul(to - from, 0x5bd1e995);
  for (let i = from; i < to; i++) {
    let k = words[i];
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(words[i] ^ (i - from), 0x85ebca6b);
    j ^= j >>> 13;
    h2 = Math.imul(h2 ^ j, 0xc2b2ae35);
    h2 ^= h2 >>> 16;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0 || 1; // (0, 0) marks an empty slot
}

/**
 * The slot of a fingerprint in a table of `cap` slots: floor(mix · cap / 2^32), Lemire's
 * multiply-shift range reduction in one double multiply (mix · cap may round, but stays below
 * 2^32 · cap by more than its rounding error, so the slot is below cap). Unlike a mask it works for
 * any size; unlike `%` it needs no division; and it keeps the fingerprints' order, so growing the
 * table copies entries in nearly sequential order.
 */
export function slotOf(hi: number, lo: number, cap: number): number {
  const x = (hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0;
  return Math.floor((x * cap) / 4294967296);
}

export class FingerprintSet {
  private table: Uint32Array;
  /** Slots; any whole number (slots are found by modulo, so growth need not double). */
  private cap: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    this.cap = Math.max(16, Math.ceil(initialCapacity));
    this.table = new Uint32Array(this.cap * 2);
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  /** Forgets every fingerprint (the table keeps its size). */
  clear(): void {
    this.table.fill(0);
    this.count = 0;
  }

  /** Adds the fingerprint; true if it was not there before. */
  add(hi: number, lo: number): boolean {
    if ((this.count + 1) * 4 > this.cap * 3) this.grow();
    return this.insert(this.table, this.cap, hi, lo);
  }

  /**
   * Reads the fingerprint's home slot and changes nothing. The table is far larger than the cache, so
   * a probe waits for memory; touching a batch of fingerprints back to back, before probing them one
   * by one, lets the CPU fetch all their cache lines at once (the loads do not depend on one another),
   * and the probes that follow find them cached. Returns a word of the slot, for the caller to keep
   * (a load whose result is never used may be optimized away).
   */
  touch(hi: number, lo: number): number {
    return this.table[slotOf(hi, lo, this.cap) * 2];
  }

  has(hi: number, lo: number): boolean {
    const t = this.table;
    const cap = this.cap;
    let slot = slotOf(hi, lo, cap);
    for (;;) {
      const a = t[slot * 2];
      const b = t[slot * 2 + 1];
      if (a === 0 && b === 0) return false;
      if (a === hi && b === lo) return true;
      if (++slot === cap) slot = 0;
    }
  }

  private insert(t: Uint32Array, cap: number, hi: number, lo: number): boolean {
    let slot = slotOf(hi, lo, cap);
    for (;;) {
      const a = t[slot * 2];
      const b = t[slot * 2 + 1];
      if (a === 0 && b === 0) {
        t[slot * 2] = hi;
        t[slot * 2 + 1] = lo;
        if (t === this.table) this.count++;
        return true;
      }
      if (a === hi && b === lo) return false;
      if (++slot === cap) slot = 0;
    }
  }

  private grow(): void {
    const old = this.table;
    const cap = Math.ceil(this.cap * 1.5);
    const next = new Uint32Array(cap * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.insert(next, cap, old[i], old[i + 1]);
    }
    this.table = next;
    this.cap = cap;
  }
}

/**
 * A small lossy cache of fingerprints known to be in a FingerprintSet, direct-mapped by the low bits
 * of the second half. Breadth-first search meets most repeated states soon after their first
 * visit (the successors of one state's neighbours overlap), so most probes that would find a state
 * already visited find it here, in a table that stays in the CPU's cache, instead of waiting for
 * memory. Exact: only fingerprints the set holds are put here, and a collision just evicts.
 */
export class RecentFingerprints {
  private readonly slots: Uint32Array;
  private readonly mask: number;

  /** `bits`: log2 of the number of entries (8 bytes each). */
  constructor(bits: number) {
    this.mask = (1 << bits) - 1;
    this.slots = new Uint32Array(2 << bits);
  }

  has(hi: number, lo: number): boolean {
    const at = (lo & this.mask) * 2;
    return this.slots[at] === hi && this.slots[at + 1] === lo;
  }

  /** Remembers a fingerprint that is in the set. */
  put(hi: number, lo: number): void {
    const at = (lo & this.mask) * 2;
    this.slots[at] = hi;
    this.slots[at + 1] = lo;
  }

  /**
   * Adds a fingerprint to `table`, asking this cache first (a hit means the table holds it): true
   * when the table did not hold it.
   */
  claim(table: Pick<FingerprintSet, 'add'>, hi: number, lo: number): boolean {
    if (this.has(hi, lo)) return false;
    const added = table.add(hi, lo);
    this.put(hi, lo);
    return added;
  }
}
