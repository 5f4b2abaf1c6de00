/**
 * The states waiting to be expanded, kept as words in Int32Array chunks rather than as millions of
 * small JS arrays: the garbage collector would otherwise rescan the whole BFS frontier (a million
 * states and more) on every major collection. Records can be taken from the front (BFS) or the back
 * (DFS); each carries its state's index and two fingerprint sums, so a successor that changes one
 * word is fingerprinted incrementally.
 *
 * A record stores its state as the words where it differs from the state pushed just before it
 * (XOR deltas): states are pushed as successors of one parent, each a word or two away from the
 * next, so a record of a 40-word state is about 10 words. XOR runs both ways, so the front is read
 * forward from the state taken last, and the back backward from the state pushed last. Record:
 * [n, length, previous length, index, sum A, sum B, (position, xor) × n, n].
 *
 * Chunks, not one array that doubles and slides: a record is written once and read once, never
 * copied, and a chunk emptied at the front is reused at the back. Fresh memory is the dear part
 * (each new page is a page fault, and on the VMs this runs on a fault costs microseconds), so the
 * frontier only ever touches as many pages as its peak size needs.
 */

/** Words per full-size chunk (4 MiB): large enough that crossing chunks is rare, small enough to recycle. */
const CHUNK_WORDS = 1 << 20;
/** The first chunk is small, since most searches (tests, small models) never need more. */
const FIRST_CHUNK_WORDS = 1 << 12;
/** Emptied full-size chunks kept for reuse; beyond these the frontier is shrinking and they are dropped. */
const SPARE_CHUNKS = 4;
/** Words of a record besides its (position, xor) pairs. */
const OVERHEAD = 7;

/** A state being decoded or encoded against: its words, zero past its length. */
class Chain {
  words = new Int32Array(64);
  length = 0;

  /** Room for `len` words, keeping the zeros past the length. */
  reserve(len: number): Int32Array {
    if (len > this.words.length) {
      const bigger = new Int32Array(len * 2);
      bigger.set(this.words);
      this.words = bigger;
    }
    return this.words;
  }
}

export class Frontier {
  /** Live chunks, oldest first; records never span two chunks. */
  private chunks: Int32Array[] = [new Int32Array(FIRST_CHUNK_WORDS)];
  /** Words written in each chunk but the last (whose fill is `tail`). */
  private ends: number[] = [0];
  private spare: Int32Array[] = [];
  /** Read position in the first chunk (BFS takes from here). */
  private head = 0;
  /** Write position in the last chunk. */
  private tail = 0;
  private count = 0;
  /** The state of the record taken last from the front, and of the record at the back. */
  private readonly front = new Chain();
  private readonly back = new Chain();
  /** Index and fingerprint sums of the record taken last. */
  index = 0;
  sumA = 0;
  sumB = 0;

  get size(): number {
    return this.count;
  }

  push(state: ArrayLike<number>, index: number, sumA = 0, sumB = 0): void {
    const len = state.length;
    const prevLen = this.back.length;
    const span = len > prevLen ? len : prevLen;
    const need = OVERHEAD + 2 * span;
    let w = this.chunks[this.chunks.length - 1];
    if (this.tail + need > w.length) w = this.startChunk(need);
    const at = this.tail;
    const was = this.back.reserve(span);
    let o = at + 6;
    for (let i = 0; i < span; i++) {
      const v = i < len ? state[i] : 0;
      const d = v ^ was[i];
      if (d !== 0) {
        w[o++] = i;
        w[o++] = d;
        was[i] = v;
      }
    }
    const n = (o - at - 6) >> 1;
    w[at] = n;
    w[at + 1] = len;
    w[at + 2] = prevLen;
    w[at + 3] = index;
    w[at + 4] = sumA;
    w[at + 5] = sumB;
    w[o++] = n;
    this.back.length = len;
    this.tail = o;
    this.count++;
  }

  /**
   * Takes the oldest record (breadth-first) or the newest (depth-first) into `into`, which is
   * reused from call to call so that expanding a state allocates nothing; sets index, sumA, sumB.
   */
  take(oldest: boolean, into: number[]): void {
    let w: Int32Array;
    let start: number;
    let words: Int32Array;
    let len: number;
    if (oldest) {
      while (this.chunks.length > 1 && this.head === this.ends[0]) {
        this.release(this.chunks.shift()!);
        this.ends.shift();
        this.head = 0;
      }
      w = this.chunks[0];
      start = this.head;
      const n = w[start];
      this.head = start + OVERHEAD + 2 * n;
      len = w[start + 1];
      words = this.front.reserve(Math.max(len, w[start + 2]));
      for (let p = start + 6, end = p + 2 * n; p < end; p += 2) words[w[p]] ^= w[p + 1];
      this.front.length = len;
    } else {
      while (this.tail === 0 && this.chunks.length > 1) {
        this.release(this.chunks.pop()!);
        this.ends.pop();
        this.tail = this.ends[this.ends.length - 1];
      }
      w = this.chunks[this.chunks.length - 1];
      const n = w[this.tail - 1];
      start = this.tail - OVERHEAD - 2 * n;
      this.tail = start;
      len = w[start + 1];
      words = this.back.words;
    }
    this.index = w[start + 3];
    this.sumA = w[start + 4];
    this.sumB = w[start + 5];
    // Shrink, then write in order: the array stays packed (no holes), which keeps reads fast.
    if (into.length > len) into.length = len;
    for (let i = 0; i < len; i++) into[i] = words[i];
    if (!oldest) {
      // The back now holds the state pushed before this one.
      const n = w[start];
      for (let p = start + 6, end = p + 2 * n; p < end; p += 2) words[w[p]] ^= w[p + 1];
      this.back.length = w[start + 2];
    }
    this.count--;
    if (this.count === 0) {
      // Empty: keep one chunk and start over at its beginning (the chains stay as they are).
      while (this.chunks.length > 1) this.release(this.chunks.pop()!);
      this.ends.length = 1;
      this.head = this.tail = 0;
    }
  }

  /** Bytes held: live chunks and the spares kept for reuse. */
  get bytes(): number {
    let b = 0;
    for (const c of this.chunks) b += c.byteLength;
    for (const c of this.spare) b += c.byteLength;
    return b;
  }

  /** Closes the last chunk and opens one with room for `need` words, a spare if one fits. */
  private startChunk(need: number): Int32Array {
    this.ends[this.ends.length - 1] = this.tail;
    const last = this.chunks[this.chunks.length - 1];
    const size = Math.max(need, Math.min(CHUNK_WORDS, last.length * 2));
    let chunk: Int32Array | undefined;
    for (let i = this.spare.length - 1; i >= 0; i--) {
      if (this.spare[i].length >= size) {
        chunk = this.spare[i];
        this.spare.splice(i, 1);
        break;
      }
    }
    chunk ??= new Int32Array(size);
    this.chunks.push(chunk);
    this.ends.push(0);
    this.tail = 0;
    return chunk;
  }

  private release(chunk: Int32Array): void {
    if (chunk.length >= CHUNK_WORDS && this.spare.length < SPARE_CHUNKS) this.spare.push(chunk);
  }
}
