/**
 * The visited set of a parallel search: 64-bit fingerprints in one open-addressing table in a
 * SharedArrayBuffer that every worker thread probes and claims slots in, with atomics. A worker
 * claims an empty slot by compare-and-swapping the fingerprint's first half into it, then stores
 * the second; a reader that finds a first half whose second is not written yet waits for it (a
 * second half is never 0, see finishFingerprint). So exactly one worker adds a given state, and
 * that worker expands it: no state crosses threads to be deduplicated.
 *
 * The table is the single-threaded FingerprintSet's (linear probing, Lemire's range reduction,
 * growth by half at three-quarters load, so 10.7 to 16 bytes per state). It cannot grow while
 * others probe it: a worker that fills it past three-quarters raises `CTL_GROW`, and every worker
 * stops at its next state boundary (parallel.ts coordinates), rehashes its share of the old slots
 * into the new table, and goes on.
 */
import { slotOf } from './fingerprint.js';

export class SharedFingerprintTable {
  private readonly t: Int32Array;
  readonly cap: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.t = new Int32Array(buffer);
    this.cap = this.t.length / 2;
  }

  /** A buffer for a table of `cap` slots, all empty. */
  static allocate(cap: number): SharedArrayBuffer {
    return new SharedArrayBuffer(Math.max(16, Math.ceil(cap)) * 8);
  }

  get bytes(): number {
    return this.buffer.byteLength;
  }

  /** Reads the fingerprint's home slot, changing nothing (see FingerprintSet.touch). */
  touch(hi: number, lo: number): number {
    return this.t[slotOf(hi, lo, this.cap) * 2];
  }

  has(hi: number, lo: number): boolean {
    const t = this.t;
    const cap = this.cap;
    const h = hi | 0;
    const l = lo | 0;
    let slot = slotOf(hi, lo, cap);
    for (let probes = 0; probes < cap; probes++) {
      const at = slot * 2;
      const a = Atomics.load(t, at);
      if (a === 0) return false;
      if (a === h) {
        let b = Atomics.load(t, at + 1);
        while (b === 0) b = Atomics.load(t, at + 1);
        if (b === l) return true;
      }
      if (++slot === cap) slot = 0;
    }
    return false;
  }

  /** Adds the fingerprint; true if this call added it (no other thread had). */
  add(hi: number, lo: number): boolean {
    const t = this.t;
    const cap = this.cap;
    const h = hi | 0;
    const l = lo | 0;
    let slot = slotOf(hi, lo, cap);
    for (let probes = 0; probes < cap; probes++) {
      const at = slot * 2;
      let a = Atomics.load(t, at);
      if (a === 0) {
        a = Atomics.compareExchange(t, at, 0, h);
        if (a === 0) {
          Atomics.store(t, at + 1, l);
          return true;
        }
      }
      if (a === h) {
        let b = Atomics.load(t, at + 1);
        // Claimed, second half not written yet: it is being written now.
        while (b === 0) b = Atomics.load(t, at + 1);
        if (b === l) return false;
      }
      if (++slot === cap) slot = 0;
    }
    throw new Error('internal: the shared fingerprint table is full (it should have grown at three-quarters)');
  }

  /**
   * Re-adds the entries of `from`'s slots [part·cap/parts, (part+1)·cap/parts) here: each worker
   * moves one share, side by side. Call only while no thread adds to either table.
   */
  rehashFrom(from: SharedFingerprintTable, part: number, parts: number): void {
    const old = from.t;
    const begin = Math.floor((from.cap * part) / parts);
    const end = Math.floor((from.cap * (part + 1)) / parts);
    for (let s = begin; s < end; s++) {
      const a = old[s * 2];
      if (a !== 0) this.add(a >>> 0, old[s * 2 + 1] >>> 0);
    }
  }
}

/**
 * A shared memo of fingerprints that never grows (FairRuns' states whose fair run converged, shared
 * by the workers so that one worker's runs end where another's did): it takes fingerprints until
 * three-quarters full, then only answers. Forgetting costs a longer run, never a different verdict.
 * Sharing can: a worker's fair run follows its own interned order, so a state another worker's run
 * converged through may not converge on this worker's run (docs/checker.md, worker threads).
 */
export class SharedMemo {
  private readonly table: SharedFingerprintTable;

  /** `ctl[at]` counts the entries. */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly ctl: Int32Array,
    private readonly at: number,
  ) {
    this.table = new SharedFingerprintTable(buffer);
  }

  has(hi: number, lo: number): boolean {
    return this.table.has(hi, lo);
  }

  add(hi: number, lo: number): void {
    if (Atomics.load(this.ctl, this.at) * 4 >= this.table.cap * 3) return;
    if (this.table.add(hi, lo)) Atomics.add(this.ctl, this.at, 1);
  }
}
