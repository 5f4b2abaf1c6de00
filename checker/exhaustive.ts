/**
 * Exhaustive search, breadth-first (shortest counterexamples) or depth-first, over the packed states
 * of a System: the hot loop of the checker. It builds no object per successor: enabled actions come
 * as numbers, a timer that only re-arms itself is fingerprinted by swapping one word's term and built
 * only if new, and breadth-first search expands states in batches whose table probes overlap (see
 * expansion.ts). What to do with each new state (judge properties, record traces) is the host's.
 */
import type { Observation } from '../spec/properties.js';
import type { CheckHooks } from './check-result.js';
import { EXPANSION_BATCH, Expansion, RECENT_BITS } from './expansion.js';
import { type FingerprintSet, RecentFingerprints } from './fingerprint.js';
import { Frontier } from './frontier.js';
import type { CheckOptions } from './options.js';
import type { PartialOrder } from './por.js';
import { type Packed, System, decodeAction } from './system.js';
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
  readonly por: PartialOrder<unknown, unknown, unknown> | null;
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
  // A new successor built in place: a reused buffer.
  const child: number[] = [];
  // A timer that only re-arms itself changes one word: its successor is fingerprinted by swapping
  // that word's term and built only if new. Not under symmetry (the representative is rebuilt
  // anyway) nor bounded timing (the deadline word changes too).
  const rearmFast = !symmetric && !sys.bounded;
  const por = host.por;
  let parent = 0;
  host.expanding(() => meta.path(parent));
  let depth = 0;
  let before: Observation | undefined;
  // Made once: a closure per new state would cost an allocation each.
  let admitted = 0;
  const pathOfAdmitted = (): Path => meta.path(admitted);
  const admit = (state: Packed, a: number, b: number, ordinal: number): boolean => {
    const index = meta.push(parent, ordinal, depth + 1);
    admitted = index;
    if (depth + 1 > n.maxDepth) n.maxDepth = depth + 1;
    host.onNewState(state, before, pathOfAdmitted);
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
    const codes = x.codes;
    parent = x.index;
    n.queueSize = frontier.size;
    depth = meta.depth(parent);
    if (x.count === 0 && host.deadlockOn) {
      host.onNoSuccessor(cur, () => meta.path(parent));
      if (stopNow()) break outer;
    }
    before = host.needsBefore ? sys.observeReused(cur, 1) : undefined;
    let position = 0;
    // With POR the ample steps come first (their codes in por.order, positions in por.start) and
    // the rest only if an ample successor broke the cycle proviso; without, every code in order.
    let todo = x.count;
    let order: Int32Array | null = null;
    if (por !== null) {
      todo = por.choose(cur, codes, x.count);
      if (todo < x.count) order = por.order;
    }
    const ample = todo;
    for (let j = 0; ; j++) {
      if (j === todo) {
        if (order === null || todo === x.count || !por!.provisoFailed) break;
        por!.fellBack();
        todo = x.count;
      }
      let c = j;
      if (order !== null) {
        c = order[j];
        position = por!.start[c];
      }
      const next = x.rearmOf(sys, c, fp);
      if (next >= 0) {
        n.generated++;
        const ordinal = position++;
        const hi = x.hi[c];
        const lo = x.lo[c];
        if (recent.has(hi, lo)) {
          if (order !== null && j < ample) por!.seen(hi, lo, depth);
          continue;
        }
        const isNew = visited.add(hi, lo);
        recent.put(hi, lo);
        if (!isNew) {
          if (order !== null && j < ample) por!.seen(hi, lo, depth);
          continue;
        }
        if (por !== null) por.admitted(hi, lo, depth + 1);
        const len = cur.length;
        if (child.length > len) child.length = len;
        for (let i = 0; i < len; i++) child[i] = cur[i];
        child[codes[c * 4 + 1]] = next;
        if (admit(child, x.a[c], x.b[c], ordinal)) break outer;
        continue;
      }
      for (const raw of sys.apply(cur, decodeAction(codes[c * 4], codes[c * 4 + 1], codes[c * 4 + 2]))) {
        n.generated++;
        const ordinal = position++;
        const { state, orbit } = symmetric ? sys.canonicalWithOrbit(raw.state) : { state: raw.state, orbit: 1 };
        sys.sumsFrom(cur, x.sumA, x.sumB, state, sums);
        System.finish(sums[0], sums[1], state.length, fp);
        if (recent.has(fp[0], fp[1])) {
          if (order !== null && j < ample) por!.seen(fp[0], fp[1], depth);
          continue;
        }
        const isNew = visited.add(fp[0], fp[1]);
        recent.put(fp[0], fp[1]);
        if (!isNew) {
          if (order !== null && j < ample) por!.seen(fp[0], fp[1], depth);
          continue;
        }
        if (por !== null) por.admitted(fp[0], fp[1], depth + 1);
        n.represented += orbit;
        if (admit(state, sums[0], sums[1], ordinal)) break outer;
      }
    }
  }
  if (stoppedBy === 'exhausted' && n.depthCut) stoppedBy = 'depth';
  n.frontierLeft = stoppedBy === 'exhausted' ? 0 : frontier.size + (batch - lane) + cutStates;
  return stoppedBy;
}
