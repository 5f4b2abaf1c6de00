/**
 * One worker thread's part of a parallel breadth-first search (parallel.ts coordinates). The worker
 * expands its own frontier one level at a time and adds each successor's fingerprint to the shared
 * table (shared-table.ts): a successor it adds first is its own, judged and queued here, in this
 * worker's interned ids; one another worker added is dropped. So no state crosses threads to be
 * deduplicated. States cross only when the coordinator evens out the frontiers between levels
 * (`give` / `take`), as words in the sender's ids plus the keys of ids new to the receiver.
 */
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { Observation, Violation } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { Checker } from './explore.js';
import { EXPANSION_BATCH, Expansion, LaneExpander, RECENT_BITS, type SuccessorSink } from './expansion.js';
import { RecentFingerprints } from './fingerprint.js';
import { Frontier } from './frontier.js';
import {
  type Batch,
  CTL_ADMITTED,
  CTL_ARRIVED,
  CTL_BEATS,
  CTL_CONVERGED,
  CTL_COUNT,
  CTL_GROW,
  CTL_GROWN,
  CTL_REHASHED,
  CTL_STOP,
  type FromWorker,
  STOP_STATES,
  STOP_TIME,
  type ToWorker,
  type WorkerInit,
  nap,
} from './protocol-source.js';
import { SharedFingerprintTable, SharedMemo } from './shared-table.js';
import type { Packed, System } from './system.js';

/** Words of states in one batch sent to a peer before it is posted. */
const BATCH_WORDS = 1 << 14;

const noPath = (): number[] => [];

export class WorkerSearch implements SuccessorSink {
  private readonly checker: Checker<unknown, unknown, unknown>;
  private readonly sys: System<unknown, unknown, unknown>;
  private table: SharedFingerprintTable;
  private next = new Frontier();
  /** An emptied frontier, kept for the next level (its memory is already paged in). */
  private spent: Frontier | undefined;
  private readonly lanes = Array.from({ length: EXPANSION_BATCH }, () => new Expansion());
  private readonly recent = new RecentFingerprints(RECENT_BITS);
  /** Where the words read by touch go, so that the reads are not optimized away. */
  private sink = 0;
  private readonly k: number;
  private readonly n: number;
  private readonly ctl: Int32Array;
  /** Per peer and id kind: ids below this were already described to that peer. */
  private readonly described: number[][];
  private readonly idMaps: number[][][];
  /** Control messages that arrived while this worker waited for a new table. */
  private readonly queued: ToWorker[] = [];
  private distinct = 0;
  private readonly counts = { generated: 0 };
  private readonly reported = new Set<string>();
  private readonly reachedReported = new Set<string>();
  private readonly fp = new Uint32Array(2);
  private readonly expander: LaneExpander<unknown, unknown, unknown>;
  /** The Observation of the state being expanded, for step properties. */
  private before: Observation | undefined;
  /**
   * A step property reads the state before the step, which is the step's own: every step into a
   * visited state is judged again (see `seen`), pure re-arms included.
   */
  readonly seesRearms: boolean;

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
    this.table = new SharedFingerprintTable(init.table);
    this.checker.shareConverged(new SharedMemo(init.converged, this.ctl, CTL_CONVERGED));
    this.seesRearms = this.checker.needsBefore;
    this.expander = new LaneExpander(this.sys, this, null, this.counts, this.fp);
    this.described = Array.from({ length: this.n }, () => [0, 0, 0, 0]);
    this.idMaps = Array.from({ length: this.n }, () => [[], [], [], []]);
    // Every worker builds the initial state; worker 0 owns it (the coordinator added it to the table).
    if (this.k === 0) {
      const s0 = this.sys.initial;
      const sums = new Int32Array(2);
      this.sys.sums(s0, sums);
      this.admit(s0, sums[0], sums[1]);
    }
  }

  private post(m: FromWorker): void {
    this.init.control.postMessage(m);
  }

  /** Serves the coordinator until it says stop. */
  serve(): void {
    this.post({ t: 'ready' });
    for (;;) {
      const m = this.waitControl();
      if (m.t === 'level') this.level();
      else if (m.t === 'give') this.give(m.to, m.count);
      else if (m.t === 'take') this.take(m.from, m.batches);
      else if (m.t === 'stop') {
        const s = this.sys.stats;
        this.post({ t: 'final', localStates: this.sys.locals.size, transitions: s.transitions, lookups: s.lookups });
        return;
      } else throw new Error(`internal: a worker was sent '${m.t}' outside a growth of the table`);
    }
  }

  /** A beat: this worker is alive (see CTL_BEATS). */
  private beat(): void {
    Atomics.add(this.ctl, CTL_BEATS + this.k, 1);
  }

  /** Waits a millisecond for another thread, beating. */
  private rest(): void {
    this.beat();
    nap(this.ctl, 1);
  }

  private waitControl(): ToWorker {
    for (;;) {
      const q = this.queued.shift();
      if (q) return q;
      const m = receiveMessageOnPort(this.init.control);
      if (m) return m.message as ToWorker;
      if (Atomics.load(this.ctl, CTL_GROW) !== 0) this.joinGrowth();
      else this.rest();
    }
  }

  /**
   * The table is being replaced by a bigger one: wait for it, move this worker's share of the old
   * slots into it, and wait until every worker has (before that, a lookup could miss a state).
   */
  private joinGrowth(): void {
    const ctl = this.ctl;
    const round = Atomics.load(ctl, CTL_GROWN);
    Atomics.add(ctl, CTL_ARRIVED, 1);
    let buffer: SharedArrayBuffer | undefined;
    while (buffer === undefined) {
      const m = receiveMessageOnPort(this.init.control);
      if (!m) {
        this.rest();
        continue;
      }
      const msg = m.message as ToWorker;
      if (msg.t === 'table') buffer = msg.buffer;
      else this.queued.push(msg);
    }
    const bigger = new SharedFingerprintTable(buffer);
    bigger.rehashFrom(this.table, this.k, this.n);
    this.table = bigger;
    Atomics.add(ctl, CTL_REHASHED, 1);
    while (Atomics.load(ctl, CTL_GROWN) === round) this.rest();
  }

  /** Adds a fingerprint to the shared table; true if this worker added it. Asks for growth at three-quarters. */
  claim(hi: number, lo: number): boolean {
    const added = this.recent.claim(this.table, hi, lo);
    if (added) {
      const count = Atomics.add(this.ctl, CTL_COUNT, 1) + 1;
      if (count * 4 > this.table.cap * 3) Atomics.compareExchange(this.ctl, CTL_GROW, 0, 1);
    }
    return added;
  }

  /** A state this worker claimed: judged and queued. Never stops mid-state: the level loop reads CTL_STOP between states. */
  admit(state: Packed, a: number, b: number): boolean {
    const max = this.init.options.maxStates;
    if (max > 0 && Atomics.add(this.ctl, CTL_ADMITTED, 1) >= max) {
      Atomics.compareExchange(this.ctl, CTL_STOP, 0, STOP_STATES);
      return false;
    }
    this.distinct++;
    this.checker.checkState(state, this.before, noPath);
    this.checker.checkEventually(state, noPath);
    this.next.push(state, 0, a, b);
    return false;
  }

  /**
   * Another step (maybe another worker's) reached the state first, but what a property reads of
   * this step (the state before it, its resolutions) is this step's own: judged here, so whichever
   * worker wins the race, every step single-threaded BFS judges is judged.
   */
  seen(state: Packed): void {
    if (this.seesRearms || this.sys.lastResolutions.has(state)) this.checker.checkState(state, this.before, noPath);
  }

  /** Expands every state of this worker's frontier (one BFS level), keeping the successors it adds first. */
  private level(): void {
    const sys = this.sys;
    const frontier = this.next;
    this.next = this.spent ?? new Frontier();
    this.spent = undefined;
    const fp = this.fp;
    const rearmFast = !sys.bounded;
    const needsBefore = this.checker.needsBefore;
    const lanes = this.lanes;
    let expanded = 0;
    // In batches, as the single-threaded search does (see Expansion): take and prepare a batch of
    // states, touch the table slots of their re-arm successors, then expand each.
    batches: while (frontier.size > 0) {
      let batch = 0;
      while (batch < lanes.length && frontier.size > 0) {
        lanes[batch].take(frontier, true);
        lanes[batch].prepare(sys, rearmFast, fp);
        batch++;
      }
      let sink = 0;
      for (let i = 0; i < batch; i++) sink ^= lanes[i].touch(this.table, this.recent);
      this.sink ^= sink;
      for (let j = 0; j < batch; j++) {
        if (Atomics.load(this.ctl, CTL_STOP) !== 0) break batches;
        // A state boundary: where this worker joins a growth of the table.
        if (Atomics.load(this.ctl, CTL_GROW) !== 0) this.joinGrowth();
        const x = lanes[j];
        this.before = needsBefore ? sys.observeReused(x.state, 1) : undefined;
        this.expander.expand(x, 0);
        if ((++expanded & 255) === 0) {
          this.beat();
          if (Date.now() > this.init.deadline) Atomics.compareExchange(this.ctl, CTL_STOP, 0, STOP_TIME);
        }
      }
    }
    if (frontier.size === 0) this.spent = frontier;
    const violations: [string, Violation][] = [];
    for (const [name, trace] of [...this.checker.violations, ...this.checker.inconclusive]) {
      if (this.reported.has(name)) continue;
      this.reported.add(name);
      violations.push([name, trace.violation]);
    }
    const reached = [...this.checker.reached].filter((r) => !this.reachedReported.has(r));
    for (const r of reached) this.reachedReported.add(r);
    this.post({ t: 'leveled', distinct: this.distinct, generated: this.counts.generated, frontier: this.next.size, violations, reached });
  }

  /** Sends `count` states of the next level's frontier to worker `to`, in batches. */
  private give(to: number, count: number): void {
    const port = this.init.peers[to]!;
    const state: number[] = [];
    let out = new Int32Array(BATCH_WORDS * 2);
    let o = 0;
    let batches = 0;
    const flush = () => {
      const batch: Batch = { words: out.slice(0, o), dict: this.sys.describeSince(this.described[to]) };
      port.postMessage(batch, [batch.words.buffer as ArrayBuffer]);
      batches++;
      o = 0;
    };
    for (let i = 0; i < count && this.next.size > 0; i++) {
      this.next.take(false, state);
      const need = 3 + state.length;
      if (o + need > out.length) {
        const bigger = new Int32Array(Math.max(out.length * 2, o + need));
        bigger.set(out.subarray(0, o));
        out = bigger;
      }
      out[o++] = this.next.sumA;
      out[o++] = this.next.sumB;
      out[o++] = state.length;
      for (let j = 0; j < state.length; j++) out[o++] = state[j];
      if (o >= BATCH_WORDS) flush();
    }
    if (o > 0) flush();
    this.post({ t: 'gave', batches });
  }

  /** Receives `batches` batches of states from worker `from` into the next level's frontier. */
  private take(from: number, batches: number): void {
    const port = this.init.peers[from] as MessagePort;
    const map = this.idMaps[from];
    for (let got = 0; got < batches; ) {
      const m = receiveMessageOnPort(port);
      if (!m) {
        this.rest();
        continue;
      }
      got++;
      const batch = m.message as Batch;
      const d = batch.dict;
      for (let i = 0; i < d.length; i += 3) map[d[i] as number][d[i + 1] as number] = this.sys.adopt(d[i] as number, d[i + 2] as string);
      const w = batch.words;
      for (let o = 0; o < w.length; ) {
        const len = w[o + 2];
        this.next.push(this.sys.importState(w, o + 3, len, map), 0, w[o], w[o + 1]);
        o += 3 + len;
      }
    }
    this.post({ t: 'took' });
  }
}
