/**
 * The explorer: breadth-first (shortest counterexamples), depth-first, and seeded random walks over a
 * System, checking the protocol's properties:
 *  - always: on every reached state (with the state before it, for step properties);
 *  - sometimes: reported unreached if no explored state satisfies it (the model is probably wrong);
 *  - eventually: from every reached state where the fault budget is spent, a fair run (deliveries
 *    first, timers in turn, the clock under bounded timing) must make it true within a bound; a
 *    violation is the path to that state plus the fair suffix along which it never holds.
 * Visited states are 64-bit fingerprints; a BFS/DFS state also keeps its parent's index and its
 * position among the parent's successors and its depth (8 bytes), from which a trace is rebuilt by re-execution.
 */
import type { Observation, Property, Violation } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { FingerprintSet, RecentFingerprints } from './fingerprint.js';
import { EXPANSION_BATCH, Expansion, RECENT_BITS } from './expansion.js';
import { Frontier } from './frontier.js';
import { Rng } from '../spec/prng.js';
import { type CheckOptions, CheckerError, RANDOM_WALK_DEPTH, optionsFor } from './options.js';
import { type Coverage, type StopReason, type Verdict, assumptionsOf, coverage, unmetAssumption } from './verdicts.js';
import { DEADLOCK, deadlockDetail, deadlockProperty, isDeadlock } from './deadlock.js';
import { type Action, ActionKind, type Packed, type StepInfo, System, decodeAction, isFair } from './system.js';
import { MODEL_STEP_PROPERTY, ModelStepError, checkGuarded } from './model-error.js';

/** The fair scheduler's memory: the (node, timer) fired last, and per (node, timer) the choice taken last. */
interface Turn {
  readonly last: number;
  readonly picks: ReadonlyMap<number, number>;
}
const FIRST_TURN: Turn = { last: -1, picks: new Map() };
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
import type { Trace, TraceStep } from './trace.js';

export interface Progress {
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  readonly queue: number;
  readonly seconds: number;
}

export type { Verdict } from './verdicts.js';

export interface CheckStats {
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  readonly seconds: number;
  readonly distinctPerSec: number;
  readonly generatedPerSec: number;
  /** Fingerprint table bytes per visited state (the visited set). */
  readonly bytesPerState: number;
  /** Parent index and successor position kept for trace rebuilding, per state. */
  readonly traceBytesPerState: number;
  readonly heapMB: number;
  /** Why exploration stopped: 'exhausted' (every reachable state within maxDepth), or the bound that cut it. */
  readonly stoppedBy: StopReason;
  /** States reached but not expanded when the search stopped. */
  readonly frontier?: number;
  readonly localStates: number;
  /** With --symmetry: the states the visited orbit representatives stand for, and the reduction factor. */
  readonly symmetry?: { readonly represented: number; readonly factor: number };
  readonly localTransitions: number;
  readonly memoHitRate: number;
  /** Worker threads that explored (absent: one, the calling thread). */
  readonly workers?: number;
}

export interface CheckResult {
  readonly protocol: string;
  readonly options: CheckOptions;
  readonly verdicts: readonly Verdict[];
  readonly stats: CheckStats;
  /** What the search covered: whether every verdict is final, each bound hit, the fault model. */
  readonly coverage: Coverage;
}

/**
 * The verdict of every property from what a search found. A violation outside the property's
 * assumptions carries the unmet one (`expected`); nothing is "holds" unless the search was exhaustive.
 */
export function verdictsOf<S, M, Cfg>(
  protocol: ProtocolDefinition<S, M, Cfg>,
  properties: readonly Property[],
  o: CheckOptions,
  exhausted: boolean,
  found: { readonly violations: ReadonlyMap<string, Trace>; readonly inconclusive: ReadonlyMap<string, Trace>; readonly reached: ReadonlySet<string> },
): Verdict[] {
  const proto = protocol as unknown as ProtocolDefinition<unknown, unknown>;
  return properties.map((p): Verdict => {
    const base = { property: p.name, temporal: p.temporal, meaning: p.meaning };
    if (p.temporal === 'sometimes') return { ...base, status: found.reached.has(p.name) ? 'reached' : 'unreached' };
    const trace = found.violations.get(p.name);
    if (trace) {
      const unmet = unmetAssumption(assumptionsOf(proto, p), o, proto.features);
      return unmet === null ? { ...base, status: 'violated', trace } : { ...base, status: 'violated', expected: unmet, trace };
    }
    const open = found.inconclusive.get(p.name);
    if (open) return { ...base, status: 'inconclusive', trace: open };
    return { ...base, status: exhausted ? 'holds' : 'no-violation-found' };
  });
}

export interface CheckHooks {
  readonly onProgress?: (p: Progress) => void;
  /** How often onProgress is called, ms. */
  readonly progressEveryMs?: number;
}

/** A path as the positions of each successor among its parent's successors. */
type Path = number[];

/** Trace records per chunk of the trace index (a power of two: an index splits by shift and mask). */
const TRACE_CHUNK_BITS = 16;
const TRACE_CHUNK = 1 << TRACE_CHUNK_BITS;

/**
 * Per visited state (BFS/DFS): its parent's index, its position among the parent's successors, and
 * its depth, 8 bytes, in fixed-size chunks: growing never copies, and never holds two copies at once.
 */
class TraceIndex {
  private readonly parents: Int32Array[] = [];
  private readonly ordinals: Uint16Array[] = [];
  private readonly depths: Uint16Array[] = [];
  size = 0;

  push(parent: number, ordinal: number, depth: number): number {
    const i = this.size & (TRACE_CHUNK - 1);
    if (i === 0) {
      this.parents.push(new Int32Array(TRACE_CHUNK));
      this.ordinals.push(new Uint16Array(TRACE_CHUNK));
      this.depths.push(new Uint16Array(TRACE_CHUNK));
    }
    const c = this.size >>> TRACE_CHUNK_BITS;
    this.parents[c][i] = parent;
    this.ordinals[c][i] = ordinal;
    this.depths[c][i] = depth;
    return this.size++;
  }

  depth(index: number): number {
    return this.depths[index >>> TRACE_CHUNK_BITS][index & (TRACE_CHUNK - 1)];
  }

  get bytes(): number {
    return this.parents.length * TRACE_CHUNK * 8;
  }

  path(index: number): Path {
    const out: number[] = [];
    for (let i = index; i > 0; i = this.parents[i >>> TRACE_CHUNK_BITS][i & (TRACE_CHUNK - 1)]) out.push(this.ordinals[i >>> TRACE_CHUNK_BITS][i & (TRACE_CHUNK - 1)]);
    return out.reverse();
  }
}

export class Checker<S, M, Cfg> {
  readonly system: System<S, M, Cfg>;
  readonly options: CheckOptions;
  private readonly always: Property[];
  private readonly sometimes: Property[];
  private readonly eventually: Property[];
  readonly violations = new Map<string, Trace>();
  /** Eventually-properties whose fair run ran out of its bound without holding (no lasso, no stuck end). */
  readonly inconclusive = new Map<string, Trace>();
  readonly reached = new Set<string>();
  private readonly converged = new FingerprintSet(1 << 12);
  /** Action codes of the state a fair run is at (see fairStep). */
  private readonly fairCodes: number[] = [];
  private readonly fp = new Uint32Array(2);
  /** Where the words read by FingerprintSet.touch go, so that the reads are not optimized away. */
  private sink = 0;
  readonly needsBefore: boolean;

  constructor(
    readonly protocol: ProtocolDefinition<S, M, Cfg>,
    options: Partial<CheckOptions> = {},
    private readonly hooks: CheckHooks = {},
  ) {
    this.options = optionsFor(protocol as unknown as ProtocolDefinition<unknown, unknown>, options);
    this.system = new System(protocol, this.options);
    this.always = this.system.properties.filter((p) => p.temporal === 'always');
    this.sometimes = this.system.properties.filter((p) => p.temporal === 'sometimes');
    this.eventually = this.system.properties.filter((p) => p.temporal === 'eventually');
    // Step properties read the state before: only then is that Observation built.
    this.needsBefore = this.always.some((p) => p.check.length >= 2);
    this.deadlockOn = this.options.deadlock && this.options.strategy !== 'random';
    if (this.deadlockOn && this.system.properties.some((p) => p.name === DEADLOCK)) {
      throw new CheckerError(`${protocol.name} has a property named '${DEADLOCK}', the name of the checker's deadlock verdict: rename it, or pass --no-deadlock`);
    }
  }

  /** Deadlock detection (checker/deadlock.ts) runs in this search. */
  private readonly deadlockOn: boolean;

  /** The one hook of deadlock detection: a state the search expanded has no enabled step. */
  private onNoSuccessor(state: Packed, path: () => Path): void {
    if (!this.deadlockOn || this.violations.has(DEADLOCK)) return;
    const obs = this.system.observe(state);
    if (isDeadlock(this.protocol as unknown as ProtocolDefinition<unknown, unknown>, obs)) this.record(deadlockProperty, { property: DEADLOCK, detail: deadlockDetail(obs) }, path());
  }

  // ---- successors, by position ----------------------------------------------------------------

  /** Every successor of s, in the fixed order traces refer to. */
  private successors(s: Packed): { state: Packed; action: Action }[] {
    const out: { state: Packed; action: Action }[] = [];
    for (const action of this.system.actions(s)) for (const r of this.system.apply(s, action)) out.push({ state: this.system.canonical(r.state), action });
    return out;
  }

  private fingerprintOf(s: Packed): [number, number] {
    this.system.fingerprint(s, this.fp);
    return [this.fp[0], this.fp[1]];
  }

  // ---- properties ---------------------------------------------------------------------------

  /**
   * Checks always/sometimes on a new state; returns the violations not seen before, or null when
   * there are none (the common case, which allocates nothing).
   */
  private judge(state: Packed, before: Observation | undefined): { property: Property; violation: Violation }[] | null {
    if (this.always.length === 0 && this.sometimes.length === 0) return null;
    const obs = this.system.observeReused(state, 0);
    let found: { property: Property; violation: Violation }[] | null = null;
    for (const p of this.always) {
      if (this.violations.has(p.name)) continue;
      const v = checkGuarded(p, obs, before);
      if (v) (found ??= []).push({ property: p, violation: v });
    }
    for (const p of this.sometimes) if (!this.reached.has(p.name) && checkGuarded(p, obs) === null) this.reached.add(p.name);
    return found;
  }

  /**
   * A fair run from `start`: deliveries first (in order), else the timers in turn (round robin, so no
   * node's periodic timer starves the others), else, under bounded timing, the clock; where the stepped
   * model leaves a choice open, the choices in turn too. Returns the eventually-properties that never
   * held, with the run and why it ended, or nothing when all came true.
   */
  private fairRun(start: Packed): { failed: Property[]; run: Packed[]; ended: FairEnd } | null {
    const pending = new Set(this.eventually.filter((p) => !this.violations.has(p.name) && !this.inconclusive.has(p.name)));
    if (pending.size === 0) return null;
    const [h0, l0] = this.fingerprintOf(start);
    if (this.converged.has(h0, l0)) return null;
    const run: Packed[] = [start];
    // The run so far, by fingerprint and scheduler memory: meeting the same pair again closes a
    // lasso, a cycle of fair steps along which the pending properties never hold.
    const seen = new Set<string>();
    // Most runs never open a choice (turn.picks empty): their (fingerprint, last) pairs go in a
    // table of numbers instead of building a string per step.
    const seenPlain = new FingerprintSet(64);
    let cur = start;
    let turn = FIRST_TURN;
    let ended: FairEnd = { kind: 'bound', steps: this.options.eventuallyBound };
    // Every pending property has held at or after position `holdsFrom` of the run (the position where
    // the last of them first held): only states up to there are known to converge.
    let holdsFrom = 0;
    for (let step = 0; step <= this.options.eventuallyBound; step++) {
      const obs = this.system.observeReused(cur, 0);
      for (const p of [...pending]) {
        if (checkGuarded(p, obs) === null) {
          pending.delete(p);
          holdsFrom = step;
        }
      }
      if (pending.size === 0) break;
      const [h, l] = this.fingerprintOf(cur);
      // Runs are deterministic: a state whose own run converged lies on a converging run, and so
      // does every state of this run before it (its continuation is this run up to here, then that one).
      if (step > 0 && this.converged.has(h, l)) {
        pending.clear();
        holdsFrom = step - 1;
        break;
      }
      const plain = turn.picks.size === 0;
      const here = plain ? '' : `${h}:${l}:${turnKey(turn)}`;
      const seenBefore = plain ? !seenPlain.add(h, (l ^ Math.imul(turn.last + 2, 0x9e3779b1)) >>> 0 || 1) : seen.has(here);
      if (seenBefore) {
        ended = { kind: 'lasso', steps: step };
        break;
      }
      if (!plain) seen.add(here);
      const next = this.fairStep(cur, turn, false);
      if (!next) {
        ended = { kind: 'stuck', steps: step };
        break;
      }
      turn = next.turn;
      cur = next.state;
      run.push(cur);
    }
    if (pending.size === 0) {
      // A state at or before `holdsFrom` has a fair continuation (this run's rest) along which every
      // property holds at some point, which is what `eventually` asks; later states may not (a
      // property that held earlier can fail from there on), so they are not remembered.
      for (const s of run.slice(0, holdsFrom + 1)) {
        this.system.fingerprint(s, this.fp);
        this.converged.add(this.fp[0], this.fp[1]);
      }
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
  private fairStep(cur: Packed, turn: Turn, withInfo: boolean): { state: Packed; info?: StepInfo<M>; turn: Turn } | null {
    // Read from the action codes, so that only the chosen action becomes an object.
    const codes = this.fairCodes;
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

  // ---- traces ---------------------------------------------------------------------------------

  private stepOf(state: Packed, actor: string, action: string, input: TraceStep['input'], outputs: TraceStep['outputs']): TraceStep {
    const obs = this.system.observe(state);
    return { actor, action, input, outputs, views: obs.views, up: obs.up, inFlight: this.system.inFlight(state).length };
  }

  /** Re-executes a path of successor positions, recording every step. */
  replayPath(path: Path): { steps: TraceStep[]; states: Packed[] } {
    let cur = this.system.initial;
    const steps: TraceStep[] = [this.stepOf(cur, 'system', 'init', null, [])];
    const states = [cur];
    for (const position of path) {
      let seen = 0;
      let next: { state: Packed; info: NonNullable<ReturnType<System<S, M, Cfg>['apply']>[number]['info']> } | null = null;
      for (const action of this.system.actions(cur)) {
        const rs = this.system.apply(cur, action, true);
        if (position < seen + rs.length) {
          const r = rs[position - seen];
          next = { state: this.system.canonical(r.state), info: r.info! };
          break;
        }
        seen += rs.length;
      }
      if (!next) throw new Error(`internal: successor ${position} does not exist on re-execution (a model is not deterministic)`);
      cur = next.state;
      states.push(cur);
      steps.push(this.stepOf(cur, String(next.info.actor), next.info.label, (next.info.input ?? null) as TraceStep['input'], next.info.outputs as TraceStep['outputs']));
    }
    return { steps, states };
  }

  /** Fair-run states as trace steps (re-executed from `from` with step records). */
  private suffixSteps(from: Packed, length: number): TraceStep[] {
    const steps: TraceStep[] = [];
    let cur = from;
    let turn = FIRST_TURN;
    for (let i = 1; i < length; i++) {
      const r = this.fairStep(cur, turn, true);
      if (!r) break;
      turn = r.turn;
      cur = r.state;
      steps.push(this.stepOf(cur, String(r.info!.actor), r.info!.label, (r.info!.input ?? null) as TraceStep['input'], r.info!.outputs as TraceStep['outputs']));
    }
    return steps;
  }

  /**
   * Set in worker threads: a violation is recorded without its trace, since a state's path runs
   * through other workers; the coordinator re-derives the trace by a single-threaded BFS.
   */
  traceless = false;

  private record(property: Property, violation: Violation, path: Path, suffix?: { from: Packed; length: number }, into = this.violations): void {
    if (into.has(property.name)) return;
    if (this.traceless) {
      into.set(property.name, { protocol: this.protocol.name, property: property.name, temporal: property.temporal, options: this.options, violation, steps: [] });
      return;
    }
    const { steps } = this.replayPath(path);
    const all = suffix ? [...steps, ...this.suffixSteps(suffix.from, suffix.length)] : steps;
    into.set(property.name, {
      protocol: this.protocol.name,
      property: property.name,
      temporal: property.temporal,
      options: this.options,
      violation,
      steps: all,
      suffixFrom: suffix ? steps.length - 1 : undefined,
    });
  }

  /** Checks the properties on a newly reached state (`before`: its parent's, for step properties). Used by worker threads too. */
  onNewState(state: Packed, before: Observation | undefined, path: () => Path): void {
    this.checkState(state, before, path);
    this.checkEventually(state, path);
  }

  /** The always and sometimes properties on a state (a worker thread checks them where the step was taken). */
  checkState(state: Packed, before: Observation | undefined, path: () => Path): void {
    let found: ReturnType<Checker<S, M, Cfg>['judge']>;
    try {
      found = this.judge(state, before);
    } catch (e) {
      // Building this state's View threw: the defect is at this state.
      if (e instanceof ModelStepError) e.path ??= path();
      throw e;
    }
    if (found) for (const { property, violation } of found) this.record(property, violation, path());
  }

  /** The eventually properties from a state, if its fault budget is spent. */
  checkEventually(state: Packed, path: () => Path): void {
    if (this.eventually.length > 0 && this.system.faultsOver(state)) {
      let r: ReturnType<Checker<S, M, Cfg>['fairRun']>;
      try {
        r = this.fairRun(state);
      } catch (e) {
        if (e instanceof ModelStepError && e.path === undefined) {
          e.path = path();
          e.during = 'a fair run from the last state of the trace';
        }
        throw e;
      }
      if (r) {
        const obs = this.system.observe(r.run[r.run.length - 1]);
        for (const p of r.failed) {
          const v = checkGuarded(p, obs) ?? { property: p.name, detail: `${p.name} never held along the fair run` };
          // Out of fair steps is no counterexample: only a cycle or a stuck run shows "never".
          const into = r.ended.kind === 'bound' ? this.inconclusive : this.violations;
          this.record(p, { ...v, detail: `${v.detail} (${fairEndText(r.ended)})` }, path(), { from: state, length: r.run.length }, into);
        }
      }
    }
  }

  /** The path to the state being expanded, for a step that throws there. */
  private pathNow: () => Path = () => [];

  /** A throwing step as the modelStep violation: the trace to the state it was taken from, the error as the detail. */
  private recordModelError(e: ModelStepError): void {
    const where = e.during ? ` during ${e.during}` : ' from the last state of the trace';
    this.record(MODEL_STEP_PROPERTY, { property: MODEL_STEP_PROPERTY.name, node: e.node, detail: `${e.message}${where}` }, e.path ?? this.pathNow());
  }

  /** Every refutable property already has its counterexample (or, for eventually, is inconclusive): nothing left to look for. */
  allViolated(): boolean {
    const refutable = this.always.length + this.eventually.length;
    // A deadlock found is no property decided: it must not end the search early.
    const decided = this.violations.size - (this.violations.has(DEADLOCK) ? 1 : 0) + this.inconclusive.size;
    return refutable > 0 && decided >= refutable;
  }

  // ---- strategies -----------------------------------------------------------------------------

  run(): CheckResult {
    const started = performance.now();
    const o = this.options;
    // Trace depths are 16-bit: an unbounded search stops (and says so) at depth 65,535.
    const depthLimit = o.maxDepth > 0 ? Math.min(o.maxDepth, 65_535) : 65_535;
    const heapLimit = o.maxHeapMB > 0 ? o.maxHeapMB * 2 ** 20 : Number.POSITIVE_INFINITY;
    if (o.workers > 1) throw new CheckerError(`workers: ${o.workers} needs checkParallel(protocol, source, options), which can load the protocol in each worker thread`);
    const deadline = o.timeLimitSec > 0 ? started + o.timeLimitSec * 1000 : Number.POSITIVE_INFINITY;
    let generated = 0;
    let maxDepth = 0;
    let stoppedBy: CheckStats['stoppedBy'] = 'exhausted';
    let lastProgress = started;
    const every = this.hooks.progressEveryMs ?? 1000;
    const visited = new FingerprintSet(1 << 16);
    const meta = new TraceIndex();
    let queueSize = 0;
    let frontierLeft = 0;
    let depthCut = false;
    // States at the depth bound, taken from the frontier but not expanded.
    let cutStates = 0;
    const progress = (now: number) => {
      if (this.hooks.onProgress && now - lastProgress >= every) {
        lastProgress = now;
        this.hooks.onProgress({ generated, distinct: visited.size, depth: maxDepth, queue: queueSize, seconds: (now - started) / 1000 });
      }
    };
    const stopNow = (): boolean => {
      if (o.stopAtFirst && this.violations.size > 0) return (stoppedBy = 'violation'), true;
      if (this.allViolated()) return (stoppedBy = 'violation'), true;
      if (o.maxStates > 0 && visited.size >= o.maxStates) return (stoppedBy = 'states'), true;
      if ((generated & 1023) === 0) {
        const now = performance.now();
        if (now > deadline) return (stoppedBy = 'time'), true;
        if ((generated & 65535) === 0 && process.memoryUsage().heapUsed > heapLimit) return (stoppedBy = 'memory'), true;
        progress(now);
      }
      return false;
    };

    const init = this.system.initial;
    const symmetric = this.system.symmetric;
    let represented = symmetric ? this.system.canonicalWithOrbit(init).orbit : 1;
    const [h, l] = this.fingerprintOf(init);
    visited.add(h, l);
    meta.push(-1, 0, 0);
    generated++;
    // A step that throws is the model's defect, reported as a modelStep violation with its trace.
    this.pathNow = () => [];
    try {
      this.onNewState(init, undefined, () => []);

      if (o.strategy === 'random') {
        stoppedBy = this.swarm(visited, deadline, () => generated++, (d) => (maxDepth = Math.max(maxDepth, d)));
        generated = Math.max(generated, visited.size);
      } else {
        // BFS takes from the front of the frontier, DFS from the back.
        const sys = this.system;
        const frontier = new Frontier();
        const sums = new Int32Array(2);
        sys.sums(init, sums);
        frontier.push(init, 0, sums[0], sums[1]);
        const fp = this.fp;
        const bfs = o.strategy === 'bfs';
        // A new successor built in place: a reused buffer.
        const child: number[] = [];
        // A timer that only re-arms itself changes one word: its successor is fingerprinted by swapping
        // that word's term and built only if new. Not under symmetry (the representative is rebuilt
        // anyway) nor bounded timing (the deadline word changes too).
        const rearmFast = !symmetric && !sys.bounded;
        let parent = 0;
        this.pathNow = () => meta.path(parent);
        let depth = 0;
        let before: Observation | undefined;
        // Made once: a closure per new state would cost an allocation each.
        let admitted = 0;
        const pathOfAdmitted = (): Path => meta.path(admitted);
        const admit = (state: Packed, a: number, b: number, ordinal: number): boolean => {
          const index = meta.push(parent, ordinal, depth + 1);
          admitted = index;
          if (depth + 1 > maxDepth) maxDepth = depth + 1;
          this.onNewState(state, before, pathOfAdmitted);
          frontier.push(state, index, a, b);
          return stopNow();
        };
        // Breadth-first, states are expanded in batches: every state of a batch is taken and prepared,
        // all their re-arm successors' table slots are touched together, then each state is expanded
        // (see Expansion). Depth-first batches one state: the next one to expand is a successor.
        const lanes = Array.from({ length: bfs ? EXPANSION_BATCH : 1 }, () => new Expansion());
        const recent = new RecentFingerprints(RECENT_BITS);
        let batch = 0;
        let lane = 0;
        outer: for (;;) {
          if (lane === batch) {
            batch = 0;
            lane = 0;
            while (batch < lanes.length && frontier.size > 0) {
              const e = lanes[batch];
              e.take(frontier, bfs);
              if (meta.depth(e.index) >= depthLimit) {
                depthCut = true;
                cutStates++;
                continue;
              }
              e.prepare(sys, rearmFast, fp);
              batch++;
            }
            if (batch === 0) break;
            let sink = 0;
            for (let i = 0; i < batch; i++) sink ^= lanes[i].touch(visited, recent);
            this.sink ^= sink;
          }
          const x = lanes[lane++];
          const cur = x.state;
          const codes = x.codes;
          parent = x.index;
          queueSize = frontier.size;
          depth = meta.depth(parent);
          if (x.count === 0 && this.deadlockOn) {
            this.onNoSuccessor(cur, () => meta.path(parent));
            if (stopNow()) break outer;
          }
          before = this.needsBefore ? sys.observeReused(cur, 1) : undefined;
          let position = 0;
          for (let c = 0; c < x.count; c++) {
            const next = x.rearmOf(sys, c, fp);
            if (next >= 0) {
              generated++;
              const ordinal = position++;
              const hi = x.hi[c];
              const lo = x.lo[c];
              if (recent.has(hi, lo)) continue;
              const isNew = visited.add(hi, lo);
              recent.put(hi, lo);
              if (!isNew) continue;
              const len = cur.length;
              if (child.length > len) child.length = len;
              for (let i = 0; i < len; i++) child[i] = cur[i];
              child[codes[c * 4 + 1]] = next;
              if (admit(child, x.a[c], x.b[c], ordinal)) break outer;
              continue;
            }
            for (const raw of sys.apply(cur, decodeAction(codes[c * 4], codes[c * 4 + 1], codes[c * 4 + 2]))) {
              generated++;
              const ordinal = position++;
              const { state, orbit } = symmetric ? sys.canonicalWithOrbit(raw.state) : { state: raw.state, orbit: 1 };
              sys.sums(state, sums);
              System.finish(sums[0], sums[1], state.length, fp);
              if (recent.has(fp[0], fp[1])) continue;
              const isNew = visited.add(fp[0], fp[1]);
              recent.put(fp[0], fp[1]);
              if (!isNew) continue;
              represented += orbit;
              if (admit(state, sums[0], sums[1], ordinal)) break outer;
            }
          }
        }
        if (stoppedBy === 'exhausted' && depthCut) stoppedBy = 'depth';
        frontierLeft = stoppedBy === 'exhausted' ? 0 : frontier.size + (batch - lane) + cutStates;
      }
    } catch (e) {
      if (!(e instanceof ModelStepError)) throw e;
      this.recordModelError(e);
      stoppedBy = 'violation';
    }

    const seconds = (performance.now() - started) / 1000;
    // A deadlock or a throwing model step is listed only when found: a protocol's verdict table stays its own.
    const judged = [
      ...this.system.properties,
      ...(this.violations.has(MODEL_STEP_PROPERTY.name) ? [MODEL_STEP_PROPERTY] : []),
      ...(this.violations.has(DEADLOCK) ? [deadlockProperty] : []),
    ];
    const verdicts = verdictsOf(this.protocol, judged, o, stoppedBy === 'exhausted', this);
    const stats = this.system.stats;
    return {
      protocol: this.protocol.name,
      options: o,
      verdicts,
      coverage: coverage(o, stoppedBy, depthCut, maxDepth, frontierLeft, verdicts),
      stats: {
        generated,
        distinct: visited.size,
        depth: maxDepth,
        seconds,
        distinctPerSec: visited.size / Math.max(seconds, 1e-9),
        generatedPerSec: generated / Math.max(seconds, 1e-9),
        bytesPerState: visited.bytes / Math.max(visited.size, 1),
        traceBytesPerState: o.strategy === 'random' ? 0 : meta.bytes / Math.max(meta.size, 1),
        heapMB: process.memoryUsage().heapUsed / 2 ** 20,
        stoppedBy,
        frontier: frontierLeft,
        localStates: this.system.locals.size,
        symmetry: symmetric && o.strategy !== 'random' ? { represented, factor: represented / Math.max(visited.size, 1) } : undefined,
        localTransitions: stats.transitions,
        memoHitRate: stats.lookups === 0 ? 0 : 1 - stats.transitions / stats.lookups,
      },
    };
  }

  /** Seeded random walks; a violation found by a walk is shrunk before it is recorded. */
  private swarm(visited: FingerprintSet, deadline: number, count: () => void, depthSeen: (d: number) => void): CheckStats['stoppedBy'] {
    const o = this.options;
    for (let w = 0; w < o.walks; w++) {
      const walkRng = Rng.seeded(o.seed * 1_000_003 + w);
      const random = () => walkRng.next();
      let cur = this.system.initial;
      const path: Path = [];
      this.pathNow = () => path.slice();
      for (let d = 0; d < (o.maxDepth || RANDOM_WALK_DEPTH); d++) {
        const succ = this.successors(cur);
        if (succ.length === 0) break;
        const pick = Math.floor(random() * succ.length);
        const before = this.needsBefore ? this.system.observe(cur) : undefined;
        cur = succ[pick].state;
        path.push(pick);
        count();
        depthSeen(d + 1);
        this.system.fingerprint(cur, this.fp);
        visited.add(this.fp[0], this.fp[1]);
        const had = new Set(this.violations.keys());
        this.onNewState(cur, before, () => this.shrink(path.slice()));
        if (this.violations.size > had.size && (o.stopAtFirst || this.allViolated())) return 'violation';
        if (o.maxStates > 0 && visited.size >= o.maxStates) return 'states';
        if (performance.now() > deadline) return 'time';
      }
    }
    return 'walks';
  }

  /**
   * Delta debugging over a walk: drop chunks of steps (halving the chunk size down to one step) as
   * long as re-executing what remains still violates some property that the full walk violated.
   * Steps are matched by their action label and input, not their position, so removing a step
   * leaves the rest meaningful.
   */
  private shrink(path: Path): Path {
    // Shrinking steps through states the walk did not visit; one that throws there keeps the walk as found.
    try {
      return this.shrinkUnguarded(path);
    } catch (e) {
      if (e instanceof ModelStepError) return path;
      throw e;
    }
  }

  private shrinkUnguarded(path: Path): Path {
    const labels = this.replayLabels(path);
    const violatesAt = (keys: string[]): Path | null => {
      let cur = this.system.initial;
      const out: Path = [];
      for (const key of keys) {
        const succ = this.successorKeys(cur);
        const i = succ.findIndex((s) => s.key === key);
        if (i < 0) continue;
        const before = this.needsBefore ? this.system.observe(cur) : undefined;
        cur = succ[i].state;
        out.push(i);
        const obs = this.system.observe(cur);
        if (this.always.some((p) => checkGuarded(p, obs, before) !== null)) return out;
      }
      if (this.eventually.length > 0 && this.system.faultsOver(cur) && this.fairRunNoMemo(cur)) return out;
      return null;
    };
    let keys = labels;
    let best = violatesAt(keys) ?? path;
    for (let chunk = Math.max(1, keys.length >> 1); chunk >= 1; chunk >>= 1) {
      for (let i = 0; i + chunk <= keys.length; ) {
        const candidate = [...keys.slice(0, i), ...keys.slice(i + chunk)];
        const found = violatesAt(candidate);
        if (found) {
          keys = candidate;
          best = found;
        } else i += chunk;
      }
      if (chunk === 1) break;
    }
    return best;
  }

  private fairRunNoMemo(s: Packed): boolean {
    const r = this.fairRun(s);
    return r !== null;
  }

  private successorKeys(s: Packed): { state: Packed; key: string }[] {
    const out: { state: Packed; key: string }[] = [];
    for (const action of this.system.actions(s)) {
      for (const r of this.system.apply(s, action, true)) out.push({ state: this.system.canonical(r.state), key: `${r.info!.actor}|${r.info!.label}|${JSON.stringify(r.info!.input ?? null)}` });
    }
    return out;
  }

  private replayLabels(path: Path): string[] {
    let cur = this.system.initial;
    const keys: string[] = [];
    for (const p of path) {
      const succ = this.successorKeys(cur);
      keys.push(succ[p].key);
      cur = succ[p].state;
    }
    return keys;
  }
}

export function check<S, M, Cfg>(protocol: ProtocolDefinition<S, M, Cfg>, options: Partial<CheckOptions> = {}, hooks: CheckHooks = {}): CheckResult {
  return new Checker(protocol, options, hooks).run();
}
