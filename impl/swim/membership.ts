/**
 * The member table: a persistent hash trie (two levels of 64 slots) keyed by id hash. A step changes
 * it through a TableWriter, which copies each slot array and leaf it touches at most once per step
 * (copy-on-first-write), never the whole table: one changed member costs two 64-slot copies and a
 * leaf of ~n/4096 entries, a push-pull merge of the whole table O(n) once, and every older state the
 * caller kept is intact. A leaf is a plain array [key, record, key, record, …] kept at its exact size,
 * where key is 30 bits of the id's hash: it holds ~2 members at 10,000, where a Map costs several
 * times the memory, and a lookup compares small integers, reading only the record it is after.
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
type Leaf = readonly (number | Member)[];
type Mid = readonly (Leaf | undefined)[];

/**
 * Where each member of a table's trie walk goes in id order (perm[k]: the sorted position of the k-th
 * record met), or null until first needed. One box is shared by every table derived from another
 * without adding or removing a member: records replaced in place keep their trie positions, so the
 * walk order and the permutation stay valid. A table thus sorts its ids once per membership, not once
 * per full-state exchange (sorting 10,000 ids took ~6 ms, and every push-pull and its reply listed
 * the whole table sorted); a typed array, so the collector never traces it.
 */
interface IdOrder {
  perm: Int32Array | null;
}

export class MemberTable {
  /** Private, so the cache is not part of the table's value (equality, canonical text). */
  readonly #order: IdOrder;
  constructor(
    readonly buckets: readonly (Mid | undefined)[],
    readonly size: number,
    order: IdOrder,
  ) {
    this.#order = order;
  }
  /** The shared order box (TableWriter hands it on to tables with the same members). */
  static orderOf(t: MemberTable): IdOrder {
    return t.#order;
  }
}

function hashOf(id: NodeId): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function bucketOf(id: NodeId): number {
  return hashOf(id) % (FAN * FAN);
}

/** The in-leaf key: hash bits above the bucket's, 30 of them so the engine stores it as a small integer. */
function keyOf(h: number): number {
  return h >>> 2;
}

const EMPTY_TABLE = Object.freeze(new MemberTable(Object.freeze(new Array<Mid | undefined>(FAN).fill(undefined)), 0, { perm: new Int32Array(0) })) as MemberTable;

export function emptyTable(): MemberTable {
  return EMPTY_TABLE;
}

export function getMember(table: MemberTable, id: NodeId): Member | undefined {
  const h = hashOf(id);
  const b = h % (FAN * FAN);
  const leaf = table.buckets[(b / FAN) | 0]?.[b % FAN];
  return leaf === undefined ? undefined : inLeaf(leaf, keyOf(h), id);
}

/** The member of id `id` (in-leaf key `key`) in one leaf, if it holds one. */
function inLeaf(leaf: Leaf, key: number, id: NodeId): Member | undefined {
  for (let i = 0; i < leaf.length; i += 2) {
    if (leaf[i] === key && (leaf[i + 1] as Member).id === id) return leaf[i + 1] as Member;
  }
  return undefined;
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

/** The table's members in trie-walk order (the order its shared permutation is made for). */
function walk(table: MemberTable): Member[] {
  const walked = new Array<Member>(table.size);
  let k = 0;
  for (const mid of table.buckets) if (mid) for (const leaf of mid) if (leaf) for (let i = 1; i < leaf.length; i += 2) walked[k++] = leaf[i] as Member;
  return walked;
}

/** Where each walked member goes in id order: the table's shared permutation, sorted for on first need. */
function permutation(table: MemberTable, walked: readonly Member[]): Int32Array {
  const order = MemberTable.orderOf(table);
  let perm = order.perm;
  const k = walked.length;
  if (perm === null || perm.length !== k) {
    const byId = Array.from({ length: k }, (_, j) => j);
    byId.sort((a, b) => (walked[a].id < walked[b].id ? -1 : walked[a].id > walked[b].id ? 1 : 0));
    perm = new Int32Array(k);
    for (let j = 0; j < k; j++) perm[byId[j]] = j;
    order.perm = perm;
  }
  return perm;
}

/**
 * Every member, sorted by id: a walk of the trie placed by the table's shared permutation, O(n);
 * O(n log n) the first time a membership is listed (for views and listings, not per message).
 */
export function allMembers(table: MemberTable): Member[] {
  const walked = walk(table);
  const perm = permutation(table, walked);
  const out = new Array<Member>(walked.length);
  for (let j = 0; j < walked.length; j++) out[perm[j]] = walked[j];
  return out;
}

/**
 * Every member's wire record, sorted by id: allMembers(table).map(toRecord) in one placement pass,
 * without the second array and the mapping pass, as every push-pull and its reply list the whole
 * table (at 10,000 members allMembers and toRecord were 7 % of a warm run's self time).
 */
export function allRecords(table: MemberTable): MemberRecord[] {
  const walked = walk(table);
  const perm = permutation(table, walked);
  const out = new Array<MemberRecord>(walked.length);
  for (let j = 0; j < walked.length; j++) out[perm[j]] = toRecord(walked[j]);
  return out;
}

/**
 * The sum of `measure` over a table's wire records, remembered per slot array in `memo`. Consecutive
 * tables share all slot arrays but the few a step copied, so summing a table that differs from one
 * already summed by a member costs one slot array's records, not the table's. Only for a table no
 * writer still owns (a sealed one: state.ts Step.sealTable), whose slot arrays thus never change, and
 * with one memo per measure.
 */
export function sumRecords(table: MemberTable, measure: (r: MemberRecord) => number, memo: WeakMap<object, number>): number {
  let total = 0;
  for (const mid of table.buckets) {
    if (!mid) continue;
    let sum = memo.get(mid);
    if (sum === undefined) {
      sum = 0;
      for (const leaf of mid) if (leaf) for (let i = 1; i < leaf.length; i += 2) sum += measure(toRecord(leaf[i] as Member));
      memo.set(mid, sum);
    }
    total += sum;
  }
  return total;
}

/**
 * The records of table `from` whose members `picks` chooses, each against this table's member of
 * the same id (undefined if it has none), in id order: a push-pull merge's work list, read slot
 * array by slot array. Two tables that came from one share every slot array neither changed since,
 * and a shared one holds the very same members, so it is read only if `picks` chooses a member
 * against itself there (remembered per slot array in `picksItself`, one memo per `picks`). `from`
 * must be a table no writer still owns (sealed: state.ts Step.sealTable), so that its slot arrays
 * never change.
 */
export function pickRecords(own: MemberTable, from: MemberTable, picks: (m: Member, cur: Member | undefined) => boolean, picksItself: WeakMap<object, boolean>): MemberRecord[] {
  const out: MemberRecord[] = [];
  for (let hi = 0; hi < FAN; hi++) {
    const fm = from.buckets[hi];
    if (!fm) continue;
    const om = own.buckets[hi];
    if (fm === om) {
      let itself = picksItself.get(fm);
      if (itself === undefined) {
        itself = false;
        for (const leaf of fm) if (leaf) for (let i = 1; i < leaf.length && !itself; i += 2) itself = picks(leaf[i] as Member, leaf[i] as Member);
        picksItself.set(fm, itself);
      }
      if (!itself) continue;
    }
    for (let lo = 0; lo < FAN; lo++) {
      const fl = fm[lo];
      if (!fl) continue;
      const ol = om?.[lo];
      for (let i = 0; i < fl.length; i += 2) {
        const m = fl[i + 1] as Member;
        const cur = fl === ol ? m : ol && inLeaf(ol, fl[i] as number, m.id);
        if (picks(m, cur)) out.push(toRecord(m));
      }
    }
  }
  return out.sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
}

/**
 * A member record as the table stores it. Every record is made by makeMember, with all seven fields
 * in one order, so records share one object shape: lookups stay monomorphic and each record takes
 * exactly its fields' room. The wire form (toRecord) is made once per record and kept in a private
 * field (invisible to equality and canonical text): a full-state exchange lists every record, and at
 * 10,000 members making 10,000 fresh wire records per exchange (and per reply) was a sixth of a run's
 * time and much of its garbage, while most records are the same objects exchange after exchange.
 */
class StoredMember implements Member {
  #wire: MemberRecord | undefined = undefined;
  constructor(
    readonly id: NodeId,
    readonly status: SwimStatus,
    readonly incarnation: number,
    readonly info: NodeInfo,
    readonly health: HealthSummary,
    readonly since: number,
    readonly queuedOrder: number | undefined,
  ) {}
  wire(): MemberRecord {
    return (this.#wire ??= { member: this.id, status: this.status, incarnation: this.incarnation, info: this.info, health: this.health });
  }
}

export function makeMember(id: NodeId, status: SwimStatus, incarnation: number, info: NodeInfo, health: HealthSummary, since: number, queuedOrder?: number): Member {
  return new StoredMember(id, status, incarnation, info, health, since, queuedOrder);
}

/** The wire form of a member (push-pull, a join's reply); shared, so never to be mutated. */
export function toRecord(m: Member): MemberRecord {
  if (m instanceof StoredMember) return m.wire();
  return { member: m.id, status: m.status, incarnation: m.incarnation, info: m.info, health: m.health };
}

/** Alive or suspect: a member the protocol still probes and gossips to. */
export function isActive(m: Member | undefined): boolean {
  return m !== undefined && (m.status === 'alive' || m.status === 'suspect');
}

/** Copy-on-first-write access to a table within one step: each slot array and leaf at most once. */
export class TableWriter {
  private top: (Mid | undefined)[] | null = null;
  /** Which of the 64 slot arrays this writer made (bit i of word i >> 5). */
  private ownedMids0 = 0;
  private ownedMids1 = 0;
  private ownedLeaves: Set<number> | null = null;
  private size: number;
  /** The order box of the tables this writer hands out: the base's until a member is added or removed. */
  private order: IdOrder | null;
  /** The table last handed out, until the next write. */
  private current: MemberTable | null = null;
  constructor(private readonly base: MemberTable) {
    this.size = base.size;
    this.order = MemberTable.orderOf(base);
  }
  get table(): MemberTable {
    if (!this.top) return this.base;
    return (this.current ??= new MemberTable(this.top, this.size, (this.order ??= { perm: null })));
  }
  private leafForWrite(b: number): (number | Member)[] {
    const hi = (b / FAN) | 0;
    const lo = b % FAN;
    this.current = null;
    if (!this.top) this.top = this.base.buckets.slice();
    const bit = 1 << (hi & 31);
    if (((hi < 32 ? this.ownedMids0 : this.ownedMids1) & bit) === 0) {
      this.top[hi] = this.top[hi] ? this.top[hi]!.slice() : new Array<Leaf | undefined>(FAN).fill(undefined);
      if (hi < 32) this.ownedMids0 |= bit;
      else this.ownedMids1 |= bit;
    }
    const mid = this.top[hi] as (Leaf | undefined)[];
    const owned = (this.ownedLeaves ??= new Set());
    if (!owned.has(b)) {
      mid[lo] = mid[lo] ? mid[lo]!.slice() : [];
      owned.add(b);
    }
    return mid[lo] as (number | Member)[];
  }
  put(member: Member): void {
    const h = hashOf(member.id);
    const b = h % (FAN * FAN);
    const key = keyOf(h);
    const leaf = this.leafForWrite(b);
    for (let i = 0; i < leaf.length; i += 2) {
      if (leaf[i] === key && (leaf[i + 1] as Member).id === member.id) {
        leaf[i + 1] = member;
        return;
      }
    }
    // A new member: the leaf is rebuilt at its exact size (push would leave it room for ~16 more).
    const grown = leaf.concat(key, member);
    (this.top![(b / FAN) | 0] as (Leaf | undefined)[])[b % FAN] = grown;
    this.size += 1;
    this.order = null;
  }
  remove(id: NodeId): void {
    if (getMember(this.table, id) === undefined) return;
    const leaf = this.leafForWrite(bucketOf(id));
    leaf.splice(
      leaf.findIndex((x, i) => i % 2 === 1 && (x as Member).id === id) - 1,
      2,
    );
    this.size -= 1;
    this.order = null;
  }
}
