/**
 * A System: N node models behind the step contract, the messages in flight, the armed timers, and
 * the fault state, explored as one state machine. Global states are packed into Packeds of
 * interned ids; each distinct local state is stepped once per distinct input and the result memoized,
 * which is what makes exploring XState models fast (a raw transition costs ~10-30 µs).
 *
 * Packed layout (n nodes, W = 1 word per timer/message under async timing, 2 under bounded):
 *   [0, n)        local state id of each node
 *   [n, 2n)       announcement-history id of each node (the ghost record properties read)
 *   2n            up bitmask            2n+1  fault budget left
 *   2n+2          clock (bounded)       2n+3  partition: bitmask of one side, 0 = none
 *   [2n+4, 3n+4)  clock skew of each node, ms
 *   then per node: timer count c, then c entries (timer-name id [, deadline]) sorted
 *   then: in-flight count m, then m entries (envelope id [, deadline]) sorted; with `ordered`
 *   channels, grouped by channel (sender, receiver) instead, each group in sending order
 */
import type { NodeId } from '../spec/node.js';
import type { Announcement, Observation, Property, Resolution } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { Choice, Command, Input, NodeBehaviour, NodeSetup, Output } from '../spec/step.js';
import type { View } from '../spec/view.js';
import { canonicalJson } from '../spec/canonical.js';
import { Interner, fmix } from './intern.js';
import { type CheckOptions, CheckerError, type FaultKind } from './options.js';
import { renameJson } from '../spec/canonical.js';

/** Shared by every Observation of a state that resolved nothing. */
const NO_RESOLUTIONS: readonly Resolution[] = Object.freeze([]);

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}

/** A packed global state: a plain array of small ints (V8 copies these far faster than typed arrays). */
export type Packed = number[];

function lexLess(a: Packed, b: Packed): boolean {
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** One thing the environment can do in a state. */
export type Action =
  | { readonly kind: 'deliver'; readonly entry: number }
  | { readonly kind: 'drop'; readonly entry: number }
  | { readonly kind: 'dup'; readonly entry: number }
  | { readonly kind: 'timer'; readonly node: number; readonly entry: number }
  | { readonly kind: 'tick' }
  | { readonly kind: 'crash'; readonly node: number }
  | { readonly kind: 'restart'; readonly node: number }
  | { readonly kind: 'partition'; readonly side: number }
  | { readonly kind: 'heal' }
  | { readonly kind: 'update'; readonly node: number; readonly patch: number }
  | { readonly kind: 'leave'; readonly node: number }
  | { readonly kind: 'skew'; readonly node: number };

/** Action kinds as numbers, for the explorer's allocation-free loop (see System.actionCodes). */
export const ACTION_DELIVER = 0;
export const ACTION_DROP = 1;
export const ACTION_DUP = 2;
export const ACTION_TIMER = 3;
export const ACTION_TICK = 4;
export const ACTION_CRASH = 5;
export const ACTION_RESTART = 6;
export const ACTION_PARTITION = 7;
export const ACTION_HEAL = 8;
export const ACTION_UPDATE = 9;
export const ACTION_LEAVE = 10;
export const ACTION_SKEW = 11;

/** The Action object an action code stands for. */
export function decodeAction(kind: number, a: number, b: number): Action {
  switch (kind) {
    case ACTION_DELIVER:
      return { kind: 'deliver', entry: a };
    case ACTION_DROP:
      return { kind: 'drop', entry: a };
    case ACTION_DUP:
      return { kind: 'dup', entry: a };
    case ACTION_TIMER:
      return { kind: 'timer', node: a, entry: b };
    case ACTION_TICK:
      return { kind: 'tick' };
    case ACTION_CRASH:
      return { kind: 'crash', node: a };
    case ACTION_RESTART:
      return { kind: 'restart', node: a };
    case ACTION_PARTITION:
      return { kind: 'partition', side: a };
    case ACTION_HEAL:
      return { kind: 'heal' };
    case ACTION_UPDATE:
      return { kind: 'update', node: a, patch: b };
    case ACTION_LEAVE:
      return { kind: 'leave', node: a };
    case ACTION_SKEW:
      return { kind: 'skew', node: a };
    default:
      throw new Error(`internal: unknown action code ${kind}`);
  }
}

/** Writes one action code at position c of out; returns c + 1. A function, not a closure: no allocation per call. */
function put4(out: number[], c: number, kind: number, a: number, b: number, off: number): number {
  const i = c * 4;
  out[i] = kind;
  out[i + 1] = a;
  out[i + 2] = b;
  out[i + 3] = off;
  return c + 1;
}

/** One loss in the budget word (see System.budget); fault budgets stay below it. */
const LOSS_UNIT = 64;

/** Actions that are not faults: what the network and the clocks do on their own. */
export function isFair(a: Action): boolean {
  return a.kind === 'deliver' || a.kind === 'timer' || a.kind === 'tick';
}

interface Envelope<M> {
  readonly from: number;
  readonly to: number;
  readonly message: M;
}

/** The effect of one memoized local step. */
interface Transition<M> {
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

/** What an action changes besides the stepped node, for building its successors. */
interface BuildPlan {
  readonly s: Packed;
  readonly header: Packed;
  readonly tOff: readonly number[];
  readonly removeNet: number;
  readonly dupNet: number;
  readonly firedNode: number;
  readonly firedEntry: number;
  readonly clearTimersOf: number;
  readonly clock: number;
}

/** What one applied action did, for traces and step properties. */
export interface StepInfo<M> {
  readonly actor: NodeId | 'network' | 'clock';
  readonly label: string;
  readonly input?: Input<M>;
  readonly outputs: readonly Output<M>[];
  readonly resolutions: readonly Resolution[];
}

/** Kinds of interned ids in a packed state (see System.describeSince). */
export const ID_LOCAL = 0;
export const ID_HISTORY = 1;
export const ID_TIMER = 2;
export const ID_ENVELOPE = 3;

/** Tags of position-free fingerprint terms; above every header position (3n+4 ≤ 94 words). */
const TAG_TIMER_COUNT = 1000;
const TAG_TIMER = 2000;
const TAG_NET_COUNT = 3000;
const TAG_NET = 1 << 20;

/** Two independent hashes of (position or tag x, value y): the terms of the fingerprint sums. */
function mixA(x: number, y: number): number {
  let h = Math.imul(x ^ 0x7f4a7c15, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593) ^ y;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  return fmix(h);
}

function mixB(x: number, y: number): number {
  let h = Math.imul(x ^ 0x3c6ef372, 0x85ebca77);
  h = (h << 17) | (h >>> 15);
  h = Math.imul(h, 0xc2b2ae3d) ^ Math.imul(y, 0x27d4eb2f);
  h = (Math.imul((h << 11) | (h >>> 21), 9) + 0x165667b1) | 0;
  return fmix(h);
}

export class System<S, M, Cfg = unknown> {
  readonly n: number;
  readonly ids: readonly NodeId[];
  readonly width: number;
  readonly locals = new Interner<S>();
  readonly inputs = new Interner<Input<M>>();
  readonly envelopes = new Interner<Envelope<M>>();
  readonly timerNames = new Interner<string>();
  readonly histories = new Interner<readonly Announcement[]>();
  readonly properties: readonly Property[];
  private readonly behaviour: NodeBehaviour<S, M, Cfg>;
  private readonly setups: readonly NodeSetup<Cfg>[];
  private readonly indexOf = new Map<NodeId, number>();
  /** memo[local id][input id]: arrays of small ints index faster than a Map keyed by a wide number. */
  private readonly memo: (Transition<M> | undefined)[][] = [];
  private readonly choiceMemo: (readonly number[] | undefined)[][] = [];
  private readonly viewCache: View[] = [];
  private readonly envelopeTo: number[] = [];
  private readonly envelopeFrom: number[] = [];
  private readonly faults: ReadonlySet<FaultKind>;
  /** The fault kinds as flags, read per state by actionCodes (a Set lookup each would cost more). */
  private readonly faultFlags: Readonly<Record<'loss' | 'dup' | 'crash' | 'restart' | 'update' | 'leave' | 'skew' | 'partition' | 'budgeted', boolean>>;
  private readonly patches: readonly (readonly Command[])[];
  readonly initial: Packed;
  readonly bounded: boolean;
  private readonly ordered: boolean;
  /** Node permutations tried by symmetry reduction (empty when it is off). */
  private readonly perms: number[][] = [];
  private readonly renamedLocal: number[][] = [];
  private readonly renamedHistory: number[][] = [];
  private readonly renamedEnvelope: number[][] = [];
  /** Local transitions computed (memo misses) and looked up (hits + misses). */
  stats = { transitions: 0, lookups: 0 };

  constructor(
    readonly protocol: ProtocolDefinition<S, M, Cfg>,
    readonly options: CheckOptions,
  ) {
    this.behaviour = protocol.behaviour;
    this.setups = protocol.cluster(options.nodes, { now: 0, seed: options.seed });
    this.n = this.setups.length;
    if (this.n > 30) throw new CheckerError(`a System packs node sets into 31-bit masks; ${this.n} nodes is too many`);
    this.ids = this.setups.map((s) => s.id);
    this.ids.forEach((id, i) => this.indexOf.set(id, i));
    this.bounded = options.timing === 'bounded';
    this.width = this.bounded ? 2 : 1;
    this.ordered = options.ordered;
    this.faults = new Set(options.faults);
    const has = (k: FaultKind) => this.faults.has(k);
    this.faultFlags = {
      loss: has('loss'),
      dup: has('dup'),
      crash: has('crash'),
      restart: has('restart'),
      update: has('update'),
      leave: has('leave'),
      skew: has('skew'),
      partition: has('partition'),
      // The budgeted kinds that actionCodes enables per node or partition (dup is per message).
      budgeted: (['crash', 'restart', 'update', 'leave', 'skew', 'partition'] as const).some(has),
    };
    const wanted = options.properties;
    for (const name of wanted) {
      if (!protocol.properties.some((p) => p.name === name)) {
        throw new CheckerError(`unknown property '${name}' for ${protocol.name}; known: ${protocol.properties.map((p) => p.name).join(', ')}`);
      }
    }
    this.properties = wanted.length > 0 ? protocol.properties.filter((p) => wanted.includes(p.name)) : protocol.properties;
    this.patches = this.ids.map((id) => (protocol.updates?.(id) ?? []).map((patch): Command => ({ kind: 'update', patch })));
    if (options.symmetry) {
      if (!protocol.symmetry) {
        throw new CheckerError(`${protocol.name} declares no symmetry: its nodes are not interchangeable (roles, addresses or ids differ), so --symmetry would be unsound`);
      }
      if (this.n > 6) throw new CheckerError(`--symmetry tries every permutation of the nodes; use it with at most 6 nodes, not ${this.n}`);
      this.perms = permutations(this.n);
    }
    this.initial = this.canonical(this.makeInitial());
  }

  get symmetric(): boolean {
    return this.perms.length > 0;
  }

  /**
   * The orbit representative of s under node permutations: the lexicographically least packing
   * among all renamings, and the orbit's size (the states it stands for). Identity when symmetry is off.
   */
  canonicalWithOrbit(s: Packed): { state: Packed; orbit: number } {
    if (this.perms.length === 0) return { state: s, orbit: 1 };
    let best = s;
    const resolved = this.lastResolutions.get(s);
    const seen = new Set<string>();
    for (let p = 0; p < this.perms.length; p++) {
      const r = this.permute(s, p);
      seen.add(r.join(','));
      if (lexLess(r, best)) best = r;
    }
    if (resolved) this.lastResolutions.set(best, resolved);
    return { state: best, orbit: seen.size };
  }

  canonical(s: Packed): Packed {
    return this.perms.length === 0 ? s : this.canonicalWithOrbit(s).state;
  }

  private permute(s: Packed, p: number): Packed {
    const perm = this.perms[p];
    const n = this.n;
    const w = this.width;
    const map: Record<NodeId, NodeId> = {};
    for (let k = 0; k < n; k++) map[this.ids[k]] = this.ids[perm[k]];
    const sym = this.protocol.symmetry!;
    const out: Packed = new Array<number>(s.length).fill(0);
    const memo = <T>(table: number[][], id: number, make: () => number): number => {
      const row = (table[id] ??= []);
      return (row[p] ??= make());
    };
    const tOff = this.sectionOffsets(s);
    let upMask = 0;
    let part = 0;
    for (let k = 0; k < n; k++) {
      const j = perm[k];
      out[j] = memo(this.renamedLocal, s[k], () => this.internLocal(sym.rename(this.locals.values[s[k]], map)));
      out[n + j] = memo(this.renamedHistory, s[n + k], () => {
        const history = renameJson(this.histories.values[s[n + k]], map) as Announcement[];
        return this.histories.intern(canonicalJson(history), history);
      });
      if (this.isUp(s, k)) upMask |= 1 << j;
      if ((s[2 * n + 3] >> k) & 1) part |= 1 << j;
      out[2 * n + 4 + j] = s[2 * n + 4 + k];
    }
    out[2 * n] = upMask;
    out[2 * n + 1] = s[2 * n + 1];
    out[2 * n + 2] = s[2 * n + 2];
    out[2 * n + 3] = part;
    // Timer sections move with their nodes.
    const inverse = new Array<number>(n);
    for (let k = 0; k < n; k++) inverse[perm[k]] = k;
    let o = this.timersStart();
    for (let j = 0; j < n; j++) {
      const k = inverse[j];
      const end = tOff[k] + 1 + s[tOff[k]] * w;
      for (let i = tOff[k]; i < end; i++) out[o++] = s[i];
    }
    const netAt = tOff[n];
    const m = s[netAt];
    out[o++] = m;
    const entries: number[][] = [];
    for (let i = 0; i < m; i++) {
      const at = netAt + 1 + i * w;
      const env = memo(this.renamedEnvelope, s[at], () => {
        const e = this.envelopes.values[s[at]];
        return this.internEnvelope(perm[e.from], perm[e.to], sym.renameMessage(e.message, map));
      });
      entries.push(w === 2 ? [env, s[at + 1]] : [env]);
    }
    for (const e of this.sortNet(entries)) for (const x of e) out[o++] = x;
    return out;
  }

  // ---- layout ---------------------------------------------------------------------------------

  private get upAt(): number {
    return 2 * this.n;
  }

  timersStart(): number {
    return 3 * this.n + 4;
  }

  /** Offset of the in-flight section (its count word). */
  netStart(s: Packed): number {
    let o = this.timersStart();
    for (let k = 0; k < this.n; k++) o += 1 + s[o] * this.width;
    return o;
  }

  private timerSection(s: Packed, node: number): number {
    let o = this.timersStart();
    for (let k = 0; k < node; k++) o += 1 + s[o] * this.width;
    return o;
  }

  isUp(s: Packed, node: number): boolean {
    return ((s[this.upAt] >> node) & 1) === 1;
  }

  /**
   * The budget word holds two counters: budgeted faults left (low bits) and, when losses are
   * budgeted (--max-losses), losses left (times LOSS_UNIT), so the layout stays one word.
   */
  budget(s: Packed): number {
    return s[this.upAt + 1] % LOSS_UNIT;
  }

  lossesLeft(s: Packed): number {
    return Math.floor(s[this.upAt + 1] / LOSS_UNIT);
  }

  clock(s: Packed): number {
    return s[this.upAt + 2];
  }

  canReach(s: Packed, a: number, b: number): boolean {
    const part = s[this.upAt + 3];
    return part === 0 || ((part >> a) & 1) === ((part >> b) & 1);
  }

  private now(s: Packed, node: number): number {
    return (this.bounded ? this.clock(s) : 0) + s[2 * this.n + 4 + node];
  }

  // ---- local steps (memoized) -----------------------------------------------------------------

  private internLocal(state: S): number {
    return this.locals.intern(this.behaviour.encode(state), state);
  }

  view(localId: number): View {
    let v = this.viewCache[localId];
    if (v === undefined) {
      v = this.behaviour.view(this.locals.values[localId]);
      this.viewCache[localId] = v;
    }
    return v;
  }

  private readonly environmentInputs = new Map<string, number>();

  /** Crash, restart and command inputs by a short key: interning by canonical JSON each time is slow. */
  private environmentInput(key: string, make: () => Input<M>): number {
    let id = this.environmentInputs.get(key);
    if (id === undefined) {
      id = this.internInput(make());
      this.environmentInputs.set(key, id);
    }
    return id;
  }

  private internInput(input: Input<M>): number {
    return this.inputs.intern(canonicalJson(input), input);
  }

  /** Input ids of timer firings and deliveries by (timer or envelope id, now): the hot path builds no text. */
  private readonly timerInputIds = new Map<number, Map<number, number>>();
  private readonly receiveInputIds = new Map<number, Map<number, number>>();

  private readonly timerInputAt0: number[] = [];
  private readonly receiveInputAt0: number[] = [];

  private timerInput(timerId: number, now: number): number {
    if (now === 0) {
      const id = this.timerInputAt0[timerId];
      if (id !== undefined) return id;
    }
    const id = this.timerInputSlow(timerId, now);
    if (now === 0) this.timerInputAt0[timerId] = id;
    return id;
  }

  private receiveInput(envelopeId: number, now: number): number {
    if (now === 0) {
      const id = this.receiveInputAt0[envelopeId];
      if (id !== undefined) return id;
    }
    const id = this.receiveInputSlow(envelopeId, now);
    if (now === 0) this.receiveInputAt0[envelopeId] = id;
    return id;
  }

  private timerInputSlow(timerId: number, now: number): number {
    let byNow = this.timerInputIds.get(timerId);
    if (!byNow) this.timerInputIds.set(timerId, (byNow = new Map()));
    let id = byNow.get(now);
    if (id === undefined) {
      id = this.internInput({ type: 'timer', timer: this.timerNames.values[timerId], now });
      byNow.set(now, id);
    }
    return id;
  }

  private receiveInputSlow(envelopeId: number, now: number): number {
    let byNow = this.receiveInputIds.get(envelopeId);
    if (!byNow) this.receiveInputIds.set(envelopeId, (byNow = new Map()));
    let id = byNow.get(now);
    if (id === undefined) {
      const e = this.envelopes.values[envelopeId];
      id = this.internInput({ type: 'receive', from: this.ids[e.from], message: e.message, now });
      byNow.set(now, id);
    }
    return id;
  }

  private internEnvelope(from: number, to: number, message: M): number {
    const id = this.envelopes.intern(`${from}>${to}:${canonicalJson(message)}`, { from, to, message });
    this.envelopeFrom[id] = from;
    this.envelopeTo[id] = to;
    return id;
  }

  /** The concrete inputs (one per open choice) that an input expands to in this local state. */
  private expand(localId: number, inputId: number): readonly number[] {
    const row = (this.choiceMemo[localId] ??= []);
    let ids = row[inputId];
    if (ids === undefined) {
      const input = this.inputs.values[inputId];
      const choices = this.behaviour.choices?.(this.locals.values[localId], input);
      ids = choices && choices.length > 0 ? choices.map((choice) => this.internInput({ ...input, choice })) : [inputId];
      row[inputId] = ids;
    }
    return ids;
  }

  private readonly announcements = new Interner<Announcement>();
  /** historyAfterMemo[history id][announcement id]: the history with the announcement appended. */
  private readonly historyAfterMemo: number[][] = [];

  private historyAfter(historyId: number, t: Transition<M>): number {
    const row = (this.historyAfterMemo[historyId] ??= []);
    let id = row[t.announcedId];
    if (id === undefined) {
      const history = [...this.histories.values[historyId], t.announced!];
      id = this.histories.intern(canonicalJson(history), history);
      row[t.announcedId] = id;
    }
    return id;
  }

  private transition(node: number, localId: number, inputId: number): Transition<M> {
    this.stats.lookups++;
    const row = (this.memo[localId] ??= []);
    let t = row[inputId];
    if (t !== undefined) return t;
    this.stats.transitions++;
    const r = this.behaviour.step(this.locals.values[localId], this.inputs.values[inputId]);
    t = this.compile(node, r.state, r.outputs, r.choice);
    row[inputId] = t;
    return t;
  }

  private compile(node: number, state: S, outputs: readonly Output<M>[], choice?: Choice): Transition<M> {
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

  // ---- building states ------------------------------------------------------------------------

  private makeInitial(): Packed {
    const n = this.n;
    const header = new Array<number>(3 * n + 4).fill(0);
    const timers: number[][] = [];
    const net: number[][] = [];
    header[2 * n] = (1 << n) - 1;
    header[2 * n + 1] = this.options.faultBudget + LOSS_UNIT * (this.options.maxLosses ?? 0);
    for (let k = 0; k < n; k++) {
      const r = this.behaviour.init(this.setups[k]);
      const t = this.compile(k, r.state, r.outputs);
      header[k] = t.next;
      header[n + k] = this.histories.intern(canonicalJson(t.announced ? [t.announced] : []), t.announced ? [t.announced] : []);
      timers.push(this.applyTimerOps([], t.timerOps, 0));
      for (let i = 0; i < t.sends.length; i += 2) net.push(this.bounded ? [t.sends[i + 1], this.options.maxDelayMs] : [t.sends[i + 1]]);
    }
    return this.pack(header, timers, net);
  }

  /** Timer entries after the ops: flat [id(, deadline)] sorted by id. */
  private applyTimerOps(entries: readonly number[], ops: readonly number[], clock: number): number[] {
    const w = this.width;
    const out = [...entries];
    for (let i = 0; i < ops.length; i += 3) {
      const [set, id, after] = [ops[i], ops[i + 1], ops[i + 2]];
      let at = -1;
      for (let j = 0; j < out.length; j += w) if (out[j] === id) at = j;
      if (at >= 0) out.splice(at, w);
      if (set === 1) {
        let pos = 0;
        while (pos < out.length && out[pos] < id) pos += w;
        out.splice(pos, 0, ...(w === 2 ? [id, clock + after] : [id]));
      }
    }
    return out;
  }

  private pack(header: readonly number[], timers: readonly (readonly number[])[], net: readonly (readonly number[])[]): Packed {
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
  private sortNet(net: readonly (readonly number[])[]): (readonly number[])[] {
    if (!this.ordered) return [...net].sort((a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0));
    return [...net].sort((a, b) => this.channelOf(a[0]) - this.channelOf(b[0]));
  }

  private channelOf(envelope: number): number {
    return this.envelopeFrom[envelope] * this.n + this.envelopeTo[envelope];
  }

  // ---- enabled actions ------------------------------------------------------------------------

  /** Every action enabled in `s`, in a fixed order (traces name successors by their position). */
  actions(s: Packed): Action[] {
    const codes = this.codeScratch;
    const count = this.actionCodes(s, codes);
    const out: Action[] = [];
    for (let i = 0; i < count; i++) out.push(decodeAction(codes[i * 4], codes[i * 4 + 1], codes[i * 4 + 2]));
    return out;
  }

  private readonly codeScratch: number[] = [];

  /**
   * The enabled actions as numbers, four per action: kind (an ACTION_* constant), a, b (what the
   * Action object's fields hold: entry, node, patch or side), and the word offset of the entry an
   * action acts on (deliveries and timers). The explorer's hot loop reads these instead of building
   * an object per successor. Same order as `actions`. Returns the number of actions written.
   */
  actionCodes(s: Packed, out: number[]): number {
    let c = 0;
    const w = this.width;
    const netAt = this.netStart(s);
    const m = s[netAt];
    const f = this.faultFlags;
    const loss = f.loss && (this.options.maxLosses === null || this.lossesLeft(s) > 0);
    const dup = f.dup && this.budget(s) > 0;
    let dueNow = false;
    for (let i = 0; i < m; i++) {
      const off = netAt + 1 + i * w;
      // Equal entries are one choice: delivering either copy gives the same state.
      if (i > 0 && s[off] === s[off - w] && (w === 1 || s[off + 1] === s[off - w + 1])) continue;
      const env = s[off];
      const from = this.envelopeFrom[env];
      const to = this.envelopeTo[env];
      // On an ordered channel only its oldest message may arrive next.
      const headOfChannel = !this.ordered || i === 0 || this.channelOf(s[off - w]) !== this.channelOf(env);
      if (headOfChannel && this.canReach(s, from, to)) c = put4(out, c, ACTION_DELIVER, i, 0, off);
      if (loss) c = put4(out, c, ACTION_DROP, i, 0, off);
      if (dup) c = put4(out, c, ACTION_DUP, i, 0, off);
      if (w === 2 && s[off + 1] <= this.clock(s)) dueNow = true;
    }
    let nextDeadline = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) nextDeadline = Math.min(nextDeadline, w === 2 ? s[netAt + 1 + i * w + 1] : nextDeadline);
    let t = this.timersStart();
    for (let k = 0; k < this.n; k++) {
      const count = s[t];
      if (this.isUp(s, k)) {
        for (let i = 0; i < count; i++) {
          const off = t + 1 + i * w;
          if (!this.bounded) c = put4(out, c, ACTION_TIMER, k, i, off);
          else {
            const deadline = s[off + 1];
            if (deadline <= this.clock(s)) {
              c = put4(out, c, ACTION_TIMER, k, i, off);
              dueNow = true;
            } else nextDeadline = Math.min(nextDeadline, deadline);
          }
        }
      }
      t += 1 + count * w;
    }
    if (this.bounded && !dueNow && Number.isFinite(nextDeadline)) c = put4(out, c, ACTION_TICK, 0, 0, 0);
    if (f.budgeted && this.budget(s) > 0) {
      for (let k = 0; k < this.n; k++) {
        const up = this.isUp(s, k);
        if (up && f.crash) c = put4(out, c, ACTION_CRASH, k, 0, 0);
        if (!up && f.restart) c = put4(out, c, ACTION_RESTART, k, 0, 0);
        if (up && f.update) for (let p = 0; p < this.patches[k].length; p++) c = put4(out, c, ACTION_UPDATE, k, p, 0);
        if (up && f.leave) c = put4(out, c, ACTION_LEAVE, k, 0, 0);
        if (up && f.skew && this.bounded) c = put4(out, c, ACTION_SKEW, k, 0, 0);
      }
      if (f.partition) {
        if (s[this.upAt + 3] === 0) for (let k = 0; k < this.n; k++) c = put4(out, c, ACTION_PARTITION, 1 << k, 0, 0);
        else c = put4(out, c, ACTION_HEAL, 0, 0, 0);
      }
    }
    return c;
  }

  // ---- applying an action ---------------------------------------------------------------------

  /**
   * The successors of `s` under `action`: one per open choice of the stepped node (usually one).
   * `info` is filled only when asked for (traces), so the hot path builds no records.
   */
  apply(s: Packed, action: Action, withInfo = false): { state: Packed; info?: StepInfo<M> }[] {
    if (!withInfo && action.kind === 'timer' && !this.bounded) {
      const fast = this.rearmingTimer(s, action.node, action.entry);
      if (fast) return fast;
    }
    const n = this.n;
    const w = this.width;
    const clock = this.clock(s);
    // Section offsets of this state: per-node timer sections, then the in-flight section.
    const tOff = this.sectionOffsets(s);
    const netAt = tOff[n];
    let stepped: { node: number; input: number } | null = null;
    let label = '';
    let actor: StepInfo<M>['actor'] = 'network';
    /** In-flight entry removed (delivered or lost), or duplicated; timer entry fired. */
    let removeNet = -1;
    let dupNet = -1;
    let firedNode = -1;
    let firedEntry = -1;
    let clearTimersOf = -1;
    const header = s.slice(0, this.timersStart());
    const budgetAt = 2 * n + 1;

    switch (action.kind) {
      case 'deliver':
      case 'drop': {
        removeNet = action.entry;
        const envId = s[netAt + 1 + action.entry * w];
        const e = this.envelopes.values[envId];
        if (action.kind === 'drop') {
          label = `lose ${this.ids[e.from]}→${this.ids[e.to]}`;
          if (this.options.maxLosses !== null) header[budgetAt] -= LOSS_UNIT;
        }
        else {
          label = withInfo ? `deliver ${this.ids[e.from]}→${this.ids[e.to]}` : '';
          // A message that reaches a crashed node is lost with it.
          if (this.isUp(s, e.to)) {
            stepped = { node: e.to, input: this.receiveInput(envId, this.now(s, e.to)) };
          }
        }
        break;
      }
      case 'dup':
        dupNet = action.entry;
        header[budgetAt] -= 1;
        label = 'duplicate a message';
        break;
      case 'timer': {
        firedNode = action.node;
        firedEntry = action.entry;
        const timerId = s[tOff[action.node] + 1 + action.entry * w];
        actor = this.ids[action.node];
        label = withInfo ? `timer ${this.timerNames.values[timerId]} fires` : '';
        stepped = { node: action.node, input: this.timerInput(timerId, this.now(s, action.node)) };
        break;
      }
      case 'tick': {
        let next = Number.POSITIVE_INFINITY;
        for (let i = 0; i < s[netAt]; i++) next = Math.min(next, s[netAt + 1 + i * w + 1]);
        for (let k = 0; k < n; k++) if (this.isUp(s, k)) for (let i = 0; i < s[tOff[k]]; i++) next = Math.min(next, s[tOff[k] + 1 + i * w + 1]);
        header[2 * n + 2] = next;
        actor = 'clock';
        label = `clock advances to ${next} ms`;
        break;
      }
      case 'crash':
        header[budgetAt] -= 1;
        header[2 * n] &= ~(1 << action.node);
        clearTimersOf = action.node;
        actor = this.ids[action.node];
        label = `${actor} crashes`;
        stepped = { node: action.node, input: this.environmentInput(`crash@${this.now(s, action.node)}`, () => ({ type: 'crash', now: this.now(s, action.node) })) };
        break;
      case 'restart':
        header[budgetAt] -= 1;
        header[2 * n] |= 1 << action.node;
        actor = this.ids[action.node];
        label = `${actor} restarts`;
        stepped = { node: action.node, input: this.environmentInput(`restart@${this.now(s, action.node)}`, () => ({ type: 'restart', now: this.now(s, action.node) })) };
        break;
      case 'update':
      case 'leave': {
        header[budgetAt] -= 1;
        const command: Command = action.kind === 'leave' ? { kind: 'leave' } : this.patches[action.node][action.patch];
        actor = this.ids[action.node];
        if (withInfo) label = action.kind === 'leave' ? `${actor} leaves` : `${actor} updates its NodeInfo ${canonicalJson(command.kind === 'update' ? command.patch : {})}`;
        stepped = { node: action.node, input: this.environmentInput(`${action.kind}:${action.node}:${action.kind === 'update' ? action.patch : 0}@${this.now(s, action.node)}`, () => ({ type: 'command', command, now: this.now(s, action.node) })) };
        break;
      }
      case 'skew':
        header[budgetAt] -= 1;
        header[2 * n + 4 + action.node] += 1000;
        actor = this.ids[action.node];
        label = `${actor}'s clock jumps 1 s ahead`;
        break;
      case 'partition':
        header[budgetAt] -= 1;
        header[2 * n + 3] = action.side;
        if (withInfo) label = `partition {${this.ids.filter((_, k) => (action.side >> k) & 1).join(',')}} from the rest`;
        break;
      case 'heal':
        header[budgetAt] -= 1;
        header[2 * n + 3] = 0;
        label = 'partition heals';
        break;
    }

    const plan: BuildPlan = { s, header, tOff, removeNet, dupNet, firedNode, firedEntry, clearTimersOf, clock };

    if (stepped === null) {
      const state = this.build(plan, null, -1);
      return [{ state, info: withInfo ? { actor, label, outputs: [], resolutions: [] } : undefined }];
    }
    const node = stepped.node;
    const inputs = this.expand(s[node], stepped.input);
    const results: { state: Packed; info?: StepInfo<M> }[] = [];
    for (const inputId of inputs) {
      const t = this.transition(node, s[node], inputId);
      const state = this.build(plan, t, node);
      let info: StepInfo<M> | undefined;
      if (withInfo) {
        const input = this.inputs.values[inputId];
        info = {
          actor: this.ids[node],
          label: label + (input.choice ? ` choosing ${input.choice.join(',')}` : ''),
          input,
          outputs: t.outputs,
          resolutions: t.resolutions.map((r) => ({ ...r, node: this.ids[node] })),
        };
      }
      if (t.resolutions.length > 0) this.lastResolutions.set(state, t.resolutions.map((r) => ({ ...r, node: this.ids[node] })));
      results.push({ state, info });
    }
    return results;
  }

  private build(plan: BuildPlan, t: Transition<M> | null, node: number): Packed {
    const { s, header, tOff, removeNet, dupNet, firedNode, firedEntry, clearTimersOf, clock } = plan;
    const n = this.n;
    const w = this.width;
    const netAt = tOff[n];
    if (t) {
      header[node] = t.next;
      header[n + node] = t.announced ? this.historyAfter(s[n + node], t) : s[n + node];
    }
    // The stepped node's timer section is rewritten; every other section is copied as is.
    let own: number[] | null = null;
    if (node >= 0) {
      own = [];
      if (clearTimersOf !== node) {
        const base = tOff[node];
        for (let i = 0; i < s[base]; i++) {
          if (node === firedNode && i === firedEntry) continue;
          for (let j = 0; j < w; j++) own.push(s[base + 1 + i * w + j]);
        }
        if (t) own = this.applyTimerOps(own, t.timerOps, clock);
        // A crashed node arms nothing, even if its crash step asked to.
      }
    } else if (firedNode >= 0 || clearTimersOf >= 0) own = [];
    const sends = t ? t.sends : [];
    const added = sends.length / 2;
    const oldNet = s[netAt];
    const netCount = oldNet - (removeNet >= 0 ? 1 : 0) + (dupNet >= 0 ? 1 : 0) + added;
    const ownNode = node >= 0 ? node : firedNode;
    const ownDelta = own && ownNode >= 0 ? own.length - s[tOff[ownNode]] * w : 0;
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
    // Merge the old entries (less the removed one, plus the duplicate) with the new sends, sorted.
    const pending: number[][] = [];
    for (let i = 0; i < sends.length; i += 2) pending.push(w === 2 ? [sends[i + 1], clock + this.options.maxDelayMs] : [sends[i + 1]]);
    if (dupNet >= 0) pending.push(w === 2 ? [s[netAt + 1 + dupNet * w], s[netAt + 2 + dupNet * w]] : [s[netAt + 1 + dupNet * w]]);
    if (this.ordered) {
      // New sends (and a duplicate copy) queue behind what their channel already carries.
      const entries: number[][] = [];
      for (let i = 0; i < oldNet; i++) if (i !== removeNet) entries.push(s.slice(netAt + 1 + i * w, netAt + 1 + (i + 1) * w));
      for (const e of this.sortNet([...entries, ...pending])) for (const x of e) out[o++] = x;
      return out;
    }
    pending.sort((a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0));
    let p = 0;
    for (let i = 0; i < oldNet; i++) {
      if (i === removeNet) continue;
      const at = netAt + 1 + i * w;
      while (p < pending.length && (pending[p][0] < s[at] || (pending[p][0] === s[at] && w === 2 && pending[p][1] < s[at + 1]))) {
        for (const x of pending[p++]) out[o++] = x;
      }
      for (let j = 0; j < w; j++) out[o++] = s[at + j];
    }
    while (p < pending.length) for (const x of pending[p++]) out[o++] = x;
    return out;
  }

  /**
   * The hot case of periodic protocols: under async timing a timer fires, the node re-arms that same
   * timer, sends nothing and announces nothing. The successor is the state with one local id changed,
   * so it is copied and patched without rebuilding any section.
   */
  private rearmingTimer(s: Packed, node: number, entry: number): { state: Packed }[] | null {
    if (s[2 * this.n + 4 + node] !== 0) return null;
    const next = this.rearmNext(s, node, this.timerSection(s, node) + 1 + entry * this.width);
    if (next < 0) return null;
    const out = s.slice();
    out[node] = next;
    return [{ state: out }];
  }

  /** rearmMemo[local id][timer id]: the local id a pure re-arm leads to, or -1 when the step does more. */
  private readonly rearmMemo: number[][] = [];

  /**
   * Under async timing, when the timer whose id is at word `off` fires at node `node`: the local id
   * the node moves to if the step only re-arms that same timer (no open choice, no send, no
   * announcement, no resolution), so the successor differs from s in that one word; else -1.
   * Only for a node whose clock is not skewed (its input's `now` is 0). Memoized.
   */
  rearmNext(s: Packed, node: number, off: number): number {
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
  rearmKnown(s: Packed, node: number, off: number): number {
    const row = this.rearmMemo[s[node]];
    if (row === undefined) return -2;
    const next = row[s[off]];
    return next === undefined ? -2 : next;
  }

  /** Offsets of each node's timer section, and of the in-flight section at index n. */
  private sectionOffsets(s: Packed): number[] {
    const offs = new Array<number>(this.n + 1);
    let o = this.timersStart();
    for (let k = 0; k < this.n; k++) {
      offs[k] = o;
      o += 1 + s[o] * this.width;
    }
    offs[this.n] = o;
    return offs;
  }

  /** Resolutions performed by the step that produced a state (kept only for states that resolved). */
  readonly lastResolutions = new WeakMap<Packed, readonly Resolution[]>();

  // ---- content fingerprints ---------------------------------------------------------------------

  /**
   * The fingerprint sums of s into out[0], out[1]: two independent 32-bit sums, one term per word.
   * Interned ids enter by the hash of their key, not their number, so the same state gets the same
   * sums in every worker thread whatever order it interned values in. Timers and in-flight messages
   * are sets (multisets) sorted by id, an order that differs between workers, so their terms do not
   * depend on their position (except the position within an ordered channel, which is content).
   * One term per word makes the sums incremental: a successor that changes one word is fingerprinted
   * by swapping that word's term (see `termA`, `termB`), the idea of Zobrist hashing.
   */
  sums(s: Packed, out: Int32Array): void {
    const n = this.n;
    const w = this.width;
    const lh = this.locals;
    const hh = this.histories;
    let a = 0;
    let b = 0;
    for (let k = 0; k < n; k++) {
      a = (a + mixA(k, lh.hashA[s[k]])) | 0;
      b = (b + mixB(k, lh.hashB[s[k]])) | 0;
      a = (a + mixA(n + k, hh.hashA[s[n + k]])) | 0;
      b = (b + mixB(n + k, hh.hashB[s[n + k]])) | 0;
    }
    const end = this.timersStart();
    for (let i = 2 * n; i < end; i++) {
      a = (a + mixA(i, s[i])) | 0;
      b = (b + mixB(i, s[i])) | 0;
    }
    const tn = this.timerNames;
    let o = end;
    for (let k = 0; k < n; k++) {
      const c = s[o];
      a = (a + mixA(TAG_TIMER_COUNT + k, c)) | 0;
      b = (b + mixB(TAG_TIMER_COUNT + k, c)) | 0;
      for (let i = 0; i < c; i++) {
        const at = o + 1 + i * w;
        const d = w === 2 ? fmix(s[at + 1] ^ 0x5bd1e995) : 0;
        a = (a + mixA(TAG_TIMER + k, tn.hashA[s[at]] ^ d)) | 0;
        b = (b + mixB(TAG_TIMER + k, tn.hashB[s[at]] ^ d)) | 0;
      }
      o += 1 + c * w;
    }
    const m = s[o];
    a = (a + mixA(TAG_NET_COUNT, m)) | 0;
    b = (b + mixB(TAG_NET_COUNT, m)) | 0;
    const ev = this.envelopes;
    let channel = -1;
    let pos = 0;
    for (let i = 0; i < m; i++) {
      const at = o + 1 + i * w;
      const env = s[at];
      let tag = TAG_NET;
      if (this.ordered) {
        const ch = this.channelOf(env);
        pos = ch === channel ? pos + 1 : 0;
        channel = ch;
        tag += pos;
      }
      const d = w === 2 ? fmix(s[at + 1] ^ 0x5bd1e995) : 0;
      a = (a + mixA(tag, ev.hashA[env] ^ d)) | 0;
      b = (b + mixB(tag, ev.hashB[env] ^ d)) | 0;
    }
    out[0] = a;
    out[1] = b;
  }

  /** The terms a node's local-state word adds to the sums (for swapping it incrementally). */
  localTermA(node: number, local: number): number {
    return mixA(node, this.locals.hashA[local]);
  }

  localTermB(node: number, local: number): number {
    return mixB(node, this.locals.hashB[local]);
  }

  /** The 64-bit fingerprint (two 32-bit halves in out) of a state's sums and length. */
  static finish(a: number, b: number, length: number, out: Uint32Array): void {
    const hi = fmix(a ^ Math.imul(length, 0x27d4eb2f));
    const lo = fmix(b + Math.imul(hi, 0x165667b1));
    out[0] = hi >>> 0 || 1; // (0, 0) marks an empty slot, and a shared table claims a slot by its first half
    out[1] = lo >>> 0 || 1;
  }

  /** The fingerprint of s, computed from scratch. */
  fingerprint(s: Packed, out: Uint32Array): void {
    this.sums(s, this.sumScratch);
    System.finish(this.sumScratch[0], this.sumScratch[1], s.length, out);
  }

  private readonly sumScratch = new Int32Array(2);

  // ---- handing states between worker threads ------------------------------------------------------

  private interner(kind: number): Interner<unknown> {
    return kind === ID_LOCAL ? this.locals : kind === ID_HISTORY ? this.histories : kind === ID_TIMER ? this.timerNames : this.envelopes;
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

  /** This System's id for a key another worker sent: interned, its value rebuilt from the key if new here. */
  adopt(kind: number, key: string): number {
    const known = this.interner(kind).lookup(key);
    if (known !== undefined) return known;
    switch (kind) {
      case ID_LOCAL: {
        const decode = this.behaviour.decode;
        if (!decode) throw new CheckerError(`${this.protocol.name}'s behaviour has no decode(), so worker threads cannot hand its states to one another; use --workers 1`);
        return this.locals.intern(key, decode.call(this.behaviour, key));
      }
      case ID_HISTORY:
        return this.histories.intern(key, JSON.parse(key) as Announcement[]);
      case ID_TIMER:
        return this.timerNames.intern(key, key);
      default: {
        const m = /^(\d+)>(\d+):/.exec(key);
        if (!m) throw new Error(`internal: malformed envelope key ${key.slice(0, 40)}`);
        return this.internEnvelope(Number(m[1]), Number(m[2]), JSON.parse(key.slice(m[0].length)) as M);
      }
    }
  }

  /**
   * A state another worker sent (words[from, from + len), in its ids), in this System's ids: each id
   * mapped through map[kind], then timers and messages re-sorted, since their order follows ids.
   */
  importState(words: ArrayLike<number>, from: number, len: number, map: readonly (readonly number[])[]): Packed {
    const n = this.n;
    const w = this.width;
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
    let o = this.timersStart();
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
    for (const e of this.sortNet(net)) for (const x of e) s[p++] = x;
    return s;
  }

  // ---- observing --------------------------------------------------------------------------------

  observe(s: Packed): Observation {
    const n = this.n;
    const views: Record<NodeId, View> = {};
    const up: Record<NodeId, boolean> = {};
    const announced: Record<NodeId, readonly Announcement[]> = {};
    for (let k = 0; k < n; k++) {
      const id = this.ids[k];
      views[id] = this.view(s[k]);
      up[id] = this.isUp(s, k);
      announced[id] = this.histories.values[s[n + k]];
    }
    const part = s[2 * n + 3];
    return {
      views,
      up,
      announced,
      canReach: part === 0 ? undefined : (a, b) => this.canReach(s, this.indexOf.get(a) ?? 0, this.indexOf.get(b) ?? 0),
      resolutions: this.lastResolutions.get(s) ?? [],
    };
  }

  private readonly scratchObs: { views: Record<NodeId, View>; up: Record<NodeId, boolean>; announced: Record<NodeId, readonly Announcement[]>; canReach?: (a: NodeId, b: NodeId) => boolean; resolutions: readonly Resolution[] }[] = [];
  /** Per scratch Observation: the local and history ids, up mask and partition it was last filled from. */
  private readonly scratchFrom: Int32Array[] = [];
  /** canReach per partition mask (it reads nothing else), made once each. */
  private readonly reachByPartition = new Map<number, (a: NodeId, b: NodeId) => boolean>();

  /**
   * Like `observe`, but fills one of two reused Observations (slot 0 or 1) instead of building one:
   * for property checks on the hot path, where the Observation is read and dropped. The slot is
   * overwritten by the next call with the same slot, so nothing may keep it. Only what differs from
   * the state it was filled from last is rewritten: successive checks are of sibling states, which
   * differ in a node or two.
   */
  observeReused(s: Packed, slot: 0 | 1): Observation {
    const n = this.n;
    let obs = this.scratchObs[slot];
    let from = this.scratchFrom[slot];
    if (obs === undefined) {
      obs = { views: {}, up: {}, announced: {}, canReach: undefined, resolutions: [] };
      this.scratchObs[slot] = obs;
      // -1 matches no id or mask, so the first call fills everything.
      from = this.scratchFrom[slot] = new Int32Array(2 * n + 2).fill(-1);
    }
    const ids = this.ids;
    for (let k = 0; k < n; k++) {
      if (from[k] !== s[k]) {
        from[k] = s[k];
        obs.views[ids[k]] = this.view(s[k]);
      }
      if (from[n + k] !== s[n + k]) {
        from[n + k] = s[n + k];
        obs.announced[ids[k]] = this.histories.values[s[n + k]];
      }
    }
    const upMask = s[2 * n];
    if (from[2 * n] !== upMask) {
      from[2 * n] = upMask;
      for (let k = 0; k < n; k++) obs.up[ids[k]] = ((upMask >> k) & 1) === 1;
    }
    const part = s[2 * n + 3];
    if (from[2 * n + 1] !== part) {
      from[2 * n + 1] = part;
      obs.canReach = part === 0 ? undefined : this.reachIn(part);
    }
    obs.resolutions = this.lastResolutions.get(s) ?? NO_RESOLUTIONS;
    return obs;
  }

  private reachIn(part: number): (a: NodeId, b: NodeId) => boolean {
    let f = this.reachByPartition.get(part);
    if (f === undefined) {
      f = (a, b) => {
        const i = this.indexOf.get(a) ?? 0;
        const j = this.indexOf.get(b) ?? 0;
        return ((part >> i) & 1) === ((part >> j) & 1);
      };
      this.reachByPartition.set(part, f);
    }
    return f;
  }

  /** The timer-name id of a node's i-th armed timer. */
  timerIdAt(s: Packed, node: number, entry: number): number {
    return s[this.timerSection(s, node) + 1 + entry * this.width];
  }

  /** Messages in flight, for traces. */
  inFlight(s: Packed): { from: NodeId; to: NodeId; message: M }[] {
    const at = this.netStart(s);
    const out: { from: NodeId; to: NodeId; message: M }[] = [];
    for (let i = 0; i < s[at]; i++) {
      const e = this.envelopes.values[s[at + 1 + i * this.width]];
      out.push({ from: this.ids[e.from], to: this.ids[e.to], message: e.message });
    }
    return out;
  }

  /** Armed timers per node, for traces. */
  armedTimers(s: Packed): Record<NodeId, string[]> {
    const out: Record<NodeId, string[]> = {};
    for (let k = 0; k < this.n; k++) {
      const t = this.timerSection(s, k);
      out[this.ids[k]] = Array.from({ length: s[t] }, (_, i) => this.timerNames.values[s[t + 1 + i * this.width]]);
    }
    return out;
  }

  /** No more budgeted faults can happen: what `eventually` properties wait for. Loss is not budgeted. */
  faultsOver(s: Packed): boolean {
    return this.budget(s) === 0 || [...this.faults].every((f) => f === 'loss');
  }
}
