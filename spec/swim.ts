/**
 * SWIM for Inferno's service discovery (spec/swim.md): messages, member records, the precedence
 * rules and the knobs, written once and used by the model (model/swim) and the core (impl/swim).
 *
 * CHANGE LOG (message shapes are stable; any change is announced here for the codec):
 *  - v1 (06:30 UTC): first version.
 *  - v1 + reconnect (issue 4, partition heal): no message change; a new knob `reconnectIntervalMs` and
 *    timer `reconnect` (a `sync` sent to a dead member), and a pushed or pulled `dead` record is
 *    merged as a suspicion (`pushedUpdate`); a node answers a stale suspect/dead claim with a `gossip`
 *    of the alive record it holds (no message change).
 */
import type { NodeId, NodeInfo, NodeVitals } from './node.js';

/** SWIM's member states (the View's statuses, same names). */
export type SwimStatus = 'alive' | 'suspect' | 'dead' | 'left';

/** The health summary a member advertises with its record, derived from its NodeVitals. */
export interface HealthSummary {
  readonly ready: boolean;
  /** 0 (idle) .. LOAD_BUCKETS-1 (saturated); coarse so that small load moves do not change the record. */
  readonly loadBucket: number;
}

export const LOAD_BUCKETS = 4;

/**
 * Load bucket from the busiest of CPU and memory: four buckets of 25 %. Coarse on purpose: a record
 * change costs an incarnation and a broadcast, so only meaningful moves should make one.
 */
export function healthSummary(vitals: NodeVitals): HealthSummary {
  const busiest = Math.max(0, Math.min(100, Math.max(vitals.cpuUsage, vitals.memoryUsage)));
  return { ready: vitals.ready, loadBucket: Math.min(LOAD_BUCKETS - 1, Math.floor(busiest / (100 / LOAD_BUCKETS))) };
}

export const DEFAULT_HEALTH: HealthSummary = { ready: true, loadBucket: 0 };

export function sameHealth(a: HealthSummary, b: HealthSummary): boolean {
  return a.ready === b.ready && a.loadBucket === b.loadBucket;
}

/**
 * A membership update, the unit of dissemination. `alive` carries the member's whole record (only the
 * member itself originates a new one); the others name the member and the incarnation they are about.
 */
export type MemberUpdate =
  | { readonly kind: 'alive'; readonly member: NodeId; readonly incarnation: number; readonly info: NodeInfo; readonly health: HealthSummary }
  /** `from`: who suspects it (Lifeguard counts independent suspecters). */
  | { readonly kind: 'suspect'; readonly member: NodeId; readonly incarnation: number; readonly from: NodeId }
  | { readonly kind: 'dead'; readonly member: NodeId; readonly incarnation: number; readonly from: NodeId }
  /** Graceful leave, originated by the member itself: not a failure. */
  | { readonly kind: 'left'; readonly member: NodeId; readonly incarnation: number };

/** A member's full record as push-pull exchanges it. */
export interface MemberRecord {
  readonly member: NodeId;
  readonly status: SwimStatus;
  readonly incarnation: number;
  readonly info: NodeInfo;
  readonly health: HealthSummary;
}

/**
 * SWIM messages. Every datagram message piggybacks `updates` (possibly empty), packed to fit the
 * datagram. `seq` pairs a probe with its ack/nack and is local to the prober.
 */
export type SwimMessage =
  /** A direct probe. A helper probing on someone's behalf sends an ordinary ping with its own seq. */
  | { readonly kind: 'ping'; readonly seq: number; readonly updates: readonly MemberUpdate[] }
  /** Answer to a ping; a helper relays the target's ack to the requester as an ack with the requester's seq. */
  | { readonly kind: 'ack'; readonly seq: number; readonly updates: readonly MemberUpdate[] }
  /** Ask the receiver to probe `target` on the sender's behalf and relay the ack (or a nack). */
  | { readonly kind: 'pingReq'; readonly seq: number; readonly target: NodeId; readonly updates: readonly MemberUpdate[] }
  /** Lifeguard: a helper got no ack from the target in time; tells the requester the helper itself is fine. */
  | { readonly kind: 'nack'; readonly seq: number; readonly updates: readonly MemberUpdate[] }
  /** Gossip fan-out: updates only. */
  | { readonly kind: 'gossip'; readonly updates: readonly MemberUpdate[] }
  /** A joiner introduces itself to a seed; the seed answers with `syncReply`. A datagram when it fits, else a stream. */
  | { readonly kind: 'join'; readonly self: MemberRecord }
  /** Push-pull anti-entropy: the sender's full table; the receiver merges it and answers with its own. Stream. */
  | { readonly kind: 'sync'; readonly members: readonly MemberRecord[] }
  /** Answer to `join` or `sync`: the receiver's full table. Stream. */
  | { readonly kind: 'syncReply'; readonly members: readonly MemberRecord[] };

export type SwimMessageKind = SwimMessage['kind'];

/**
 * The highest incarnation a claim may carry. One below the largest safe integer, so a refutation of
 * any claim a member can be made to accept (at most MAX_INCARNATION - 1, see `overrides`) has a
 * higher incarnation to move to; claims above it are refused.
 */
export const MAX_INCARNATION = Number.MAX_SAFE_INTEGER - 1;

/** What the precedence rules compare: a status at an incarnation. */
export interface Claim {
  readonly status: SwimStatus;
  readonly incarnation: number;
}

/**
 * THE precedence rule: does `incoming` replace `current` in a member table? (spec/swim.md §Precedence)
 *  - alive(i) overrides alive(j), suspect(j), dead(j), left(j) iff i > j (a dead or left member comes
 *    back only by its own higher incarnation);
 *  - suspect(i) overrides alive(j) iff i = j, never suspect, dead or left (a second suspicion at the
 *    same incarnation is a confirmation, counted apart);
 *  - dead(i) overrides alive(j) and suspect(j) iff i = j, never dead or left;
 *  - left(i) overrides alive(j), suspect(j) and dead(j) iff i = j (a leave says more than a failure), never left;
 *  - no claim above MAX_INCARNATION overrides anything, and no suspect, dead or left claim at
 *    MAX_INCARNATION does (its member could not refute it).
 * Incarnations are self-sovereign: only a member announces its incarnations (in its alive records),
 * so a suspect, dead or left claim must cite the incarnation this node holds. A claim at a higher one
 * cites an incarnation the member never announced to this node: SWIM and memberlist accept it
 * (i ≥ j), which let one datagram at incarnation 2^53 − 1 evict a member for good (it cannot outbid
 * it). Refusing it costs an honest suspicion that outruns the alive record it is about a delay: the
 * record arrives, and the suspicion is heard again or raised by this node's own probe.
 * An unknown member (current undefined) is learnt only from an alive claim, which carries its record.
 */
export function overrides(incoming: Claim, current: Claim | undefined): boolean {
  const i = incoming.incarnation;
  if (!(i <= MAX_INCARNATION)) return false;
  if (current === undefined) return incoming.status === 'alive';
  const j = current.incarnation;
  if (incoming.status === 'alive') return i > j;
  if (i !== j || i >= MAX_INCARNATION) return false;
  switch (incoming.status) {
    case 'suspect':
      return current.status === 'alive';
    case 'dead':
      return current.status === 'alive' || current.status === 'suspect';
    case 'left':
      return current.status !== 'left';
  }
}

/** The claim an update makes. */
export function claimOf(update: MemberUpdate): Claim {
  return { status: update.kind, incarnation: update.incarnation };
}

/**
 * What a node does when it hears a claim about ITSELF: a live node never accepts its own suspicion or
 * death; it refutes with an incarnation above the claim's. Returns the incarnation to move to, or
 * undefined when the claim needs no refutation (alive claims, or stale ones below its incarnation).
 */
export function refutationIncarnation(own: number, claim: Claim): number | undefined {
  const c = claim.incarnation;
  // A claim no member accepts (see overrides) needs no answer: outbidding it would only spend incarnations.
  if (!(c <= MAX_INCARNATION)) return undefined;
  // An alive claim above its own incarnation is its own record from before a restart: move past it.
  if (claim.status === 'alive') return c > own ? Math.min(c + 1, MAX_INCARNATION) : undefined;
  // Accusations at own or above (others may hold a forged alive record there) are outbid; one at
  // MAX_INCARNATION is accepted by nobody, so it needs no refutation.
  return c >= own && c < MAX_INCARNATION ? c + 1 : undefined;
}

/**
 * Retransmit limit of one update: λ·⌈log10(n+1)⌉ (memberlist's retransmit multiplier times the
 * number of decimal digits of the cluster size), at least λ so tiny clusters still spread it.
 */
export function retransmitLimit(multiplier: number, clusterSize: number): number {
  return multiplier * Math.max(1, Math.ceil(Math.log10(clusterSize + 1)));
}

/**
 * The update a pushed or pulled record (push-pull, a join's reply) is merged as; `from`, who sent the
 * table, vouches for suspicions. A `dead` record is taken as a suspicion, as memberlist's mergeState
 * does: a whole table can be stale (its sender sat on the other side of a partition that has since
 * healed), and a suspicion gives the member the chance to refute before this node declares it dead;
 * if it really is gone, this node's own suspicion timeout declares it. Gossiped deaths stay deaths.
 */
export function pushedUpdate(r: MemberRecord, from: NodeId): MemberUpdate {
  switch (r.status) {
    case 'alive':
      return { kind: 'alive', member: r.member, incarnation: r.incarnation, info: r.info, health: r.health };
    case 'suspect':
    case 'dead':
      return { kind: 'suspect', member: r.member, incarnation: r.incarnation, from };
    case 'left':
      return { kind: 'left', member: r.member, incarnation: r.incarnation };
  }
}

/** Cluster size above which push-pull slows down (memberlist's threshold). */
export const PUSH_PULL_SCALE_THRESHOLD = 32;

/**
 * The push-pull period for a cluster of `clusterSize`: the configured interval up to 32 members, then
 * one more interval per doubling, so the whole-table exchange (O(n) each) costs O(log n) per node per
 * interval, not O(n).
 */
export function pushPullPeriod(intervalMs: number, clusterSize: number): number {
  if (clusterSize <= PUSH_PULL_SCALE_THRESHOLD) return intervalMs;
  return intervalMs * (Math.ceil(Math.log2(clusterSize) - Math.log2(PUSH_PULL_SCALE_THRESHOLD)) + 1);
}

/**
 * The suspicion timeout floor (Lifeguard's min) for a cluster of `clusterSize`: multiplier ·
 * max(1, log10(max(1, n))) · probe interval, unrounded, as memberlist's suspicionTimeout (util.go).
 * Not the retransmit limit's ⌈log10(n+1)⌉: rounding up made it 8 s instead of 4 s at n = 10 with the
 * LAN preset, and a crash was noticed about twice as late as memberlist notices it.
 */
/**
 * When the next probe is due after an ack, ms from now: at the probe ticker's next tick, one base
 * interval after the probe began, never in the past. memberlist's `probeNode` runs off a ticker at
 * `ProbeInterval`; local health (awareness) stretches only the wait of a probe that gets no ack, and
 * a tick missed while it waited is skipped. Waiting out the stretched period after an ack too made a
 * node that had just probed a dead member probe at a quarter of the rate (docs/swim-timing.md).
 */
export function nextProbeAfterAck(startedAt: number, now: number, probeIntervalMs: number): number {
  return Math.max(0, startedAt + probeIntervalMs - now);
}

export function suspicionMinMs(multiplier: number, clusterSize: number, probeIntervalMs: number): number {
  const scale = Math.max(1, Math.log10(Math.max(1, clusterSize)));
  // memberlist keeps the scale to three decimals (6.792 s at n = 50, not 6.7959 s); whole ms keep
  // timers integral and land at most 1 ms under memberlist's figure (679 ms for its 679.2 ms).
  return Math.floor((multiplier * Math.trunc(scale * 1000) * probeIntervalMs) / 1000);
}

/**
 * Independent confirmations a suspicion waits for before its timeout reaches the floor: multiplier − 2,
 * or none when the cluster cannot supply them (n − 2 fewer than that, n counting this node and the
 * suspect), so a small cluster waits the floor rather than Lifeguard's max. memberlist's suspectNode.
 */
export function suspicionConfirmations(multiplier: number, clusterSize: number): number {
  const k = multiplier - 2;
  return clusterSize - 2 < k ? 0 : Math.max(0, k);
}

/**
 * Lifeguard's suspicion timeout after `confirmations` independent suspecters (of `expected` wanted):
 * starts at `max` and falls logarithmically to `min` as confirmations arrive.
 */
export function suspicionTimeout(min: number, max: number, confirmations: number, expected: number): number {
  if (expected <= 0 || max <= min) return min;
  const frac = Math.log(confirmations + 1) / Math.log(expected + 1);
  const t = max - frac * (max - min);
  return Math.max(min, Math.floor(t));
}

/**
 * Knobs of a SWIM node, plain data (the model keeps them in context). Defaults and presets with the
 * reason for each figure live in impl/swim/config.ts (SWIM_LAN and friends); the model's small
 * configuration for exhaustive checking lives in model/swim.
 */
export interface SwimConfig {
  /** Protocol period: one probe per period, ms. */
  readonly probeIntervalMs: number;
  /** How long to wait for a direct ack before asking helpers, ms. */
  readonly probeTimeoutMs: number;
  /** Helpers asked to probe indirectly (k). */
  readonly indirectChecks: number;
  /** Suspicion timeout floor = multiplier · max(1, log10(max(1, n))) · probe interval (see suspicionMinMs). */
  readonly suspicionMult: number;
  /** Lifeguard: the suspicion timeout starts at floor · this and shrinks with confirmations. */
  readonly suspicionMaxTimeoutMult: number;
  /** λ of the retransmit limit λ·⌈log10(n+1)⌉. */
  readonly retransmitMult: number;
  /** Lifeguard local health: the probe interval and timeout stretch by (1 + score), score ≤ max-1. */
  readonly awarenessMaxMultiplier: number;
  /** Gossip fan-out period, ms; 0 disables gossip fan-out (piggybacking still runs). */
  readonly gossipIntervalMs: number;
  /** Members each gossip round sends to. */
  readonly gossipNodes: number;
  /** Push-pull full-state exchange period, ms; 0 disables it. */
  readonly pushPullIntervalMs: number;
  /**
   * Reconnect period, ms; 0 disables it. Every period a node draws one member of its table at random
   * and, when that member is dead (never left), sends it a push-pull `sync`: a member wrongly declared
   * dead, e.g. across a partition that has healed, hears its death, refutes, and both sides merge.
   */
  readonly reconnectIntervalMs: number;
  /** Join: wait this long for a seed's answer before retrying, ms. */
  readonly joinRetryMs: number;
  /** Join: attempts through the seeds before giving up (and reporting it). */
  readonly joinMaxAttempts: number;
  /** Dead and left members are removed from the table after this long, ms; 0 keeps them forever. */
  readonly reapAfterMs: number;
  /** Metadata rate limit: at most one vitals-driven record change per this many ms. */
  readonly metadataMinIntervalMs: number;
  /** Lifeguard dogpile: when false, suspicion times out at the floor regardless of confirmations. */
  readonly dogpile: boolean;
  /** When set, overrides the computed suspicion floor, ms (benchmarks fix it at 500 ms). */
  readonly suspicionTimeoutMs?: number;
  /** Byte budget for piggybacked updates in one datagram (the codec's cap minus headers). */
  readonly packetBudgetBytes: number;
}

/** Timer names. Per-probe and per-member timers carry the key after a colon. */
export const SWIM_TIMERS = {
  /** Start the next probe (armed at the end of each period). */
  probe: 'probe',
  /** `ackTimeout:<seq>`: direct ack window of a probe. */
  ackTimeout: 'ackTimeout',
  /** `probeEnd:<seq>`: end of the probe period; no ack by then means suspect. */
  probeEnd: 'probeEnd',
  /** `relay:<seq>`: a helper's window for the target's ack (nack when it passes). */
  relay: 'relay',
  /** `suspicion:<member>` */
  suspicion: 'suspicion',
  gossip: 'gossip',
  pushPull: 'pushPull',
  /** Try one random dead member with a push-pull `sync` (partition heal). */
  reconnect: 'reconnect',
  join: 'join',
  reap: 'reap',
  /** A deferred, rate-limited metadata change. */
  metadata: 'metadata',
} as const;

/** A SWIM timer as the core reads it: its kind, with the probe sequence or the member it is for. */
export type SwimTimer =
  | { readonly kind: 'probe' | 'gossip' | 'pushPull' | 'reconnect' | 'join' | 'metadata' }
  | { readonly kind: 'ackTimeout' | 'probeEnd' | 'relay'; readonly seq: number }
  | { readonly kind: 'suspicion' | 'reap'; readonly member: NodeId };

const SEQ_TIMERS: ReadonlySet<string> = new Set(['ackTimeout', 'probeEnd', 'relay']);
const MEMBER_TIMERS: ReadonlySet<string> = new Set(['suspicion', 'reap']);
const PLAIN_TIMERS: ReadonlySet<string> = new Set(['probe', 'gossip', 'pushPull', 'reconnect', 'join', 'metadata']);

/** The timer a name stands for, or undefined for a name no SWIM core arms (never trusted blindly). */
export function parseSwimTimer(name: string): SwimTimer | undefined {
  const { base, key } = parseTimer(name);
  if (PLAIN_TIMERS.has(base)) return name === base ? ({ kind: base } as SwimTimer) : undefined;
  if (SEQ_TIMERS.has(base)) return /^\d+$/.test(key) ? ({ kind: base, seq: Number(key) } as SwimTimer) : undefined;
  if (MEMBER_TIMERS.has(base)) return key !== '' ? ({ kind: base, member: key } as SwimTimer) : undefined;
  return undefined;
}

/** The name a timer is armed under (the step contract's timers are strings). */
export function swimTimerName(t: SwimTimer): string {
  if ('seq' in t) return timerName(t.kind, t.seq);
  if ('member' in t) return timerName(t.kind, t.member);
  return t.kind;
}

export function timerName(base: string, key: string | number): string {
  return `${base}:${key}`;
}

/** Splits `base:key` into its parts (key '' when there is none). */
export function parseTimer(name: string): { readonly base: string; readonly key: string } {
  const i = name.indexOf(':');
  return i < 0 ? { base: name, key: '' } : { base: name.slice(0, i), key: name.slice(i + 1) };
}
