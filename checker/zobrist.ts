/**
 * Content fingerprints of packed states, Zobrist-style: two independent 32-bit sums with one term
 * per word, so a successor that changes one word is fingerprinted by swapping that word's term.
 *
 * Interned ids enter by the hash of their key, not their number, so the same state gets the same
 * sums in every worker thread whatever order it interned values in. Timers and in-flight messages
 * are sets (multisets) sorted by id, an order that differs between workers, so their terms do not
 * depend on their position (except the position within an ordered channel, which is content).
 */
import { type Interner, fmix } from './intern.js';
import type { Packed, PackedLayout } from './layout.js';

/** Tags of position-free fingerprint terms; above every header position (3n+4 ≤ 94 words). */
const TAG_TIMER_COUNT = 1000;
const TAG_TIMER = 2000;
const TAG_NET_COUNT = 3000;
const TAG_NET = 1 << 20;

/** Two independent hashes of (position or tag x, value y): the terms of the fingerprint sums. */
export function mixA(x: number, y: number): number {
  let h = Math.imul(x ^ 0x7f4a7c15, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593) ^ y;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  return fmix(h);
}

export function mixB(x: number, y: number): number {
  let h = Math.imul(x ^ 0x3c6ef372, 0x85ebca77);
  h = (h << 17) | (h >>> 15);
  h = Math.imul(h, 0xc2b2ae3d) ^ Math.imul(y, 0x27d4eb2f);
  h = (Math.imul((h << 11) | (h >>> 21), 9) + 0x165667b1) | 0;
  return fmix(h);
}

/** The 64-bit fingerprint (two 32-bit halves in out) of a state's sums and length. */
export function finishFingerprint(a: number, b: number, length: number, out: Uint32Array): void {
  const hi = fmix(a ^ Math.imul(length, 0x27d4eb2f));
  const lo = fmix(b + Math.imul(hi, 0x165667b1));
  out[0] = hi >>> 0 || 1; // (0, 0) marks an empty slot, and a shared table claims a slot by its first half
  out[1] = lo >>> 0 || 1;
}

/** The interners whose key hashes the fingerprint reads. */
export interface FingerprintTables {
  readonly locals: Interner<unknown>;
  readonly histories: Interner<unknown>;
  readonly timerNames: Interner<unknown>;
  readonly envelopes: Interner<unknown>;
}

export class Zobrist {
  constructor(
    private readonly layout: PackedLayout,
    private readonly tables: FingerprintTables,
  ) {}

  /** The fingerprint sums of s into out[0], out[1]. */
  sums(s: Packed, out: Int32Array): void {
    const L = this.layout;
    const n = L.n;
    const w = L.width;
    const lh = this.tables.locals;
    const hh = this.tables.histories;
    let a = 0;
    let b = 0;
    for (let k = 0; k < n; k++) {
      a = (a + mixA(k, lh.hashA[s[k]])) | 0;
      b = (b + mixB(k, lh.hashB[s[k]])) | 0;
      a = (a + mixA(n + k, hh.hashA[s[n + k]])) | 0;
      b = (b + mixB(n + k, hh.hashB[s[n + k]])) | 0;
    }
    const end = L.timersStart;
    for (let i = 2 * n; i < end; i++) {
      a = (a + mixA(i, s[i])) | 0;
      b = (b + mixB(i, s[i])) | 0;
    }
    const tn = this.tables.timerNames;
    let o = end;
    for (let k = 0; k < n; k++) {
      const c = s[o];
      a = (a + mixA(TAG_TIMER_COUNT + k, c)) | 0;
      b = (b + mixB(TAG_TIMER_COUNT + k, c)) | 0;
      for (let i = 0; i < c; i++) {
        const at = o + 1 + i * w;
        const d = w === 2 ? fmix(s[at + 1] ^ 0x5bd1e995) : 0;
        a = (a + mixA(TAG_TIMER + k, tn.hashA[s[at]] ^ d)) | 0;
        b = (b + mixB(TAG_TIMER + k, tn.hashB[s[at]] ^ d)) | 0;
      }
      o += 1 + c * w;
    }
    const m = s[o];
    a = (a + mixA(TAG_NET_COUNT, m)) | 0;
    b = (b + mixB(TAG_NET_COUNT, m)) | 0;
    const ev = this.tables.envelopes;
    const ordered = L.ordered;
    let channel = -1;
    let pos = 0;
    for (let i = 0; i < m; i++) {
      const at = o + 1 + i * w;
      const env = s[at];
      let tag = TAG_NET;
      if (ordered) {
        const ch = L.channelOf(env);
        pos = ch === channel ? pos + 1 : 0;
        channel = ch;
        tag += pos;
      }
      const d = w === 2 ? fmix(s[at + 1] ^ 0x5bd1e995) : 0;
      a = (a + mixA(tag, ev.hashA[env] ^ d)) | 0;
      b = (b + mixB(tag, ev.hashB[env] ^ d)) | 0;
    }
    out[0] = a;
    out[1] = b;
  }

  /** The terms a node's local-state word adds to the sums (for swapping it incrementally). */
  localTermA(node: number, local: number): number {
    return mixA(node, this.tables.locals.hashA[local]);
  }

  localTermB(node: number, local: number): number {
    return mixB(node, this.tables.locals.hashB[local]);
  }

  private readonly sumScratch = new Int32Array(2);

  /** The fingerprint of s, computed from scratch. */
  fingerprint(s: Packed, out: Uint32Array): void {
    this.sums(s, this.sumScratch);
    finishFingerprint(this.sumScratch[0], this.sumScratch[1], s.length, out);
  }
}
