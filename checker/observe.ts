/**
 * What properties and traces see of a packed state: each node's View and local state, who is up, the
 * announcement histories, reachability under a partition, the resolutions of the last step; for
 * properties that declare them and for traces, the messages in flight and armed timers.
 */
import type { NodeId } from '../spec/node.js';
import type { Announcement, ArmedTimer, InFlightMessage, Observation, Resolution } from '../spec/properties.js';
import type { Input } from '../spec/step.js';
import type { View } from '../spec/view.js';
import type { Packed, PackedLayout } from './layout.js';
import type { LocalSteps } from './local-steps.js';

/** Shared by every Observation of a state that resolved nothing. */
const NO_RESOLUTIONS: readonly Resolution[] = Object.freeze([]);

interface MutableObservation {
  views: Record<NodeId, View>;
  up: Record<NodeId, boolean>;
  announced: Record<NodeId, readonly Announcement[]>;
  states: Record<NodeId, unknown>;
  canReach?: (a: NodeId, b: NodeId) => boolean;
  resolutions: readonly Resolution[];
  step?: LastStep;
  clock?: number;
  timers?: (node: NodeId) => readonly ArmedTimer[];
  messages?: readonly InFlightMessage[];
}

/** The node step that produced a state (recorded by Semantics.apply for properties that need it). */
export interface LastStep {
  readonly node: NodeId;
  readonly input: Input<unknown>;
}

export class Observer<S, M, Cfg> {
  private readonly scratchObs: MutableObservation[] = [];
  /** Per scratch Observation: the local and history ids, up mask and partition it was last filled from. */
  private readonly scratchFrom: Int32Array[] = [];
  /** canReach per partition mask (it reads nothing else), made once each. */
  private readonly reachByPartition = new Map<number, (a: NodeId, b: NodeId) => boolean>();

  constructor(
    private readonly layout: PackedLayout,
    private readonly steps: LocalSteps<S, M, Cfg>,
    private readonly ids: readonly NodeId[],
    private readonly indexOf: ReadonlyMap<NodeId, number>,
    private readonly lastResolutions: WeakMap<Packed, readonly Resolution[]>,
    private readonly lastSteps: WeakMap<Packed, LastStep>,
    /** Whether a property reads timers: only then is the (allocating) accessor made. */
    private readonly withTimers: boolean,
    /** Whether a property reads the messages in flight: only then are they listed (an array per state). */
    private readonly withMessages: boolean,
  ) {}

  /** The state each reused slot was last filled from, read by that slot's timers accessor. */
  private readonly slotState: Packed[] = [];

  /** A node's armed timers in `s`, with deadlines under bounded timing. */
  timersOf(s: Packed, id: NodeId): ArmedTimer[] {
    const L = this.layout;
    const t = L.timerSection(s, this.indexOf.get(id) ?? 0);
    const out: ArmedTimer[] = [];
    for (let i = 0; i < s[t]; i++) {
      const timer = this.steps.timerNames.values[s[t + 1 + i * L.width]];
      out.push(L.width === 2 ? { timer, deadline: s[t + 2 + i * L.width] } : { timer });
    }
    return out;
  }

  /** The clock, step and timers fields, which only some checks fill. */
  private extras(s: Packed): Pick<MutableObservation, 'step' | 'clock'> {
    return { step: this.lastSteps.get(s), clock: this.layout.width === 2 ? this.layout.clock(s) : undefined };
  }

  observe(s: Packed): Observation {
    const L = this.layout;
    const n = L.n;
    const views: Record<NodeId, View> = {};
    const up: Record<NodeId, boolean> = {};
    const announced: Record<NodeId, readonly Announcement[]> = {};
    const states: Record<NodeId, unknown> = {};
    for (let k = 0; k < n; k++) {
      const id = this.ids[k];
      views[id] = this.steps.view(s[k]);
      states[id] = this.steps.locals.values[s[k]];
      up[id] = L.isUp(s, k);
      announced[id] = this.steps.histories.values[s[n + k]];
    }
    const part = s[L.partitionAt];
    return {
      views,
      up,
      announced,
      states,
      canReach: part === 0 ? undefined : (a, b) => L.canReach(s, this.indexOf.get(a) ?? 0, this.indexOf.get(b) ?? 0),
      resolutions: this.lastResolutions.get(s) ?? [],
      ...this.extras(s),
      ...(this.withTimers ? { timers: (id: NodeId) => this.timersOf(s, id) } : {}),
      ...(this.withMessages ? { messages: this.inFlight(s) } : {}),
    };
  }

  /**
   * Like `observe`, but fills one of two reused Observations (slot 0 or 1) instead of building one:
   * for property checks on the hot path, where the Observation is read and dropped. The slot is
   * overwritten by the next call with the same slot, so nothing may keep it. Only what differs from
   * the state it was filled from last is rewritten: successive checks are of sibling states, which
   * differ in a node or two.
   */
  observeReused(s: Packed, slot: 0 | 1): Observation {
    const L = this.layout;
    const n = L.n;
    let obs = this.scratchObs[slot];
    let from = this.scratchFrom[slot];
    if (obs === undefined) {
      obs = { views: {}, up: {}, announced: {}, states: {}, canReach: undefined, resolutions: [] };
      this.scratchObs[slot] = obs;
      // -1 matches no id or mask, so the first call fills everything.
      from = this.scratchFrom[slot] = new Int32Array(2 * n + 2).fill(-1);
    }
    const ids = this.ids;
    for (let k = 0; k < n; k++) {
      if (from[k] !== s[k]) {
        from[k] = s[k];
        obs.views[ids[k]] = this.steps.view(s[k]);
        obs.states[ids[k]] = this.steps.locals.values[s[k]];
      }
      if (from[n + k] !== s[n + k]) {
        from[n + k] = s[n + k];
        obs.announced[ids[k]] = this.steps.histories.values[s[n + k]];
      }
    }
    const upMask = s[L.upAt];
    if (from[2 * n] !== upMask) {
      from[2 * n] = upMask;
      for (let k = 0; k < n; k++) obs.up[ids[k]] = ((upMask >> k) & 1) === 1;
    }
    const part = s[L.partitionAt];
    if (from[2 * n + 1] !== part) {
      from[2 * n + 1] = part;
      obs.canReach = part === 0 ? undefined : this.reachIn(part);
    }
    obs.resolutions = this.lastResolutions.get(s) ?? NO_RESOLUTIONS;
    obs.step = this.lastSteps.get(s);
    obs.clock = this.layout.width === 2 ? this.layout.clock(s) : undefined;
    if (this.withTimers) {
      this.slotState[slot] = s;
      obs.timers ??= (id: NodeId) => this.timersOf(this.slotState[slot], id);
    }
    if (this.withMessages) obs.messages = this.inFlight(s);
    return obs;
  }

  /** Words of PropertyMemo's key: local and history id of each node, up mask, partition, clock. */
  get keyWidth(): number {
    return 2 * this.layout.n + 3;
  }

  /**
   * The words that fix what a property sees of `s` when it reads neither the step, the timers nor
   * the messages (see PropertyMemo), into `out`; false when `s` also carries resolutions, which
   * such a property may read but no key word holds.
   */
  keyOf(s: Packed, out: Int32Array): boolean {
    if (this.lastResolutions.has(s)) return false;
    const L = this.layout;
    const m = 2 * L.n;
    for (let i = 0; i < m; i++) out[i] = s[i];
    out[m] = s[L.upAt];
    out[m + 1] = s[L.partitionAt];
    out[m + 2] = L.width === 2 ? L.clock(s) : 0;
    return true;
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
    return s[this.layout.timerSection(s, node) + 1 + entry * this.layout.width];
  }

  /** Messages in flight, in the packed order (see Observation.messages), for traces and properties. */
  inFlight(s: Packed): InFlightMessage<M>[] {
    const at = this.layout.netStart(s);
    const out: InFlightMessage<M>[] = [];
    for (let i = 0; i < s[at]; i++) {
      const e = this.steps.envelopes.values[s[at + 1 + i * this.layout.width]];
      out.push({ from: this.ids[e.from], to: this.ids[e.to], message: e.message });
    }
    return out;
  }

  /** Armed timers per node, for traces. */
  armedTimers(s: Packed): Record<NodeId, string[]> {
    const out: Record<NodeId, string[]> = {};
    for (let k = 0; k < this.layout.n; k++) {
      const t = this.layout.timerSection(s, k);
      out[this.ids[k]] = Array.from({ length: s[t] }, (_, i) => this.steps.timerNames.values[s[t + 1 + i * this.layout.width]]);
    }
    return out;
  }
}
