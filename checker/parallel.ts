/**
 * Breadth-first search on several worker threads (`--workers N`).
 *
 * Each worker owns the states whose first two nodes' local states hash to its number (mod N): it
 * alone keeps their fingerprints and expands them. A successor owned by another worker is sent to it
 * in batches. Owning by part of the state, not by the whole fingerprint, keeps every step of the other
 * nodes (and every step that only moves messages) at home: only steps of those two nodes can cross,
 * and then with probability (N−1)/N. Owning by fingerprint sent half of all successors across on 2
 * workers; on the 7-counter model this sends about a seventh. Measured on 2 idle cores (all 10^7
 * states, one run each), CPU per state against one thread went from 1.66× to 1.56× and wall time from
 * 0.97× to 1.02× of one thread's: crossing was not the main cost (worker start-up, level barriers
 * and adopting received states are the rest, not measured apart). Two nodes, not one, for balance:
 * the 10 local states of one counter split 7 : 3 between 2 workers, the 100 pairs of two 52 : 48.
 * The search is level-synchronous: the coordinator (the calling thread) starts level d on every
 * worker, waits until each has expanded its states of depth d and received every batch sent to it,
 * then starts level d + 1. So each level holds exactly the states single-threaded BFS finds at that
 * depth, and the distinct-state count is the same.
 *
 * Interned ids are private to a worker, so a state crosses threads in the sender's ids together with
 * the key of each id the receiver has not been told yet (a local state's key is its encoded text,
 * rebuilt with the behaviour's `decode`). Fingerprints are computed from key hashes, not ids, so the
 * owner of a state is the same whichever worker finds it.
 *
 * Properties: state properties (always, sometimes) are checked once per state by its owner; when a
 * check depends on the step that reached the state (step properties, which read the state before, or
 * a step that resolved something) the sender checks it on each step it sends. Verdicts match the
 * single-threaded run on state properties; a step property is checked on at least one step into
 * each state, not necessarily the one single-threaded BFS takes first. A violation found by the
 * workers is traced by a single-threaded BFS for that property afterwards, so traces stay shortest.
 */
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { Violation } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { type CheckHooks, type CheckResult, type CheckStats, Checker, type Verdict } from './explore.js';
import { EXPANSION_BATCH, Expansion, RECENT_BITS } from './expansion.js';
import { FingerprintSet, RecentFingerprints } from './fingerprint.js';
import { Frontier } from './frontier.js';
import { fmix } from './intern.js';
import { runsFromSource, siblingModule, tsxApiUrl } from './module-url.js';
import { type CheckOptions, CheckerError, optionsFor } from './options.js';
import { coverage } from './verdicts.js';
import { type Packed, System, decodeAction } from './system.js';

/** Where a worker thread finds the protocol: a module and an export (a definition, or a function returning one). */
export interface ProtocolSource {
  /** A file: URL or package name that the worker can import. */
  readonly module: string;
  readonly exportName: string;
  /** Arguments when the export is a function (JSON values). */
  readonly args?: readonly unknown[];
}

/** Shared control words: [0] sleep target (never notified), [1] states admitted, [2] stop reason. */
const CTL_ADMITTED = 1;
const CTL_STOP = 2;
const STOP_STATES = 1;
const STOP_TIME = 2;

/** States in one batch before it is sent (words). Big enough to amortise a message, small enough to overlap work. */
const BATCH_WORDS = 1 << 14;
/** Slots of the lossy cache of states a worker already sent (8 bytes each): repeats are not resent. */
const SENT_CACHE_SLOTS = 1 << 20;

export interface WorkerInit {
  readonly source: ProtocolSource;
  readonly options: CheckOptions;
  readonly index: number;
  readonly count: number;
  readonly peers: readonly (MessagePort | null)[];
  readonly control: MessagePort;
  readonly ctl: SharedArrayBuffer;
  readonly deadline: number;
}

type ToWorker = { t: 'level'; depth: number } | { t: 'drain'; expect: number } | { t: 'stop' };
type FromWorker =
  | { t: 'ready' }
  | { t: 'error'; message: string }
  | { t: 'expanded'; sent: number[] }
  | { t: 'leveled'; distinct: number; generated: number; frontier: number; violations: [string, Violation][]; reached: string[] }
  | { t: 'final'; bytes: number; localStates: number; transitions: number; lookups: number };

interface Batch {
  readonly words: Int32Array;
  readonly dict: (number | string)[];
}

export async function loadProtocol(source: ProtocolSource): Promise<ProtocolDefinition<unknown, unknown, unknown>> {
  const mod = (await import(source.module)) as Record<string, unknown>;
  const x = mod[source.exportName];
  if (x === undefined) throw new CheckerError(`${source.module} has no export '${source.exportName}'`);
  return (typeof x === 'function' ? (x as (...a: unknown[]) => unknown)(...(source.args ?? [])) : x) as ProtocolDefinition<unknown, unknown, unknown>;
}

/** Sleeps the calling thread up to `ms` (Atomics.wait on a word nobody notifies). */
function nap(ctl: Int32Array, ms: number): void {
  Atomics.wait(ctl, 0, 0, ms);
}

// ---- worker side ------------------------------------------------------------------------------

/** One worker's part of the search. Runs synchronously, polling its ports between chunks of work. */
export class WorkerSearch {
  private readonly checker: Checker<unknown, unknown, unknown>;
  private readonly sys: System<unknown, unknown, unknown>;
  private readonly visited = new FingerprintSet(1 << 16);
  private next = new Frontier();
  /** An emptied frontier, kept for the next level. */
  private spent: Frontier | undefined;
  private readonly lanes = Array.from({ length: EXPANSION_BATCH }, () => new Expansion());
  private readonly recent = new RecentFingerprints(RECENT_BITS);
  /** Where the words read by FingerprintSet.touch go, so that the reads are not optimized away. */
  private sink = 0;
  private readonly k: number;
  private readonly n: number;
  private readonly ctl: Int32Array;
  private readonly outWords: Int32Array[];
  private readonly outFill: number[];
  /** Per peer and id kind: ids below this were already described to that peer. */
  private readonly described: number[][];
  private readonly idMaps: number[][][];
  private readonly sentCache = new Uint32Array(SENT_CACHE_SLOTS * 2);
  private sentBatches: number[];
  private receivedBatches = 0;
  private distinct = 0;
  private generated = 0;
  private readonly reported = new Set<string>();
  private readonly reachedReported = new Set<string>();
  private readonly fp = new Uint32Array(2);
  private readonly ownerOfLocals = (l0: number, l1: number): number => this.ownerOf(l0, l1);

  constructor(
    protocol: ProtocolDefinition<unknown, unknown, unknown>,
    private readonly init: WorkerInit,
  ) {
    this.checker = new Checker(protocol, { ...init.options, workers: 1 });
    this.checker.traceless = true;
    this.sys = this.checker.system;
    this.k = init.index;
    this.n = init.count;
    this.ctl = new Int32Array(init.ctl);
    const perPeer = <T>(make: () => T): T[] => Array.from({ length: this.n }, make);
    this.outWords = perPeer(() => new Int32Array(BATCH_WORDS * 2));
    this.outFill = new Array<number>(this.n).fill(0);
    this.described = perPeer(() => [0, 0, 0, 0]);
    this.idMaps = perPeer(() => [[], [], [], []]);
    this.sentBatches = new Array<number>(this.n).fill(0);
    const s0 = this.sys.initial;
    const sums = new Int32Array(2);
    this.sys.sums(s0, sums);
    System.finish(sums[0], sums[1], s0.length, this.fp);
    if (this.ownerOf(s0[0], s0[1]) === this.k && this.visited.add(this.fp[0], this.fp[1])) this.admit(s0, sums[0], sums[1], undefined, false);
  }

  /**
   * The worker that owns the states whose first two nodes have local states `l0` and `l1` (ids of
   * this worker's interning): from the hashes of their keys, so every worker agrees. A one-node
   * system is owned by its only node's local state.
   */
  private ownerOf(l0: number, l1: number): number {
    const L = this.sys.locals;
    const h1 = this.sys.n > 1 ? Math.imul(L.hashB[l1], 0x9e3779b1) : 0;
    return (fmix(L.hashA[l0] ^ h1) >>> 0) % this.n;
  }

  private post(m: FromWorker): void {
    this.init.control.postMessage(m);
  }

  /** Serves the coordinator until it says stop. */
  serve(): void {
    this.post({ t: 'ready' });
    for (;;) {
      const m = this.waitControl();
      if (m.t === 'level') this.level(m.depth);
      else if (m.t === 'drain') this.drain(m.expect);
      else {
        const s = this.sys.stats;
        this.post({ t: 'final', bytes: this.visited.bytes, localStates: this.sys.locals.size, transitions: s.transitions, lookups: s.lookups });
        return;
      }
    }
  }

  private waitControl(): ToWorker {
    // Peers are not read here: a batch a peer sends for level d before this worker starts level d
    // holds depth d + 1 states, which must not join the states of depth d it is about to expand.
    for (;;) {
      const m = receiveMessageOnPort(this.init.control);
      if (m) return m.message as ToWorker;
      nap(this.ctl, 1);
    }
  }

  private admit(state: Packed, a: number, b: number, before: Parameters<Checker<unknown, unknown, unknown>['checkState']>[1], judged: boolean): void {
    const max = this.init.options.maxStates;
    if (max > 0 && Atomics.add(this.ctl, CTL_ADMITTED, 1) >= max) {
      Atomics.compareExchange(this.ctl, CTL_STOP, 0, STOP_STATES);
      return;
    }
    this.distinct++;
    if (!judged) this.checker.checkState(state, before, noPath);
    this.checker.checkEventually(state, noPath);
    this.next.push(state, 0, a, b);
  }

  /** Expands every state of depth `depth` this worker owns, routing successors to their owners. */
  private level(depth: number): void {
    const sys = this.sys;
    const frontier = this.next;
    // The frontier emptied by the last level is reused (its memory is already paged in).
    this.next = this.spent ?? new Frontier();
    this.spent = undefined;
    this.sentBatches.fill(0);
    const child: number[] = [];
    const sums = new Int32Array(2);
    const fp = this.fp;
    const rearmFast = !sys.bounded;
    const needsBefore = this.checker.needsBefore;
    const lanes = this.lanes;
    let expanded = 0;
    // In batches, as the single-threaded explorer does (see Expansion): take and prepare a batch of
    // states, touch the table slots of the re-arm successors this worker owns, then expand each.
    batches: while (frontier.size > 0) {
      let batch = 0;
      while (batch < lanes.length && frontier.size > 0) {
        lanes[batch].take(frontier, true);
        lanes[batch].prepare(sys, rearmFast, fp);
        batch++;
      }
      let sink = 0;
      for (let i = 0; i < batch; i++) sink ^= lanes[i].touchOwned(this.visited, this.recent, this.ownerOfLocals, this.k);
      this.sink ^= sink;
      for (let j = 0; j < batch; j++) {
        if (Atomics.load(this.ctl, CTL_STOP) !== 0) break batches;
        const x = lanes[j];
        const cur = x.state;
        const codes = x.codes;
        const before = needsBefore ? sys.observeReused(cur, 1) : undefined;
        for (let c = 0; c < x.count; c++) {
          const next = x.rearmOf(sys, c, fp);
          if (next >= 0) {
            this.generated++;
            fp[0] = x.hi[c];
            fp[1] = x.lo[c];
            const node = codes[c * 4 + 1];
            const owner = this.ownerOf(node === 0 ? next : cur[0], node === 1 ? next : cur[1]);
            if (owner === this.k ? this.known(fp[0], fp[1]) : this.sentBefore(fp[0], fp[1])) continue;
            const len = cur.length;
            if (child.length > len) child.length = len;
            for (let i = 0; i < len; i++) child[i] = cur[i];
            child[node] = next;
            this.route(owner, child, x.a[c], x.b[c], before);
            continue;
          }
          for (const raw of sys.apply(cur, decodeAction(codes[c * 4], codes[c * 4 + 1], codes[c * 4 + 2]))) {
            this.generated++;
            const state = raw.state;
            sys.sums(state, sums);
            System.finish(sums[0], sums[1], state.length, fp);
            const owner = this.ownerOf(state[0], state[1]);
            if (owner === this.k ? this.known(fp[0], fp[1]) : this.sentBefore(fp[0], fp[1])) continue;
            this.route(owner, state, sums[0], sums[1], before);
          }
        }
        if ((++expanded & 255) === 0) {
          this.pollPeers();
          if ((expanded & 4095) === 0 && Date.now() > this.init.deadline) Atomics.compareExchange(this.ctl, CTL_STOP, 0, STOP_TIME);
        }
      }
    }
    if (frontier.size === 0) this.spent = frontier;
    for (let p = 0; p < this.n; p++) this.flush(p);
    this.post({ t: 'expanded', sent: this.sentBatches.slice() });
  }

  /** True if this worker's visited set holds the fingerprint (looked up in the recent cache first). */
  private known(hi: number, lo: number): boolean {
    if (this.recent.has(hi, lo)) return true;
    if (!this.visited.has(hi, lo)) return false;
    this.recent.put(hi, lo);
    return true;
  }

  /** True if this worker sent this fingerprint lately (a lossy cache: a miss only costs a resend). */
  private sentBefore(hi: number, lo: number): boolean {
    const slot = ((hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0) % SENT_CACHE_SLOTS;
    const c = this.sentCache;
    if (c[slot * 2] === hi && c[slot * 2 + 1] === lo) return true;
    c[slot * 2] = hi;
    c[slot * 2 + 1] = lo;
    return false;
  }

  /** A successor not known to be visited: admitted here, or queued for its owner. */
  private route(owner: number, state: Packed, a: number, b: number, before: ReturnType<System<unknown, unknown, unknown>['observeReused']> | undefined): void {
    const fp = this.fp;
    if (owner === this.k) {
      this.visited.add(fp[0], fp[1]);
      this.recent.put(fp[0], fp[1]);
      this.admit(state, a, b, before, false);
      return;
    }
    // A check that depends on the step (the state before, or what the step resolved) is made here,
    // where the step is known; the owner checks the rest once.
    const judged = this.checker.needsBefore || this.sys.lastResolutions.has(state);
    if (judged) this.checker.checkState(state, before, noPath);
    const need = 6 + state.length;
    let out = this.outWords[owner];
    let o = this.outFill[owner];
    if (o + need > out.length) {
      const bigger = new Int32Array(Math.max(out.length * 2, o + need));
      bigger.set(out.subarray(0, o));
      out = this.outWords[owner] = bigger;
    }
    out[o++] = fp[0] | 0;
    out[o++] = fp[1] | 0;
    out[o++] = a;
    out[o++] = b;
    out[o++] = judged ? 1 : 0;
    out[o++] = state.length;
    for (let i = 0; i < state.length; i++) out[o++] = state[i];
    this.outFill[owner] = o;
    if (o >= BATCH_WORDS) this.flush(owner);
  }

  /**
   * Sends the queued states to `owner`, with the key of every id interned here since the last batch
   * to that peer (ids only grow, so a watermark per kind replaces a look at every word of every state).
   */
  private flush(owner: number): void {
    const fill = this.outFill[owner];
    if (fill === 0) return;
    const batch: Batch = { words: this.outWords[owner].slice(0, fill), dict: this.sys.describeSince(this.described[owner]) };
    this.init.peers[owner]!.postMessage(batch, [batch.words.buffer as ArrayBuffer]);
    this.outFill[owner] = 0;
    this.sentBatches[owner]++;
  }

  private pollPeers(): void {
    for (let p = 0; p < this.n; p++) {
      const port = this.init.peers[p];
      if (!port) continue;
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) this.receive(p, m.message as Batch);
    }
  }

  private receive(peer: number, batch: Batch): void {
    this.receivedBatches++;
    const map = this.idMaps[peer];
    const d = batch.dict;
    for (let i = 0; i < d.length; i += 3) map[d[i] as number][d[i + 1] as number] = this.sys.adopt(d[i] as number, d[i + 2] as string);
    const w = batch.words;
    for (let o = 0; o < w.length; ) {
      const hi = w[o] >>> 0;
      const lo = w[o + 1] >>> 0;
      const len = w[o + 5];
      if (!this.recent.has(hi, lo) && this.visited.add(hi, lo)) {
        this.recent.put(hi, lo);
        const state = this.sys.importState(w, o + 6, len, map);
        this.admit(state, w[o + 2], w[o + 3], undefined, w[o + 4] === 1);
      }
      o += 6 + len;
    }
  }

  /** Waits for every batch sent to this worker in this level, then reports the level. */
  private drain(expect: number): void {
    while (this.receivedBatches < expect) {
      this.pollPeers();
      if (this.receivedBatches < expect) nap(this.ctl, 1);
    }
    // Counted from here for the next level: a peer may send before this worker is told to start it.
    this.receivedBatches = 0;
    const violations: [string, Violation][] = [];
    for (const [name, trace] of [...this.checker.violations, ...this.checker.inconclusive]) {
      if (this.reported.has(name)) continue;
      this.reported.add(name);
      violations.push([name, trace.violation]);
    }
    const reached = [...this.checker.reached].filter((r) => !this.reachedReported.has(r));
    for (const r of reached) this.reachedReported.add(r);
    this.post({ t: 'leveled', distinct: this.distinct, generated: this.generated, frontier: this.next.size, violations, reached });
  }
}

const noPath = (): number[] => [];

// ---- coordinator side -------------------------------------------------------------------------

/**
 * Breadth-first search of `protocol` on `options.workers` worker threads, each loading the protocol
 * from `source` (a protocol object cannot cross threads). Synchronous, like `check`.
 */
export function checkParallel<S, M, Cfg>(protocol: ProtocolDefinition<S, M, Cfg>, source: ProtocolSource, partial: Partial<CheckOptions> = {}, hooks: CheckHooks = {}): CheckResult {
  const options = optionsFor(protocol as unknown as ProtocolDefinition<unknown, unknown>, partial);
  const count = options.workers;
  if (options.strategy !== 'bfs') throw new CheckerError(`--workers ${count} runs breadth-first search only; ${options.strategy} runs on one thread (use --workers 1)`);
  if (options.symmetry) throw new CheckerError(`--symmetry picks orbit representatives by id order, which differs between workers; use it with --workers 1`);
  if (!protocol.behaviour.decode) throw new CheckerError(`${protocol.name}'s behaviour has no decode(), so worker threads cannot hand its states to one another; use --workers 1`);
  // A local checker: the property list, and the traces afterwards.
  const local = new Checker(protocol, { ...options, workers: 1 });
  const started = performance.now();
  const deadline = options.timeLimitSec > 0 ? Date.now() + options.timeLimitSec * 1000 : Number.MAX_SAFE_INTEGER;
  const ctlBuffer = new SharedArrayBuffer(16);
  const ctl = new Int32Array(ctlBuffer);
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
  const controls: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const ch = new MessageChannel();
    controls.push(ch.port1);
    const own = peers[i].filter((p): p is MessagePort => p !== null);
    const init: WorkerInit = { source, options, index: i, count, peers: peers[i], control: ch.port2, ctl: ctlBuffer, deadline };
    const w = new Worker(boot, { eval: true, workerData: init, transferList: [ch.port2, ...own] });
    w.unref();
    workers.push(w);
  }
  const waitAll = (type: FromWorker['t'], limitMs = 0): FromWorker[] => {
    const got: (FromWorker | undefined)[] = new Array(count);
    let left = count;
    const until = limitMs > 0 ? Date.now() + limitMs : Number.POSITIVE_INFINITY;
    while (left > 0) {
      for (let i = 0; i < count; i++) {
        if (got[i]) continue;
        const m = receiveMessageOnPort(controls[i]);
        if (!m) continue;
        const msg = m.message as FromWorker;
        if (msg.t === 'error') {
          for (const w of workers) void w.terminate();
          throw new CheckerError(`worker ${i} failed: ${msg.message}`);
        }
        if (msg.t !== type) throw new Error(`internal: worker ${i} sent ${msg.t}, expected ${type}`);
        got[i] = msg;
        left--;
      }
      if (left > 0) {
        if (Date.now() > until) {
          for (const w of workers) void w.terminate();
          throw new CheckerError(`worker threads did not start within ${limitMs / 1000} s (they load the protocol from ${source.module})`);
        }
        nap(ctl, 1);
      }
    }
    return got as FromWorker[];
  };
  const send = (m: ToWorker) => {
    for (const c of controls) c.postMessage(m);
  };

  waitAll('ready', 60_000);
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
    send({ t: 'level', depth });
    const expanded = waitAll('expanded') as Extract<FromWorker, { t: 'expanded' }>[];
    for (let i = 0; i < count; i++) controls[i].postMessage({ t: 'drain', expect: expanded.reduce((s, e) => s + e.sent[i], 0) } satisfies ToWorker);
    const leveled = waitAll('leveled') as Extract<FromWorker, { t: 'leveled' }>[];
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
  }
  send({ t: 'stop' });
  const finals = waitAll('final') as Extract<FromWorker, { t: 'final' }>[];
  for (const w of workers) void w.terminate();
  const seconds = (performance.now() - started) / 1000;

  // Traces: a single-threaded BFS for just the violated properties finds each one's shortest trace.
  // (It also says which eventually-findings were fair cycles and which ran out of fair steps.)
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
  const exhausted = stoppedBy === 'exhausted';
  const verdicts: Verdict[] = local.system.properties.map((p) => {
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
  const bytes = finals.reduce((s, f) => s + f.bytes, 0);
  const transitions = finals.reduce((s, f) => s + f.transitions, 0);
  const lookups = finals.reduce((s, f) => s + f.lookups, 0);
  return {
    protocol: protocol.name,
    options,
    verdicts,
    coverage: coverage(options, stoppedBy, stoppedBy === 'depth', maxDepth, exhausted ? 0 : frontier, verdicts),
    stats: {
      generated,
      distinct,
      depth: maxDepth,
      seconds,
      distinctPerSec: distinct / Math.max(seconds, 1e-9),
      generatedPerSec: generated / Math.max(seconds, 1e-9),
      bytesPerState: bytes / Math.max(distinct, 1),
      traceBytesPerState: 0,
      heapMB: process.memoryUsage().heapUsed / 2 ** 20,
      stoppedBy,
      localStates: finals.reduce((s, f) => s + f.localStates, 0),
      localTransitions: transitions,
      memoHitRate: lookups === 0 ? 0 : 1 - transitions / lookups,
      workers: count,
    },
  };
}
