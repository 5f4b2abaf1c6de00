/**
 * A System: N node models behind the step contract, the messages in flight, the armed timers and
 * the fault state, explored as one state machine. This class assembles the checker's rooms and is
 * what the explorer, replay and tests talk to:
 *   semantics.ts    which actions are enabled and what each does (start here)
 *   actions.ts      the action vocabulary (ActionKind, Action)
 *   layout.ts       the packed encoding of a global state
 *   local-steps.ts  interning and the memoized local steps of the node models
 *   zobrist.ts      incremental content fingerprints
 *   symmetry.ts     orbit representatives under node permutations
 *   observe.ts      what properties and traces see of a state
 *   handoff.ts      moving states between worker threads
 */
import type { NodeId } from '../spec/node.js';
import type { Observation, Property, Resolution } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { View } from '../spec/view.js';
import type { Action } from './actions.js';
import { StateHandoff } from './handoff.js';
import { type Packed, PackedLayout } from './layout.js';
import { LocalSteps } from './local-steps.js';
import { type LastStep, Observer } from './observe.js';
import { type CheckOptions, CheckerError } from './options.js';
import { Semantics, type StepInfo } from './semantics.js';
import { MAX_SYMMETRIC_NODES, NodeSymmetry } from './symmetry.js';
import { Zobrist, finishFingerprint } from './zobrist.js';

export { ActionKind, decodeAction, isFair, type Action } from './actions.js';
export { ID_ENVELOPE, ID_HISTORY, ID_LOCAL, ID_TIMER } from './handoff.js';
export type { Packed } from './layout.js';
export type { StepInfo } from './semantics.js';

export class System<S, M, Cfg = unknown> {
  readonly n: number;
  readonly ids: readonly NodeId[];
  readonly width: 1 | 2;
  readonly bounded: boolean;
  readonly properties: readonly Property[];
  readonly initial: Packed;
  readonly layout: PackedLayout;
  readonly steps: LocalSteps<S, M, Cfg>;
  readonly locals: LocalSteps<S, M, Cfg>['locals'];
  /** Local transitions computed (memo misses) and looked up (hits + misses). */
  readonly stats: LocalSteps<S, M, Cfg>['stats'];
  /** Resolutions performed by the step that produced a state (kept only for states that resolved). */
  readonly lastResolutions = new WeakMap<Packed, readonly Resolution[]>();
  /** The node step that produced a state, kept only when a property reads it (`needs.step`). */
  readonly lastSteps = new WeakMap<Packed, LastStep>();
  private readonly indexOf = new Map<NodeId, number>();
  private readonly semantics: Semantics<S, M, Cfg>;
  private readonly zobrist: Zobrist;
  private readonly symmetry: NodeSymmetry<S, M, Cfg> | null = null;
  private readonly observer: Observer<S, M, Cfg>;
  private readonly handoff: StateHandoff<S, M, Cfg>;

  constructor(
    readonly protocol: ProtocolDefinition<S, M, Cfg>,
    readonly options: CheckOptions,
  ) {
    const setups = protocol.cluster(options.nodes, { now: 0, seed: options.seed });
    this.n = setups.length;
    if (this.n > 30) throw new CheckerError(`a System packs node sets into 31-bit masks; ${this.n} nodes is too many`);
    this.ids = setups.map((s) => s.id);
    this.ids.forEach((id, i) => this.indexOf.set(id, i));
    this.bounded = options.timing === 'bounded';
    this.width = this.bounded ? 2 : 1;
    this.layout = new PackedLayout(this.n, this.width, options.ordered, options.maxDelayMs);
    this.steps = new LocalSteps(protocol.behaviour, this.ids, this.indexOf, this.layout);
    this.locals = this.steps.locals;
    this.stats = this.steps.stats;
    this.zobrist = new Zobrist(this.layout, this.steps);
    const wanted = options.properties;
    for (const name of wanted) {
      if (!protocol.properties.some((p) => p.name === name)) {
        throw new CheckerError(`unknown property '${name}' for ${protocol.name}; known: ${protocol.properties.map((p) => p.name).join(', ')}`);
      }
    }
    this.properties = wanted.length > 0 ? protocol.properties.filter((p) => wanted.includes(p.name)) : protocol.properties;
    // Under symmetry a state is replaced by its orbit representative, whose ids the recorded step
    // would not match: a property that needs the step sees none there (and holds vacuously).
    const recordSteps = !options.symmetry && this.properties.some((p) => p.needs?.step);
    this.observer = new Observer(this.layout, this.steps, this.ids, this.indexOf, this.lastResolutions, this.lastSteps,
      this.properties.some((p) => p.needs?.timers),
      this.properties.some((p) => p.needs?.messages),
    );
    this.handoff = new StateHandoff(this.layout, this.steps, protocol.name);
    this.semantics = new Semantics(protocol, options, this.layout, this.steps, this.ids, this.lastResolutions, recordSteps ? this.lastSteps : null);
    if (options.symmetry) {
      if (!protocol.symmetry) {
        throw new CheckerError(`${protocol.name} declares no symmetry: its nodes are not interchangeable (roles, addresses or ids differ), so --symmetry would be unsound`);
      }
      if (this.n > MAX_SYMMETRIC_NODES) throw new CheckerError(`--symmetry tries every permutation of the nodes; use it with at most ${MAX_SYMMETRIC_NODES} nodes, not ${this.n}`);
      this.symmetry = new NodeSymmetry(this.layout, this.steps, this.ids, protocol.symmetry, this.lastResolutions);
    }
    this.initial = this.canonical(this.semantics.initialState(setups));
  }

  // ---- the semantics: see semantics.ts --------------------------------------------------------

  /** Every action enabled in `s`, in a fixed order (traces name successors by their position). */
  actions(s: Packed): Action[] {
    return this.semantics.actions(s);
  }

  /** The enabled actions as numbers, four per action (see Semantics.actionCodes). */
  actionCodes(s: Packed, out: number[]): number {
    return this.semantics.actionCodes(s, out);
  }

  /** The successors of `s` under `action` (see Semantics.apply). */
  apply(s: Packed, action: Action, withInfo = false): { state: Packed; info?: StepInfo<M> }[] {
    return this.semantics.apply(s, action, withInfo);
  }

  /** No more budgeted faults can happen: what `eventually` properties wait for. */
  faultsOver(s: Packed): boolean {
    return this.semantics.faultsOver(s);
  }

  /** See LocalSteps.rearmNext: the local id a pure re-arm of the timer at word `off` leads to, or -1. */
  rearmNext(s: Packed, node: number, off: number): number {
    return this.steps.rearmNext(s, node, off);
  }

  /** See LocalSteps.rearmKnown. */
  rearmKnown(s: Packed, node: number, off: number): number {
    return this.steps.rearmKnown(s, node, off);
  }

  // ---- symmetry -------------------------------------------------------------------------------

  get symmetric(): boolean {
    return this.symmetry !== null;
  }

  /**
   * The orbit representative of s under node permutations and the orbit's size (the states it
   * stands for). Identity when symmetry is off.
   */
  canonicalWithOrbit(s: Packed): { state: Packed; orbit: number } {
    return this.symmetry === null ? { state: s, orbit: 1 } : this.symmetry.canonicalWithOrbit(s);
  }

  canonical(s: Packed): Packed {
    return this.symmetry === null ? s : this.symmetry.canonicalWithOrbit(s).state;
  }

  // ---- fingerprints, hand-off, observation: see their rooms -------------------------------------

  sums(s: Packed, out: Int32Array): void {
    this.zobrist.sums(s, out);
  }

  /** The sums of c, a successor of p whose sums are (pa, pb): see Zobrist.sumsFrom. */
  sumsFrom(p: Packed, pa: number, pb: number, c: Packed, out: Int32Array): void {
    this.zobrist.sumsFrom(p, pa, pb, c, out);
  }

  localTermA(node: number, local: number): number {
    return this.zobrist.localTermA(node, local);
  }

  localTermB(node: number, local: number): number {
    return this.zobrist.localTermB(node, local);
  }

  static finish(a: number, b: number, length: number, out: Uint32Array): void {
    finishFingerprint(a, b, length, out);
  }

  fingerprint(s: Packed, out: Uint32Array): void {
    this.zobrist.fingerprint(s, out);
  }

  describeSince(from: number[]): (number | string)[] {
    return this.handoff.describeSince(from);
  }

  adopt(kind: number, key: string): number {
    return this.handoff.adopt(kind, key);
  }

  importState(words: ArrayLike<number>, from: number, len: number, map: readonly (readonly number[])[]): Packed {
    return this.handoff.importState(words, from, len, map);
  }

  view(localId: number): View {
    return this.steps.view(localId);
  }

  observe(s: Packed): Observation {
    return this.observer.observe(s);
  }

  observeReused(s: Packed, slot: 0 | 1): Observation {
    return this.observer.observeReused(s, slot);
  }

  /** See Observer.keyOf (PropertyMemo's key). */
  observationKey(s: Packed, out: Int32Array): boolean {
    return this.observer.keyOf(s, out);
  }

  get observationKeyWidth(): number {
    return this.observer.keyWidth;
  }

  timerIdAt(s: Packed, node: number, entry: number): number {
    return this.observer.timerIdAt(s, node, entry);
  }

  inFlight(s: Packed): { from: NodeId; to: NodeId; message: M }[] {
    return this.observer.inFlight(s);
  }

  armedTimers(s: Packed): Record<NodeId, string[]> {
    return this.observer.armedTimers(s);
  }

  isUp(s: Packed, node: number): boolean {
    return this.layout.isUp(s, node);
  }
}

