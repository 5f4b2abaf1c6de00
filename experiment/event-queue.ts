/**
 * The simulator's event queue: a binary min-heap ordered by (time, sequence), struct-of-arrays. The
 * sequence number breaks ties in scheduling order, which is what makes a run reproducible: two events
 * due at the same virtual millisecond always run in the order they were scheduled. Each event lives in a numbered slot whose fields sit in typed arrays (time,
 * sequence, kind, node, sender, timer generation) beside three plain arrays for what is an object
 * (message, timer name, scenario action); the heap orders slot numbers and compares only the typed
 * arrays. At 10,000 SWIM nodes an event object per event (15 M of them, most living past a young
 * collection because timers wait a period) cost more in promotion and old-generation collection
 * than the protocol's steps, and every heap comparison chased pointers into a 3 GB heap.
 * Freed slots are reused, so the arrays stay as large as the most events ever queued at once.
 */

export class EventQueue<M> {
  private cap: number;
  at: Float64Array;
  seq: Float64Array;
  kind: Uint8Array;
  node: Int32Array;
  from: Int32Array;
  gen: Float64Array;
  msg: (M | undefined)[] = [];
  timer: string[] = [];
  fn: ((() => void) | undefined)[] = [];
  /** Slot numbers in heap order. */
  private heap: Int32Array;
  private count = 0;
  /** Slots free for reuse (a stack), and the first never-used slot. */
  private free: Int32Array;
  private freeTop = 0;
  private fresh = 0;

  constructor(capacity = 1024) {
    this.cap = capacity;
    this.at = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.from = new Int32Array(capacity);
    this.gen = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The slot of the earliest event, or -1 when the queue is empty. */
  peek(): number {
    return this.count > 0 ? this.heap[0] : -1;
  }

  push(at: number, seq: number, kind: number, node: number, from: number, msg: M | undefined, timer: string, gen: number, fn: (() => void) | undefined): void {
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop];
    else {
      if (this.fresh === this.cap) this.grow();
      slot = this.fresh++;
    }
    this.at[slot] = at;
    this.seq[slot] = seq;
    this.kind[slot] = kind;
    this.node[slot] = node;
    this.from[slot] = from;
    this.gen[slot] = gen;
    this.msg[slot] = msg;
    this.timer[slot] = timer;
    this.fn[slot] = fn;
    const h = this.heap;
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(slot, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = slot;
  }

  /**
   * Takes the earliest event off the queue and returns its slot, whose fields stay readable until
   * release(slot). -1 when empty.
   */
  pop(): number {
    if (this.count === 0) return -1;
    const h = this.heap;
    const top = h[0];
    const last = h[--this.count];
    const n = this.count;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.before(h[r], h[l]) ? r : l;
        if (!this.before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** Returns a popped slot for reuse, dropping its references so the collector can free them. */
  release(slot: number): void {
    this.msg[slot] = undefined;
    this.fn[slot] = undefined;
    this.timer[slot] = '';
    this.free[this.freeTop++] = slot;
  }

  /** Whether some queued event satisfies `pred` (given its slot). */
  some(pred: (slot: number) => boolean): boolean {
    for (let i = 0; i < this.count; i++) if (pred(this.heap[i])) return true;
    return false;
  }

  /** An independent copy: the same events in the same order, separate from here on. */
  copy(): EventQueue<M> {
    const q = new EventQueue<M>(0);
    q.cap = this.cap;
    q.at = this.at.slice();
    q.seq = this.seq.slice();
    q.kind = this.kind.slice();
    q.node = this.node.slice();
    q.from = this.from.slice();
    q.gen = this.gen.slice();
    q.msg = this.msg.slice();
    q.timer = this.timer.slice();
    q.fn = this.fn.slice();
    q.heap = this.heap.slice();
    q.count = this.count;
    q.free = this.free.slice();
    q.freeTop = this.freeTop;
    q.fresh = this.fresh;
    return q;
  }

  private before(x: number, y: number): boolean {
    const ax = this.at[x];
    const ay = this.at[y];
    return ax < ay || (ax === ay && this.seq[x] < this.seq[y]);
  }

  private grow(): void {
    const cap = Math.max(16, this.cap * 2);
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.at = widen(this.at, (n) => new Float64Array(n));
    this.seq = widen(this.seq, (n) => new Float64Array(n));
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
    this.node = widen(this.node, (n) => new Int32Array(n));
    this.from = widen(this.from, (n) => new Int32Array(n));
    this.gen = widen(this.gen, (n) => new Float64Array(n));
    this.heap = widen(this.heap, (n) => new Int32Array(n));
    this.free = widen(this.free, (n) => new Int32Array(n));
    this.cap = cap;
  }
}
