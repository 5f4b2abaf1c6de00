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
import { Interner } from './intern.js';
import { type CheckOptions, CheckerError, type FaultKind } from './options.js';
import { renameJson } from '../spec/canonical.js';

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

  budget(s: Packed): number {
    return s[this.upAt + 1];
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

  private internInput(input: Input<M>): number {
    return this.inputs.intern(canonicalJson(input), input);
  }

  /** Input ids of timer firings and deliveries by (timer or envelope id, now): the hot path builds no text. */
  private readonly timerInputIds = new Map<number, Map<number, number>>();
  private readonly receiveInputIds = new Map<number, Map<number, number>>();

  private timerInput(timerId: number, now: number): number {
    let byNow = this.timerInputIds.get(timerId);
    if (!byNow) this.timerInputIds.set(timerId, (byNow = new Map()));
    let id = byNow.get(now);
    if (id === undefined) {
      id = this.internInput({ type: 'timer', timer: this.timerNames.values[timerId], now });
      byNow.set(now, id);
    }
    return id;
  }

  private receiveInput(envelopeId: number, now: number): number {
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
    return { next: this.internLocal(state), outputs, sends, timerOps, announced, resolutions, choice };
  }

  // ---- building states ------------------------------------------------------------------------

  private makeInitial(): Packed {
    const n = this.n;
    const header = new Array<number>(3 * n + 4).fill(0);
    const timers: number[][] = [];
    const net: number[][] = [];
    header[2 * n] = (1 << n) - 1;
    header[2 * n + 1] = this.options.faultBudget;
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
    const out: Action[] = [];
    const w = this.width;
    const netAt = this.netStart(s);
    const m = s[netAt];
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
      if (headOfChannel && this.canReach(s, from, to)) out.push({ kind: 'deliver', entry: i });
      if (this.faults.has('loss')) out.push({ kind: 'drop', entry: i });
      if (this.faults.has('dup') && this.budget(s) > 0) out.push({ kind: 'dup', entry: i });
      if (w === 2 && s[off + 1] <= this.clock(s)) dueNow = true;
    }
    let nextDeadline = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) nextDeadline = Math.min(nextDeadline, w === 2 ? s[netAt + 1 + i * w + 1] : nextDeadline);
    for (let k = 0; k < this.n; k++) {
      if (!this.isUp(s, k)) continue;
      const t = this.timerSection(s, k);
      for (let i = 0; i < s[t]; i++) {
        if (!this.bounded) out.push({ kind: 'timer', node: k, entry: i });
        else {
          const deadline = s[t + 1 + i * 2 + 1];
          if (deadline <= this.clock(s)) {
            out.push({ kind: 'timer', node: k, entry: i });
            dueNow = true;
          } else nextDeadline = Math.min(nextDeadline, deadline);
        }
      }
    }
    if (this.bounded && !dueNow && Number.isFinite(nextDeadline)) out.push({ kind: 'tick' });
    if (this.budget(s) > 0) this.faultActions(s, out);
    return out;
  }

  private faultActions(s: Packed, out: Action[]): void {
    const f = this.faults;
    for (let k = 0; k < this.n; k++) {
      const up = this.isUp(s, k);
      if (up && f.has('crash')) out.push({ kind: 'crash', node: k });
      if (!up && f.has('restart')) out.push({ kind: 'restart', node: k });
      if (up && f.has('update')) for (let p = 0; p < this.patches[k].length; p++) out.push({ kind: 'update', node: k, patch: p });
      if (up && f.has('leave')) out.push({ kind: 'leave', node: k });
      if (up && f.has('skew') && this.bounded) out.push({ kind: 'skew', node: k });
    }
    if (f.has('partition')) {
      if (s[this.upAt + 3] === 0) for (let k = 0; k < this.n; k++) out.push({ kind: 'partition', side: 1 << k });
      else out.push({ kind: 'heal' });
    }
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
        if (action.kind === 'drop') label = `lose ${this.ids[e.from]}→${this.ids[e.to]}`;
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
        stepped = { node: action.node, input: this.internInput({ type: 'crash', now: this.now(s, action.node) }) };
        break;
      case 'restart':
        header[budgetAt] -= 1;
        header[2 * n] |= 1 << action.node;
        actor = this.ids[action.node];
        label = `${actor} restarts`;
        stepped = { node: action.node, input: this.internInput({ type: 'restart', now: this.now(s, action.node) }) };
        break;
      case 'update':
      case 'leave': {
        header[budgetAt] -= 1;
        const command: Command = action.kind === 'leave' ? { kind: 'leave' } : this.patches[action.node][action.patch];
        actor = this.ids[action.node];
        label = action.kind === 'leave' ? `${actor} leaves` : `${actor} updates its NodeInfo ${canonicalJson(command.kind === 'update' ? command.patch : {})}`;
        stepped = { node: action.node, input: this.internInput({ type: 'command', command, now: this.now(s, action.node) }) };
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
        label = `partition {${this.ids.filter((_, k) => (action.side >> k) & 1).join(',')}} from the rest`;
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
      if (t.announced) {
        const history = [...this.histories.values[s[n + node]], t.announced];
        header[n + node] = this.histories.intern(canonicalJson(history), history);
      } else header[n + node] = s[n + node];
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
    const timerId = this.timerIdAt(s, node, entry);
    const inputs = this.expand(s[node], this.timerInput(timerId, s[2 * this.n + 4 + node]));
    if (inputs.length !== 1) return null;
    const t = this.transition(node, s[node], inputs[0]);
    const ops = t.timerOps;
    if (t.sends.length !== 0 || t.announced !== null || t.resolutions.length !== 0 || ops.length !== 3 || ops[0] !== 1 || ops[1] !== timerId) return null;
    const out = s.slice();
    out[node] = t.next;
    return [{ state: out }];
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
