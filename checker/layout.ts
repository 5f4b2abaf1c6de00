/**
 * The packed encoding of a global state: a plain array of small ints (V8 copies these far faster
 * than typed arrays), every value an interned id or a small number.
 *
 * Layout (n nodes, W = 1 word per timer/message under async timing, 2 under bounded):
 *   [0, n)        local state id of each node
 *   [n, 2n)       announcement-history id of each node (the ghost record properties read)
 *   2n            up bitmask            2n+1  fault budget left
 *   2n+2          clock (bounded)       2n+3  partition: bitmask of one side, 0 = none
 *   [2n+4, 3n+4)  clock skew of each node, ms
 *   then per node: timer count c, then c entries (timer-name id [, deadline]) sorted
 *   then: in-flight count m, then m entries (envelope id [, deadline]) sorted; with `ordered`
 *   channels, grouped by channel (sender, receiver) instead, each group in sending order
 *
 * Nothing here knows what a state means; checker/system.ts says what may happen to one.
 */

/** A packed global state (see the layout above). */
export type Packed = number[];

/** What an action changes besides the stepped node, for assembling its successors. */
export interface BuildPlan {
  readonly s: Packed;
  /** The successor's header (words before the timer sections), already changed by the action. */
  readonly header: Packed;
  /** Section offsets of s (see sectionOffsets). */
  readonly tOff: readonly number[];
  /** In-flight entry removed (delivered or lost), or duplicated; -1 for none. */
  readonly removeNet: number;
  readonly dupNet: number;
  /** Timer entry that fired (node, entry index); -1 for none. */
  readonly firedNode: number;
  readonly firedEntry: number;
  /** A node whose timers all go (it crashed); -1 for none. */
  readonly clearTimersOf: number;
  readonly clock: number;
}

/** One loss in the budget word (see Layout.budget); fault budgets stay below it. */
export const LOSS_UNIT = 64;

export class PackedLayout {
  readonly upAt: number;
  readonly budgetAt: number;
  readonly clockAt: number;
  readonly partitionAt: number;
  readonly skewAt: number;
  readonly timersStart: number;
  /** Sender and receiver index of each envelope id (filled as envelopes are interned). */
  readonly envelopeFrom: number[] = [];
  readonly envelopeTo: number[] = [];

  constructor(
    readonly n: number,
    /** Words per timer or message entry: 1, or 2 under bounded timing (its deadline). */
    readonly width: 1 | 2,
    readonly ordered: boolean,
    /** Bounded timing: a message sent at clock c is due by c + maxDelayMs. */
    private readonly maxDelayMs: number,
  ) {
    this.upAt = 2 * n;
    this.budgetAt = 2 * n + 1;
    this.clockAt = 2 * n + 2;
    this.partitionAt = 2 * n + 3;
    this.skewAt = 2 * n + 4;
    this.timersStart = 3 * n + 4;
  }

  noteEnvelope(id: number, from: number, to: number): void {
    this.envelopeFrom[id] = from;
    this.envelopeTo[id] = to;
  }

  /** Offset of the in-flight section (its count word). */
  netStart(s: Packed): number {
    let o = this.timersStart;
    for (let k = 0; k < this.n; k++) o += 1 + s[o] * this.width;
    return o;
  }

  timerSection(s: Packed, node: number): number {
    let o = this.timersStart;
    for (let k = 0; k < node; k++) o += 1 + s[o] * this.width;
    return o;
  }

  /** Offsets of each node's timer section, and of the in-flight section at index n. */
  sectionOffsets(s: Packed): number[] {
    return this.sectionOffsetsInto(s, new Array<number>(this.n + 1));
  }

  /** Like sectionOffsets, into `out` (reused by the hot path). */
  sectionOffsetsInto(s: Packed, out: number[]): number[] {
    let o = this.timersStart;
    for (let k = 0; k < this.n; k++) {
      out[k] = o;
      o += 1 + s[o] * this.width;
    }
    out[this.n] = o;
    return out;
  }

  isUp(s: Packed, node: number): boolean {
    return ((s[this.upAt] >> node) & 1) === 1;
  }

  /**
   * The budget word holds two counters: budgeted faults left (low bits) and, when losses are
   * budgeted (--max-losses), losses left (times LOSS_UNIT), so the layout stays one word.
   */
  budget(s: Packed): number {
    return s[this.budgetAt] % LOSS_UNIT;
  }

  lossesLeft(s: Packed): number {
    return Math.floor(s[this.budgetAt] / LOSS_UNIT);
  }

  clock(s: Packed): number {
    return s[this.clockAt];
  }

  skew(s: Packed, node: number): number {
    return s[this.skewAt + node];
  }

  canReach(s: Packed, a: number, b: number): boolean {
    const part = s[this.partitionAt];
    return part === 0 || ((part >> a) & 1) === ((part >> b) & 1);
  }

  channelOf(envelope: number): number {
    return this.envelopeFrom[envelope] * this.n + this.envelopeTo[envelope];
  }

  /** A state from its header, per-node timer entries (flat, sorted) and in-flight entries. */
  pack(header: readonly number[], timers: readonly (readonly number[])[], net: readonly (readonly number[])[]): Packed {
    const sortedNet = this.sortNet(net);
    const len = header.length + timers.reduce((s, t) => s + 1 + t.length, 0) + 1 + sortedNet.length * this.width;
    const out: Packed = [...header];
    for (const t of timers) out.push(t.length / this.width, ...t);
    out.push(sortedNet.length);
    for (const e of sortedNet) out.push(...e);
    if (out.length !== len) throw new Error(`internal: packed ${out.length} words, expected ${len}`);
    return out;
  }

  /**
   * The in-flight entries in canonical order. Unordered channels: a multiset, sorted by envelope.
   * Ordered channels: the sequence on each channel matters, so entries are grouped by channel with a
   * stable sort, which keeps each channel's sending order and forgets only the interleaving across
   * channels (which no receiver can observe).
   */
  sortNet(net: readonly (readonly number[])[]): (readonly number[])[] {
    if (!this.ordered) return [...net].sort((a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0));
    return [...net].sort((a, b) => this.channelOf(a[0]) - this.channelOf(b[0]));
  }

  /** Timer entries after the ops ([op (1 set, 0 cancel), timer id, after] each): flat [id(, deadline)] sorted by id. */
  applyTimerOps(entries: readonly number[], ops: readonly number[], clock: number): number[] {
    const out = [...entries];
    this.applyTimerOpsInPlace(out, ops, clock);
    return out;
  }

  /** applyTimerOps on `out` itself. */
  private applyTimerOpsInPlace(out: number[], ops: readonly number[], clock: number): void {
    const w = this.width;
    for (let i = 0; i < ops.length; i += 3) {
      const set = ops[i];
      const id = ops[i + 1];
      let at = -1;
      for (let j = 0; j < out.length; j += w) if (out[j] === id) at = j;
      if (at >= 0) out.splice(at, w);
      if (set === 1) {
        let pos = 0;
        while (pos < out.length && out[pos] < id) pos += w;
        if (w === 2) out.splice(pos, 0, id, clock + ops[i + 2]);
        else out.splice(pos, 0, id);
      }
    }
  }

  /** The stepped node's new timer entries, built by assemble (reused: assemble never nests). */
  private readonly ownScratch: number[] = [];
  /** New in-flight entries of a step (sends and a duplicate), w words each, before they are merged. */
  private readonly pendingScratch: number[] = [];

  /**
   * The successor the plan describes, where `node` (-1 for none) stepped, emitting `sends`
   * ((to, envelope id) pairs) and `timerOps`. The stepped node's timer section is rewritten; every
   * other section is copied as is.
   */
  assemble(plan: BuildPlan, node: number, sends: readonly number[], timerOps: readonly number[] | null): Packed {
    const { s, header, tOff, removeNet, dupNet, firedNode, firedEntry, clearTimersOf, clock } = plan;
    const n = this.n;
    const w = this.width;
    const netAt = tOff[n];
    let own: number[] | null = null;
    if (node >= 0) {
      own = this.ownScratch;
      own.length = 0;
      if (clearTimersOf !== node) {
        const base = tOff[node];
        for (let i = 0; i < s[base]; i++) {
          if (node === firedNode && i === firedEntry) continue;
          for (let j = 0; j < w; j++) own.push(s[base + 1 + i * w + j]);
        }
        if (timerOps) this.applyTimerOpsInPlace(own, timerOps, clock);
        // A crashed node arms nothing, even if its crash step asked to.
      }
    } else if (firedNode >= 0 || clearTimersOf >= 0) {
      own = this.ownScratch;
      own.length = 0;
    }
    const added = sends.length / 2;
    const oldNet = s[netAt];
    const netCount = oldNet - (removeNet >= 0 ? 1 : 0) + (dupNet >= 0 ? 1 : 0) + added;
    const ownNode = node >= 0 ? node : firedNode;
    const out: Packed = [];
    // Plain loops, not set()/subarray(): the sections are a few words, and views cost an allocation each.
    const hl = header.length;
    for (let i = 0; i < hl; i++) out[i] = header[i];
    let o = hl;
    for (let k = 0; k < n; k++) {
      if (k === ownNode && own) {
        out[o++] = own.length / w;
        for (let i = 0; i < own.length; i++) out[o++] = own[i];
      } else {
        const end = tOff[k] + 1 + s[tOff[k]] * w;
        for (let i = tOff[k]; i < end; i++) out[o++] = s[i];
      }
    }
    out[o++] = netCount;
    if (added === 0 && dupNet < 0) {
      // The common case (a step that sends nothing): copy the in-flight entries, less the removed one.
      for (let i = 0; i < oldNet; i++) {
        if (i === removeNet) continue;
        const at = netAt + 1 + i * w;
        for (let j = 0; j < w; j++) out[o++] = s[at + j];
      }
      return out;
    }
    if (this.ordered) {
      const pending: number[][] = [];
      for (let i = 0; i < sends.length; i += 2) pending.push(w === 2 ? [sends[i + 1], clock + this.maxDelayMs] : [sends[i + 1]]);
      if (dupNet >= 0) pending.push(w === 2 ? [s[netAt + 1 + dupNet * w], s[netAt + 2 + dupNet * w]] : [s[netAt + 1 + dupNet * w]]);
      // New sends (and a duplicate copy) queue behind what their channel already carries.
      const entries: number[][] = [];
      for (let i = 0; i < oldNet; i++) if (i !== removeNet) entries.push(s.slice(netAt + 1 + i * w, netAt + 1 + (i + 1) * w));
      for (const e of this.sortNet([...entries, ...pending])) for (const x of e) out[o++] = x;
      return out;
    }
    // Merge the old entries (less the removed one) with the new ones (the sends, the duplicate),
    // sorted by (envelope, deadline): the new ones, a few, are insertion-sorted first.
    const pend = this.pendingScratch;
    pend.length = 0;
    for (let i = 0; i < sends.length; i += 2) {
      pend.push(sends[i + 1]);
      if (w === 2) pend.push(clock + this.maxDelayMs);
    }
    if (dupNet >= 0) for (let j = 0; j < w; j++) pend.push(s[netAt + 1 + dupNet * w + j]);
    const np = pend.length / w;
    const before = (x: number, y: number): boolean => pend[x * w] < pend[y * w] || (w === 2 && pend[x * w] === pend[y * w] && pend[x * w + 1] < pend[y * w + 1]);
    for (let i = 1; i < np; i++) {
      for (let j = i; j > 0 && before(j, j - 1); j--) {
        for (let x = 0; x < w; x++) {
          const t = pend[j * w + x];
          pend[j * w + x] = pend[(j - 1) * w + x];
          pend[(j - 1) * w + x] = t;
        }
      }
    }
    let p = 0;
    for (let i = 0; i < oldNet; i++) {
      if (i === removeNet) continue;
      const at = netAt + 1 + i * w;
      while (p < np && (pend[p * w] < s[at] || (pend[p * w] === s[at] && w === 2 && pend[p * w + 1] < s[at + 1]))) {
        for (let x = 0; x < w; x++) out[o++] = pend[p * w + x];
        p++;
      }
      for (let j = 0; j < w; j++) out[o++] = s[at + j];
    }
    for (; p < np; p++) for (let x = 0; x < w; x++) out[o++] = pend[p * w + x];
    return out;
  }
}
