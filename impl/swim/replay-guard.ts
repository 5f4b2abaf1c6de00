/**
 * Replay protection for authenticated packets (keyring.ts): each sealed frame names its sender
 * instance (8 random bytes drawn when the keyring is made), a sequence number and the time it was
 * sealed. A receiver accepts a frame only when its time is within `windowMs` of its own clock and its
 * (instance, sequence) has not been seen: per instance it keeps the highest sequence and a bitmap of
 * the 1,024 below it, so frames reordered by the network (a stream frame overtaken by datagrams) still
 * pass, each once.
 *
 * Memory is bounded: at most `maxSenders` instances are kept, the least recently heard forgotten
 * first. A forgotten instance must not become replayable, so the guard remembers the newest seal time
 * it forgot, and refuses frames of instances it does not know sealed at or before it. An honest
 * sender pushed out starts again with its next frame, sealed after that time.
 */
export interface ReplayGuardOptions {
  /**
   * How far a frame's seal time may be from the receiver's clock, ms. Default 60,000: covers hosts
   * whose clocks drift apart without NTP for a day, and bounds how long a captured frame is worth
   * keeping to a minute. memberlist has no replay window (it accepts any copy).
   */
  readonly windowMs?: number;
  /**
   * Sender instances remembered. Default 16,384: above the largest cluster measured (10,000), with
   * room for restarts (each restart is a new instance); a 128-byte bitmap and a map entry each
   * (a few MB at most, estimated).
   */
  readonly maxSenders?: number;
}

const WINDOW_BITS = 1024;

interface SenderWindow {
  top: number;
  readonly seen: Uint8Array;
  lastSealedAt: number;
}

export class ReplayGuard {
  private readonly senders = new Map<string, SenderWindow>();
  private forgottenUpTo = -Infinity;
  private readonly windowMs: number;
  private readonly maxSenders: number;

  constructor(options: ReplayGuardOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxSenders = options.maxSenders ?? 16_384;
  }

  get size(): number {
    return this.senders.size;
  }

  /** True when the frame is fresh (and records it as seen); false for a replay or a stale frame. */
  accept(sender: string, seq: number, sealedAt: number, now: number): boolean {
    if (Math.abs(now - sealedAt) > this.windowMs) return false;
    let w = this.senders.get(sender);
    if (w === undefined) {
      if (sealedAt <= this.forgottenUpTo) return false;
      w = { top: seq, seen: new Uint8Array(WINDOW_BITS / 8), lastSealedAt: sealedAt };
      mark(w, seq);
      this.remember(sender, w);
      return true;
    }
    if (seq > w.top) {
      const advance = seq - w.top;
      if (advance >= WINDOW_BITS) w.seen.fill(0);
      else for (let s = w.top + 1; s <= seq; s++) w.seen[(s % WINDOW_BITS) >> 3] &= ~(1 << (s & 7));
      w.top = seq;
    } else if (w.top - seq >= WINDOW_BITS || isMarked(w, seq)) return false;
    mark(w, seq);
    if (sealedAt > w.lastSealedAt) w.lastSealedAt = sealedAt;
    // Most recently heard last, so the first entry is the one to forget.
    this.senders.delete(sender);
    this.senders.set(sender, w);
    return true;
  }

  private remember(sender: string, w: SenderWindow): void {
    if (this.senders.size >= this.maxSenders) {
      const [oldest, ow] = this.senders.entries().next().value as [string, SenderWindow];
      this.senders.delete(oldest);
      if (ow.lastSealedAt > this.forgottenUpTo) this.forgottenUpTo = ow.lastSealedAt;
    }
    this.senders.set(sender, w);
  }
}

function mark(w: SenderWindow, seq: number): void {
  w.seen[(seq % WINDOW_BITS) >> 3] |= 1 << (seq & 7);
}

function isMarked(w: SenderWindow, seq: number): boolean {
  return (w.seen[(seq % WINDOW_BITS) >> 3] & (1 << (seq & 7))) !== 0;
}
