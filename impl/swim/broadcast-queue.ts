/**
 * The piggyback queue. Each update is retransmitted up to λ·⌈log10(n+1)⌉ times; a datagram takes the
 * least-sent updates first (newest first among equals), as many as fit its byte budget. One update per
 * member is in flight: a newer one about the same member supersedes the older, which would only be
 * overridden on arrival anyway.
 *
 * Representation (for speed at 10,000 members): one level per transmission count, each a stack
 * (see `promote` for the one way its order differs from a flat "fewest sent, then newest" sort). A datagram walks level 0 from its newest end, then level 1, and so on, so it touches
 * only what it takes, not the whole queue. A superseded entry is not searched for when its successor
 * arrives (O(queue) per enqueue, O(n²) for a push-pull merge that learns a whole table); the caller's
 * `isLatest` tells the datagram walk to drop it when met. Levels are never mutated: a step copies the
 * levels it changes (copy-on-first-write for level 0 in `enqueue`).
 */
import type { MemberUpdate } from '../../spec/swim.js';

export interface QueuedUpdate {
  readonly update: MemberUpdate;
  readonly sent: number;
  /** Enqueue order, increasing: identifies the entry (the member record names the current one). */
  readonly order: number;
}

/**
 * A level: the entries arr[0..len). Entries below `len` are never changed; a step may append past
 * `len` in place only when no other state has (arr.length === len), otherwise it copies. So taking
 * from the newest end is O(1) (a shorter len over the same array) and appending is amortized O(1),
 * while every older state still reads exactly its own entries.
 */
export interface Level {
  readonly arr: readonly QueuedUpdate[];
  readonly len: number;
}

export interface BroadcastQueue {
  /** levels[k]: entries sent k times, oldest first. */
  readonly levels: readonly (Level | undefined)[];
  readonly nextOrder: number;
}

export const EMPTY_QUEUE: BroadcastQueue = Object.freeze({ levels: Object.freeze([]) as readonly (Level | undefined)[], nextOrder: 0 });

/** The entries of a level, oldest first (a copy). */
export function levelEntries(level: Level | undefined): QueuedUpdate[] {
  return level ? level.arr.slice(0, level.len) : [];
}

/** Entries held (superseded ones included until a datagram walk drops them). */
export function queueLength(q: BroadcastQueue): number {
  let n = 0;
  for (const l of q.levels) n += l ? l.len : 0;
  return n;
}

/** `level` with `items` appended (in place past its end when no other state has used that space). */
function appended(level: Level | undefined, items: readonly QueuedUpdate[]): Level {
  if (!level || level.len === 0) return { arr: items.slice(), len: items.length };
  const arr = level.arr.length === level.len ? (level.arr as QueuedUpdate[]) : level.arr.slice(0, level.len);
  for (const it of items) arr.push(it);
  return { arr, len: arr.length };
}

export function enqueue(q: BroadcastQueue, update: MemberUpdate): [BroadcastQueue, number] {
  const order = q.nextOrder;
  const levels = q.levels.slice();
  levels[0] = appended(levels[0], [{ update, sent: 0, order }]);
  return [{ levels, nextOrder: order + 1 }, order];
}

/** After this many updates in a row that do not fit, a datagram stops looking for smaller ones. */
const MAX_MISFITS = 32;

/**
 * Promotion: the entries a datagram took from level k join level k+1 on its newest end, in the order
 * they were enqueued. Each level is thus a stack ordered by when entries reached it: O(1) amortized,
 * where keeping strict enqueue order would merge (O(level)) on every datagram while a whole table
 * drains. When a datagram takes every queued update (as in the model, which has no byte budget) the
 * two orders are the same; they differ only in which of two equally-sent updates a full datagram
 * prefers.
 */
function promote(level: Level | undefined, moved: QueuedUpdate[]): Level {
  return appended(level, moved.reverse());
}

/** `level` without the entries at `removed` (indices in descending order). */
function without(level: Level, removed: readonly number[]): Level {
  // Usual case: the walk took a run from the newest end, so what stays is a prefix: no copy at all.
  const last = removed[removed.length - 1];
  if (removed[0] === level.len - 1 && removed[0] - last === removed.length - 1) return { arr: level.arr, len: last };
  const out: QueuedUpdate[] = [];
  let r = removed.length - 1;
  for (let i = 0; i < level.len; i++) {
    if (r >= 0 && removed[r] === i) r--;
    else out.push(level.arr[i]);
  }
  return { arr: out, len: out.length };
}

/**
 * Takes updates for one datagram: fewest sent first, newest first among equals, each that still fits
 * `budget` bytes by `sizeOf` (a too-big one is skipped; smaller later ones may still fit). Counts a
 * transmission for each taken, drops those that reached `limit`, and drops superseded entries met on
 * the way. The queue passed in reads the same afterwards.
 */
export function piggyback(
  q: BroadcastQueue,
  limit: number,
  budget: number,
  sizeOf: (u: MemberUpdate) => number,
  isLatest: (e: QueuedUpdate) => boolean,
): [MemberUpdate[], BroadcastQueue] {
  const taken: MemberUpdate[] = [];
  const levels = q.levels.slice();
  let promoted: QueuedUpdate[] = [];
  let left = budget;
  let misfits = 0;
  let changed = false;
  for (let k = 0; k < levels.length || promoted.length > 0; k++) {
    const level = levels[k];
    const incoming = promoted;
    promoted = [];
    let remove: number[] | null = null;
    if (level && misfits < MAX_MISFITS && left > 0) {
      for (let i = level.len - 1; i >= 0 && misfits < MAX_MISFITS && left > 0; i--) {
        const e = level.arr[i];
        if (!isLatest(e)) {
          (remove ??= []).push(i);
          continue;
        }
        const size = sizeOf(e.update);
        if (size > left) {
          misfits++;
          continue;
        }
        misfits = 0;
        left -= size;
        taken.push(e.update);
        (remove ??= []).push(i);
        if (e.sent + 1 < limit) promoted.push({ update: e.update, sent: e.sent + 1, order: e.order });
      }
    }
    if (remove || incoming.length > 0) {
      const kept = remove && level ? without(level, remove) : level;
      levels[k] = incoming.length > 0 ? promote(kept, incoming) : kept;
      changed = true;
    }
  }
  if (!changed) return [taken, q];
  while (levels.length > 0 && (levels[levels.length - 1]?.len ?? 0) === 0) levels.pop();
  return [taken, { levels, nextOrder: q.nextOrder }];
}

/**
 * A codec-free size estimate, bytes, used when the codec's exact `sizeOf` is not supplied: fixed
 * fields plus the variable strings, erring large so a packed datagram never overflows.
 */
export function estimateSize(u: MemberUpdate): number {
  const base = 8 + u.member.length;
  switch (u.kind) {
    case 'alive':
      return base + 16 + u.info.address.length + u.info.capabilities.reduce((s, c) => s + c.length + 1, 0);
    case 'suspect':
    case 'dead':
      return base + 1 + u.from.length;
    case 'left':
      return base;
  }
}
