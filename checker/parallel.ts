/**
 * Breadth-first search on several worker threads (`--workers N`): the coordinator (the calling
 * thread). Each worker (worker-search.ts) expands its own frontier and adds successors to one
 * visited table that all of them share (shared-table.ts): whoever adds a state first keeps it, so
 * no state crosses threads to be deduplicated, and a worker's states stay in its own interned ids.
 *
 * The search is level-synchronous: the coordinator starts level d on every worker and waits until
 * each has expanded its states of depth d, then starts level d + 1. So each level holds exactly the
 * states single-threaded BFS finds at that depth, and the distinct and generated counts are the same.
 * Between levels it evens out the frontiers (a worker with more than its share gives the excess to
 * one with less, handoff.ts translating ids), since a worker's successors stay with it: without
 * that, worker 0, which owns the initial state, would own everything. While workers search it also
 * serves the table's growth (a bigger SharedArrayBuffer, into which every worker rehashes a share).
 *
 * Properties: the worker that adds a state judges it. A property that reads the step (the state
 * before, or the resolutions the step made) is also judged on every other step into an already
 * visited state, whichever worker took it, so the steps judged are a superset of those single-
 * threaded BFS judges (the first into each state): no violation it finds is lost to the race for a
 * state. A violation found by the workers is traced by a single-threaded BFS for that property
 * afterwards, so traces stay shortest.
 */
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Violation } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { type CheckHooks, type CheckResult, type CheckStats, Checker, type Verdict } from './explore.js';
import { runsFromSource, siblingModule, tsxApiUrl } from './module-url.js';
import { type CheckOptions, CheckerError, optionsFor } from './options.js';
import {
  CTL_ARRIVED,
  CTL_BEATS,
  CTL_COUNT,
  CTL_GROW,
  CTL_GROWN,
  CTL_REHASHED,
  CTL_STOP,
  type FromWorker,
  type ProtocolSource,
  STOP_STATES,
  STOP_TIME,
  type ToWorker,
  type WorkerInit,
  ctlWords,
  nap,
} from './protocol-source.js';
import { SharedFingerprintTable } from './shared-table.js';
import { coverage } from './verdicts.js';

export type { ProtocolSource } from './protocol-source.js';

/** Slots of the shared table at the start; it grows by half at three-quarters load. */
const FIRST_TABLE_SLOTS = 1 << 16;
/** Slots of the shared memo of converged fair runs (16 MiB; pages never written are never resident). */
const CONVERGED_SLOTS = 1 << 21;
/** Frontiers within this share of their mean are left as they are. */
const BALANCE_SLACK = 0.05;

/** The worker threads of one search and the coordinator's side of talking to them. */
class Workers {
  readonly controls: MessagePort[] = [];
  readonly threads: Worker[] = [];
  readonly ctl: Int32Array;
  /** The shared visited table now (growth replaces it). */
  table: SharedFingerprintTable;

  constructor(
    readonly count: number,
    source: ProtocolSource,
    options: CheckOptions,
    deadline: number,
    /** How long an awaited worker may go without a beat before the check ends (CheckOptions.workerStallSec). */
    private readonly stallMs: number,
  ) {
    const ctlBuffer = new SharedArrayBuffer(ctlWords(count) * 4);
    this.ctl = new Int32Array(ctlBuffer);
    this.table = new SharedFingerprintTable(SharedFingerprintTable.allocate(FIRST_TABLE_SLOTS));
    const converged = SharedFingerprintTable.allocate(CONVERGED_SLOTS);
    const peers: (MessagePort | null)[][] = Array.from({ length: count }, () => new Array<MessagePort | null>(count).fill(null));
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        const ch = new MessageChannel();
        peers[i][j] = ch.port1;
        peers[j][i] = ch.port2;
      }
    }
    // A loader the calling process registered does not carry over into worker threads, so a worker
    // registers tsx itself when there is TypeScript to load: the checker's own sources (a checkout) or
    // a user's .ts model; the installed package's compiled JavaScript needs none.
    const entry = siblingModule('./worker', import.meta.url);
    const needsTs = runsFromSource(import.meta.url) || runsFromSource(source.module);
    const tsxApi = needsTs ? tsxApiUrl(import.meta.url) : null;
    if (needsTs && tsxApi === null) throw new CheckerError(`${source.module} is TypeScript and tsx is not installed, so worker threads cannot load it: npm install --save-dev tsx, or write the model as .mjs`);
    const boot =
      tsxApi === null
        ? `import(${JSON.stringify(entry)})`
        : `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    for (let i = 0; i < count; i++) {
      const ch = new MessageChannel();
      this.controls.push(ch.port1);
      const own = peers[i].filter((p): p is MessagePort => p !== null);
      const init: WorkerInit = { source, options, index: i, count, peers: peers[i], control: ch.port2, ctl: ctlBuffer, table: this.table.buffer, converged, deadline };
      const w = new Worker(boot, { eval: true, workerData: init, transferList: [ch.port2, ...own] });
      w.unref();
      this.threads.push(w);
    }
  }

  send(i: number, m: ToWorker): void {
    this.controls[i].postMessage(m);
  }

  sendAll(m: ToWorker): void {
    for (let i = 0; i < this.count; i++) this.send(i, m);
  }

  terminate(): void {
    for (const w of this.threads) void w.terminate();
  }

  /** The next message of type `type` from each worker in `from`, serving the table's growth meanwhile. */
  wait<T extends FromWorker['t']>(type: T, from: readonly number[], limitMs = 0, what = ''): Extract<FromWorker, { t: T }>[] {
    const got = new Map<number, FromWorker>();
    const until = limitMs > 0 ? Date.now() + limitMs : Number.POSITIVE_INFINITY;
    // Per awaited worker: its last beat and when it changed (a worker still starting up is covered by
    // `limitMs` instead: it beats only once it runs the search).
    const beats = new Map<number, { beat: number; at: number }>();
    while (got.size < from.length) {
      let heard = false;
      for (const i of from) {
        if (got.has(i)) continue;
        const m = receiveMessageOnPort(this.controls[i]);
        if (!m) continue;
        heard = true;
        const msg = m.message as FromWorker;
        if (msg.t === 'error') {
          this.terminate();
          throw new CheckerError(`worker ${i} failed: ${msg.message}`);
        }
        if (msg.t !== type) throw new Error(`internal: worker ${i} sent ${msg.t}, expected ${type}`);
        got.set(i, msg);
      }
      if (this.serveGrowth()) heard = true;
      if (got.size < from.length && !heard) {
        const now = Date.now();
        if (now > until) {
          this.terminate();
          throw new CheckerError(what);
        }
        if (limitMs === 0) this.checkBeats(from, got, beats, now);
        nap(this.ctl, 1);
      }
    }
    return from.map((i) => got.get(i) as Extract<FromWorker, { t: T }>);
  }

  /** Ends the check when an awaited worker has not beaten for `stallMs` (see CTL_BEATS). */
  private checkBeats(from: readonly number[], got: ReadonlyMap<number, FromWorker>, beats: Map<number, { beat: number; at: number }>, now: number): void {
    for (const i of from) {
      if (got.has(i)) continue;
      const beat = Atomics.load(this.ctl, CTL_BEATS + i);
      const last = beats.get(i);
      if (last === undefined || last.beat !== beat) beats.set(i, { beat, at: now });
      else if (now - last.at > this.stallMs) {
        this.terminate();
        throw new CheckerError(
          `worker ${i} stopped: no sign of progress for ${Math.round(this.stallMs / 1000)} s (a worker killed outright, e.g. out of memory, cannot say why); rerun with --workers 1 to see the error, or give it more heap (NODE_OPTIONS=--max-old-space-size=MB) if it ran out of memory`,
        );
      }
    }
  }

  /**
   * One step of a growth of the shared table, if one is under way: once every worker has stopped,
   * hand out a table half as big again; once every worker has moved its share into it, let them go.
   */
  private serveGrowth(): boolean {
    const ctl = this.ctl;
    if (Atomics.load(ctl, CTL_GROW) === 0) return false;
    if (Atomics.load(ctl, CTL_GROW) === 1 && Atomics.load(ctl, CTL_ARRIVED) === this.count) {
      this.table = new SharedFingerprintTable(SharedFingerprintTable.allocate(Math.ceil(this.table.cap * 1.5)));
      Atomics.store(ctl, CTL_GROW, 2);
      this.sendAll({ t: 'table', buffer: this.table.buffer });
      return true;
    }
    if (Atomics.load(ctl, CTL_GROW) === 2 && Atomics.load(ctl, CTL_REHASHED) === this.count) {
      Atomics.store(ctl, CTL_ARRIVED, 0);
      Atomics.store(ctl, CTL_REHASHED, 0);
      Atomics.store(ctl, CTL_GROW, 0);
      Atomics.add(ctl, CTL_GROWN, 1);
      return true;
    }
    return false;
  }

  /** Moves states between the workers' next frontiers until each is within BALANCE_SLACK of the mean. */
  balance(sizes: number[]): void {
    const total = sizes.reduce((a, b) => a + b, 0);
    const mean = total / this.count;
    const all = sizes.map((_, i) => i);
    for (let round = 0; round < this.count; round++) {
      const big = all.reduce((a, b) => (sizes[b] > sizes[a] ? b : a));
      const small = all.reduce((a, b) => (sizes[b] < sizes[a] ? b : a));
      const excess = Math.min(sizes[big] - mean, mean - sizes[small]);
      if (excess <= Math.max(BALANCE_SLACK * mean, 1)) return;
      const count = Math.floor(excess);
      this.send(big, { t: 'give', to: small, count });
      const [gave] = this.wait('gave', [big]);
      this.send(small, { t: 'take', from: big, batches: gave.batches });
      this.wait('took', [small]);
      sizes[big] -= count;
      sizes[small] += count;
    }
  }
}

/**
 * Breadth-first search of `protocol` on `options.workers` worker threads, each loading the protocol
 * from `source` (a protocol object cannot cross threads). Synchronous, like `check`.
 */
export function checkParallel<S, M, Cfg>(protocol: ProtocolDefinition<S, M, Cfg>, source: ProtocolSource, partial: Partial<CheckOptions> = {}, hooks: CheckHooks = {}): CheckResult {
  const options = optionsFor(protocol, partial);
  const count = options.workers;
  if (options.strategy !== 'bfs') throw new CheckerError(`--workers ${count} runs breadth-first search only; ${options.strategy} runs on one thread (use --workers 1)`);
  if (options.symmetry) throw new CheckerError(`--symmetry picks orbit representatives by id order, which differs between workers; use it with --workers 1`);
  if (!protocol.behaviour.decode) throw new CheckerError(`${protocol.name}'s behaviour has no decode(), so worker threads cannot hand its states to one another; use --workers 1`);
  // A local checker: the property list, and the traces afterwards.
  const local = new Checker(protocol, { ...options, workers: 1 });
  const started = performance.now();
  const deadline = options.timeLimitSec > 0 ? Date.now() + options.timeLimitSec * 1000 : Number.MAX_SAFE_INTEGER;
  const pool = new Workers(count, source, options, deadline, options.workerStallSec * 1000);
  const ctl = pool.ctl;
  // The initial state is in the table before any worker starts; worker 0 expands it.
  const fp = new Uint32Array(2);
  local.system.fingerprint(local.system.initial, fp);
  pool.table.add(fp[0], fp[1]);
  Atomics.store(ctl, CTL_COUNT, 1);
  const everyone = Array.from({ length: count }, (_, i) => i);

  pool.wait('ready', everyone, 60_000, `worker threads did not start within 60 s (they load the protocol from ${source.module})`);
  const violations = new Map<string, Violation>();
  const reached = new Set<string>();
  let distinct = 0;
  let generated = 0;
  let frontier = 1;
  let depth = 0;
  let maxDepth = 0;
  let stoppedBy: CheckStats['stoppedBy'] = 'exhausted';
  let lastProgress = started;
  const refutable = local.system.properties.filter((p) => p.temporal !== 'sometimes').length;
  for (;;) {
    if (frontier === 0) break;
    if (depth >= (options.maxDepth || 65_535)) {
      stoppedBy = 'depth';
      break;
    }
    pool.sendAll({ t: 'level' });
    const leveled = pool.wait('leveled', everyone);
    distinct = leveled.reduce((s, l) => s + l.distinct, 0);
    // Plus one: the single-threaded count includes the initial state.
    generated = leveled.reduce((s, l) => s + l.generated, 1);
    frontier = leveled.reduce((s, l) => s + l.frontier, 0);
    for (const l of leveled) {
      for (const [name, v] of l.violations) if (!violations.has(name)) violations.set(name, v);
      for (const r of l.reached) reached.add(r);
    }
    depth++;
    if (frontier > 0) maxDepth = depth;
    const now = performance.now();
    if (hooks.onProgress && now - lastProgress >= (hooks.progressEveryMs ?? 1000)) {
      lastProgress = now;
      hooks.onProgress({ generated, distinct, depth: maxDepth, queue: frontier, seconds: (now - started) / 1000 });
    }
    const stop = Atomics.load(ctl, CTL_STOP);
    if (stop === STOP_STATES) stoppedBy = 'states';
    else if (stop === STOP_TIME || Date.now() > deadline) stoppedBy = 'time';
    else if (violations.size > 0 && (options.stopAtFirst || (refutable > 0 && violations.size >= refutable))) stoppedBy = 'violation';
    else if (options.maxStates > 0 && distinct >= options.maxStates) stoppedBy = 'states';
    if (stoppedBy !== 'exhausted') break;
    if (depth < (options.maxDepth || 65_535)) pool.balance(leveled.map((l) => l.frontier));
  }
  pool.sendAll({ t: 'stop' });
  const finals = pool.wait('final', everyone);
  pool.terminate();
  const seconds = (performance.now() - started) / 1000;
  const verdicts = verdictsAfter(protocol, options, local, violations, reached, stoppedBy === 'exhausted');
  return {
    protocol: protocol.name,
    options,
    verdicts,
    coverage: coverage(options, stoppedBy, stoppedBy === 'depth', maxDepth, stoppedBy === 'exhausted' ? 0 : frontier, verdicts),
    stats: {
      generated,
      distinct,
      depth: maxDepth,
      seconds,
      distinctPerSec: distinct / Math.max(seconds, 1e-9),
      generatedPerSec: generated / Math.max(seconds, 1e-9),
      bytesPerState: pool.table.bytes / Math.max(distinct, 1),
      traceBytesPerState: 0,
      heapMB: process.memoryUsage().heapUsed / 2 ** 20,
      stoppedBy,
      localStates: finals.reduce((s, f) => s + f.localStates, 0),
      localTransitions: finals.reduce((s, f) => s + f.transitions, 0),
      memoHitRate: ((t, l) => (l === 0 ? 0 : 1 - t / l))(finals.reduce((s, f) => s + f.transitions, 0), finals.reduce((s, f) => s + f.lookups, 0)),
      workers: count,
    },
  };
}

/**
 * The verdicts of a parallel search. Traces: a single-threaded BFS for just the violated properties
 * finds each one's shortest trace (and says which eventually-findings were fair cycles and which
 * ran out of fair steps).
 */
function verdictsAfter<S, M, Cfg>(
  protocol: ProtocolDefinition<S, M, Cfg>,
  options: CheckOptions,
  local: Checker<S, M, Cfg>,
  violations: ReadonlyMap<string, Violation>,
  reached: ReadonlySet<string>,
  exhausted: boolean,
): Verdict[] {
  const traces = new Map<string, NonNullable<Verdict['trace']>>();
  const rerun = new Map<string, Verdict>();
  if (violations.size > 0) {
    const names = [...violations.keys()];
    const r = new Checker(protocol, { ...options, workers: 1, properties: names, stopAtFirst: false }).run();
    for (const v of r.verdicts) {
      rerun.set(v.property, v);
      if (v.trace) traces.set(v.property, v.trace);
    }
  }
  return local.system.properties.map((p) => {
    if (p.temporal === 'sometimes') return { property: p.name, temporal: p.temporal, meaning: p.meaning, status: reached.has(p.name) ? 'reached' : 'unreached' };
    const found = violations.get(p.name);
    if (!found) return { property: p.name, temporal: p.temporal, meaning: p.meaning, status: exhausted ? 'holds' : 'no-violation-found' };
    const again = rerun.get(p.name);
    if (again && (again.status === 'violated' || again.status === 'inconclusive')) return again;
    const trace = traces.get(p.name) ?? {
      protocol: protocol.name,
      property: p.name,
      temporal: p.temporal,
      options,
      // The workers checked this step property on a step single-threaded BFS does not take first.
      violation: { ...found, detail: `${found.detail} (found by a worker on a step the single-threaded search does not check; no trace)` },
      steps: [],
    };
    return { property: p.name, temporal: p.temporal, meaning: p.meaning, status: 'violated', trace };
  });
}
