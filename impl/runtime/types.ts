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

interface SystemTimer {
  timeout: ReturnType<typeof setTimeout> | undefined;
  immediate: ReturnType<typeof setImmediate> | undefined;
}

/**
 * Real timers, with one twist: an expired timer fires only after the event loop has read its sockets
 * twice more. Node runs expired timers BEFORE polling sockets, so after a stall (GC, a busy process, a
 * descheduled VM) a probe's timeout would fire before the ack that arrived in time is even read, and
 * a node under load would suspect healthy peers. One poll is enough for a reply already waiting; the
 * second is for a peer in the same process (the loopback cluster, the benchmarks): it reads the ping
 * in one poll and its ack is read in the next. A timeout is a judgement about what has arrived: it is
 * made after reading it. Cost: two loop turns, microseconds on an idle loop.
 */
export const systemScheduler: Scheduler = {
  set: (fire, afterMs) => {
    const t: SystemTimer = { timeout: undefined, immediate: undefined };
    t.timeout = setTimeout(() => {
      t.timeout = undefined;
      // An immediate queued by an immediate runs in the next loop turn, after that turn's poll.
      t.immediate = setImmediate(() => {
        t.immediate = setImmediate(() => {
          t.immediate = undefined;
          fire();
        });
      });
    }, afterMs);
    return t;
  },
  clear: (handle) => {
    const t = handle as SystemTimer;
    if (t.timeout !== undefined) clearTimeout(t.timeout);
    if (t.immediate !== undefined) clearImmediate(t.immediate);
    t.timeout = undefined;
    t.immediate = undefined;
  },
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
