/**
 * The state behind `alice explore`: a counterexample rebuilt on its model, and every state the user
 * opens from it. The trace's states are re-executed with the checker's replay (so a trace the model
 * does not allow is refused, naming the step), and the successors of any state are the checker's own
 * `System.actions` and `System.apply`: what the page offers is exactly what the checker explores.
 *
 * A state is known by a number. The trace's states are 0..k in order; a successor gets the next free
 * number when its parent's successors are first asked for, except the one that is the trace's own
 * next state, which keeps that state's number. A state reached along two paths has two numbers: what
 * a property sees can depend on the step that produced it (resolutions, the step itself).
 */
import { AliceError } from '../../spec/errors.js';
import type { NodeId } from '../../spec/node.js';
import type { Observation, Property, Temporal, Violation } from '../../spec/properties.js';
import type { ProtocolDefinition } from '../../spec/protocol.js';
import type { View } from '../../spec/view.js';
import { type Action, ModelStepError, aboutMembership, System, type Trace, TraceMismatchError, checkGuarded, checkOptions, faultModelText, isDeadlock, isFair, replayStates } from '../../checker/index.js';

type AnyProtocol = ProtocolDefinition<unknown, unknown, unknown>;
type AnySystem = System<unknown, unknown, unknown>;
type Packed = AnySystem['initial'];

/** One step as the page shows it: who acted, what happened, the node's input and outputs. */
export interface StepRecord {
  readonly actor: string;
  readonly label: string;
  readonly input: unknown;
  readonly outputs: readonly unknown[];
}

export interface NodeReport {
  readonly id: NodeId;
  readonly up: boolean;
  /** Its local state differs from the state before (false in the initial state). */
  readonly changed: boolean;
  /** The local state as the behaviour encodes it (parsed when the encoding is JSON). */
  readonly state: unknown;
  readonly view: View;
  readonly timers: readonly { readonly timer: string; readonly deadline?: number }[];
  /** Bounded timing: how far the node's clock runs ahead of the global one (a skew fault), ms. */
  readonly skewMs?: number;
}

export interface MessageReport {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: unknown;
  /** Bounded timing: the clock reading by which it must arrive. */
  readonly deadline?: number;
}

export type PropertyStatus = 'holds' | 'violated' | 'reached' | 'not-reached' | 'true-now' | 'false-now';

export interface PropertyReport {
  readonly name: string;
  readonly temporal: Temporal;
  readonly status: PropertyStatus;
  readonly detail?: string;
  /** The property the trace refutes. */
  readonly failed: boolean;
}

/** What a state with no enabled step is: a deadlock, where the model means to end, or every node down. */
export type EndKind = 'deadlock' | 'final' | 'all-down';

export interface StateReport {
  readonly id: number;
  readonly parent: number | null;
  /** Transitions from the initial state along the path that opened it. */
  readonly depth: number;
  /** Its index in the trace, when it is one of the trace's states. */
  readonly traceIndex: number | null;
  /** When it is not the trace's, but holds the same content as trace state k: k. */
  readonly sameAsTrace: number | null;
  /** The step that led here (null for the initial state). */
  readonly via: StepRecord | null;
  readonly nodes: readonly NodeReport[];
  readonly inFlight: readonly MessageReport[];
  readonly environment: {
    readonly clock?: number;
    /** The two sides of a partition, when one is in force. */
    readonly partition?: readonly (readonly NodeId[])[];
    readonly faultBudgetLeft: number;
    /** Messages that may still be lost (null: any number; absent: loss is not a fault here). */
    readonly lossesLeft?: number | null;
  };
  readonly properties: readonly PropertyReport[];
  /** Set when no step is enabled. */
  readonly end: EndKind | null;
}

export type SuccessorReport =
  | (StepRecord & { readonly kind: 'step'; readonly id: number; readonly fair: boolean; readonly onTrace: boolean })
  /** An enabled step on which the model throws: what a modelStep violation is. */
  | { readonly kind: 'error'; readonly label: string; readonly error: string };

export interface TraceSummary {
  readonly protocol: string;
  readonly model?: string;
  readonly property: string;
  readonly temporal: Temporal;
  readonly violation: Violation;
  /** The options line, as `alice check` prints it. */
  readonly setting: string;
  readonly nodes: readonly NodeId[];
  /**
   * Whether the model's Views say anything: some node of the trace knows a member besides itself.
   * A model that is not about membership has only its own record in each View, and the page leads
   * with the local states instead.
   */
  readonly membership: boolean;
  readonly steps: readonly { readonly index: number; readonly id: number; readonly actor: string; readonly action: string }[];
  /** For an `eventually` trace: the state the fair suffix starts from. */
  readonly suffixFrom?: number;
}

interface Opened {
  readonly state: Packed;
  readonly parent: number | null;
  readonly via: StepRecord | null;
  readonly depth: number;
  readonly traceIndex: number | null;
  successors?: SuccessorReport[];
}

/**
 * How many states a session keeps by default. Every state opened stays addressable (the page links to
 * it by number), so without a cap a user who keeps branching grows the process without bound; 100,000
 * packed states of the built-in models are tens of MB, far more than anyone clicks through by hand.
 */
export const DEFAULT_MAX_OPENED = 100_000;

/** Opening more successors would pass the session's cap on states. */
export class ExplorerFullError extends AliceError {
  constructor(readonly maxOpened: number) {
    super(
      'EXPLORER_FULL',
      `the explorer holds ${maxOpened.toLocaleString('en-US')} states, its cap: restart \`alice explore\` to start over, or pass --max-opened <n> for a larger cap`,
    );
  }
}

export interface SessionOptions {
  /** The most states the session keeps (trace states included); default DEFAULT_MAX_OPENED. */
  readonly maxOpened?: number;
}

const sameWords = (a: Packed, b: Packed): boolean => a.length === b.length && a.every((w, i) => w === b[i]);

export class ExplorerSession {
  readonly system: AnySystem;
  private readonly opened: Opened[] = [];
  /** Trace state index by content, to say when a path off the trace comes back to one of its states. */
  private readonly traceByContent = new Map<string, number>();
  private readonly properties: readonly Property[];
  readonly maxOpened: number;

  constructor(
    readonly protocol: AnyProtocol,
    readonly trace: Trace,
    options: SessionOptions = {},
  ) {
    this.maxOpened = options.maxOpened ?? DEFAULT_MAX_OPENED;
    if (!Number.isInteger(this.maxOpened) || this.maxOpened < 1) throw new AliceError('USAGE', `the explorer's cap on states must be a whole number ≥ 1, got ${this.maxOpened}`);
    if (trace.protocol !== protocol.name) {
      throw new TraceMismatchError(0, `the trace is of protocol '${trace.protocol}', not '${protocol.name}'`);
    }
    // Every property of the model is shown, not only the ones the check was asked about.
    this.system = new System(protocol, checkOptions({ ...trace.options, properties: [] }));
    this.properties = this.system.properties;
    const states = replayStates(this.system, trace);
    if (states.length > this.maxOpened) throw new ExplorerFullError(this.maxOpened);
    states.forEach((state, i) => {
      const traceIndex = i;
      const step = trace.steps[i];
      this.opened.push({
        state,
        parent: i === 0 ? null : i - 1,
        via: i === 0 ? null : { actor: step.actor, label: step.action, input: step.input, outputs: step.outputs },
        depth: i,
        traceIndex,
      });
      if (!this.traceByContent.has(state.join(','))) this.traceByContent.set(state.join(','), i);
    });
  }

  /** How many trace states there are (ids 0..length-1). */
  get traceLength(): number {
    return this.trace.steps.length;
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.opened.length;
  }

  summary(): TraceSummary {
    const t = this.trace;
    const o = this.system.options;
    return {
      protocol: t.protocol,
      ...(t.model !== undefined ? { model: t.model } : {}),
      property: t.property,
      temporal: t.temporal,
      violation: t.violation,
      setting: `${this.system.n} nodes, ${o.timing} timing, ${faultModelText(o)}, ${o.ordered ? 'FIFO' : 'unordered'} channels, seed ${o.seed}`,
      nodes: this.system.ids,
      membership: aboutMembership(t.steps),
      steps: t.steps.map((s, index) => ({ index, id: index, actor: s.actor, action: s.action })),
      ...(t.suffixFrom !== undefined ? { suffixFrom: t.suffixFrom } : {}),
    };
  }

  /** The state numbered `id`; it must be one `has` knows. */
  state(id: number): StateReport {
    const rec = this.get(id);
    const sys = this.system;
    const s = rec.state;
    const obs = sys.observe(s);
    const parent = rec.parent === null ? null : this.opened[rec.parent];
    const before = parent === null ? undefined : sys.observe(parent.state);
    const L = sys.layout;
    const bounded = sys.width === 2;
    const timers = sys.armedTimers(s);
    const nodes = sys.ids.map((nodeId, k): NodeReport => {
      const t = L.timerSection(s, k);
      return {
        id: nodeId,
        up: obs.up[nodeId],
        changed: parent !== null && parent.state[k] !== s[k],
        state: this.localState(s[k]),
        view: obs.views[nodeId],
        timers: timers[nodeId].map((timer, i) => (bounded ? { timer, deadline: s[t + 2 + i * 2] } : { timer })),
        ...(bounded && L.skew(s, k) !== 0 ? { skewMs: L.skew(s, k) } : {}),
      };
    });
    const at = L.netStart(s);
    const inFlight = sys.inFlight(s).map((m, i): MessageReport => ({ ...m, ...(bounded ? { deadline: s[at + 2 + i * 2] } : {}) }));
    const end = this.hasSuccessor(id) ? null : !Object.values(obs.up).some(Boolean) ? 'all-down' : isDeadlock(this.protocol, obs) ? 'deadlock' : 'final';
    const sameAsTrace = rec.traceIndex === null ? (this.traceByContent.get(s.join(',')) ?? null) : null;
    return {
      id,
      parent: rec.parent,
      depth: rec.depth,
      traceIndex: rec.traceIndex,
      sameAsTrace,
      via: rec.via,
      nodes,
      inFlight,
      environment: {
        ...(obs.clock !== undefined ? { clock: obs.clock } : {}),
        ...(obs.canReach !== undefined ? { partition: this.sides(obs) } : {}),
        faultBudgetLeft: L.budget(s),
        ...(sys.options.faults.includes('loss') ? { lossesLeft: sys.options.maxLosses === null ? null : L.lossesLeft(s) } : {}),
      },
      properties: this.judge(obs, before),
      end,
    };
  }

  /** The steps enabled in state `id`, each with the number of the state it leads to. */
  successors(id: number): readonly SuccessorReport[] {
    const rec = this.get(id);
    if (rec.successors) return rec.successors;
    const sys = this.system;
    const next = rec.traceIndex !== null && rec.traceIndex + 1 < this.traceLength ? rec.traceIndex + 1 : -1;
    let nextClaimed = false;
    const out: SuccessorReport[] = [];
    const fresh: Opened[] = [];
    for (const action of sys.actions(rec.state)) {
      let results: ReturnType<AnySystem['apply']>;
      try {
        results = sys.apply(rec.state, action, true);
      } catch (e) {
        if (!(e instanceof ModelStepError)) throw e;
        out.push({ kind: 'error', label: this.actionText(rec.state, action), error: e.message });
        continue;
      }
      for (const r of results) {
        const info = r.info!;
        const step: StepRecord = { actor: String(info.actor), label: info.label, input: info.input ?? null, outputs: info.outputs };
        // The trace's own next state keeps its number (and the instance replay made, with its step's resolutions).
        const onTrace = next >= 0 && !nextClaimed && sameWords(r.state, this.opened[next].state) && this.sameStep(step, next);
        let childId: number;
        if (onTrace) {
          nextClaimed = true;
          childId = next;
        } else {
          childId = this.opened.length + fresh.length;
          fresh.push({ state: r.state, parent: id, via: step, depth: rec.depth + 1, traceIndex: null });
        }
        out.push({ kind: 'step', id: childId, ...step, fair: isFair(action), onTrace });
      }
    }
    // All of a state's successors or none: a half-opened list would give ids the page cannot follow.
    if (this.opened.length + fresh.length > this.maxOpened) throw new ExplorerFullError(this.maxOpened);
    this.opened.push(...fresh);
    rec.successors = out;
    return out;
  }

  /** Whether `id` has a successor; when the cap stops its successors opening, whether a step is enabled. */
  private hasSuccessor(id: number): boolean {
    try {
      return this.successors(id).length > 0;
    } catch (e) {
      if (!(e instanceof ExplorerFullError)) throw e;
      return this.system.actions(this.get(id).state).length > 0;
    }
  }

  private get(id: number): Opened {
    if (!this.has(id)) throw new RangeError(`no state ${id}`);
    return this.opened[id];
  }

  private sameStep(step: StepRecord, traceIndex: number): boolean {
    const want = this.trace.steps[traceIndex];
    return step.actor === want.actor && step.label === want.action;
  }

  private localState(localId: number): unknown {
    const text = this.protocol.behaviour.encode(this.system.locals.values[localId]);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  /** Nodes grouped by who can reach whom: the cut-off side first. */
  private sides(obs: Observation): NodeId[][] {
    const ids = this.system.ids;
    const reach = obs.canReach!;
    const withFirst = ids.filter((id) => reach(ids[0], id));
    const rest = ids.filter((id) => !reach(ids[0], id));
    return rest.length === 0 ? [withFirst] : [withFirst, rest];
  }

  private judge(obs: Observation, before: Observation | undefined): PropertyReport[] {
    const failedName = this.trace.property;
    const out = this.properties.map((p): PropertyReport => {
      const v = checkGuarded(p, obs, before);
      const failed = p.name === failedName;
      switch (p.temporal) {
        case 'always':
          return v === null ? { name: p.name, temporal: p.temporal, status: 'holds', failed } : { name: p.name, temporal: p.temporal, status: 'violated', detail: v.detail, failed };
        case 'sometimes':
          return { name: p.name, temporal: p.temporal, status: v === null ? 'reached' : 'not-reached', failed };
        case 'eventually':
          return v === null ? { name: p.name, temporal: p.temporal, status: 'true-now', failed } : { name: p.name, temporal: p.temporal, status: 'false-now', detail: v.detail, failed };
      }
    });
    // The failed property first, so the page leads with it.
    return [...out.filter((p) => p.failed), ...out.filter((p) => !p.failed)];
  }

  /** Words for an action whose step threw (no StepInfo to take the label from). */
  private actionText(s: Packed, action: Action): string {
    const sys = this.system;
    switch (action.kind) {
      case 'deliver':
      case 'drop':
      case 'dup': {
        const m = sys.inFlight(s)[action.entry];
        return `${action.kind} ${m.from}→${m.to}`;
      }
      case 'timer':
        return `timer ${sys.armedTimers(s)[sys.ids[action.node]][action.entry]} of ${sys.ids[action.node]} fires`;
      case 'tick':
      case 'heal':
        return action.kind;
      case 'partition':
        return `partition ${action.side}`;
      default:
        return `${sys.ids[action.node]} ${action.kind}`;
    }
  }
}
