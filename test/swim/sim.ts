/**
 * A tiny discrete-event network for driving cores in tests: timers fire at their deadline, messages
 * arrive after `delay` ms unless `drop` says otherwise. Deterministic.
 */
import type { NodeId } from '../../spec/node.js';
import type { Input, NodeBehaviour, NodeSetup, Notification, Output } from '../../spec/step.js';
import type { Untimed } from './helpers.js';

interface Event<M> {
  readonly at: number;
  readonly seq: number;
  readonly node: NodeId;
  readonly input: Untimed<M>;
  /** For timers: the arming generation, so re-armed and cancelled timers are skipped. */
  readonly gen?: number;
}

export class Sim<S, M, Cfg> {
  readonly states = new Map<NodeId, S>();
  readonly up = new Map<NodeId, boolean>();
  readonly events: { node: NodeId; at: number; event: Notification }[] = [];
  readonly sent: { from: NodeId; to: NodeId; at: number; message: M }[] = [];
  private queue: Event<M>[] = [];
  private timers = new Map<string, number>();
  private counter = 0;
  now: number;
  delay = 1;
  drop: (from: NodeId, to: NodeId, m: M) => boolean = () => false;

  constructor(
    readonly behaviour: NodeBehaviour<S, M, Cfg>,
    setups: readonly NodeSetup<Cfg>[],
    start = 0,
    /** Set before the nodes start, so what they send at start can be lost too. */
    drop?: (from: NodeId, to: NodeId, m: M) => boolean,
  ) {
    this.now = start;
    if (drop) this.drop = drop;
    for (const s of setups) {
      const r = behaviour.init({ ...s, now: this.now });
      this.states.set(s.id, r.state);
      this.up.set(s.id, true);
      this.apply(s.id, r.outputs);
    }
  }

  private push(e: Omit<Event<M>, 'seq'>): void {
    this.queue.push({ ...e, seq: this.counter++ });
  }

  private apply(node: NodeId, outputs: readonly Output<M>[]): void {
    for (const o of outputs) {
      if (o.type === 'send') {
        this.sent.push({ from: node, to: o.to, at: this.now, message: o.message });
        if (this.drop(node, o.to, o.message)) continue;
        this.push({ at: this.now + this.delay, node: o.to, input: { type: 'receive', from: node, message: o.message } as Untimed<M> });
      } else if (o.type === 'setTimer') {
        const gen = this.counter;
        this.timers.set(`${node}/${o.timer}`, gen);
        this.push({ at: this.now + o.after, node, input: { type: 'timer', timer: o.timer }, gen });
      } else if (o.type === 'cancelTimer') this.timers.delete(`${node}/${o.timer}`);
      else this.events.push({ node, at: this.now, event: o.event });
    }
  }

  input(node: NodeId, input: Untimed<M>): void {
    const s = this.states.get(node)!;
    if (input.type === 'crash') {
      this.up.set(node, false);
      for (const k of [...this.timers.keys()]) if (k.startsWith(`${node}/`)) this.timers.delete(k);
    }
    if (input.type === 'restart') this.up.set(node, true);
    const r = this.behaviour.step(s, { ...input, now: this.now } as Input<M>);
    this.states.set(node, r.state);
    this.apply(node, r.outputs);
  }

  /** Runs events until `until` (absolute ms). */
  runUntil(until: number): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.queue.length; i++) {
        const e = this.queue[i];
        if (best < 0 || e.at < this.queue[best].at || (e.at === this.queue[best].at && e.seq < this.queue[best].seq)) best = i;
      }
      if (best < 0 || this.queue[best].at > until) break;
      const e = this.queue[best];
      this.queue.splice(best, 1);
      this.now = e.at;
      if (!this.up.get(e.node)) continue;
      if (e.input.type === 'timer') {
        const key = `${e.node}/${e.input.timer}`;
        if (this.timers.get(key) !== e.gen) continue;
        this.timers.delete(key);
      }
      this.input(e.node, e.input);
    }
    this.now = until;
  }

  view(node: NodeId) {
    return this.behaviour.view(this.states.get(node)!);
  }
}
