/**
 * The member table: a persistent hash trie (two levels of 64 slots) keyed by id hash. A step changes
 * it through a TableWriter, which copies each slot array and leaf it touches at most once per step
 * (copy-on-first-write), never the whole table: one changed member costs two 64-slot copies and a
 * leaf of ~n/4096 entries, a push-pull merge of the whole table O(n) once, and every older state the
 * caller kept is intact.
 */
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { HealthSummary, MemberRecord, SwimStatus } from '../../spec/swim.js';

export interface Member {
  readonly id: NodeId;
  readonly status: SwimStatus;
  readonly incarnation: number;
  readonly info: NodeInfo;
  readonly health: HealthSummary;
  /** When the member entered its current status, ms (reaping counts from here). */
  readonly since: number;
  /** Enqueue order of the one update about this member in the broadcast queue that is current. */
  readonly queuedOrder?: number;
}

/** Two levels of 64 slots: 4,096 leaves, so a leaf holds ~2 members at 10,000 and copying one is cheap. */
const FAN = 64;
type Leaf = ReadonlyMap<NodeId, Member>;
type Mid = readonly (Leaf | undefined)[];

export interface MemberTable {
  readonly buckets: readonly (Mid | undefined)[];
  readonly size: number;
}

export function bucketOf(id: NodeId): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % (FAN * FAN);
}

const EMPTY_TABLE: MemberTable = Object.freeze({ buckets: Object.freeze(new Array<Mid | undefined>(FAN).fill(undefined)), size: 0 });

export function emptyTable(): MemberTable {
  return EMPTY_TABLE;
}

export function getMember(table: MemberTable, id: NodeId): Member | undefined {
  const b = bucketOf(id);
  return table.buckets[(b / FAN) | 0]?.[b % FAN]?.get(id);
}

export function putMember(table: MemberTable, member: Member): MemberTable {
  const w = new TableWriter(table);
  w.put(member);
  return w.table;
}

export function removeMember(table: MemberTable, id: NodeId): MemberTable {
  const w = new TableWriter(table);
  w.remove(id);
  return w.table;
}

/** Every member, sorted by id (O(n log n): for views, push-pull and listings, not per message). */
export function allMembers(table: MemberTable): Member[] {
  const out: Member[] = [];
  for (const mid of table.buckets) if (mid) for (const leaf of mid) if (leaf) for (const m of leaf.values()) out.push(m);
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function toRecord(m: Member): MemberRecord {
  return { member: m.id, status: m.status, incarnation: m.incarnation, info: m.info, health: m.health };
}

/** Alive or suspect: a member the protocol still probes and gossips to. */
export function isActive(m: Member | undefined): boolean {
  return m !== undefined && (m.status === 'alive' || m.status === 'suspect');
}

/** Copy-on-first-write access to a table within one step: each slot array and leaf at most once. */
export class TableWriter {
  private top: (Mid | undefined)[] | null = null;
  private readonly ownedMids = new Set<number>();
  private readonly ownedLeaves = new Set<number>();
  private size: number;
  constructor(private readonly base: MemberTable) {
    this.size = base.size;
  }
  get table(): MemberTable {
    return this.top ? { buckets: this.top, size: this.size } : this.base;
  }
  private leafForWrite(b: number): Map<NodeId, Member> {
    const hi = (b / FAN) | 0;
    const lo = b % FAN;
    if (!this.top) this.top = this.base.buckets.slice();
    if (!this.ownedMids.has(hi)) {
      this.top[hi] = this.top[hi] ? this.top[hi]!.slice() : new Array<Leaf | undefined>(FAN).fill(undefined);
      this.ownedMids.add(hi);
    }
    const mid = this.top[hi] as (Leaf | undefined)[];
    if (!this.ownedLeaves.has(b)) {
      mid[lo] = new Map(mid[lo] ?? []);
      this.ownedLeaves.add(b);
    }
    return mid[lo] as Map<NodeId, Member>;
  }
  put(member: Member): void {
    const leaf = this.leafForWrite(bucketOf(member.id));
    if (!leaf.has(member.id)) this.size += 1;
    leaf.set(member.id, member);
  }
  remove(id: NodeId): void {
    if (getMember(this.table, id) === undefined) return;
    this.leafForWrite(bucketOf(id)).delete(id);
    this.size -= 1;
  }
}
