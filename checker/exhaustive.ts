/**
 * Exhaustive search, breadth-first (shortest counterexamples) or depth-first, over the packed states
 * of a System: the hot loop of the checker. It builds no object per successor: enabled actions come
 * as numbers, a timer that only re-arms itself is fingerprinted by swapping one word's term and built
 * only if new, and breadth-first search expands states in batches whose table probes overlap (see
 * expansion.ts). What to do with each new state (judge properties, record traces) is the host's.
 */
import type { Observation } from '../spec/properties.js';
import type { CheckHooks } from './check-result.js';
import { EXPANSION_BATCH, Expansion, LaneExpander, RECENT_BITS, type SuccessorSink } from './expansion.js';
import { type FingerprintSet, RecentFingerprints } from './fingerprint.js';
import { Frontier } from './frontier.js';
import type { CheckOptions } from './options.js';
import type { PartialOrder } from './por.js';
import type { Packed, System } from './system.js';
import type { Path, TraceIndex } from './trace-index.js';
import type { StopReason } from './verdicts.js';

/**
 * What a search has counted so far. An object, not the search's locals: when a model step throws
 * mid-search the checker still reports how far it got.
 */
export class SearchCounts {
  generated = 0;
  maxDepth = 0;
  /** With symmetry: the states the visited orbit representatives stand for. */
  represented = 1;
  /** Some state at the depth bound was left unexpanded. */
  depthCut = false;
  queueSize = 0;
  /** States reached but not expanded when the search stopped (0 once exhausted). */
  frontierLeft = 0;
  /** Where the words read by FingerprintSet.touch go, so that the reads are not optimized away. */
  sink = 0;
}

/** What the search needs of the checker it runs for. */
export interface SearchHost {
  readonly options: CheckOptions;
  readonly needsBefore: boolean;
  readonly deadlockOn: boolean;
  readonly violations: ReadonlyMap<string, unknown>;
  onNewState(state: Packed, before: Observation | undefined, path: () => Path): void;
  /** A state the search expanded has no enabled step (deadlock detection). */
  onNoSuccessor(state: Packed, path: () => Path): void;
  allViolated(): boolean;
  /** The path to the state being expanded, for a step that throws there. */
  expanding(path: () => Path): void;
  /** Partial-order reduction (checker/por.ts), or null: every enabled step is expanded. */
  readonly por: PartialOrder | null;
}

export interface SearchLimits {
  readonly started: number;
  readonly deadline: number;
  readonly depthLimit: number;
  readonly heapLimit: number;
}

/**
 * Explores from `init`, which the caller has already visited (in `visited` and `meta`, index 0) and
 * judged. `fp` is the caller's scratch for fingerprints. Returns why the search stopped.
 */
export function exhaustiveSearch<S, M, Cfg>(
  sys: System<S, M, Cfg>,
  host: SearchHost,
  hooks: CheckHooks,
  init: Packed,
  visited: FingerprintSet,
  meta: TraceIndex,
  n: SearchCounts,
  limits: SearchLimits,
  fp: Uint32Array,
): StopReason {
  const o = host.options;
  const { started, deadline, depthLimit, heapLimit } = limits;
  const symmetric = sys.symmetric;
  let stoppedBy: StopReason = 'exhausted';
  let lastProgress = started;
  const every = hooks.progressEveryMs ?? 1000;
  // States at the depth bound, taken from the frontier but not expanded.
  let cutStates = 0;
  const progress = (now: number) => {
    if (hooks.onProgress && now - lastProgress >= every) {
      lastProgress = now;
      hooks.onProgress({ generated: n.generated, distinct: visited.size, depth: n.maxDepth, queue: n.queueSize, seconds: (now - started) / 1000 });
    }
  };
  const stopNow = (): boolean => {
    if (o.stopAtFirst && host.violations.size > 0) return (stoppedBy = 'violation'), true;
    if (host.allViolated()) return (stoppedBy = 'violation'), true;
    if (o.maxStates > 0 && visited.size >= o.maxStates) return (stoppedBy = 'states'), true;
    if ((n.generated & 1023) === 0) {
      const now = performance.now();
      if (now > deadline) return (stoppedBy = 'time'), true;
      if ((n.generated & 65535) === 0 && process.memoryUsage().heapUsed > heapLimit) return (stoppedBy = 'memory'), true;
      progress(now);
    }
    return false;
  };
  // BFS takes from the front of the frontier, DFS from the back.
  const frontier = new Frontier();
  const sums = new Int32Array(2);
  sys.sums(init, sums);
  frontier.push(init, 0, sums[0], sums[1]);
  const bfs = o.strategy === 'bfs';
  // A timer that only re-arms itself changes one word: its successor is fingerprinted by swapping
  // that word's term and built only if new. Not under symmetry (the representative is rebuilt
  // anyway) nor bounded timing (the deadline word changes too).
  const rearmFast = !symmetric && !sys.bounded;
  const recent = new RecentFingerprints(RECENT_BITS);
  const admission = new Admission(host, visited, recent, meta, frontier, n, stopNow);
  const expander = new LaneExpander(sys, admission, host.por, n, fp);
  host.expanding(() => meta.path(admission.parent));
  // Breadth-first, states are expanded in batches: every state of a batch is taken and prepared,
  // all their re-arm successors' table slots are touched together, then each state is expanded
  // (see Expansion). Depth-first batches one state: the next one to expand is a successor.
  const lanes = Array.from({ length: bfs ? EXPANSION_BATCH : 1 }, () => new Expansion());
  let batch = 0;
  let lane = 0;
  for (;;) {
    if (lane === batch) {
      batch = 0;
      lane = 0;
      while (batch < lanes.length && frontier.size > 0) {
        const e = lanes[batch];
        e.take(frontier, bfs);
        if (meta.depth(e.index) >= depthLimit) {
          n.depthCut = true;
          cutStates++;
          continue;
        }
        e.prepare(sys, rearmFast, fp);
        batch++;
      }
      if (batch === 0) break;
      let sink = 0;
      for (let i = 0; i < batch; i++) sink ^= lanes[i].touch(visited, recent);
      n.sink ^= sink;
    }
    const x = lanes[lane++];
    const cur = x.state;
    const parent = x.index;
    admission.parent = parent;
    n.queueSize = frontier.size;
    const depth = meta.depth(parent);
    admission.depth = depth;
    if (x.count === 0 && host.deadlockOn) {
      host.onNoSuccessor(cur, () => meta.path(parent));
      if (stopNow()) break;
    }
    admission.before = host.needsBefore ? sys.observeReused(cur, 1) : undefined;
    if (expander.expand(x, depth)) break;
  }
  if (stoppedBy === 'exhausted' && n.depthCut) stoppedBy = 'depth';
  n.frontierLeft = stoppedBy === 'exhausted' ? 0 : frontier.size + (batch - lane) + cutStates;
  return stoppedBy;
}

/**
 * What single-threaded search does with a successor LaneExpander enumerates: the visited table
 * decides whether it is new; a new one gets its trace record, is judged by the host and queued.
 */
class Admission implements SuccessorSink {
  /** The state being expanded: its trace record, its depth, and its Observation for step properties. */
  parent = 0;
  depth = 0;
  before: Observation | undefined;
  /** A successor visited before is judged no more (its first step into it was). */
  readonly seesRearms = false;
  private admitted = 0;
  // Made once: a closure per new state would cost an allocation each.
  private readonly pathOfAdmitted = (): Path => this.meta.path(this.admitted);

  constructor(
    private readonly host: SearchHost,
    private readonly visited: FingerprintSet,
    private readonly recent: RecentFingerprints,
    private readonly meta: TraceIndex,
    private readonly frontier: Frontier,
    private readonly n: SearchCounts,
    /** The search's stop conditions, checked after each new state. */
    private readonly stopNow: () => boolean,
  ) {}

  claim(hi: number, lo: number): boolean {
    return this.recent.claim(this.visited, hi, lo);
  }

  admit(state: Packed, a: number, b: number, ordinal: number, orbit: number): boolean {
    const n = this.n;
    n.represented += orbit;
    const depth = this.depth + 1;
    const index = this.meta.push(this.parent, ordinal, depth);
    this.admitted = index;
    if (depth > n.maxDepth) n.maxDepth = depth;
    this.host.onNewState(state, this.before, this.pathOfAdmitted);
    this.frontier.push(state, index, a, b);
    return this.stopNow();
  }

  seen(): void {}
}
