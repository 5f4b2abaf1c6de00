/**
 * The states waiting to be expanded, kept as words in one growable Int32Array rather than as
 * millions of small JS arrays: the garbage collector would otherwise rescan the whole BFS frontier
 * (a million states and more) on every major collection. Each record is [length, index, words…,
 * length], so it can be taken from the front (BFS) or the back (DFS).
 */
export class Frontier {
  private words = new Int32Array(1 << 16);
  private head = 0;
  private tail = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(state: ArrayLike<number>, index: number): void {
    const need = state.length + 3;
    if (this.tail + need > this.words.length) this.makeRoom(need);
    const w = this.words;
    let o = this.tail;
    w[o++] = state.length;
    w[o++] = index;
    for (let i = 0; i < state.length; i++) w[o++] = state[i];
    w[o++] = state.length;
    this.tail = o;
    this.count++;
  }

  /** Oldest first (breadth-first). */
  shift(): { state: number[]; index: number } {
    const w = this.words;
    const len = w[this.head];
    const index = w[this.head + 1];
    const state = copyOut(w, this.head + 2, len);
    this.head += len + 3;
    this.count--;
    if (this.count === 0) this.head = this.tail = 0;
    return { state, index };
  }

  /** Newest first (depth-first). */
  pop(): { state: number[]; index: number } {
    const w = this.words;
    const len = w[this.tail - 1];
    const start = this.tail - len - 3;
    const index = w[start + 1];
    const state = copyOut(w, start + 2, len);
    this.tail = start;
    this.count--;
    if (this.count === 0) this.head = this.tail = 0;
    return { state, index };
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

function copyOut(w: Int32Array, from: number, len: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < len; i++) out.push(w[from + i]);
  return out;
}
