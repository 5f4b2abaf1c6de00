/**
 * One state being expanded by the explorer's hot loop: its words, its enabled actions as numbers, and
 * for each timer that only re-arms itself (the common step of periodic protocols) the successor's
 * local id, fingerprint sums and fingerprint, worked out before any successor is probed.
 *
 * Why ahead of time: the visited table is far larger than the cache, so a probe waits for memory
 * (hundreds of ns on a VM, where a page-table walk is nested). Breadth-first, the explorer takes a
 * batch of states, fingerprints all their re-arm successors, and touches all their table slots back
 * to back, so those cache misses overlap instead of each probe waiting in turn. Preparing only reads
 * memoized re-arms (System.rearmKnown), which computes and interns nothing, so nothing happens in
 * another order than without it.
 */
import type { FingerprintSet, RecentFingerprints } from './fingerprint.js';
import type { Frontier } from './frontier.js';
import type { PartialOrder } from './por.js';
import { ActionKind, type Packed, System, decodeAction } from './system.js';

/**
 * States expanded per batch breadth-first: enough that their successors' table probes (about seven
 * each on the counters model) keep the memory system busy, few enough to stay in the L1 cache.
 * Measured on the counters model: 8 states per batch cut CPU per state by 9% against 1; 32 did no
 * better than 8.
 */
export const EXPANSION_BATCH = 8;

/**
 * log2 of the entries of the recently-seen fingerprint cache in front of the visited table: 2^16
 * entries, 512 KiB, which stays in a core's L2 cache. On the counters model it answers 72% of all
 * probes (87% of those that find a visited state); 2^12 entries answered 52% and 2^20 81%. Measured
 * CPU per state: 2^13 entries 9% slower than 2^16, 2^18 no faster.
 */
export const RECENT_BITS = 16;

/** Not a timer, or a timer of a skewed node: no pure re-arm to look up. */
export const NOT_REARM = -3;
/** A timer whose re-arm memo entry does not exist yet: looked up (and computed) when expanded. */
export const REARM_UNKNOWN = -2;

export class Expansion {
  readonly state: Packed = [];
  /** Index of the state (its trace record) and its fingerprint sums. */
  index = 0;
  sumA = 0;
  sumB = 0;
  /** Enabled actions, four numbers each (see System.actionCodes), and how many. */
  readonly codes: number[] = [];
  count = 0;
  /** Per action: the local id its pure re-arm leads to, -1 (not a pure re-arm), NOT_REARM or REARM_UNKNOWN. */
  next = new Int32Array(64);
  /** Per pure re-arm: its successor's sums and fingerprint. */
  a = new Int32Array(64);
  b = new Int32Array(64);
  hi = new Uint32Array(64);
  lo = new Uint32Array(64);

  take(frontier: Frontier, oldest: boolean): void {
    frontier.take(oldest, this.state);
    this.index = frontier.index;
    this.sumA = frontier.sumA;
    this.sumB = frontier.sumB;
  }

  /**
   * Lists the actions and fingerprints the memoized pure re-arms (re-arm look-ahead is off under
   * symmetry and bounded timing: `rearm` false).
   */
  prepare<S, M, C>(sys: System<S, M, C>, rearm: boolean, fp: Uint32Array): void {
    const s = this.state;
    const codes = this.codes;
    const count = sys.actionCodes(s, codes);
    this.count = count;
    if (count > this.next.length) {
      const room = count * 2;
      this.next = new Int32Array(room);
      this.a = new Int32Array(room);
      this.b = new Int32Array(room);
      this.hi = new Uint32Array(room);
      this.lo = new Uint32Array(room);
    }
    const next = this.next;
    const skewAt = sys.layout.skewAt;
    for (let c = 0; c < count; c++) {
      let to = NOT_REARM;
      if (rearm && codes[c * 4] === ActionKind.Timer) {
        const node = codes[c * 4 + 1];
        if (s[skewAt + node] === 0) {
          to = sys.rearmKnown(s, node, codes[c * 4 + 3]);
          if (to >= 0) this.fingerprintRearm(sys, c, node, to, fp);
        }
      }
      next[c] = to;
    }
  }

  /**
   * Touches the visited-table slots of the prepared re-arm successors. Returns the words read, for
   * the caller to keep so that the reads are not optimized away.
   */
  touch(visited: Pick<FingerprintSet, 'touch'>, recent: RecentFingerprints): number {
    const next = this.next;
    let sink = 0;
    for (let c = 0; c < this.count; c++) if (next[c] >= 0 && !recent.has(this.hi[c], this.lo[c])) sink ^= visited.touch(this.hi[c], this.lo[c]);
    return sink;
  }

  /**
   * The local id action c's pure re-arm leads to, or -1 when action c is not one; an entry unknown
   * when prepared is computed now (memoizing it), exactly when the explorer would have without
   * look-ahead.
   */
  rearmOf<S, M, C>(sys: System<S, M, C>, c: number, fp: Uint32Array): number {
    const to = this.next[c];
    if (to >= -1) {
      sys.stats.lookups++; // what rearmNext counts for a memo hit
      return to;
    }
    if (to === NOT_REARM) return -1;
    const node = this.codes[c * 4 + 1];
    const computed = sys.rearmNext(this.state, node, this.codes[c * 4 + 3]);
    if (computed >= 0) this.fingerprintRearm(sys, c, node, computed, fp);
    return computed;
  }

  /** Sums and fingerprint of the successor where `node`'s local id becomes `to`: one term swapped. */
  private fingerprintRearm<S, M, C>(sys: System<S, M, C>, c: number, node: number, to: number, fp: Uint32Array): void {
    const was = this.state[node];
    const a = (this.sumA - sys.localTermA(node, was) + sys.localTermA(node, to)) | 0;
    const b = (this.sumB - sys.localTermB(node, was) + sys.localTermB(node, to)) | 0;
    System.finish(a, b, this.state.length, fp);
    this.a[c] = a;
    this.b[c] = b;
    this.hi[c] = fp[0];
    this.lo[c] = fp[1];
  }
}

/**
 * What a search does with the successors a LaneExpander enumerates: the single-threaded search
 * (exhaustive.ts) and a worker thread (worker-search.ts) each implement it once, in one class, so
 * the calls per successor stay monomorphic.
 */
export interface SuccessorSink {
  /** Adds a successor's fingerprint to the visited set: true when this search added it (it is new). */
  claim(hi: number, lo: number): boolean;
  /**
   * A successor this search claimed, with its sums, its position among its parent's successors and
   * its orbit size (1 without symmetry). `state` may be a buffer reused for the next successor.
   * True: stop the search now.
   */
  admit(state: Packed, a: number, b: number, ordinal: number, orbit: number): boolean;
  /**
   * Whether `seen` is given pure re-arm successors too: they are built only for it, so a sink that
   * ignores them saves building them.
   */
  readonly seesRearms: boolean;
  /** A successor that was already visited (reached first by another step, or another worker). */
  seen(state: Packed): void;
}

/**
 * The successors of one prepared lane, in order, each fingerprinted and handed to the sink: the
 * re-arm fast path (built only when claimed), every other step through `System.apply`, the orbit
 * representative under symmetry, and partial-order reduction's ample set with its cycle proviso.
 * Made once per search: its scratch buffers are reused for every successor.
 */
export class LaneExpander<S, M, C> {
  /** A pure re-arm's successor, built in place. */
  private readonly child: number[] = [];
  private readonly sums = new Int32Array(2);

  constructor(
    private readonly sys: System<S, M, C>,
    private readonly sink: SuccessorSink,
    /** Partial-order reduction (checker/por.ts), or null: every enabled step is expanded. */
    private readonly por: PartialOrder | null,
    /** Where successors are counted: read by the sink's stop conditions while a lane is expanded. */
    private readonly counts: { generated: number },
    /** Fingerprint scratch, shared with Expansion.prepare. */
    private readonly fp: Uint32Array,
  ) {}

  /** Expands lane x, a state at `depth`. True when the sink said stop (the lane is left unfinished). */
  expand(x: Expansion, depth: number): boolean {
    const sys = this.sys;
    const sink = this.sink;
    const por = this.por;
    const counts = this.counts;
    const fp = this.fp;
    const sums = this.sums;
    const symmetric = sys.symmetric;
    const cur = x.state;
    const codes = x.codes;
    let position = 0;
    // With POR the ample steps come first (their codes in por.order, positions in por.start) and
    // the rest only if an ample successor broke the cycle proviso; without, every code in order.
    let todo = x.count;
    let order: Int32Array | null = null;
    if (por !== null) {
      todo = por.choose(cur, codes, x.count);
      if (todo < x.count) order = por.order;
    }
    const ample = todo;
    for (let j = 0; ; j++) {
      if (j === todo) {
        if (order === null || todo === x.count || !por!.provisoFailed) break;
        por!.fellBack();
        todo = x.count;
      }
      let c = j;
      if (order !== null) {
        c = order[j];
        position = por!.start[c];
      }
      const next = x.rearmOf(sys, c, fp);
      if (next >= 0) {
        counts.generated++;
        const ordinal = position++;
        const hi = x.hi[c];
        const lo = x.lo[c];
        const claimed = sink.claim(hi, lo);
        if (!claimed) {
          if (order !== null && j < ample) por!.seen(hi, lo, depth);
          if (!sink.seesRearms) continue;
        } else if (por !== null) por.admitted(hi, lo, depth + 1);
        const child = this.child;
        const len = cur.length;
        if (child.length > len) child.length = len;
        for (let i = 0; i < len; i++) child[i] = cur[i];
        child[codes[c * 4 + 1]] = next;
        if (!claimed) sink.seen(child);
        else if (sink.admit(child, x.a[c], x.b[c], ordinal, 1)) return true;
        continue;
      }
      for (const raw of sys.apply(cur, decodeAction(codes[c * 4], codes[c * 4 + 1], codes[c * 4 + 2]))) {
        counts.generated++;
        const ordinal = position++;
        let state = raw.state;
        let orbit = 1;
        if (symmetric) {
          const canonical = sys.canonicalWithOrbit(state);
          state = canonical.state;
          orbit = canonical.orbit;
        }
        sys.sumsFrom(cur, x.sumA, x.sumB, state, sums);
        System.finish(sums[0], sums[1], state.length, fp);
        if (!sink.claim(fp[0], fp[1])) {
          if (order !== null && j < ample) por!.seen(fp[0], fp[1], depth);
          sink.seen(state);
          continue;
        }
        if (por !== null) por.admitted(fp[0], fp[1], depth + 1);
        if (sink.admit(state, sums[0], sums[1], ordinal, orbit)) return true;
      }
    }
    return false;
  }
}
