/**
 * The checker's semantics: which actions are enabled in a global state (`actionCodes`) and what
 * each one does (`apply`). The encoding these read and write is layout.ts's; the node steps they
 * take are memoized by local-steps.ts.
 *
 * The semantics, in words:
 * - Network: any message in flight may be delivered (on an ordered channel only the oldest, and
 *   not across a partition); a message to a crashed node is lost with it. With `loss` any message
 *   may be dropped; with `dup` (budgeted) duplicated.
 * - Timers: under async timing any armed timer of a live node may fire at any time. Under bounded
 *   timing a timer fires only once the clock reaches its deadline, messages are due within
 *   maxDelayMs, and the clock ticks to the next deadline only when nothing is due now.
 * - Faults (each costs one unit of the fault budget): crash, restart, update (an operator patch of
 *   NodeInfo), leave, skew (a node's clock jumps 1 s ahead, bounded timing only), partition (one
 *   node cut off from the rest) and heal. A crashed node loses its timers and arms none.
 */
import type { NodeId } from '../spec/node.js';
import type { Resolution } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { Command, Input, NodeSetup, Output } from '../spec/step.js';
import { canonicalJson } from '../spec/canonical.js';
import { type Action, ActionKind, decodeAction, putAction } from './actions.js';
import type { BuildPlan, Packed, PackedLayout } from './layout.js';
import { LOSS_UNIT } from './layout.js';
import type { LocalSteps } from './local-steps.js';
import type { LastStep } from './observe.js';
import type { CheckOptions, FaultKind } from './options.js';

/** What one applied action did, for traces and step properties. */
export interface StepInfo<M> {
  readonly actor: NodeId | 'network' | 'clock';
  readonly label: string;
  readonly input?: Input<M>;
  readonly outputs: readonly Output<M>[];
  readonly resolutions: readonly Resolution[];
}

/** How far a skew fault moves a node's clock ahead. */
const SKEW_MS = 1000;

const NO_SENDS: readonly number[] = Object.freeze([]);

export class Semantics<S, M, Cfg> {
  private readonly n: number;
  private readonly width: 1 | 2;
  private readonly bounded: boolean;
  private readonly ordered: boolean;
  private readonly faults: ReadonlySet<FaultKind>;
  /** The fault kinds as flags, read per state by actionCodes (a Set lookup each would cost more). */
  private readonly faultFlags: Readonly<Record<'loss' | 'dup' | 'crash' | 'restart' | 'update' | 'leave' | 'skew' | 'partition' | 'budgeted', boolean>>;
  /** The operator's patches per node (the protocol's `updates`), as commands. */
  private readonly patches: readonly (readonly Command[])[];
  private readonly codeScratch: number[] = [];
  /** Reused by apply: the successor's header and the parent's section offsets (apply never nests). */
  private readonly headerScratch: number[] = [];
  private readonly offsetScratch: number[] = [];
  /** Environment inputs at clock 0 (the async case), by action: their text keys cost a string each. */
  private readonly envAt0 = new Map<number, number>();

  constructor(
    private readonly protocol: ProtocolDefinition<S, M, Cfg>,
    private readonly options: CheckOptions,
    private readonly layout: PackedLayout,
    private readonly steps: LocalSteps<S, M, Cfg>,
    private readonly ids: readonly NodeId[],
    /** Where `apply` records the resolutions of the step that produced a state. */
    private readonly lastResolutions: WeakMap<Packed, readonly Resolution[]>,
    /** Where `apply` records the node step behind each state, when a property reads it (else null: nothing is kept). */
    private readonly lastSteps: WeakMap<Packed, LastStep> | null = null,
  ) {
    this.n = layout.n;
    this.width = layout.width;
    this.bounded = options.timing === 'bounded';
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
    this.patches = ids.map((id) => (protocol.updates?.(id) ?? []).map((patch): Command => ({ kind: 'update', patch })));
  }

  // ---- the initial state ----------------------------------------------------------------------

  /** Every node after its init step, all up, the full fault budget, the init steps' sends in flight. */
  initialState(setups: readonly NodeSetup<Cfg>[]): Packed {
    const n = this.n;
    const L = this.layout;
    const header = new Array<number>(L.timersStart).fill(0);
    const timers: number[][] = [];
    const net: number[][] = [];
    header[L.upAt] = (1 << n) - 1;
    header[L.budgetAt] = this.options.faultBudget + LOSS_UNIT * (this.options.maxLosses ?? 0);
    for (let k = 0; k < n; k++) {
      const r = this.protocol.behaviour.init(setups[k]);
      const t = this.steps.compile(k, r.state, r.outputs);
      header[k] = t.next;
      header[n + k] = this.steps.internHistory(t.announced ? [t.announced] : []);
      timers.push(L.applyTimerOps([], t.timerOps, 0));
      for (let i = 0; i < t.sends.length; i += 2) net.push(this.bounded ? [t.sends[i + 1], this.options.maxDelayMs] : [t.sends[i + 1]]);
    }
    return L.pack(header, timers, net);
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

  /**
   * The enabled actions as numbers, four per action: kind (an ActionKind), a, b (what the Action
   * object's fields hold: entry, node, patch or side), and the word offset of the entry an action
   * acts on (deliveries and timers). The explorer's hot loop reads these instead of building an
   * object per successor. Same order as `actions`. Returns the number of actions written.
   */
  actionCodes(s: Packed, out: number[]): number {
    const L = this.layout;
    let c = 0;
    const w = this.width;
    const netAt = L.netStart(s);
    const m = s[netAt];
    const f = this.faultFlags;
    const loss = f.loss && (this.options.maxLosses === null || L.lossesLeft(s) > 0);
    const dup = f.dup && L.budget(s) > 0;
    const clock = L.clock(s);
    let dueNow = false;
    // Messages in flight.
    for (let i = 0; i < m; i++) {
      const off = netAt + 1 + i * w;
      // Equal entries are one choice: delivering either copy gives the same state.
      if (i > 0 && s[off] === s[off - w] && (w === 1 || s[off + 1] === s[off - w + 1])) continue;
      const env = s[off];
      // On an ordered channel only its oldest message may arrive next.
      const headOfChannel = !this.ordered || i === 0 || L.channelOf(s[off - w]) !== L.channelOf(env);
      if (headOfChannel && L.canReach(s, L.envelopeFrom[env], L.envelopeTo[env])) c = putAction(out, c, ActionKind.Deliver, i, 0, off);
      if (loss) c = putAction(out, c, ActionKind.Drop, i, 0, off);
      if (dup) c = putAction(out, c, ActionKind.Dup, i, 0, off);
      if (w === 2 && s[off + 1] <= clock) dueNow = true;
    }
    let nextDeadline = Number.POSITIVE_INFINITY;
    if (w === 2) for (let i = 0; i < m; i++) nextDeadline = Math.min(nextDeadline, s[netAt + 2 + i * w]);
    // Timers of live nodes: any, under async timing; those due, under bounded timing.
    let t = L.timersStart;
    for (let k = 0; k < this.n; k++) {
      const count = s[t];
      if (L.isUp(s, k)) {
        for (let i = 0; i < count; i++) {
          const off = t + 1 + i * w;
          if (!this.bounded) c = putAction(out, c, ActionKind.Timer, k, i, off);
          else {
            const deadline = s[off + 1];
            if (deadline <= clock) {
              c = putAction(out, c, ActionKind.Timer, k, i, off);
              dueNow = true;
            } else nextDeadline = Math.min(nextDeadline, deadline);
          }
        }
      }
      t += 1 + count * w;
    }
    // Bounded timing: time passes only when nothing is due now.
    if (this.bounded && !dueNow && Number.isFinite(nextDeadline)) c = putAction(out, c, ActionKind.Tick, 0, 0, 0);
    // Budgeted faults.
    if (f.budgeted && L.budget(s) > 0) {
      for (let k = 0; k < this.n; k++) {
        const up = L.isUp(s, k);
        if (up && f.crash) c = putAction(out, c, ActionKind.Crash, k, 0, 0);
        if (!up && f.restart) c = putAction(out, c, ActionKind.Restart, k, 0, 0);
        if (up && f.update) for (let p = 0; p < this.patches[k].length; p++) c = putAction(out, c, ActionKind.Update, k, p, 0);
        if (up && f.leave) c = putAction(out, c, ActionKind.Leave, k, 0, 0);
        if (up && f.skew && this.bounded) c = putAction(out, c, ActionKind.Skew, k, 0, 0);
      }
      if (f.partition) {
        if (s[L.partitionAt] === 0) for (let k = 0; k < this.n; k++) c = putAction(out, c, ActionKind.Partition, 1 << k, 0, 0);
        else c = putAction(out, c, ActionKind.Heal, 0, 0, 0);
      }
    }
    return c;
  }

  /** No more budgeted faults can happen: what `eventually` properties wait for. Loss is not budgeted. */
  faultsOver(s: Packed): boolean {
    return this.layout.budget(s) === 0 || [...this.faults].every((f) => f === 'loss');
  }

  // ---- applying an action ---------------------------------------------------------------------

  /** A node's local clock: the global clock (bounded timing) plus its skew. */
  private now(s: Packed, node: number): number {
    return (this.bounded ? this.layout.clock(s) : 0) + this.layout.skew(s, node);
  }

  /**
   * The successors of `s` under `action`: one per open choice of the stepped node (usually one).
   * `info` is filled only when asked for (traces), so the hot path builds no records.
   */
  apply(s: Packed, action: Action, withInfo = false): { state: Packed; info?: StepInfo<M> }[] {
    if (!withInfo && action.kind === 'timer' && !this.bounded) {
      const fast = this.rearmingTimer(s, action.node, action.entry);
      if (fast) return fast;
    }
    const L = this.layout;
    const steps = this.steps;
    const n = this.n;
    const w = this.width;
    const tOff = L.sectionOffsetsInto(s, this.offsetScratch);
    const netAt = tOff[n];
    let steppedNode = -1;
    let steppedInput = -1;
    let label = '';
    let actor: StepInfo<M>['actor'] = 'network';
    let removeNet = -1;
    let dupNet = -1;
    let firedNode = -1;
    let firedEntry = -1;
    let clearTimersOf = -1;
    const header = this.headerScratch;
    const hl = L.timersStart;
    header.length = hl;
    for (let i = 0; i < hl; i++) header[i] = s[i];
    // Every fault spends one unit of the budget.
    const budgetAt = L.budgetAt;

    switch (action.kind) {
      case 'deliver':
      case 'drop': {
        removeNet = action.entry;
        const envId = s[netAt + 1 + action.entry * w];
        const e = steps.envelopes.values[envId];
        if (action.kind === 'drop') {
          if (withInfo) label = `lose ${this.ids[e.from]}→${this.ids[e.to]}`;
          if (this.options.maxLosses !== null) header[budgetAt] -= LOSS_UNIT;
        } else {
          label = withInfo ? `deliver ${this.ids[e.from]}→${this.ids[e.to]}` : '';
          // A message that reaches a crashed node is lost with it.
          if (L.isUp(s, e.to)) {
            steppedNode = e.to;
            steppedInput = steps.receiveInput(envId, this.now(s, e.to));
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
        label = withInfo ? `timer ${steps.timerNames.values[timerId]} fires` : '';
        steppedNode = action.node;
        steppedInput = steps.timerInput(timerId, this.now(s, action.node));
        break;
      }
      case 'tick': {
        // The clock jumps to the earliest deadline of a message or a live node's timer.
        let next = Number.POSITIVE_INFINITY;
        for (let i = 0; i < s[netAt]; i++) next = Math.min(next, s[netAt + 1 + i * w + 1]);
        for (let k = 0; k < n; k++) if (L.isUp(s, k)) for (let i = 0; i < s[tOff[k]]; i++) next = Math.min(next, s[tOff[k] + 1 + i * w + 1]);
        header[L.clockAt] = next;
        actor = 'clock';
        label = `clock advances to ${next} ms`;
        break;
      }
      case 'crash': {
        header[budgetAt] -= 1;
        header[L.upAt] &= ~(1 << action.node);
        clearTimersOf = action.node;
        actor = this.ids[action.node];
        if (withInfo) label = `${actor} crashes`;
        const now = this.now(s, action.node);
        steppedNode = action.node;
        steppedInput = this.environment(0, 0, 0, now, () => `crash@${now}`, () => ({ type: 'crash', now }));
        break;
      }
      case 'restart': {
        header[budgetAt] -= 1;
        header[L.upAt] |= 1 << action.node;
        actor = this.ids[action.node];
        if (withInfo) label = `${actor} restarts`;
        const now = this.now(s, action.node);
        steppedNode = action.node;
        steppedInput = this.environment(1, 0, 0, now, () => `restart@${now}`, () => ({ type: 'restart', now }));
        break;
      }
      case 'update':
      case 'leave': {
        header[budgetAt] -= 1;
        const command: Command = action.kind === 'leave' ? { kind: 'leave' } : this.patches[action.node][action.patch];
        actor = this.ids[action.node];
        if (withInfo) label = action.kind === 'leave' ? `${actor} leaves` : `${actor} updates its NodeInfo ${canonicalJson(command.kind === 'update' ? command.patch : {})}`;
        const now = this.now(s, action.node);
        const patch = action.kind === 'update' ? action.patch : 0;
        steppedNode = action.node;
        steppedInput = this.environment(action.kind === 'leave' ? 2 : 3, action.node, patch, now, () => `${action.kind}:${action.node}:${patch}@${now}`, () => ({ type: 'command', command, now }));
        break;
      }
      case 'skew':
        header[budgetAt] -= 1;
        header[L.skewAt + action.node] += SKEW_MS;
        actor = this.ids[action.node];
        if (withInfo) label = `${actor}'s clock jumps 1 s ahead`;
        break;
      case 'partition':
        header[budgetAt] -= 1;
        header[L.partitionAt] = action.side;
        if (withInfo) label = `partition {${this.ids.filter((_, k) => (action.side >> k) & 1).join(',')}} from the rest`;
        break;
      case 'heal':
        header[budgetAt] -= 1;
        header[L.partitionAt] = 0;
        label = 'partition heals';
        break;
    }

    const plan: BuildPlan = { s, header, tOff, removeNet, dupNet, firedNode, firedEntry, clearTimersOf, clock: L.clock(s) };
    if (steppedNode < 0) {
      const state = L.assemble(plan, -1, NO_SENDS, null);
      return [{ state, info: withInfo ? { actor, label, outputs: [], resolutions: [] } : undefined }];
    }
    const node = steppedNode;
    const inputs = steps.expand(s[node], steppedInput);
    const results: { state: Packed; info?: StepInfo<M> }[] = [];
    for (const inputId of inputs) {
      const t = steps.transition(node, s[node], inputId);
      header[node] = t.next;
      header[n + node] = t.announced ? steps.historyAfter(s[n + node], t) : s[n + node];
      const state = L.assemble(plan, node, t.sends, t.timerOps);
      let info: StepInfo<M> | undefined;
      if (withInfo) {
        const input = steps.inputs.values[inputId];
        info = {
          actor: this.ids[node],
          label: label + (input.choice ? ` choosing ${input.choice.join(',')}` : ''),
          input,
          outputs: t.outputs,
          resolutions: t.resolutions.map((r) => ({ ...r, node: this.ids[node] })),
        };
      }
      if (t.resolutions.length > 0) this.lastResolutions.set(state, t.resolutions.map((r) => ({ ...r, node: this.ids[node] })));
      if (this.lastSteps) this.lastSteps.set(state, { node: this.ids[node], input: steps.inputs.values[inputId] as Input<unknown> });
      results.push({ state, info });
    }
    return results;
  }

  /**
   * The input id of a crash (kind 0), restart (1), leave (2) or update (3) at `now`: at clock 0, the
   * async case, found by number; else by its text key (LocalSteps.environmentInput).
   */
  private environment(kind: number, node: number, patch: number, now: number, key: () => string, make: () => Input<M>): number {
    if (now !== 0) return this.steps.environmentInput(key(), make);
    const k = (patch * 32 + node) * 4 + kind;
    let id = this.envAt0.get(k);
    if (id === undefined) {
      id = this.steps.environmentInput(key(), make);
      this.envAt0.set(k, id);
    }
    return id;
  }

  /**
   * The hot case of periodic protocols: under async timing a timer fires, the node re-arms that same
   * timer, sends nothing and announces nothing. The successor is the state with one local id changed,
   * so it is copied and patched without rebuilding any section.
   */
  private rearmingTimer(s: Packed, node: number, entry: number): { state: Packed }[] | null {
    if (this.layout.skew(s, node) !== 0) return null;
    const next = this.steps.rearmNext(s, node, this.layout.timerSection(s, node) + 1 + entry * this.width);
    if (next < 0) return null;
    const out = s.slice();
    out[node] = next;
    return [{ state: out }];
  }
}
