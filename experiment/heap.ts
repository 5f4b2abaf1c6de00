/**
 * The simulator's event queue: a binary min-heap ordered by (time, sequence). The sequence number
 * breaks ties in scheduling order, which is what makes a run reproducible: two events due at the same
 * virtual millisecond always run in the order they were scheduled.
 */

export interface Scheduled {
  readonly at: number;
  readonly seq: number;
}

export class EventHeap<E extends Scheduled> {
  private readonly items: E[] = [];

  /** Every queued event, in no particular order. */
  some(pred: (e: E) => boolean): boolean {
    return this.items.some(pred);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): E | undefined {
    return this.items[0];
  }

  /** A copy sharing the (immutable) events: the same order, independent from here on. */
  copy(): EventHeap<E> {
    const h = new EventHeap<E>();
    (h as unknown as { items: E[] }).items = this.items.slice();
    return h;
  }

  push(e: E): void {
    const a = this.items;
    let i = a.length;
    a.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, a[p])) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = e;
  }

  pop(): E | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as E;
    if (a.length > 0) {
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(a[r], a[l]) ? r : l;
        if (!before(a[c], last)) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

function before(x: Scheduled, y: Scheduled): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
