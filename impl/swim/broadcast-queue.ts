/**
 * The piggyback queue. Each update is retransmitted up to λ·⌈log10(n+1)⌉ times; a datagram takes the
 * least-sent updates first (newest first among equals), as many as fit its byte budget. One update per
 * member is in flight: a newer one about the same member supersedes the older, which would only be
 * overridden on arrival anyway.
 *
 * Representation (for speed at 10,000 members): one level per transmission count, each a persistent
 * stack (see `promote` for the one way its order differs from a flat "fewest sent, then newest" sort).
 * A datagram walks level 0 from its top (newest) end, then level 1, and so on, so it touches only what
 * it takes, not the whole queue. A superseded entry is not searched for when its successor arrives
 * (O(queue) per enqueue, O(n²) for a push-pull merge that learns a whole table); the caller's
 * `isLatest` tells the datagram walk to drop it when met, and `compact` drops the rest once they may
 * outnumber the current ones (a saturated queue's walks never reach its older part). A level is a
 * linked stack of immutable entries: pushing and popping its top are O(1) and share everything below
 * with the older state, so no step ever copies a level (a flat array would be copied whole whenever a
 * step appends to a level some other state has already taken from: O(n) per step after a table was
 * learnt).
 */
import type { MemberUpdate } from '../../spec/swim.js';

export interface QueuedUpdate {
  readonly update: MemberUpdate;
  readonly sent: number;
  /** Enqueue order, increasing: identifies the entry (the member record names the current one). */
  readonly order: number;
}

/**
 * A queued update in its level's stack: `below` is the next older entry of the same level. Its size
 * is measured once, when it is pushed; `min` is the smallest size from it down, so a datagram walk
 * whose space left is below it knows nothing further down can fit, without reading on.
 */
interface Entry extends QueuedUpdate {
  readonly size: number;
  readonly min: number;
  readonly below: Entry | null;
}

/** A level: `top` is its newest entry, `len` how many it holds. */
export interface Level {
  readonly top: Entry | null;
  readonly len: number;
}

export interface BroadcastQueue {
  /** levels[k]: entries sent k times. */
  readonly levels: readonly (Level | undefined)[];
  readonly nextOrder: number;
}

export const EMPTY_QUEUE: BroadcastQueue = Object.freeze({ levels: Object.freeze([]) as readonly (Level | undefined)[], nextOrder: 0 });

/** The entries of a level, oldest first (new plain objects). */
export function levelEntries(level: Level | undefined): QueuedUpdate[] {
  const out: QueuedUpdate[] = [];
  for (let e = level?.top ?? null; e; e = e.below) out.push({ update: e.update, sent: e.sent, order: e.order });
  return out.reverse();
}

/** Whether a level holds a current entry, reading newest first and no further than the first. */
export function someEntry(level: Level | undefined, latest: Supersession): boolean {
  for (let e = level?.top ?? null; e; e = e.below) if (latest.isLatest(e)) return true;
  return false;
}

/** Entries held (superseded ones included until a datagram walk drops them). */
export function queueLength(q: BroadcastQueue): number {
  let n = 0;
  for (const l of q.levels) n += l ? l.len : 0;
  return n;
}

function entry(update: MemberUpdate, sent: number, order: number, size: number, below: Entry | null): Entry {
  return { update, sent, order, size, min: below && below.min < size ? below.min : size, below };
}

/** Queues `update` (measured by `sizeOf`, the same function later datagrams are packed with); returns its order. */
export function enqueue(q: BroadcastQueue, update: MemberUpdate, sizeOf: (u: MemberUpdate) => number): [BroadcastQueue, number] {
  const order = q.nextOrder;
  const levels = q.levels.slice();
  const level = levels[0];
  levels[0] = { top: entry(update, 0, order, sizeOf(update), level?.top ?? null), len: (level?.len ?? 0) + 1 };
  return [{ levels, nextOrder: order + 1 }, order];
}

/** After this many updates in a row that do not fit, a datagram stops looking for smaller ones. */
const MAX_MISFITS = 32;

/**
 * Promotion: the entries a datagram took from level k join level k+1 on its top, in the order they
 * were enqueued. Each level is thus a stack ordered by when entries reached it: O(1) per entry, where
 * keeping strict enqueue order would merge (O(level)) on every datagram while a whole table drains.
 * When a datagram takes every queued update (as in the model, which has no byte budget) the two
 * orders are the same; they differ only in which of two equally-sent updates a full datagram prefers.
 * `moved` is in walk order (newest first), so it is pushed from its end, each sent once more.
 */
function promote(level: Level | undefined, moved: readonly Entry[]): Level {
  let top = level?.top ?? null;
  for (let i = moved.length - 1; i >= 0; i--) top = entry(moved[i].update, moved[i].sent + 1, moved[i].order, moved[i].size, top);
  return { top, len: (level?.len ?? 0) + moved.length };
}

/**
 * The level after a walk that read `visited` (top first) and stopped at `rest`, without the visited
 * entries marked in `removed`: the kept entries above the deepest removed one are rebuilt on top of
 * what lies below it, which is shared.
 */
function without(level: Level, visited: readonly Entry[], removed: readonly boolean[], nVisited: number, count: number): Level {
  let deepest = nVisited - 1;
  while (!removed[deepest]) deepest--;
  let top = visited[deepest].below;
  for (let i = deepest - 1; i >= 0; i--) if (!removed[i]) top = entry(visited[i].update, visited[i].sent, visited[i].order, visited[i].size, top);
  return { top, len: level.len - count };
}

/**
 * Takes updates for one datagram: fewest sent first, newest first among equals, each that still fits
 * `budget` bytes by the size measured at enqueue (a too-big one is skipped; smaller later ones may
 * still fit). Counts a transmission for each taken, drops those that reached `limit`, and drops
 * superseded entries met on the way. The queue passed in reads the same afterwards.
 *
 * The walk stops as soon as the space left is below the smallest entry not yet read: it could take
 * nothing more, and the superseded entries it would have dropped on the way are dropped by a later
 * walk instead (they are never sent either way), so the updates taken are those of a full walk.
 */
/** Tells a datagram walk whether an entry is the current update about its member (else it was superseded). */
export interface Supersession {
  isLatest(e: QueuedUpdate): boolean;
}

// Scratch space of one walk, reused (a walk never runs inside another): the entries read and which go.
const visited: Entry[] = [];
const removed: boolean[] = [];

export function piggyback(q: BroadcastQueue, limit: number, budget: number, latest: Supersession): [MemberUpdate[], BroadcastQueue] {
  const taken: MemberUpdate[] = [];
  const levels = q.levels.slice();
  // minBelow[k]: the smallest entry in levels k and deeper (entries promoted during the walk are not read by it).
  const minBelow = new Array<number>(levels.length + 1);
  minBelow[levels.length] = Infinity;
  for (let k = levels.length - 1; k >= 0; k--) minBelow[k] = Math.min(levels[k]?.top?.min ?? Infinity, minBelow[k + 1]);
  let promoted: Entry[] = [];
  let left = budget;
  let misfits = 0;
  let changed = false;
  for (let k = 0; k < levels.length || promoted.length > 0; k++) {
    const level = levels[k];
    const incoming = promoted;
    promoted = [];
    let n = 0;
    let count = 0;
    if (level && misfits < MAX_MISFITS && left > 0 && left >= minBelow[k]) {
      const deeper = minBelow[k + 1];
      for (let e = level.top; e && misfits < MAX_MISFITS && left > 0 && (left >= e.min || left >= deeper); e = e.below) {
        visited[n] = e;
        if (!latest.isLatest(e)) {
          removed[n++] = true;
          count++;
          continue;
        }
        const size = e.size;
        if (size > left) {
          misfits++;
          removed[n++] = false;
          continue;
        }
        misfits = 0;
        left -= size;
        taken.push(e.update);
        removed[n++] = true;
        count++;
        if (e.sent + 1 < limit) promoted.push(e);
      }
    }
    if (count > 0 || incoming.length > 0) {
      const kept = count > 0 && level ? without(level, visited, removed, n, count) : level;
      levels[k] = incoming.length > 0 ? promote(kept, incoming) : kept;
      changed = true;
    }
  }
  if (!changed) return [taken, q];
  while (levels.length > 0 && (levels[levels.length - 1]?.len ?? 0) === 0) levels.pop();
  return [taken, { levels, nextOrder: q.nextOrder }];
}

/**
 * The queue without its superseded entries, each level's order kept. A datagram walk drops a
 * superseded entry only when it reaches it, and under saturation walks never reach a level's older
 * part, so a node that keeps learning newer updates about the same members would hold them without
 * bound (20–30 more per node per simulated second in a lossy 1,000-node cluster). Dropping them here
 * changes no datagram: a walk skips them uncounted, and its early stop (`min`) only ever stops where
 * nothing further fits. O(entries held); see `needsCompaction` for when it pays.
 */
export function compact(q: BroadcastQueue, latest: Supersession): BroadcastQueue {
  const levels: (Level | undefined)[] = [];
  const kept: Entry[] = [];
  for (const level of q.levels) {
    kept.length = 0;
    for (let e = level?.top ?? null; e; e = e.below) if (latest.isLatest(e)) kept.push(e);
    let top: Entry | null = null;
    for (let i = kept.length - 1; i >= 0; i--) top = entry(kept[i].update, kept[i].sent, kept[i].order, kept[i].size, top);
    levels.push(top ? { top, len: kept.length } : undefined);
  }
  while (levels.length > 0 && levels[levels.length - 1] === undefined) levels.pop();
  return { levels, nextOrder: q.nextOrder };
}

/**
 * Whether superseded entries may outnumber current ones: at most one entry per member is current, so a
 * queue holding more than twice `members` (plus slack, so small clusters and the checker's models never
 * compact) has at least as many superseded as current. Compacting then keeps at most `members`, so the
 * next compaction is `members` enqueues away: O(1) amortized per enqueue.
 */
export function needsCompaction(q: BroadcastQueue, members: number): boolean {
  return queueLength(q) > 2 * members + COMPACTION_SLACK;
}

/** Entries a queue may hold beyond twice its members before it is compacted. */
const COMPACTION_SLACK = 64;

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
