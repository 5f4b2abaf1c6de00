/**
 * The simulator's record of armed timers: for each node and timer name, the generation (scheduling
 * sequence number) of the one arming still live, so a timer event whose generation is no longer the
 * live one is stale and skipped (O(1) cancel and re-arm).
 *
 * The few fixed timer names a protocol re-arms all the time (SWIM's probe and gossip: six a second
 * per node) get a column of one flat array, a node's row being one cache line: at 10,000 nodes a
 * Map per node cost two cache misses and a hash probe per timer event, 12 % of a 5,000-node run.
 * Keyed names (`base:key`, one per probe or member, as both protocols name them) and any names past
 * the first FIXED go to a Map per node. Which path a name takes affects speed only, never the result.
 */

/** Fixed-name columns: 8 generations of 8 bytes, one 64-byte cache line per node. */
const FIXED = 8;
const NONE = -1;

export class TimerTable {
  private columns = new Map<string, number>();
  private gens: Float64Array;
  private keyed: (Map<string, number> | undefined)[];

  constructor(readonly size: number) {
    this.gens = new Float64Array(size * FIXED).fill(NONE);
    this.keyed = new Array<Map<string, number> | undefined>(size).fill(undefined);
  }

  /** The live generation of `name` at `node`, or -1 when it is not armed. */
  get(node: number, name: string): number {
    const c = this.columns.get(name);
    if (c !== undefined) return this.gens[node * FIXED + c];
    return this.keyed[node]?.get(name) ?? NONE;
  }

  set(node: number, name: string, gen: number): void {
    const c = this.column(name);
    if (c >= 0) this.gens[node * FIXED + c] = gen;
    else (this.keyed[node] ??= new Map()).set(name, gen);
  }

  delete(node: number, name: string): void {
    const c = this.columns.get(name);
    if (c !== undefined) this.gens[node * FIXED + c] = NONE;
    else this.keyed[node]?.delete(name);
  }

  /** Every timer of `node` disarmed (its process is gone). */
  clearNode(node: number): void {
    this.gens.fill(NONE, node * FIXED, (node + 1) * FIXED);
    this.keyed[node] = undefined;
  }

  /** An independent copy. */
  copy(): TimerTable {
    const t = Object.create(TimerTable.prototype) as TimerTable;
    const w = t as unknown as Record<string, unknown>;
    w.size = this.size;
    w.columns = new Map(this.columns);
    w.gens = this.gens.slice();
    w.keyed = this.keyed.map((m) => (m === undefined ? undefined : new Map(m)));
    return t;
  }

  /** The column of a fixed name (claimed on first use while columns are left), or -1: use the node's Map. */
  private column(name: string): number {
    const c = this.columns.get(name);
    if (c !== undefined) return c;
    if (this.columns.size >= FIXED || name.includes(':')) return NONE;
    const next = this.columns.size;
    this.columns.set(name, next);
    return next;
  }
}
