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

/**
 * The terms of a timer or in-flight entry at `at`: its tag, its key's hash (the A or B hash of its
 * interned timer name or envelope) and, under bounded timing (`w` 2), its deadline word.
 */
function entryTermA(tag: number, hashA: readonly number[], s: Packed, at: number, w: number): number {
  return mixA(tag, hashA[s[at]] ^ deadlineMix(s, at, w));
}

function entryTermB(tag: number, hashB: readonly number[], s: Packed, at: number, w: number): number {
  return mixB(tag, hashB[s[at]] ^ deadlineMix(s, at, w));
}

function deadlineMix(s: Packed, at: number, w: number): number {
  return w === 2 ? fmix(s[at + 1] ^ 0x5bd1e995) : 0;
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
        a = (a + entryTermA(TAG_TIMER + k, tn.hashA, s, at, w)) | 0;
        b = (b + entryTermB(TAG_TIMER + k, tn.hashB, s, at, w)) | 0;
      }
      o += 1 + c * w;
    }
    const m = s[o];
    a = (a + mixA(TAG_NET_COUNT, m)) | 0;
    b = (b + mixB(TAG_NET_COUNT, m)) | 0;
    this.netTerms(s, o, 1);
    out[0] = (a + this.termScratch[0]) | 0;
    out[1] = (b + this.termScratch[1]) | 0;
  }

  /**
   * The sums of `c` from those of `p` (pa, pb), touching only what differs: header words that
   * changed, timer sections that changed, and the in-flight entries one has and the other has not.
   * Exact in any order of entries, since only equal words or entries are skipped and their terms
   * cancel; on ordered channels an entry's term depends on its place, so the in-flight section is
   * summed afresh there. A successor differs from its parent in a few words, so this costs a few
   * terms where `sums` costs one per word.
   */
  sumsFrom(p: Packed, pa: number, pb: number, c: Packed, out: Int32Array): void {
    const L = this.layout;
    const n = L.n;
    const w = L.width;
    const lh = this.tables.locals;
    const hh = this.tables.histories;
    let a = pa;
    let b = pb;
    for (let k = 0; k < n; k++) {
      if (p[k] !== c[k]) {
        a = (a - mixA(k, lh.hashA[p[k]]) + mixA(k, lh.hashA[c[k]])) | 0;
        b = (b - mixB(k, lh.hashB[p[k]]) + mixB(k, lh.hashB[c[k]])) | 0;
      }
      const h = n + k;
      if (p[h] !== c[h]) {
        a = (a - mixA(h, hh.hashA[p[h]]) + mixA(h, hh.hashA[c[h]])) | 0;
        b = (b - mixB(h, hh.hashB[p[h]]) + mixB(h, hh.hashB[c[h]])) | 0;
      }
    }
    const end = L.timersStart;
    for (let i = 2 * n; i < end; i++) {
      if (p[i] !== c[i]) {
        a = (a - mixA(i, p[i]) + mixA(i, c[i])) | 0;
        b = (b - mixB(i, p[i]) + mixB(i, c[i])) | 0;
      }
    }
    const tn = this.tables.timerNames;
    let po = end;
    let co = end;
    for (let k = 0; k < n; k++) {
      const pc = p[po];
      const cc = c[co];
      let same = pc === cc;
      for (let i = 1; same && i <= pc * w; i++) same = p[po + i] === c[co + i];
      if (!same) {
        a = (a - mixA(TAG_TIMER_COUNT + k, pc) + mixA(TAG_TIMER_COUNT + k, cc)) | 0;
        b = (b - mixB(TAG_TIMER_COUNT + k, pc) + mixB(TAG_TIMER_COUNT + k, cc)) | 0;
        for (let i = 0; i < pc; i++) {
          const at = po + 1 + i * w;
          a = (a - entryTermA(TAG_TIMER + k, tn.hashA, p, at, w)) | 0;
          b = (b - entryTermB(TAG_TIMER + k, tn.hashB, p, at, w)) | 0;
        }
        for (let i = 0; i < cc; i++) {
          const at = co + 1 + i * w;
          a = (a + entryTermA(TAG_TIMER + k, tn.hashA, c, at, w)) | 0;
          b = (b + entryTermB(TAG_TIMER + k, tn.hashB, c, at, w)) | 0;
        }
      }
      po += 1 + pc * w;
      co += 1 + cc * w;
    }
    const pm = p[po];
    const cm = c[co];
    if (pm !== cm) {
      a = (a - mixA(TAG_NET_COUNT, pm) + mixA(TAG_NET_COUNT, cm)) | 0;
      b = (b - mixB(TAG_NET_COUNT, pm) + mixB(TAG_NET_COUNT, cm)) | 0;
    }
    if (L.ordered) {
      this.netTerms(p, po, -1);
      a = (a + this.termScratch[0]) | 0;
      b = (b + this.termScratch[1]) | 0;
      this.netTerms(c, co, 1);
      out[0] = (a + this.termScratch[0]) | 0;
      out[1] = (b + this.termScratch[1]) | 0;
      return;
    }
    // A walk over both in-flight lists, skipping equal entries side by side (both are sorted, so
    // a successor's unchanged entries pair up); whatever is left over is removed or added.
    const ev = this.tables.envelopes;
    let i = 0;
    let j = 0;
    while (i < pm || j < cm) {
      const pat = po + 1 + i * w;
      const cat = co + 1 + j * w;
      if (i < pm && j < cm) {
        const cmp = p[pat] - c[cat] || (w === 2 ? p[pat + 1] - c[cat + 1] : 0);
        if (cmp === 0) {
          i++;
          j++;
          continue;
        }
        if (cmp > 0) {
          a = (a + entryTermA(TAG_NET, ev.hashA, c, cat, w)) | 0;
          b = (b + entryTermB(TAG_NET, ev.hashB, c, cat, w)) | 0;
          j++;
          continue;
        }
      } else if (j < cm) {
        a = (a + entryTermA(TAG_NET, ev.hashA, c, cat, w)) | 0;
        b = (b + entryTermB(TAG_NET, ev.hashB, c, cat, w)) | 0;
        j++;
        continue;
      }
      a = (a - entryTermA(TAG_NET, ev.hashA, p, pat, w)) | 0;
      b = (b - entryTermB(TAG_NET, ev.hashB, p, pat, w)) | 0;
      i++;
    }
    out[0] = a;
    out[1] = b;
  }

  private readonly termScratch = new Int32Array(2);

  /**
   * The in-flight entries' terms of s (its section at o), times sign, into termScratch. On ordered
   * channels an entry's tag carries its place in its channel (a channel's entries are adjacent).
   */
  private netTerms(s: Packed, o: number, sign: 1 | -1): void {
    const L = this.layout;
    const w = L.width;
    const ev = this.tables.envelopes;
    const ordered = L.ordered;
    let a = 0;
    let b = 0;
    let channel = -1;
    let pos = 0;
    for (let i = 0; i < s[o]; i++) {
      const at = o + 1 + i * w;
      let tag = TAG_NET;
      if (ordered) {
        const ch = L.channelOf(s[at]);
        pos = ch === channel ? pos + 1 : 0;
        channel = ch;
        tag += pos;
      }
      a = (a + entryTermA(tag, ev.hashA, s, at, w)) | 0;
      b = (b + entryTermB(tag, ev.hashB, s, at, w)) | 0;
    }
    this.termScratch[0] = Math.imul(a, sign);
    this.termScratch[1] = Math.imul(b, sign);
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
