/**
 * Which properties are already known to hold on an Observation. A state property is a pure function
 * of the Observation, and the Observation of a state is fixed by a few of its words (each node's
 * local and history ids, who is up, the partition, the clock: Observer.keyOf), while most states
 * that share those words differ only in the messages in flight and the timers armed, which such a
 * property never reads. So a property that held on one state holds on every state with the same
 * key, and is not judged again there: on the majority model the same few thousand node-state
 * combinations recur under hundreds of thousands of network states.
 *
 * Exact, not probabilistic: a row keeps its whole key and is compared word by word; the table is a
 * direct-mapped cache of fixed size, so a collision only evicts (the property is judged again) and
 * memory stays bounded whatever the number of states. Only "held" is remembered: a violation is
 * always judged (and recorded) in full.
 */
import type { Observation, Property, Violation } from '../spec/properties.js';
import type { Packed } from './layout.js';
import { checkGuarded } from './model-error.js';

/** Rows in the cache (a power of two). 2^16 rows of a 3-node key are about 2.6 MB. */
const ROWS_BITS = 16;

/** A property whose verdict the memo may reuse: it reads one Observation, not its step, timers or messages. */
export function memoizable(p: Property): boolean {
  return p.check.length < 2 && p.needs?.step !== true && p.needs?.timers !== true && p.needs?.messages !== true;
}

export class PropertyMemo {
  /** The key of the state being judged; filled by the caller (Observer.keyOf) before `find`. */
  readonly key: Int32Array;
  private readonly rows: Int32Array;
  /** Per row: bit i set when property i held on that row's key. */
  private readonly held: Int32Array;
  private readonly mask = (1 << ROWS_BITS) - 1;

  constructor(private readonly width: number) {
    this.key = new Int32Array(width);
    this.rows = new Int32Array((this.mask + 1) * width);
    this.held = new Int32Array(this.mask + 1);
  }

  /** The row of `key`, made (and whatever it held forgotten) if the key is not there. */
  find(): number {
    const k = this.key;
    const w = this.width;
    let h = 0x811c9dc5;
    for (let i = 0; i < w; i++) h = Math.imul(h ^ k[i], 0x01000193);
    h ^= h >>> 15;
    const row = h & this.mask;
    const at = row * w;
    const rows = this.rows;
    let same = this.held[row] !== 0;
    for (let i = 0; same && i < w; i++) same = rows[at + i] === k[i];
    if (!same) {
      for (let i = 0; i < w; i++) rows[at + i] = k[i];
      this.held[row] = 0;
    }
    return row;
  }

  /** Whether property number `bit` is known to hold on the row's key. */
  holds(row: number, bit: number): boolean {
    return ((this.held[row] >>> bit) & 1) === 1;
  }

  markHeld(row: number, bit: number): void {
    this.held[row] |= 1 << bit;
  }
}

/** What PropertyJudge needs of a System. */
export interface KeyedStates {
  readonly properties: readonly Property[];
  readonly observationKeyWidth: number;
  observationKey(s: Packed, out: Int32Array): boolean;
}

/** Judges properties through the memo: `at(state)`, then `check` each property on that state's Observation. */
export class PropertyJudge {
  private readonly memo: PropertyMemo;
  /** Bit of each memoizable property (its index among the system's properties; at most 31). */
  private readonly bits = new Map<Property, number>();
  private row = -1;

  constructor(private readonly system: KeyedStates) {
    this.memo = new PropertyMemo(system.observationKeyWidth);
    system.properties.forEach((p, i) => {
      if (i < 31 && memoizable(p)) this.bits.set(p, i);
    });
  }

  /** The state whose Observation the next `check`s are given. */
  at(s: Packed): void {
    this.row = this.bits.size > 0 && this.system.observationKey(s, this.memo.key) ? this.memo.find() : -1;
  }

  /** checkGuarded, skipped where the property already held on this key. */
  check(p: Property, obs: Observation, before?: Observation): Violation | null {
    const memoizable = this.bits.get(p);
    if (memoizable === undefined) return checkGuarded(p, obs, before);
    const bit = this.row < 0 ? undefined : memoizable;
    if (bit !== undefined && this.memo.holds(this.row, bit)) return null;
    const v = checkGuarded(p, this.plain(obs), before);
    if (v === null && bit !== undefined) this.memo.markHeld(this.row, bit);
    return v;
  }

  /** Reused by `plain`. */
  private readonly plainObs: { -readonly [K in keyof Observation]: Observation[K] } = { views: {}, up: {}, announced: {} };

  /**
   * The Observation without the step, timers and messages that other properties of the run declared:
   * a property that declared none must not read them (its verdict is reused on states where they
   * differ), so it is not given them.
   */
  private plain(obs: Observation): Observation {
    if (obs.step === undefined && obs.timers === undefined && obs.messages === undefined) return obs;
    const o = this.plainObs;
    o.views = obs.views;
    o.up = obs.up;
    o.announced = obs.announced;
    o.states = obs.states;
    o.canReach = obs.canReach;
    o.resolutions = obs.resolutions;
    o.clock = obs.clock;
    return o;
  }
}
