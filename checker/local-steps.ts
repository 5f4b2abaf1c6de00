/**
 * Interning and memoized local steps. Every value a packed state holds (a node's local state, its
 * announcement history, a timer name, a message envelope) is interned to a small id, and each
 * distinct local state is stepped once per distinct input, the result memoized: that is what makes
 * exploring XState models fast (a raw transition costs ~10-30 µs, a memo hit a few ns).
 */
import type { NodeId } from '../spec/node.js';
import type { Announcement, Resolution } from '../spec/properties.js';
import type { Choice, Input, NodeBehaviour, Output } from '../spec/step.js';
import type { View } from '../spec/view.js';
import { canonicalJson } from '../spec/canonical.js';
import { Interner } from './intern.js';
import type { PackedLayout } from './layout.js';
import { ModelStepError, describeInput } from './model-error.js';

export interface Envelope<M> {
  readonly from: number;
  readonly to: number;
  readonly message: M;
}

/** The effect of one memoized local step. */
export interface Transition<M> {
  readonly next: number;
  readonly outputs: readonly Output<M>[];
  /** (to node index, envelope id) pairs, in output order. */
  readonly sends: readonly number[];
  /** Timer operations in order: [op (1 set, 0 cancel), timer-name id, after]. */
  readonly timerOps: readonly number[];
  readonly announced: Announcement | null;
  /** Interned id of `announced`, -1 when none. */
  readonly announcedId: number;
  readonly resolutions: readonly Omit<Resolution, 'node'>[];
  readonly choice?: Choice;
}

export class LocalSteps<S, M, Cfg> {
  readonly locals = new Interner<S>();
  readonly inputs = new Interner<Input<M>>();
  readonly envelopes = new Interner<Envelope<M>>();
  readonly timerNames = new Interner<string>();
  readonly histories = new Interner<readonly Announcement[]>();
  private readonly announcements = new Interner<Announcement>();
  /** memo[local id][input id]: arrays of small ints index faster than a Map keyed by a wide number. */
  private readonly memo: (Transition<M> | undefined)[][] = [];
  private readonly choiceMemo: (readonly number[] | undefined)[][] = [];
  /** historyAfterMemo[history id][announcement id]: the history with the announcement appended. */
  private readonly historyAfterMemo: number[][] = [];
  /** rearmMemo[local id][timer id]: the local id a pure re-arm leads to, or -1 when the step does more. */
  private readonly rearmMemo: number[][] = [];
  private readonly viewCache: View[] = [];
  private readonly environmentInputs = new Map<string, number>();
  /** Input ids of timer firings and deliveries by (timer or envelope id, now): the hot path builds no text. */
  private readonly timerInputIds = new Map<number, Map<number, number>>();
  private readonly receiveInputIds = new Map<number, Map<number, number>>();
  private readonly timerInputAt0: number[] = [];
  private readonly receiveInputAt0: number[] = [];
  /** Local transitions computed (memo misses) and looked up (hits + misses). */
  readonly stats = { transitions: 0, lookups: 0 };

  constructor(
    readonly behaviour: NodeBehaviour<S, M, Cfg>,
    private readonly ids: readonly NodeId[],
    private readonly indexOf: ReadonlyMap<NodeId, number>,
    private readonly layout: PackedLayout,
  ) {}

  internLocal(state: S): number {
    return this.locals.intern(this.behaviour.encode(state), state);
  }

  internHistory(history: readonly Announcement[]): number {
    return this.histories.intern(canonicalJson(history), history);
  }

  internEnvelope(from: number, to: number, message: M): number {
    const id = this.envelopes.intern(`${from}>${to}:${canonicalJson(message)}`, { from, to, message });
    this.layout.noteEnvelope(id, from, to);
    return id;
  }

  /** The node a local state belongs to, for error messages (its View's self, when it has one). */
  private nodeOf(localId: number): string {
    try {
      return this.view(localId).self;
    } catch {
      return 'a node';
    }
  }

  private internInput(input: Input<M>): number {
    return this.inputs.intern(canonicalJson(input), input);
  }

  view(localId: number): View {
    let v = this.viewCache[localId];
    if (v === undefined) {
      try {
        v = this.behaviour.view(this.locals.values[localId]);
      } catch (e) {
        throw new ModelStepError('a node', 'building its View', e);
      }
      this.viewCache[localId] = v;
    }
    return v;
  }

  /** Crash, restart and command inputs by a short key: interning by canonical JSON each time is slow. */
  environmentInput(key: string, make: () => Input<M>): number {
    let id = this.environmentInputs.get(key);
    if (id === undefined) {
      id = this.internInput(make());
      this.environmentInputs.set(key, id);
    }
    return id;
  }

  timerInput(timerId: number, now: number): number {
    if (now === 0) {
      const id = this.timerInputAt0[timerId];
      if (id !== undefined) return id;
    }
    let byNow = this.timerInputIds.get(timerId);
    if (!byNow) this.timerInputIds.set(timerId, (byNow = new Map()));
    let id = byNow.get(now);
    if (id === undefined) {
      id = this.internInput({ type: 'timer', timer: this.timerNames.values[timerId], now });
      byNow.set(now, id);
    }
    if (now === 0) this.timerInputAt0[timerId] = id;
    return id;
  }

  receiveInput(envelopeId: number, now: number): number {
    if (now === 0) {
      const id = this.receiveInputAt0[envelopeId];
      if (id !== undefined) return id;
    }
    let byNow = this.receiveInputIds.get(envelopeId);
    if (!byNow) this.receiveInputIds.set(envelopeId, (byNow = new Map()));
    let id = byNow.get(now);
    if (id === undefined) {
      const e = this.envelopes.values[envelopeId];
      id = this.internInput({ type: 'receive', from: this.ids[e.from], message: e.message, now });
      byNow.set(now, id);
    }
    if (now === 0) this.receiveInputAt0[envelopeId] = id;
    return id;
  }

  /** The concrete inputs (one per open choice) that an input expands to in this local state. */
  expand(localId: number, inputId: number): readonly number[] {
    const row = (this.choiceMemo[localId] ??= []);
    let ids = row[inputId];
    if (ids === undefined) {
      const input = this.inputs.values[inputId];
      let choices: readonly Choice[] | undefined;
      try {
        choices = this.behaviour.choices?.(this.locals.values[localId], input);
      } catch (e) {
        throw new ModelStepError(this.nodeOf(localId), `the choices of ${describeInput(input)}`, e);
      }
      ids = choices && choices.length > 0 ? choices.map((choice) => this.internInput({ ...input, choice })) : [inputId];
      row[inputId] = ids;
    }
    return ids;
  }

  historyAfter(historyId: number, t: Transition<M>): number {
    const row = (this.historyAfterMemo[historyId] ??= []);
    let id = row[t.announcedId];
    if (id === undefined) {
      id = this.internHistory([...this.histories.values[historyId], t.announced!]);
      row[t.announcedId] = id;
    }
    return id;
  }

  /** The memoized step of node `node` in local state `localId` on input `inputId`. */
  transition(node: number, localId: number, inputId: number): Transition<M> {
    this.stats.lookups++;
    const row = (this.memo[localId] ??= []);
    let t = row[inputId];
    if (t !== undefined) return t;
    this.stats.transitions++;
    let r: ReturnType<NodeBehaviour<S, M, Cfg>['step']>;
    try {
      r = this.behaviour.step(this.locals.values[localId], this.inputs.values[inputId]);
    } catch (e) {
      throw new ModelStepError(this.ids[node], describeInput(this.inputs.values[inputId]), e);
    }
    t = this.compile(node, r.state, r.outputs, r.choice);
    row[inputId] = t;
    return t;
  }

  /** A step's result with its outputs sorted into sends, timer operations and notifications, all interned. */
  compile(node: number, state: S, outputs: readonly Output<M>[], choice?: Choice): Transition<M> {
    const sends: number[] = [];
    const timerOps: number[] = [];
    let announced: Announcement | null = null;
    const resolutions: Omit<Resolution, 'node'>[] = [];
    for (const o of outputs) {
      switch (o.type) {
        case 'send': {
          const to = this.indexOf.get(o.to);
          // A message to an address outside the cluster goes nowhere.
          if (to !== undefined) sends.push(to, this.internEnvelope(node, to, o.message));
          break;
        }
        case 'setTimer':
          timerOps.push(1, this.timerNames.intern(o.timer, o.timer), o.after);
          break;
        case 'cancelTimer':
          timerOps.push(0, this.timerNames.intern(o.timer, o.timer), 0);
          break;
        case 'notify':
          if (o.event.kind === 'announced') announced = { info: o.event.info, version: o.event.version };
          else if (o.event.kind === 'resolved') resolutions.push({ responses: o.event.responses, result: o.event.result });
          break;
      }
    }
    const announcedId = announced ? this.announcements.intern(canonicalJson(announced), announced) : -1;
    return { next: this.internLocal(state), outputs, sends, timerOps, announced, announcedId, resolutions, choice };
  }

  /**
   * Under async timing, when the timer whose id is at word `off` fires at node `node`: the local id
   * the node moves to if the step only re-arms that same timer (no open choice, no send, no
   * announcement, no resolution), so the successor differs from s in that one word; else -1.
   * Only for a node whose clock is not skewed (its input's `now` is 0). Memoized.
   */
  rearmNext(s: readonly number[], node: number, off: number): number {
    const local = s[node];
    const timerId = s[off];
    const row = (this.rearmMemo[local] ??= []);
    let next = row[timerId];
    if (next === undefined) {
      next = -1;
      const inputs = this.expand(local, this.timerInput(timerId, 0));
      if (inputs.length === 1) {
        const t = this.transition(node, local, inputs[0]);
        const ops = t.timerOps;
        if (t.sends.length === 0 && t.announced === null && t.resolutions.length === 0 && ops.length === 3 && ops[0] === 1 && ops[1] === timerId) next = t.next;
      }
      row[timerId] = next;
    } else this.stats.lookups++;
    return next;
  }

  /**
   * What `rearmNext` would return if it is already memoized, else -2; computes nothing, interns
   * nothing and counts no lookup, so the explorer may ask ahead of time without changing what
   * happens in what order.
   */
  rearmKnown(s: readonly number[], node: number, off: number): number {
    const row = this.rearmMemo[s[node]];
    if (row === undefined) return -2;
    const next = row[s[off]];
    return next === undefined ? -2 : next;
  }
}
