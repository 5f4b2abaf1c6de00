/**
 * The core's state and the per-step draft.
 *
 * Purity strategy: a SwimState is never mutated. A step copies the top-level object once into a Draft
 * (a shallow, O(fields) copy) and replaces fields with new values as it goes. The member table is a
 * persistent hash trie (membership.ts), so one member change copies two 64-slot arrays and a leaf of
 * ~2 records; the broadcast queue is a set of persistent stacks (broadcast-queue.ts), so queueing and
 * packing cost what they touch; the probe order is copied only when a member is inserted or a pass is
 * reshuffled; relays are copied on change, suspicions (suspicion.ts) per touched bucket. Every state a caller kept
 * stays valid, and step() is observably pure, without copying anything of size n per step.
 */
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Choice, NodeSetup, Notification, Output } from '../../spec/step.js';
import type { HealthSummary, MemberUpdate, SwimMessage, SwimStatus } from '../../spec/swim.js';
import { retransmitLimit } from '../../spec/swim.js';
import { type BroadcastQueue, type QueuedUpdate, compact, enqueue, estimateSize, needsCompaction, piggyback, someEntry } from './broadcast-queue.js';
import type { SwimCoreConfig } from './config.js';
import { type Member, type MemberTable, TableWriter, getMember, makeMember } from './membership.js';
import { OrderSlots, type ProbeOrder } from './probe-order.js';
import type { RngState } from '../../spec/prng.js';
import { type Suspicion, type Suspicions, SuspicionsWriter, suspicionOf } from './suspicion.js';

export interface PendingProbe {
  readonly seq: number;
  readonly target: NodeId;
  /** When it was sent, ms: after an ack the next probe is due one base interval later (nextProbeAfterAck). */
  readonly start: number;
  /** When the period, stretched by local health, ends without an ack: the target becomes suspect then. */
  readonly end: number;
  /** Whether the direct ack window passed and helpers were asked. */
  readonly indirect: boolean;
  readonly expectedNacks: number;
  readonly nacks: number;
}

/** A ping this node sends on another's behalf (ping-req), keyed by this node's own seq. */
export interface Relay {
  readonly origin: NodeId;
  readonly seq: number;
}

export type Phase = 'running' | 'left' | 'crashed';

export interface SwimState {
  readonly setup: NodeSetup<SwimCoreConfig>;
  readonly id: NodeId;
  readonly cfg: SwimCoreConfig;
  readonly phase: Phase;
  /** False from a join's start until a seed answers. */
  readonly joined: boolean;
  readonly joinAttempts: number;
  readonly joinSeeds: readonly NodeId[];
  readonly incarnation: number;
  readonly info: NodeInfo;
  readonly health: HealthSummary;
  /** Every known member, this node included. */
  readonly table: MemberTable;
  readonly queue: BroadcastQueue;
  readonly rng: RngState;
  readonly seq: number;
  readonly probe: PendingProbe | null;
  /** Member numbers (member-index.ts) in a typed array: see probe-order.ts. */
  readonly probeOrder: ProbeOrder;
  readonly probeIndex: number;
  readonly relays: Readonly<Record<number, Relay>>;
  readonly suspicions: Suspicions;
  /** Lifeguard local health score, 0 .. awarenessMaxMultiplier-1. */
  readonly awareness: number;
  /** When the last vitals-driven record change was made, ms (null: none yet). */
  readonly lastMetaChange: number | null;
  /** A health change held back by the metadata rate limit, applied when the `metadata` timer fires. */
  readonly pendingHealth: HealthSummary | null;
}

export type Draft = { -readonly [K in keyof SwimState]: SwimState[K] };

/**
 * A step's draft: every field copied by name, in one order, so all drafts share one object shape and
 * the copy is a straight run of stores (a `{ ...state }` spread took 7–9 % of a 2,000–5,000-node
 * simulation, most of it in the generic clone path).
 */
export function draftOf(s: SwimState): Draft {
  return {
    setup: s.setup,
    id: s.id,
    cfg: s.cfg,
    phase: s.phase,
    joined: s.joined,
    joinAttempts: s.joinAttempts,
    joinSeeds: s.joinSeeds,
    incarnation: s.incarnation,
    info: s.info,
    health: s.health,
    table: s.table,
    queue: s.queue,
    rng: s.rng,
    seq: s.seq,
    probe: s.probe,
    probeOrder: s.probeOrder,
    probeIndex: s.probeIndex,
    relays: s.relays,
    suspicions: s.suspicions,
    awareness: s.awareness,
    lastMetaChange: s.lastMetaChange,
    pendingHealth: s.pendingHealth,
  };
}

/** Whether the queue of `s` holds an update that is current (superseded ones do not count). */
export function hasCurrentUpdate(s: Pick<SwimState, 'queue' | 'table'>): boolean {
  const levels = s.queue.levels;
  if (levels.length === 0) return false;
  const table = s.table;
  const latest = { isLatest: (e: QueuedUpdate) => getMember(table, e.update.member)?.queuedOrder === e.order };
  for (const level of levels) if (someEntry(level, latest)) return true;
  return false;
}

/** A step in progress: the draft state, the input's time, the runtime's choice, and what the step emits. */
export class Step {
  readonly outputs: Output<SwimMessage>[] = [];
  choice: Choice | undefined;
  /** Made on the first table write: most steps only read the table. */
  private tw: TableWriter | null = null;
  private ownsOrder = false;
  /** Made on the first suspicion write; remade if the step replaced the suspicions meanwhile (leave, restart). */
  private sw: SuspicionsWriter | null = null;
  constructor(
    readonly s: Draft,
    readonly now: number,
    readonly given: Choice | undefined,
  ) {}

  member(id: NodeId): Member | undefined {
    return getMember(this.s.table, id);
  }
  put(member: Member): void {
    const tw = (this.tw ??= new TableWriter(this.s.table));
    tw.put(member);
    this.s.table = tw.table;
  }
  remove(id: NodeId): void {
    const tw = (this.tw ??= new TableWriter(this.s.table));
    tw.remove(id);
    this.s.table = tw.table;
  }
  /**
   * Makes the current table final: a later write in this step copies what it touches afresh instead of
   * writing into slot arrays the current table shares. A listing that leaves the step (push-pull.ts
   * tableRecords) seals first, so the table it was made from never changes afterwards.
   */
  sealTable(): void {
    this.tw = null;
  }
  /**
   * The probe order, copied at most once per step before it is changed, with room for a few
   * newcomers (a step that learns one member then copies once, not twice).
   */
  orderForWrite(): OrderSlots {
    if (!this.ownsOrder) {
      this.s.probeOrder = OrderSlots.copyOf(this.s.probeOrder, 4);
      this.ownsOrder = true;
    }
    return this.s.probeOrder as OrderSlots;
  }
  /** Replaces the probe order with one this step made. */
  setOrder(order: OrderSlots): void {
    this.s.probeOrder = order;
    this.ownsOrder = true;
  }

  suspicion(id: NodeId): Suspicion | undefined {
    return suspicionOf(this.s.suspicions, id);
  }
  setSuspicion(id: NodeId, susp: Suspicion): void {
    this.suspicionsWriter().set(id, susp);
  }
  clearSuspicion(id: NodeId): void {
    this.suspicionsWriter().delete(id);
  }
  private suspicionsWriter(): SuspicionsWriter {
    if (this.sw === null || this.sw.table !== this.s.suspicions) {
      this.sw = new SuspicionsWriter(this.s.suspicions);
      this.s.suspicions = this.sw.table;
    }
    return this.sw;
  }

  send(to: NodeId, message: SwimMessage): void {
    this.outputs.push({ type: 'send', to, message });
  }
  setTimer(timer: string, after: number): void {
    this.outputs.push({ type: 'setTimer', timer, after: Math.max(0, after) });
  }
  cancelTimer(timer: string): void {
    this.outputs.push({ type: 'cancelTimer', timer });
  }
  notify(event: Notification): void {
    this.outputs.push({ type: 'notify', event });
  }
  /**
   * Queues an update; it supersedes any queued one about the same member (see broadcast-queue.ts).
   * The member's record is kept, marked with the update's order.
   */
  broadcast(update: MemberUpdate): void {
    const order = this.enqueue(update);
    const m = this.member(update.member);
    if (m) this.put(makeMember(m.id, m.status, m.incarnation, m.info, m.health, m.since, order));
  }
  /**
   * Queues an update and stores the member's new record (at the update's incarnation, from now) with
   * its order in one write: the record is made once, already marked, where making it first and then
   * its marked copy doubled the records a cold start allocates (one per member learnt, per node).
   */
  broadcastRecord(update: MemberUpdate, id: NodeId, status: SwimStatus, info: NodeInfo, health: HealthSummary): void {
    const order = this.enqueue(update);
    this.put(makeMember(id, status, update.incarnation, info, health, this.now, order));
  }
  private enqueue(update: MemberUpdate): number {
    // Before the new entry: until the caller marks the member's record with its order, the entry it
    // supersedes still reads as current, and compaction must not judge the new one.
    if (needsCompaction(this.s.queue, this.s.table.size)) this.s.queue = compact(this.s.queue, this);
    let order: number;
    [this.s.queue, order] = enqueue(this.s.queue, update, this.s.cfg.sizeOf ?? estimateSize);
    return order;
  }
  /** Whether `e` is the current update about its member (a newer one supersedes it). */
  isLatest(e: QueuedUpdate): boolean {
    return this.member(e.update.member)?.queuedOrder === e.order;
  }
  /** Whether any queued update is current (superseded ones do not count). */
  hasQueuedUpdates(): boolean {
    return hasCurrentUpdate(this.s);
  }

  /** Updates for one outgoing datagram, taken from the queue; `reserved` bytes are already used. */
  piggyback(reserved = 0): MemberUpdate[] {
    const s = this.s;
    const limit = retransmitLimit(s.cfg.retransmitMult, s.table.size);
    const [updates, queue] = piggyback(s.queue, limit, s.cfg.packetBudgetBytes - reserved, this);
    s.queue = queue;
    return updates;
  }
}
