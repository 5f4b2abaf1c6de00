/**
 * The effects a runtime needs, as injectable interfaces: a clock, a timer scheduler and a transport.
 * Production passes the system ones; tests pass fakes and advance time by hand.
 */
import type { NodeId } from '../../spec/node.js';

export interface Clock {
  /** Milliseconds; only differences matter to the cores, but wall time keeps lastUpdated meaningful. */
  now(): number;
}

export type TimerHandle = unknown;

export interface Scheduler {
  set(fire: () => void, afterMs: number): TimerHandle;
  clear(handle: TimerHandle): void;
}

/** Moves a protocol's messages between node ids. How an id maps to a socket address is its business. */
export interface Transport<M> {
  /** Opens sockets and starts delivering received messages to `deliver`. */
  start(deliver: (from: NodeId, message: M) => void): Promise<void>;
  /** Fire and forget: a transport drops what it cannot send and counts it. Never throws. */
  send(to: NodeId, message: M): void;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemScheduler: Scheduler = {
  set: (fire, afterMs) => {
    const t = setTimeout(fire, afterMs);
    return t;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A manual clock and scheduler for tests and virtual-time drivers: time moves only by advance(). */
export class FakeTime implements Clock, Scheduler {
  private t: number;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fire: () => void }>();

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  set(fire: () => void, afterMs: number): TimerHandle {
    const id = ++this.seq;
    this.due.set(id, { at: this.t + afterMs, fire });
    return id;
  }

  clear(handle: TimerHandle): void {
    this.due.delete(handle as number);
  }

  pending(): number {
    return this.due.size;
  }

  /** Moves time forward by `ms`, firing due timers in deadline order (ties in arming order). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, d] of this.due) if (d.at <= end && (d.at < nextAt || (d.at === nextAt && id < nextId))) [nextId, nextAt] = [id, d.at];
      if (nextId < 0) break;
      const d = this.due.get(nextId)!;
      this.due.delete(nextId);
      this.t = Math.max(this.t, d.at);
      d.fire();
    }
    this.t = end;
  }
}
