/**
 * The states waiting to be expanded, kept as words in one growable Int32Array rather than as
 * millions of small JS arrays: the garbage collector would otherwise rescan the whole BFS frontier
 * (a million states and more) on every major collection. Each record is [length, index, sum A,
 * sum B, words…, length], so it can be taken from the front (BFS) or the back (DFS); the two
 * fingerprint sums ride along so a successor that changes one word is fingerprinted incrementally.
 */
export class Frontier {
  private words = new Int32Array(1 << 16);
  private head = 0;
  private tail = 0;
  private count = 0;
  /** Index and fingerprint sums of the record taken last. */
  index = 0;
  sumA = 0;
  sumB = 0;

  get size(): number {
    return this.count;
  }

  push(state: ArrayLike<number>, index: number, sumA = 0, sumB = 0): void {
    const len = state.length;
    const need = len + 5;
    if (this.tail + need > this.words.length) this.makeRoom(need);
    const w = this.words;
    let o = this.tail;
    w[o++] = len;
    w[o++] = index;
    w[o++] = sumA;
    w[o++] = sumB;
    for (let i = 0; i < len; i++) w[o++] = state[i];
    w[o++] = len;
    this.tail = o;
    this.count++;
  }

  /**
   * Takes the oldest record (breadth-first) or the newest (depth-first) into `into`, which is
   * reused from call to call so that expanding a state allocates nothing; sets index, sumA, sumB.
   */
  take(oldest: boolean, into: number[]): void {
    const w = this.words;
    let start: number;
    if (oldest) {
      start = this.head;
      this.head += w[start] + 5;
    } else {
      start = this.tail - w[this.tail - 1] - 5;
      this.tail = start;
    }
    const len = w[start];
    this.index = w[start + 1];
    this.sumA = w[start + 2];
    this.sumB = w[start + 3];
    // Shrink, then write in order: the array stays packed (no holes), which keeps reads fast.
    if (into.length > len) into.length = len;
    for (let i = 0; i < len; i++) into[i] = w[start + 4 + i];
    this.count--;
    if (this.count === 0) this.head = this.tail = 0;
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  private makeRoom(need: number): void {
    const live = this.tail - this.head;
    // Slide the live records to the front when that frees enough; grow otherwise.
    let size = this.words.length;
    while (live + need > size / 2) size *= 2;
    const next = size === this.words.length ? this.words : new Int32Array(size);
    next.set(this.words.subarray(this.head, this.tail), 0);
    this.words = next;
    this.tail = live;
    this.head = 0;
  }
}
