/**
 * Fair runs, how `eventually` is judged: from a state whose fault budget is spent, a deterministic
 * fair scheduler (deliveries first, timers round robin, the clock under bounded timing, open choices
 * in turn) runs until the properties hold, the run closes a cycle (a lasso: they never will), no fair
 * step is left, or the bound is reached. States whose run converged are remembered, so a later run
 * that meets one stops there.
 */
import type { Property } from '../spec/properties.js';
import { FingerprintSet } from './fingerprint.js';
import { ActionKind, type Packed, type StepInfo, type System, decodeAction } from './system.js';
import type { PropertyJudge } from './property-memo.js';
import { finishFingerprint } from './zobrist.js';

/** The fair scheduler's memory: the (node, timer) fired last, and per (node, timer) the choice taken last. */
export interface Turn {
  readonly last: number;
  readonly picks: ReadonlyMap<number, number>;
}
export const FIRST_TURN: Turn = { last: -1, picks: new Map() };
/** Deliveries share one rotation of their choices (a delivery rarely opens one). */
const DELIVERY_KEY = -1;
function turnKey(t: Turn): string {
  let k = String(t.last);
  for (const [key, pick] of t.picks) k += `,${key}=${pick}`;
  return k;
}

/**
 * How a fair run that never satisfied a property ended: on a cycle (the property can never hold on
 * this fair run: a real liveness violation), stuck (no fair step left), or out of bound (it did not hold
 * within the bound: possibly the bound is too small, which the verdict says).
 */
export type FairEnd = { readonly kind: 'lasso' | 'stuck' | 'bound'; readonly steps: number };
export function fairEndText(e: FairEnd): string {
  if (e.kind === 'lasso') return `never: the fair run cycles after ${e.steps} steps`;
  if (e.kind === 'stuck') return `never: no fair step left after ${e.steps} steps`;
  return `not within ${e.steps} fair steps; a larger --eventually-bound may reach it`;
}

/** Fingerprints of states whose fair run converged: this thread's own, or shared by worker threads. */
export interface ConvergedSet {
  has(hi: number, lo: number): boolean;
  add(hi: number, lo: number): unknown;
}

export class FairRuns<S, M, Cfg> {
  converged: ConvergedSet = new FingerprintSet(1 << 12);
  /** Action codes of the state a fair run is at (see step). */
  private readonly codes: number[] = [];

  /** The (fingerprint, last timer) pairs of the run under way; one table, cleared per run. */
  private readonly seenPlain = new FingerprintSet(64);
  /** Fingerprints of the run under way, two words per state. */
  private readonly runPrints: number[] = [];
  private readonly sums = new Int32Array(2);

  /** `fp` is the caller's scratch for fingerprints, shared rather than copied. */
  constructor(
    private readonly system: System<S, M, Cfg>,
    private readonly bound: number,
    private readonly fp: Uint32Array,
    private readonly judge: PropertyJudge,
  ) {}

  /**
   * A fair run from `start`, judging the `pending` eventually-properties: deliveries first (in
   * order), else the timers in turn (round robin, so no node's periodic timer starves the others),
   * else, under bounded timing, the clock; where the stepped model leaves a choice open, the choices
   * in turn too. Returns the eventually-properties that never held, with the run and why it ended,
   * or nothing when all came true.
   */
  run(start: Packed, pending: Set<Property>): { failed: Property[]; run: Packed[]; ended: FairEnd } | null {
    const fp = this.fp;
    // Each state's sums come from its predecessor's (Zobrist.sumsFrom), not summed afresh.
    const sums = this.sums;
    this.system.sums(start, sums);
    finishFingerprint(sums[0], sums[1], start.length, fp);
    if (this.converged.has(fp[0], fp[1])) return null;
    const run: Packed[] = [start];
    const prints = this.runPrints;
    prints.length = 0;
    prints.push(fp[0], fp[1]);
    // The run so far, by fingerprint and scheduler memory: meeting the same pair again closes a
    // lasso, a cycle of fair steps along which the pending properties never hold.
    let seen: Set<string> | null = null;
    // Most runs never open a choice (turn.picks empty): their (fingerprint, last) pairs go in a
    // table of numbers instead of building a string per step.
    const seenPlain = this.seenPlain;
    seenPlain.clear();
    let cur = start;
    let turn = FIRST_TURN;
    let ended: FairEnd = { kind: 'bound', steps: this.bound };
    // Every pending property has held at or after position `holdsFrom` of the run (the position where
    // the last of them first held): only states up to there are known to converge.
    let holdsFrom = 0;
    for (let step = 0; step <= this.bound; step++) {
      const obs = this.system.observeReused(cur, 0);
      this.judge.at(cur);
      // Deleting the element being visited is safe in a Set's iteration.
      for (const p of pending) {
        if (this.judge.check(p, obs) === null) {
          pending.delete(p);
          holdsFrom = step;
        }
      }
      if (pending.size === 0) break;
      const h = prints[2 * step];
      const l = prints[2 * step + 1];
      // Runs are deterministic: a state whose own run converged lies on a converging run, and so
      // does every state of this run before it (its continuation is this run up to here, then that one).
      if (step > 0 && this.converged.has(h, l)) {
        pending.clear();
        holdsFrom = step - 1;
        break;
      }
      const plain = turn.picks.size === 0;
      const here = plain ? '' : `${h}:${l}:${turnKey(turn)}`;
      const seenBefore = plain ? !seenPlain.add(h, (l ^ Math.imul(turn.last + 2, 0x9e3779b1)) >>> 0 || 1) : seen !== null && seen.has(here);
      if (seenBefore) {
        ended = { kind: 'lasso', steps: step };
        break;
      }
      if (!plain) (seen ??= new Set()).add(here);
      const next = this.step(cur, turn, false);
      if (!next) {
        ended = { kind: 'stuck', steps: step };
        break;
      }
      turn = next.turn;
      this.system.sumsFrom(cur, sums[0], sums[1], next.state, sums);
      cur = next.state;
      finishFingerprint(sums[0], sums[1], cur.length, fp);
      prints.push(fp[0], fp[1]);
      run.push(cur);
    }
    if (pending.size === 0) {
      // A state at or before `holdsFrom` has a fair continuation (this run's rest) along which every
      // property holds at some point, which is what `eventually` asks; later states may not (a
      // property that held earlier can fail from there on), so they are not remembered.
      for (let i = 0; i <= holdsFrom; i++) this.converged.add(prints[2 * i], prints[2 * i + 1]);
      return null;
    }
    return { failed: [...pending], run, ended };
  }

  /**
   * The fair scheduler: deliveries first (in order), else the next timer after the one fired last
   * (round robin over (node, timer), so no periodic timer starves another), else the clock. Where the
   * step has several successors (the model left a choice open, e.g. which member to probe), it takes
   * the one after the choice it took last time for the same (node, timer): a scheduler that always
   * took the first would, say, never probe a crashed member and blame the protocol for its own bias.
   * Its whole memory is the `Turn`, so (state, turn) determines the rest of a run.
   */
  step(cur: Packed, turn: Turn, withInfo: boolean): { state: Packed; info?: StepInfo<M>; turn: Turn } | null {
    // Read from the action codes, so that only the chosen action becomes an object.
    const codes = this.codes;
    const count = this.system.actionCodes(cur, codes);
    let chosen = -1;
    let firstTimer = -1;
    let nextTimer = -1;
    let nextKey = 0;
    let firstKey = 0;
    let tick = -1;
    for (let c = 0; c < count && chosen < 0; c++) {
      const kind = codes[c * 4];
      if (kind === ActionKind.Deliver) chosen = c;
      else if (kind === ActionKind.Timer) {
        const key = codes[c * 4 + 1] * 65536 + cur[codes[c * 4 + 3]];
        if (firstTimer < 0) (firstTimer = c), (firstKey = key);
        if (nextTimer < 0 && key > turn.last) (nextTimer = c), (nextKey = key);
      } else if (kind === ActionKind.Tick && tick < 0) tick = c;
    }
    let last = turn.last;
    let key = DELIVERY_KEY;
    if (chosen < 0) {
      if (firstTimer >= 0) {
        chosen = nextTimer >= 0 ? nextTimer : firstTimer;
        last = key = nextTimer >= 0 ? nextKey : firstKey;
      } else if (tick >= 0) chosen = tick;
      else return null;
    }
    const action = decodeAction(codes[chosen * 4], codes[chosen * 4 + 1], codes[chosen * 4 + 2]);
    const successors = this.system.apply(cur, action, withInfo);
    if (successors.length === 1) return { ...successors[0], turn: last === turn.last ? turn : { last, picks: turn.picks } };
    const pick = ((turn.picks.get(key) ?? -1) + 1) % successors.length;
    const picks = new Map(turn.picks).set(key, pick);
    return { ...successors[pick], turn: { last, picks } };
  }
}
