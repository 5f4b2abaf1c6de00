/**
 * A small deterministic in-process driver for any NodeBehaviour: virtual time, every message delivered
 * after a fixed latency in send order, timers fired at their deadlines. It is what the demo and the
 * unit tests use to run a few nodes together; the experiment's simulator adds latency distributions,
 * loss, partitions and scale.
 */
import type { NodeId } from '../../spec/node.js';
import type { Command, Input, NodeBehaviour, NodeSetup, Notification, Output } from '../../spec/step.js';
import type { View } from '../../spec/view.js';

interface Pending<M> {
  readonly at: number;
  readonly seq: number;
  readonly node: NodeId;
  readonly input: Input<M> | { readonly type: 'timerDue'; readonly timer: string; readonly generation: number };
}

export interface ClusterEvent<M> {
  readonly at: number;
  readonly node: NodeId;
  readonly input: Input<M>;
  readonly outputs: readonly Output<M>[];
}

export interface LocalClusterOptions {
  /** One-way message delay, ms (default 1: a LAN hop, well under every protocol timeout). */
  readonly latencyMs?: number;
  /** Called after every step, e.g. to print progress. */
  readonly onStep?: (event: ClusterEvent<unknown>) => void;
}

export class LocalCluster<S, M, Cfg> {
  private readonly states = new Map<NodeId, S>();
  private readonly up = new Map<NodeId, boolean>();
  private readonly timerGen = new Map<string, number>();
  private queue: Pending<M>[] = [];
  private seq = 0;
  private clock = 0;
  readonly notifications: { at: number; node: NodeId; event: Notification }[] = [];
  readonly latencyMs: number;

  constructor(
    private readonly behaviour: NodeBehaviour<S, M, Cfg>,
    setups: readonly NodeSetup<Cfg>[],
    private readonly options: LocalClusterOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 1;
    for (const setup of setups) {
      this.clock = Math.max(this.clock, setup.now);
      const r = behaviour.init(setup);
      this.states.set(setup.id, r.state);
      this.up.set(setup.id, true);
      this.apply(setup.id, r.outputs);
    }
  }

  get now(): number {
    return this.clock;
  }

  ids(): NodeId[] {
    return [...this.states.keys()];
  }

  state(id: NodeId): S {
    const s = this.states.get(id);
    if (s === undefined) throw new RangeError(`no node ${id} in this cluster`);
    return s;
  }

  view(id: NodeId): View {
    return this.behaviour.view(this.state(id));
  }

  isUp(id: NodeId): boolean {
    return this.up.get(id) === true;
  }

  command(id: NodeId, command: Command): void {
    this.input(id, { type: 'command', command, now: this.clock });
  }

  crash(id: NodeId): void {
    this.input(id, { type: 'crash', now: this.clock });
    this.up.set(id, false);
  }

  restart(id: NodeId): void {
    this.up.set(id, true);
    this.input(id, { type: 'restart', now: this.clock });
  }

  /** Process every event due up to virtual time `until` (inclusive). */
  runUntil(until: number): void {
    while (this.queue.length > 0 && this.queue[0].at <= until) {
      const next = this.queue.shift() as Pending<M>;
      this.clock = next.at;
      if (next.input.type === 'timerDue') {
        if (this.timerGen.get(`${next.node}\u0000${next.input.timer}`) !== next.input.generation) continue;
        this.timerGen.delete(`${next.node}\u0000${next.input.timer}`);
        this.input(next.node, { type: 'timer', timer: next.input.timer, now: this.clock });
      } else if (this.up.get(next.node)) {
        this.input(next.node, { ...next.input, now: this.clock });
      }
    }
    this.clock = Math.max(this.clock, until);
  }

  runFor(ms: number): void {
    this.runUntil(this.clock + ms);
  }

  private input(id: NodeId, input: Input<M>): void {
    const r = this.behaviour.step(this.state(id), input);
    this.states.set(id, r.state);
    this.options.onStep?.({ at: this.clock, node: id, input, outputs: r.outputs } as ClusterEvent<unknown>);
    if (input.type === 'crash') {
      // A dead process's timers die with it.
      for (const key of [...this.timerGen.keys()]) if (key.startsWith(`${id}\u0000`)) this.timerGen.delete(key);
    }
    this.apply(id, r.outputs);
  }

  private apply(id: NodeId, outputs: readonly Output<M>[]): void {
    for (const o of outputs) {
      switch (o.type) {
        case 'send':
          this.push({ at: this.clock + this.latencyMs, seq: this.seq++, node: o.to, input: { type: 'receive', from: id, message: o.message, now: 0 } });
          break;
        case 'setTimer': {
          const key = `${id}\u0000${o.timer}`;
          // A fresh sequence number per arming: a cancelled or replaced arming can never fire.
          const generation = this.seq++;
          this.timerGen.set(key, generation);
          this.push({ at: this.clock + o.after, seq: generation, node: id, input: { type: 'timerDue', timer: o.timer, generation } });
          break;
        }
        case 'cancelTimer':
          this.timerGen.delete(`${id}\u0000${o.timer}`);
          break;
        case 'notify':
          this.notifications.push({ at: this.clock, node: id, event: o.event });
          break;
      }
    }
  }

  private push(p: Pending<M>): void {
    // Binary search on (at, seq): equal times keep send order, so runs are reproducible.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid];
      if (q.at < p.at || (q.at === p.at && q.seq < p.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, p);
  }
}
