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
 *
 * This file is the Checker: it judges each new state, records counterexamples and puts the result
 * together. The strategies are exhaustive.ts (BFS/DFS) and random-walks.ts; fair runs for
 * `eventually` are fair-run.ts; the trace pointers trace-index.ts; the result's shape check-result.ts.
 */
import type { Observation, Property, Violation } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { type CheckHooks, type CheckResult, type CheckStats, verdictsOf } from './check-result.js';
import { FingerprintSet } from './fingerprint.js';
import { SearchCounts, exhaustiveSearch } from './exhaustive.js';
import { type ConvergedSet, FIRST_TURN, FairRuns, fairEndText } from './fair-run.js';
import { type CheckOptions, CheckerError, optionsFor } from './options.js';
import { PropertyJudge } from './property-memo.js';
import { RandomWalks } from './random-walks.js';
import { coverage } from './verdicts.js';
import { PartialOrder, auditStutter, porRefusal, withCheckedIndependence } from './por.js';
import { DEADLOCK, deadlockDetail, deadlockProperty, isDeadlock } from './deadlock.js';
import { type Packed, System } from './system.js';
import { MODEL_STEP_PROPERTY, ModelStepError, checkGuarded } from './model-error.js';
import { type Trace, type TraceStep, aboutMembership, describeStep, stateWords } from './trace.js';
import { type Path, TraceIndex } from './trace-index.js';

// Moved out of this file but still part of its interface (parallel.ts, index.ts import them from here).
export { verdictsOf, type CheckHooks, type CheckResult, type CheckStats, type Progress } from './check-result.js';
export type { Verdict } from './verdicts.js';
export { fairEndText, type FairEnd } from './fair-run.js';

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
  private readonly fp = new Uint32Array(2);
  private readonly fair: FairRuns<S, M, Cfg>;
  /** Properties already known to hold on a state's Observation are not judged again (property-memo.ts). */
  private readonly memo: PropertyJudge;
  readonly needsBefore: boolean;

  constructor(
    readonly protocol: ProtocolDefinition<S, M, Cfg>,
    options: Partial<CheckOptions> = {},
    private readonly hooks: CheckHooks = {},
  ) {
    this.options = optionsFor(protocol, options);
    // A protocol's independence declaration is held to every step computed, with or without --por.
    this.system = new System(withCheckedIndependence(protocol), this.options);
    this.always = this.system.properties.filter((p) => p.temporal === 'always');
    this.sometimes = this.system.properties.filter((p) => p.temporal === 'sometimes');
    this.eventually = this.system.properties.filter((p) => p.temporal === 'eventually');
    this.memo = new PropertyJudge(this.system);
    this.fair = new FairRuns(this.system, this.options.eventuallyBound, this.fp, this.memo);
    // Step properties read the state before: only then is that Observation built.
    this.needsBefore = this.always.some((p) => p.check.length >= 2);
    this.deadlockOn = this.options.deadlock && this.options.strategy !== 'random';
    if (this.deadlockOn && this.system.properties.some((p) => p.name === DEADLOCK)) {
      throw new CheckerError(`${protocol.name} has a property named '${DEADLOCK}', the name of the checker's deadlock verdict: rename it, or pass --no-deadlock`);
    }
    if (this.options.por) {
      const refused = porRefusal(protocol, this.system.properties);
      if (refused) throw new CheckerError(refused);
      this.por = new PartialOrder(this.system, this.options, protocol.independence);
    }
  }

  /** Partial-order reduction (checker/por.ts), when asked for (`por: true`). */
  readonly por: PartialOrder | null = null;

  /** Deadlock detection (checker/deadlock.ts) runs in this search. */
  readonly deadlockOn: boolean;

  /** The one hook of deadlock detection: a state the search expanded has no enabled step. */
  onNoSuccessor(state: Packed, path: () => Path): void {
    if (!this.deadlockOn || this.violations.has(DEADLOCK)) return;
    const obs = this.system.observe(state);
    if (isDeadlock(this.protocol, obs)) this.record(deadlockProperty, { property: DEADLOCK, detail: deadlockDetail(obs) }, path());
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
    const memo = this.memo;
    memo.at(state);
    let found: { property: Property; violation: Violation }[] | null = null;
    for (const p of this.always) {
      if (this.violations.has(p.name)) continue;
      const v = memo.check(p, obs, before);
      if (v) (found ??= []).push({ property: p, violation: v });
    }
    for (const p of this.sometimes) if (!this.reached.has(p.name) && memo.check(p, obs) === null) this.reached.add(p.name);
    return found;
  }

  /** The fair run from `start` for the eventually-properties not yet decided (see fair-run.ts). */
  private fairRun(start: Packed): ReturnType<FairRuns<S, M, Cfg>['run']> {
    const pending = new Set(this.eventually.filter((p) => !this.violations.has(p.name) && !this.inconclusive.has(p.name)));
    if (pending.size === 0) return null;
    return this.fair.run(start, pending);
  }

  // ---- traces ---------------------------------------------------------------------------------

  private stepOf(state: Packed, actor: string, action: string, input: TraceStep['input'], outputs: TraceStep['outputs']): TraceStep {
    const obs = this.system.observe(state);
    const step = { actor, action, input, outputs, views: obs.views, up: obs.up, inFlight: this.system.inFlight(state).length };
    const described = describeStep(this.protocol, obs.states, input, outputs);
    const out = described === undefined ? step : { ...step, described };
    if (this.protocol.describe === undefined) this.localStates.set(out, obs.states);
    return out;
  }

  /** Each trace step's local states, kept while a trace is built for a model without `describe`. */
  private readonly localStates = new WeakMap<TraceStep, Observation['states']>();

  /**
   * A model that neither describes its states nor is about membership would print placeholder Views:
   * its trace shows each node's own encoding of its state instead.
   */
  private withLocalStates(steps: TraceStep[]): TraceStep[] {
    if (this.protocol.describe !== undefined || aboutMembership(steps)) return steps;
    const words = stateWords(this.protocol);
    return steps.map((step) => {
      const states = this.localStates.get(step);
      if (states === undefined) return step;
      return { ...step, described: { ...step.described, states: Object.fromEntries(Object.entries(states).map(([id, st]) => [id, words(st as S)])) } };
    });
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
      const r = this.fair.step(cur, turn, true);
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
    const all = this.withLocalStates(suffix ? [...steps, ...this.suffixSteps(suffix.from, suffix.length)] : steps);
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
    if (this.por !== null) auditStutter(this.system.properties, this.system.observeReused(state, 0), (p) => this.violations.has(p.name) || this.reached.has(p.name));
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
    let stoppedBy: CheckStats['stoppedBy'] = 'exhausted';
    const visited = new FingerprintSet(1 << 16);
    const meta = new TraceIndex();
    const n = new SearchCounts();

    const init = this.system.initial;
    const symmetric = this.system.symmetric;
    n.represented = symmetric ? this.system.canonicalWithOrbit(init).orbit : 1;
    const [h, l] = this.fingerprintOf(init);
    visited.add(h, l);
    meta.push(-1, 0, 0);
    n.generated++;
    // A step that throws is the model's defect, reported as a modelStep violation with its trace.
    this.pathNow = () => [];
    try {
      this.onNewState(init, undefined, () => []);
      if (o.strategy === 'random') {
        stoppedBy = new RandomWalks(this.system, this, this.fp).run(visited, deadline, () => n.generated++, (d) => (n.maxDepth = Math.max(n.maxDepth, d)));
        n.generated = Math.max(n.generated, visited.size);
      } else {
        stoppedBy = exhaustiveSearch(this.system, this, this.hooks, init, visited, meta, n, { started, deadline, depthLimit, heapLimit }, this.fp);
      }
    } catch (e) {
      if (!(e instanceof ModelStepError)) throw e;
      this.recordModelError(e);
      stoppedBy = 'violation';
    }
    const { generated, maxDepth, represented, depthCut, frontierLeft } = n;

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
        por: this.por?.stats(visited.size),
        localTransitions: stats.transitions,
        memoHitRate: stats.lookups === 0 ? 0 : 1 - stats.transitions / stats.lookups,
      },
    };
  }

  // ---- what the strategies ask of the checker (SearchHost, WalkHost) ----------------------------

  violatesAlways(obs: Observation, before: Observation | undefined): boolean {
    return this.always.some((p) => checkGuarded(p, obs, before) !== null);
  }

  failsEventually(state: Packed): boolean {
    return this.eventually.length > 0 && this.system.faultsOver(state) && this.fairRun(state) !== null;
  }

  /** Worker threads share the memo of converged fair runs (see worker-search.ts). */
  shareConverged(set: ConvergedSet): void {
    this.fair.converged = set;
  }

  /** The path to the state being expanded, which a step that throws there reports. */
  expanding(path: () => Path): void {
    this.pathNow = path;
  }
}

export function check<S, M, Cfg>(protocol: ProtocolDefinition<S, M, Cfg>, options: Partial<CheckOptions> = {}, hooks: CheckHooks = {}): CheckResult {
  return new Checker(protocol, options, hooks).run();
}
