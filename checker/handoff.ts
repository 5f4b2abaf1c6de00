/**
 * Handing states between worker threads. Each worker interns values in its own order, so a state
 * travels as words in the sender's ids plus the keys of ids the receiver has not been told about
 * yet; the receiver interns the keys and translates the words into its own ids.
 */
import type { Announcement } from '../spec/properties.js';
import type { Interner } from './intern.js';
import type { Packed, PackedLayout } from './layout.js';
import type { LocalSteps } from './local-steps.js';
import { CheckerError } from './options.js';

/** Kinds of interned ids in a packed state (see describeSince). */
export const ID_LOCAL = 0;
export const ID_HISTORY = 1;
export const ID_TIMER = 2;
export const ID_ENVELOPE = 3;

export class StateHandoff<S, M, Cfg> {
  constructor(
    private readonly layout: PackedLayout,
    private readonly steps: LocalSteps<S, M, Cfg>,
    private readonly protocolName: string,
  ) {}

  private interner(kind: number): Interner<unknown> {
    const t = this.steps;
    return kind === ID_LOCAL ? t.locals : kind === ID_HISTORY ? t.histories : kind === ID_TIMER ? t.timerNames : t.envelopes;
  }

  /**
   * Kind, id and key of every id interned since `from[kind]` (per kind), and moves `from` up to now:
   * what another worker needs to read states that use them.
   */
  describeSince(from: number[]): (number | string)[] {
    const dict: (number | string)[] = [];
    for (let kind = ID_LOCAL; kind <= ID_ENVELOPE; kind++) {
      const keys = this.interner(kind).keys;
      for (let id = from[kind]; id < keys.length; id++) dict.push(kind, id, keys[id]);
      from[kind] = keys.length;
    }
    return dict;
  }

  /** This worker's id for a key another worker sent: interned, its value rebuilt from the key if new here. */
  adopt(kind: number, key: string): number {
    const known = this.interner(kind).lookup(key);
    if (known !== undefined) return known;
    const steps = this.steps;
    switch (kind) {
      case ID_LOCAL: {
        const decode = steps.behaviour.decode;
        if (!decode) throw new CheckerError(`${this.protocolName}'s behaviour has no decode(), so worker threads cannot hand its states to one another; use --workers 1`);
        return steps.locals.intern(key, decode.call(steps.behaviour, key));
      }
      case ID_HISTORY:
        return steps.histories.intern(key, JSON.parse(key) as Announcement[]);
      case ID_TIMER:
        return steps.timerNames.intern(key, key);
      default: {
        const m = /^(\d+)>(\d+):/.exec(key);
        if (!m) throw new Error(`internal: malformed envelope key ${key.slice(0, 40)}`);
        return steps.internEnvelope(Number(m[1]), Number(m[2]), JSON.parse(key.slice(m[0].length)) as M);
      }
    }
  }

  /**
   * A state another worker sent (words[from, from + len), in its ids), in this worker's ids: each id
   * mapped through map[kind], then timers and messages re-sorted, since their order follows ids.
   */
  importState(words: ArrayLike<number>, from: number, len: number, map: readonly (readonly number[])[]): Packed {
    const L = this.layout;
    const n = L.n;
    const w = L.width;
    const s: Packed = [];
    for (let i = 0; i < len; i++) s.push(words[from + i]);
    const id = (kind: number, foreign: number): number => {
      const mine = map[kind][foreign];
      if (mine === undefined) throw new Error(`internal: a worker sent id ${foreign} of kind ${kind} without its key`);
      return mine;
    };
    for (let k = 0; k < n; k++) {
      s[k] = id(ID_LOCAL, s[k]);
      s[n + k] = id(ID_HISTORY, s[n + k]);
    }
    // Timer sections: translate, then insertion-sort each (a node has a few timers) by timer id.
    let o = L.timersStart;
    for (let k = 0; k < n; k++) {
      const c = s[o];
      for (let i = 0; i < c; i++) s[o + 1 + i * w] = id(ID_TIMER, s[o + 1 + i * w]);
      for (let i = 1; i < c; i++) {
        for (let j = i; j > 0 && s[o + 1 + j * w] < s[o + 1 + (j - 1) * w]; j--) {
          for (let x = 0; x < w; x++) {
            const t = s[o + 1 + j * w + x];
            s[o + 1 + j * w + x] = s[o + 1 + (j - 1) * w + x];
            s[o + 1 + (j - 1) * w + x] = t;
          }
        }
      }
      o += 1 + c * w;
    }
    // In-flight entries: translate, then restore the canonical order (it follows envelope ids).
    const m = s[o];
    if (m === 0) return s;
    const net: number[][] = [];
    for (let i = 0; i < m; i++) {
      const at = o + 1 + i * w;
      net.push(w === 2 ? [id(ID_ENVELOPE, s[at]), s[at + 1]] : [id(ID_ENVELOPE, s[at])]);
    }
    let p = o + 1;
    for (const e of L.sortNet(net)) for (const x of e) s[p++] = x;
    return s;
  }
}
