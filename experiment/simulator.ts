/**
 * The cluster simulator: a discrete-event loop in virtual time that drives unchanged protocol cores
 * through the step contract. Every source of variation (latency, loss, duplication, which nodes a
 * scenario picks) comes from seeded generators and every tie in time is broken by scheduling order,
 * so a seed fixes the run: same seed, same events, same results.
 *
 * Effects the cores ask for are carried out here: `send` goes through the network model, `setTimer`
 * schedules a timer event (a re-arm or cancel only bumps the node's generation for that timer, so a
 * stale event is skipped when it comes up: O(1) cancel), `notify` goes to the observers. A crashed
 * node loses its timers and in-flight deliveries to it are dropped; a stalled node (a CPU stall)
 * processes nothing until the stall ends and then works through what queued up, in order.
 */
import { getHeapStatistics } from 'node:v8';
import { AliceError } from '../spec/errors.js';
import type { NodeId } from '../spec/node.js';
import type { Announcement, Observation } from '../spec/properties.js';
import type { Command, Input, NodeSetup, Notification, Output, StepResult } from '../spec/step.js';
import type { View } from '../spec/view.js';
import { ROLES, type Role, roleOf } from '../spec/topology.js';
import { EventQueue } from './event-queue.js';
import { Network, type NetworkConfig, NETWORK_DEFAULTS, type Partition, TCP, networkConfig } from './network.js';
import { Rng } from '../spec/prng.js';
import { TimerTable } from './timer-table.js';
import type { SimProtocol, SimTransport } from './sim-protocol.js';
import { collectGarbage } from './collect.js';

function liveHeap(): number {
  collectGarbage();
  return getHeapStatistics().used_heap_size;
}

export interface SimConfig {
  /** Seed of every generator in the run. Default 1: any fixed value; the report states the one used. */
  readonly seed: number;
  readonly network: NetworkConfig;
  /**
   * Stop with a SimBudgetError after this many events (0: no limit). Default 0; `alice bench` sets a
   * budget so a protocol that grows quadratically stops with a measured figure instead of exhausting memory.
   */
  readonly maxEvents: number;
  /** Stop with a SimBudgetError after this much wall time, ms (0: no limit). Default 0, as maxEvents. */
  readonly maxWallMs: number;
  /**
   * Stop with a SimBudgetError when the V8 heap passes this many bytes (0: no limit). Default 0;
   * `alice bench` sets 3 GB, under the 4 GB the issue allows, so a run too big for memory ends with
   * a figure instead of killing the process.
   */
  readonly maxHeapBytes: number;
  /** Time each step() call (µs, wall clock). Default true: the CPU figure of the report comes from it. */
  readonly measureCpu: boolean;
}

export const SIM_DEFAULTS: SimConfig = { seed: 1, network: NETWORK_DEFAULTS, maxEvents: 0, maxWallMs: 0, maxHeapBytes: 0, measureCpu: true };

export function simConfig(overrides: Partial<SimConfig> = {}): SimConfig {
  const c = { ...SIM_DEFAULTS, ...overrides };
  if (!Number.isInteger(c.seed)) throw new SimConfigError('seed', `expected a whole number, got ${String(c.seed)}`);
  for (const k of ['maxEvents', 'maxWallMs', 'maxHeapBytes'] as const) {
    if (!(c[k] >= 0)) throw new SimConfigError(k, `expected a number ≥ 0 (0 means no limit), got ${String(c[k])}`);
  }
  return { ...c, network: networkConfig(c.network) };
}

export class SimConfigError extends AliceError {
  constructor(field: string, reason: string) {
    super('SIM_CONFIG', `simulator config ${field}: ${reason}`);
  }
}

/** A run hit its event or wall-time budget; the figures gathered so far stay readable. */
export class SimBudgetError extends AliceError {
  constructor(
    readonly reached: number,
    readonly events: number,
    readonly wallMs: number,
    what: string,
  ) {
    super(
      'SIM_BUDGET',
      `simulation stopped at virtual ${(reached / 1000).toFixed(1)} s after ${events} events and ${(wallMs / 1000).toFixed(1)} s wall: ${what}; raise the budget or run fewer nodes`,
    );
  }
}

/** Something that watches a run. All callbacks are synchronous and must not step nodes themselves. */
export interface SimObserver {
  onNotify?(node: number, event: Notification, at: number): void;
  onCrash?(node: number, at: number): void;
  onStart?(node: number, at: number): void;
}

const DELIVER = 0;
const TIMER = 1;
const ACTION = 2;


/** Traffic of a run: totals per virtual second, per message kind, per sender, per role. */
export class Traffic {
  readonly messages: number[] = [];
  readonly bytes: number[] = [];
  /** Per role (ROLES order), per virtual second: messages and bytes its nodes sent, bytes sent to them. */
  readonly roleMessages: number[][] = ROLES.map(() => []);
  readonly roleBytes: number[][] = ROLES.map(() => []);
  readonly roleReceived: number[][] = ROLES.map(() => []);
  readonly byKind: Record<string, { messages: number; bytes: number }> = {};
  readonly bytesBySender: Float64Array;
  delivered = 0;
  dropped = 0;

  /** `roles`: each node's index into ROLES (default: every node a backend). */
  constructor(
    n: number,
    readonly roles: Uint8Array = new Uint8Array(n).fill(2),
  ) {
    this.bytesBySender = new Float64Array(n);
  }

  /** A message sent at `at`; `to` is the receiver's index (undefined: an unknown id, nobody receives). */
  record(at: number, sender: number, kind: string, size: number, to?: number): void {
    const s = Math.floor(at / 1000);
    while (this.messages.length <= s) {
      this.messages.push(0);
      this.bytes.push(0);
      for (let r = 0; r < ROLES.length; r++) {
        this.roleMessages[r].push(0);
        this.roleBytes[r].push(0);
        this.roleReceived[r].push(0);
      }
    }
    this.messages[s]++;
    this.bytes[s] += size;
    const r = this.roles[sender];
    this.roleMessages[r][s]++;
    this.roleBytes[r][s] += size;
    if (to !== undefined) this.roleReceived[this.roles[to]][s] += size;
    const k = (this.byKind[kind] ??= { messages: 0, bytes: 0 });
    k.messages++;
    k.bytes += size;
    this.bytesBySender[sender] += size;
  }

  copy(): Traffic {
    const t = new Traffic(0, this.roles);
    const w = t as unknown as Record<string, unknown>;
    w.messages = this.messages.slice();
    w.bytes = this.bytes.slice();
    w.roleMessages = this.roleMessages.map((x) => x.slice());
    w.roleBytes = this.roleBytes.map((x) => x.slice());
    w.roleReceived = this.roleReceived.map((x) => x.slice());
    w.byKind = Object.fromEntries(Object.entries(this.byKind).map(([k, v]) => [k, { ...v }]));
    w.bytesBySender = this.bytesBySender.slice();
    t.delivered = this.delivered;
    t.dropped = this.dropped;
    return t;
  }

  /** Messages and bytes sent in whole virtual seconds [fromMs, untilMs). */
  window(fromMs: number, untilMs: number): { messages: number; bytes: number; seconds: number } {
    return sumWindow(this.messages, this.bytes, fromMs, untilMs);
  }

  /** The same for one role's nodes, with the bytes sent to them. */
  roleWindow(role: Role, fromMs: number, untilMs: number): { messages: number; bytes: number; received: number; seconds: number } {
    const r = ROLES.indexOf(role);
    const w = sumWindow(this.roleMessages[r], this.roleBytes[r], fromMs, untilMs);
    return { ...w, received: sumWindow(this.roleReceived[r], this.roleReceived[r], fromMs, untilMs).bytes };
  }
}

function sumWindow(messagesPerSec: readonly number[], bytesPerSec: readonly number[], fromMs: number, untilMs: number): { messages: number; bytes: number; seconds: number } {
  const a = Math.floor(fromMs / 1000);
  const b = Math.floor(untilMs / 1000);
  let messages = 0;
  let bytes = 0;
  for (let s = a; s < b; s++) {
    messages += messagesPerSec[s] ?? 0;
    bytes += bytesPerSec[s] ?? 0;
  }
  return { messages, bytes, seconds: Math.max(0, b - a) };
}

export class Simulator<S, M, Cfg = unknown> {
  readonly ids: readonly NodeId[];
  readonly index = new Map<NodeId, number>();
  readonly config: SimConfig;
  readonly network: Network;
  readonly traffic: Traffic;
  /** Seeded stream for scenarios (which node crashes, skews), separate from the network's. */
  readonly scenarioRng: Rng;
  private readonly states: (S | undefined)[];
  private readonly up: Uint8Array;
  private readonly started: Uint8Array;
  private readonly timers: TimerTable;
  private readonly stalls = new Map<number, [number, number][]>();
  private readonly skew: Float64Array;
  private readonly announced: Announcement[][];
  private readonly queue = new EventQueue<M>();
  private readonly observers: SimObserver[] = [];
  /** TCP connections by unordered node pair (lo·N + hi): when one last carried a message. */
  private readonly connections = new Map<number, number>();
  /** When each node last (re)started or crashed: its connections from before are gone. */
  private readonly resetAt: Float64Array;
  private seq = 0;
  private clock = 0;
  private events = 0;
  private wallStart = 0;
  /** The largest V8 heap (used bytes) seen, sampled every 8,192 events: the run's memory peak. */
  peakHeapBytes = 0;
  /** The largest resident set seen, sampled with the heap: this run's own peak, not the process's so far. */
  peakRssBytes = 0;
  /** Wall time spent inside the protocol's init/step, µs (when measureCpu). */
  stepMicros = 0;
  steps = 0;

  constructor(
    readonly protocol: SimProtocol<S, M, Cfg>,
    readonly setups: readonly NodeSetup<Cfg>[],
    config: Partial<SimConfig> = {},
  ) {
    this.config = simConfig(config);
    const n = setups.length;
    this.ids = setups.map((s) => s.id);
    this.ids.forEach((id, i) => {
      if (this.index.has(id)) throw new SimConfigError('setups', `node id ${id} appears twice`);
      this.index.set(id, i);
    });
    const root = Rng.seeded(this.config.seed);
    this.network = new Network(this.config.network, root.fork(1));
    this.scenarioRng = root.fork(2);
    this.traffic = new Traffic(n, Uint8Array.from(setups, (x) => ROLES.indexOf(roleOf(x.info.nodeType))));
    this.states = new Array<S | undefined>(n).fill(undefined);
    this.up = new Uint8Array(n);
    this.started = new Uint8Array(n);
    this.timers = new TimerTable(n);
    this.skew = new Float64Array(n);
    this.resetAt = new Float64Array(n);
    this.announced = Array.from({ length: n }, () => []);
  }

  get now(): number {
    return this.clock;
  }

  get size(): number {
    return this.ids.length;
  }

  get eventCount(): number {
    return this.events;
  }

  /**
   * An independent copy of the run so far, without observers: what a scenario forks from a shared
   * warm-up. States are immutable values in both cores, so sharing them is safe; everything the loop
   * mutates (queue, timers, flags, generators, traffic) is copied. The copy continues exactly as the
   * original would have: same seed, same draws, same results.
   */
  fork(): Simulator<S, M, Cfg> {
    // A scheduled action is a closure over this simulator: it would act on the original, not the copy.
    if (this.queue.some((slot) => this.queue.kind[slot] === ACTION)) throw new SimConfigError('fork', 'scenario actions are still scheduled; fork before scheduling any');
    const c = Object.create(Simulator.prototype) as Simulator<S, M, Cfg>;
    Object.assign(c, this);
    const w = c as unknown as Record<string, unknown>;
    w.index = new Map(this.index);
    w.network = this.network.fork();
    w.scenarioRng = this.scenarioRng.fork(0).copyOf(this.scenarioRng);
    w.traffic = this.traffic.copy();
    w.states = this.states.slice();
    w.up = this.up.slice();
    w.started = this.started.slice();
    w.timers = this.timers.copy();
    w.stalls = new Map([...this.stalls].map(([k, v]) => [k, v.map((x) => [x[0], x[1]] as [number, number])]));
    w.skew = this.skew.slice();
    w.connections = new Map(this.connections);
    w.resetAt = this.resetAt.slice();
    w.announced = this.announced.map((a) => a.slice());
    w.queue = this.queue.copy();
    w.observers = [];
    w.wallStart = 0;
    return c;
  }

  observe(o: SimObserver): void {
    this.observers.push(o);
  }

  isUp(i: number): boolean {
    return this.up[i] === 1;
  }

  liveCount(): number {
    let c = 0;
    for (let i = 0; i < this.up.length; i++) c += this.up[i];
    return c;
  }

  state(i: number): S | undefined {
    return this.states[i];
  }

  view(i: number): View | undefined {
    const s = this.states[i];
    return s === undefined ? undefined : this.protocol.definition.behaviour.view(s);
  }

  announcements(i: number): readonly Announcement[] {
    return this.announced[i];
  }

  /** Clock skew of node i, ms, added to every `now` it reads. */
  setSkew(i: number, ms: number): void {
    this.skew[i] = ms;
  }

  skewOf(i: number): number {
    return this.skew[i];
  }

  /** Node i processes nothing in [from, until): a CPU stall, a long GC pause, a slow node. */
  addStall(i: number, from: number, until: number): void {
    const list = this.stalls.get(i) ?? [];
    list.push([from, until]);
    list.sort((a, b) => a[0] - b[0]);
    this.stalls.set(i, list);
  }

  addPartition(p: Partition): void {
    this.network.addPartition(p);
  }

  /** Loss from now on, for every datagram and TCP message sent after this moment. */
  setLoss(loss: number): void {
    this.network.setLoss(loss);
  }

  /** Run `fn` at virtual time `at` (after everything already scheduled for that time). */
  at(at: number, fn: () => void): void {
    this.queue.push(Math.max(at, this.clock), this.seq++, ACTION, -1, -1, undefined, '', 0, fn);
  }

  /**
   * Starts node i now: init from its setup with its own clock reading. `init` replaces the protocol's
   * own (a start from a member snapshot); a later restart is the protocol's, as for any node.
   */
  start(i: number, init: (setup: NodeSetup<Cfg>) => StepResult<S, M> = this.protocol.definition.behaviour.init): void {
    if (this.started[i]) return;
    this.started[i] = 1;
    this.up[i] = 1;
    this.resetAt[i] = this.clock;
    const setup = this.setups[i];
    const now = this.clock + this.skew[i];
    const r = this.timed(() => init({ ...setup, now }));
    this.states[i] = r.state;
    for (const o of this.observers) o.onStart?.(i, this.clock);
    this.apply(i, r.outputs);
  }

  crash(i: number): void {
    if (!this.up[i]) return;
    this.input(i, { type: 'crash', now: this.localNow(i) });
    this.up[i] = 0;
    this.resetAt[i] = this.clock;
    // The process is gone: its armed timers die with it.
    this.timers.clearNode(i);
    for (const o of this.observers) o.onCrash?.(i, this.clock);
  }

  restart(i: number): void {
    if (this.up[i] || !this.started[i]) return;
    this.up[i] = 1;
    this.resetAt[i] = this.clock;
    this.input(i, { type: 'restart', now: this.localNow(i) });
    for (const o of this.observers) o.onStart?.(i, this.clock);
  }

  command(i: number, command: Command): void {
    if (!this.up[i]) return;
    this.input(i, { type: 'command', command, now: this.localNow(i) });
  }

  /** Process every event due up to virtual time `until` (inclusive), then set the clock to `until`. */
  runUntil(until: number): void {
    if (this.wallStart === 0) this.wallStart = performance.now();
    const { maxEvents, maxWallMs, maxHeapBytes } = this.config;
    const q = this.queue;
    for (;;) {
      const slot = q.peek();
      if (slot < 0 || q.at[slot] > until) break;
      q.pop();
      const at = q.at[slot];
      const kind = q.kind[slot];
      this.clock = at;
      this.events++;
      if (maxEvents > 0 && this.events > maxEvents) {
        throw new SimBudgetError(this.clock, this.events, performance.now() - this.wallStart, `event budget ${maxEvents} spent`);
      }
      if (maxWallMs > 0 && (this.events & 1023) === 0 && performance.now() - this.wallStart > maxWallMs) {
        throw new SimBudgetError(this.clock, this.events, performance.now() - this.wallStart, `wall-time budget ${maxWallMs} ms spent`);
      }
      if ((this.events & 8191) === 0) {
        const used = getHeapStatistics().used_heap_size;
        if (used > this.peakHeapBytes) this.peakHeapBytes = used;
        const rss = process.memoryUsage.rss();
        if (rss > this.peakRssBytes) this.peakRssBytes = rss;
        // Over the budget by V8's count, which includes uncollected garbage: judge the live heap.
        if (maxHeapBytes > 0 && used > maxHeapBytes && liveHeap() > maxHeapBytes) {
          throw new SimBudgetError(this.clock, this.events, performance.now() - this.wallStart, `heap passed ${Math.round(maxHeapBytes / 1e6)} MB`);
        }
      }
      if (kind === ACTION) {
        const fn = q.fn[slot] as () => void;
        q.release(slot);
        fn();
        continue;
      }
      const i = q.node[slot];
      if (!this.up[i]) {
        if (kind === DELIVER) this.traffic.dropped++;
        q.release(slot);
        continue;
      }
      const timer = q.timer[slot];
      if (kind === TIMER && this.timers.get(i, timer) !== q.gen[slot]) {
        q.release(slot);
        continue;
      }
      const from = q.from[slot];
      const msg = q.msg[slot];
      const resume = this.stallEnd(i, at);
      if (resume > at) {
        // Re-queued in pop order, so what queued up during the stall runs in arrival order.
        q.push(resume, this.seq++, kind, i, from, msg, timer, q.gen[slot], undefined);
        q.release(slot);
        continue;
      }
      const gen = q.gen[slot];
      q.release(slot);
      if (kind === TIMER) {
        // The fired timer is forgotten after the step, unless the step re-armed or cancelled it: a
        // periodic timer's re-arm then overwrites its entry in place instead of deleting and re-adding.
        this.input(i, { type: 'timer', timer, now: this.localNow(i) });
        if (this.timers.get(i, timer) === gen) this.timers.delete(i, timer);
      } else {
        this.traffic.delivered++;
        this.input(i, { type: 'receive', from: this.ids[from], message: msg as M, now: this.localNow(i) });
      }
    }
    if (until > this.clock) this.clock = until;
  }

  /** The whole cluster as the properties see it. Builds every View: meant for small clusters. */
  observation(): Observation {
    const views: Record<NodeId, View> = {};
    const up: Record<NodeId, boolean> = {};
    const announced: Record<NodeId, readonly Announcement[]> = {};
    for (let i = 0; i < this.ids.length; i++) {
      const v = this.view(i);
      if (v === undefined) continue;
      views[this.ids[i]] = v;
      up[this.ids[i]] = this.up[i] === 1;
      announced[this.ids[i]] = this.announced[i].slice();
    }
    const at = this.clock;
    const idx = this.index;
    return { views, up, announced, canReach: (a, b) => this.network.canReach(idx.get(a) ?? -1, idx.get(b) ?? -1, at) };
  }

  /**
   * A TCP message from i to `to`: over their open connection if one carried a message within
   * TCP.idleMs and neither end restarted since, else over a new one (the handshake first).
   */
  private transmit(i: number, to: number, transport: SimTransport): readonly number[] {
    switch (transport) {
      case 'udp':
        return this.network.transmit(i, to, this.clock);
      case 'tcp':
        return this.transmitTcp(i, to);
      case 'connect':
        return this.network.transmitConnect(i, to, this.clock);
      case 'connect-ack':
        return this.network.transmitConnectAck(i, to, this.clock);
    }
  }

  private transmitTcp(i: number, to: number): readonly number[] {
    const key = i < to ? i * this.size + to : to * this.size + i;
    const last = this.connections.get(key);
    const established = last !== undefined && this.clock - last <= TCP.idleMs && last >= this.resetAt[i] && last >= this.resetAt[to];
    const copies = this.network.transmitTcp(i, to, this.clock, established);
    if (copies.length > 0) this.connections.set(key, this.clock);
    else this.connections.delete(key);
    return copies;
  }

  private localNow(i: number): number {
    return this.clock + this.skew[i];
  }

  private stallEnd(i: number, at: number): number {
    const list = this.stalls.get(i);
    if (list === undefined) return at;
    for (const [from, until] of list) if (at >= from && at < until) return until;
    return at;
  }

  private timed<R>(f: () => R): R {
    this.steps++;
    if (!this.config.measureCpu) return f();
    const t0 = performance.now();
    const r = f();
    this.stepMicros += (performance.now() - t0) * 1000;
    return r;
  }

  private input(i: number, input: Input<M>): void {
    const state = this.states[i] as S;
    const r = this.timed(() => this.protocol.definition.behaviour.step(state, input));
    this.states[i] = r.state;
    this.apply(i, r.outputs);
  }

  private apply(i: number, outputs: readonly Output<M>[]): void {
    for (const o of outputs) {
      switch (o.type) {
        case 'send': {
          const to = this.index.get(o.to);
          this.traffic.record(this.clock, i, this.protocol.kindOf(o.message), this.protocol.sizeOf(o.message), to);
          if (to === undefined) {
            this.traffic.dropped++;
            break;
          }
          const copies = this.transmit(i, to, this.protocol.transportOf?.(o.message) ?? 'udp');
          if (copies.length === 0) this.traffic.dropped++;
          for (const d of copies) this.queue.push(this.clock + d, this.seq++, DELIVER, to, i, o.message, '', 0, undefined);
          break;
        }
        case 'setTimer': {
          const gen = this.seq++;
          this.timers.set(i, o.timer, gen);
          this.queue.push(this.clock + o.after, gen, TIMER, i, -1, undefined, o.timer, gen, undefined);
          break;
        }
        case 'cancelTimer':
          this.timers.delete(i, o.timer);
          break;
        case 'notify':
          if (o.event.kind === 'announced') this.announced[i].push({ info: o.event.info, version: o.event.version });
          for (const obs of this.observers) obs.onNotify?.(i, o.event, this.clock);
          break;
      }
    }
  }
}
