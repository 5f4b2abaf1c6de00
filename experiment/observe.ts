/**
 * What the metrics are made of, gathered while a run goes: watches (how long until each live node's
 * View reflects an event), false positives (live nodes declared failed, and for how long) and sampled
 * property checks. Watches are driven by the nodes' notifications, and re-read one member from the
 * state (SimProtocol.memberView), never the whole View, so they cost O(1) per notification at any N.
 */
import type { NodeId } from '../spec/node.js';
import type { Observation, Property } from '../spec/properties.js';
import type { Notification } from '../spec/step.js';
import type { MemberView } from '../spec/view.js';
import type { SimObserver, Simulator } from './simulator.js';
import { type Distribution, distribution, round } from './stats.js';

/** What "the View reflects it" means for one watched member. */
export type Reflects = (member: MemberView | undefined, memberId: NodeId) => boolean;

export const present: Reflects = (m) => m !== undefined && (m.status === 'alive' || m.status === 'suspect');
export const absent: Reflects = (m, id) => !present(m, id);
export const notAlive: Reflects = (m) => m === undefined || m.status !== 'alive';

function memberOf(event: Notification): NodeId | undefined {
  switch (event.kind) {
    case 'joined':
    case 'updated':
      return event.member;
    case 'suspected':
    case 'alive':
    case 'failed':
    case 'left':
    case 'removed':
      return event.member;
    default:
      return undefined;
  }
}

export interface WatchResult {
  readonly label: string;
  /**
   * Live observers at the end, and how many of them reflected every watched member at least once
   * (a StateWatch: how many hold its condition at the end).
   */
  readonly observers: number;
  readonly reflected: number;
  /**
   * Per live observer: ms from the event until its View first reflected every watched member (a
   * StateWatch: until its condition last became true, counting only observers where it still holds).
   */
  readonly perObserver: Distribution;
  /** Until every live observer had reflected it (null: some never did within the run). */
  readonly allMs: number | null;
  /** Per (live observer, watched member) pair: ms until that pair was first reflected. */
  readonly perPair: Distribution;
  /** Times a reflected pair stopped being reflected again (a regression or a flap). */
  readonly relapses: number;
}

/**
 * Tracks, for every observer and every watched member, whether the observer's View reflects it, from
 * `since` on. Re-evaluates a pair when the observer is notified about the member, and all of an
 * observer's pairs when it (re)starts; `rescan` re-reads every pair (a safety net for small runs).
 */
export class Watch<S> implements SimObserver, Tracker {
  private readonly slot = new Map<number, number>();
  private readonly ok: Uint8Array;
  private readonly okCount: Int32Array;
  private readonly pairFirst: Float64Array;
  private readonly complete: Float64Array;
  private relapses = 0;
  private readonly w: number;

  constructor(
    private readonly sim: Simulator<S, unknown, unknown>,
    readonly label: string,
    private readonly members: readonly number[],
    private readonly reflects: Reflects,
    readonly since: number,
  ) {
    this.w = members.length;
    members.forEach((m, k) => this.slot.set(m, k));
    const n = sim.size;
    this.ok = new Uint8Array(n * this.w);
    this.okCount = new Int32Array(n);
    this.pairFirst = new Float64Array(n * this.w).fill(NaN);
    this.complete = new Float64Array(n).fill(NaN);
    sim.observe(this);
    this.rescan();
  }

  onNotify(node: number, event: Notification): void {
    const id = memberOf(event);
    if (id === undefined) return;
    const m = this.sim.index.get(id);
    if (m === undefined) return;
    const k = this.slot.get(m);
    if (k !== undefined) this.evaluate(node, k);
  }

  onStart(node: number): void {
    this.observerAll(node);
  }

  rescan(): void {
    for (let o = 0; o < this.sim.size; o++) if (this.sim.isUp(o)) this.observerAll(o);
  }

  private observerAll(o: number): void {
    const state = this.sim.state(o);
    if (state === undefined) return;
    const lookup = this.sim.protocol.memberView;
    // A fresh node knows few members: when absence does not count as reflected, read only those it knows.
    if (this.w > 64 && !this.reflects(undefined, '')) {
      for (let k = 0; k < this.w; k++) this.set(o, k, false);
      const view = this.sim.protocol.definition.behaviour.view(state);
      for (const id of Object.keys(view.members)) {
        const m = this.sim.index.get(id);
        const k = m === undefined ? undefined : this.slot.get(m);
        if (k !== undefined) this.set(o, k, this.reflects(view.members[id], id));
      }
      return;
    }
    for (let k = 0; k < this.w; k++) {
      const id = this.sim.ids[this.members[k]];
      this.set(o, k, this.reflects(lookup(state, id), id));
    }
  }

  private evaluate(o: number, k: number): void {
    const state = this.sim.state(o);
    if (state === undefined) return;
    const id = this.sim.ids[this.members[k]];
    this.set(o, k, this.reflects(this.sim.protocol.memberView(state, id), id));
  }

  private set(o: number, k: number, value: boolean): void {
    const at = o * this.w + k;
    const was = this.ok[at] === 1;
    if (value === was) return;
    const now = Math.max(this.sim.now, this.since);
    this.ok[at] = value ? 1 : 0;
    if (value) {
      this.okCount[o]++;
      if (Number.isNaN(this.pairFirst[at])) this.pairFirst[at] = now - this.since;
      if (this.okCount[o] === this.w && Number.isNaN(this.complete[o])) this.complete[o] = now - this.since;
    } else {
      this.okCount[o]--;
      this.relapses++;
    }
  }

  /**
   * When every live observer had reflected every watched member (null: some has not yet): what
   * result().allMs says, in O(observers) without building the distributions, so a runner can poll it
   * every sample period (at 1,000 nodes result() sorts a million pair times).
   */
  completedAt(): number | null {
    let max = -Infinity;
    for (let o = 0; o < this.sim.size; o++) {
      if (!this.sim.isUp(o)) continue;
      const t = this.complete[o];
      if (Number.isNaN(t)) return null;
      if (t > max) max = t;
    }
    return max === -Infinity ? null : round(max);
  }

  /** Whether live observer o currently reflects every watched member. */
  reflectsAll(o: number): boolean {
    return this.okCount[o] === this.w;
  }

  result(exclude: (o: number) => boolean = () => false): WatchResult {
    const per: number[] = [];
    const pairs: number[] = [];
    let observers = 0;
    let missing = false;
    for (let o = 0; o < this.sim.size; o++) {
      if (!this.sim.isUp(o) || exclude(o)) continue;
      observers++;
      if (Number.isNaN(this.complete[o])) missing = true;
      else per.push(this.complete[o]);
      for (let k = 0; k < this.w; k++) {
        const t = this.pairFirst[o * this.w + k];
        if (!Number.isNaN(t)) pairs.push(t);
      }
    }
    const perObserver = distribution(per);
    return {
      label: this.label,
      observers,
      reflected: per.length,
      perObserver,
      allMs: missing || per.length === 0 ? null : perObserver.max,
      perPair: distribution(pairs),
      relapses: this.relapses,
    };
  }
}

/** Anything that reports a WatchResult at the end of a run. */
export interface Tracker {
  rescan(): void;
  result(): WatchResult;
}

/**
 * A whole-state condition on some observers (e.g. "this load balancer no longer routes to X"),
 * re-evaluated whenever an observer is notified of anything, and on rescan. It measures when the
 * condition settled, not when it first held: an observer counts from the last time the condition
 * became true and only if it still holds at the end, because a load balancer that routed to every
 * backend at the heal and then dropped one for good has not healed (Inferno's sequential health
 * check fails a backend cut off by a partition up to one timeout after the heal).
 */
export class StateWatch<S> implements SimObserver, Tracker {
  /** Per observer: ms from `since` to the last time the condition became true. */
  private readonly settled = new Map<number, number>();
  private readonly now = new Map<number, boolean>();
  private readonly watched: ReadonlySet<number>;
  private relapses = 0;

  constructor(
    private readonly sim: Simulator<S, unknown, unknown>,
    readonly label: string,
    private readonly observers: readonly number[],
    /** Whether the condition holds for `observer` in its state (observers may differ, e.g. what each routed before). */
    private readonly holds: (state: S, observer: number) => boolean,
    readonly since: number,
  ) {
    this.watched = new Set(observers);
    sim.observe(this);
    this.rescan();
  }

  onNotify(node: number): void {
    if (this.watched.has(node)) this.evaluate(node);
  }

  onStart(node: number): void {
    if (this.watched.has(node)) this.evaluate(node);
  }

  rescan(): void {
    for (const o of this.observers) if (this.sim.isUp(o)) this.evaluate(o);
  }

  private evaluate(o: number): void {
    const s = this.sim.state(o);
    if (s === undefined) return;
    const value = this.holds(s, o);
    const was = this.now.get(o) ?? false;
    if (value === was) return;
    this.now.set(o, value);
    if (!value) this.relapses++;
    else this.settled.set(o, Math.max(this.sim.now, this.since) - this.since);
  }

  result(): WatchResult {
    const live = this.observers.filter((o) => this.sim.isUp(o));
    const times = live.filter((o) => this.now.get(o) === true).map((o) => this.settled.get(o) as number);
    const per = distribution(times);
    return {
      label: this.label,
      observers: live.length,
      reflected: times.length,
      perObserver: per,
      allMs: times.length === live.length && live.length > 0 ? per.max : null,
      perPair: per,
      relapses: this.relapses,
    };
  }
}

export interface FalsePositiveResult {
  /** Live members declared failed or removed by some live observer. */
  readonly members: number;
  /** (observer, member) declarations of a live member as failed. */
  readonly declarations: number;
  /** Of those, declarations across a partition (the member was live but unreachable). */
  readonly acrossPartition: number;
  /** How long each declaration stood, ms (open ones until the end of the run). */
  readonly durationMs: Distribution;
  /** Declarations still standing at the end of the run. */
  readonly open: number;
  /**
   * (load balancer, live backend) pairs the load balancer had already judged failed at the end but not
   * yet dropped (SimProtocol.pendingRemovals: Inferno's proxy loop drops the failed ones together when
   * its round ends, and under loss a round at 1,000 nodes outlasts the run). Absent: none can be.
   */
  readonly pending?: number;
}

/** False removals a run saw: the ones made and the ones decided, which no later event can undo. */
export const removalsOf = (fp: FalsePositiveResult): number => fp.declarations + (fp.pending ?? 0);

/**
 * The ledger both false-positive counters keep: a removal of live member m by observer o opens at a
 * time and closes when o takes m back or either crashes (then the removal is true or moot); one still
 * open at the end lasted until the end.
 */
class RemovalLedger {
  private readonly openAt = new Map<string, number>();
  private readonly durations: number[] = [];
  private readonly members = new Set<number>();
  private declarations = 0;
  private acrossPartition = 0;

  constructor(private readonly sim: Simulator<unknown, unknown, unknown>) {}

  open(o: number, m: number, at: number): void {
    const key = `${o}|${m}`;
    if (!this.sim.isUp(m) || this.openAt.has(key)) return;
    this.openAt.set(key, at);
    this.declarations++;
    this.members.add(m);
    if (!this.sim.network.canReach(o, m, at) || !this.sim.network.canReach(m, o, at)) this.acrossPartition++;
  }

  close(o: number, m: number, at: number): void {
    const key = `${o}|${m}`;
    const from = this.openAt.get(key);
    if (from === undefined) return;
    this.openAt.delete(key);
    this.durations.push(at - from);
  }

  /** A crash makes standing removals of the node true, and ends the crashed observer's own. */
  crashed(node: number, at: number): void {
    for (const key of [...this.openAt.keys()]) {
      const [o, m] = key.split('|').map(Number);
      if (o === node || m === node) this.close(o, m, at);
    }
  }

  result(end: number): FalsePositiveResult {
    const durations = [...this.durations, ...[...this.openAt.values()].map((from) => end - from)];
    return { members: this.members.size, declarations: this.declarations, acrossPartition: this.acrossPartition, durationMs: distribution(durations), open: this.openAt.size };
  }
}

/** Live members declared failed (`failed` or `removed` while they run), and for how long. */
export class FalsePositives implements SimObserver {
  private readonly ledger: RemovalLedger;
  /** Members a scenario removes on purpose (a backend reporting not ready). */
  readonly exempt = new Set<number>();

  constructor(
    private readonly sim: Simulator<unknown, unknown, unknown>,
    /** Declarations before this time are not counted (warm-up belongs to the cold-start scenario). */
    public since = 0,
  ) {
    this.ledger = new RemovalLedger(sim);
    sim.observe(this);
  }

  onNotify(node: number, event: Notification, at: number): void {
    if (at < this.since) return;
    const id = memberOf(event);
    if (id === undefined) return;
    const m = this.sim.index.get(id);
    if (m === undefined || m === node || this.exempt.has(m)) return;
    if (event.kind === 'failed' || event.kind === 'removed') this.ledger.open(node, m, at);
    else if (event.kind === 'joined' || event.kind === 'alive' || event.kind === 'updated') this.ledger.close(node, m, at);
  }

  onCrash(node: number, at: number): void {
    this.ledger.crashed(node, at);
  }

  result(end: number): FalsePositiveResult {
    return this.ledger.result(end);
  }
}

/**
 * False removals as routing sees them: a load balancer stops routing to a backend that is still
 * running (SimProtocol.healthyBackends), from `since` on, and how long until it routes to it again
 * (open: never within the run). Protocol-neutral: SWIM's suspicion, the majority system's failed check
 * and Inferno's health-check removal all count the moment routing drops the backend. Re-read at every
 * notification the load balancer gets (only the member it names, when the protocol can check one) and
 * wholly at every rescan.
 */
export class RoutingRemovals implements SimObserver {
  private readonly routed = new Map<number, Set<number>>();
  private readonly ledger: RemovalLedger;
  private readonly lbs: ReadonlySet<number>;

  constructor(
    private readonly sim: Simulator<unknown, unknown, unknown>,
    loadBalancers: readonly number[],
    /** The protocol's routing rule: the whole list, and (optional) one member's check that agrees with it. */
    private readonly routes: { readonly all: (state: unknown) => readonly { readonly id: NodeId }[]; readonly one?: (state: unknown, id: NodeId) => boolean },
    private readonly exempt: ReadonlySet<number>,
    private readonly since: number,
  ) {
    this.ledger = new RemovalLedger(sim);
    this.lbs = new Set(loadBalancers);
    sim.observe(this);
    this.rescan();
  }

  onNotify(node: number, event: Notification): void {
    if (!this.lbs.has(node)) return;
    const id = memberOf(event);
    const m = id === undefined ? undefined : this.sim.index.get(id);
    const routed = this.routed.get(node);
    const s = this.sim.state(node);
    if (this.routes.one === undefined || m === undefined || routed === undefined || s === undefined) return this.evaluate(node);
    const now = this.routes.one(s, id as NodeId);
    if (now === routed.has(m)) return;
    if (now) {
      routed.add(m);
      this.ledger.close(node, m, this.sim.now);
    } else {
      routed.delete(m);
      if (this.sim.now >= this.since && !this.exempt.has(m)) this.ledger.open(node, m, this.sim.now);
    }
  }

  onStart(node: number): void {
    if (this.lbs.has(node)) this.evaluate(node);
  }

  onCrash(node: number, at: number): void {
    this.ledger.crashed(node, at);
    // A crashed load balancer routes nowhere; after its restart its table is judged afresh.
    this.routed.delete(node);
  }

  rescan(): void {
    for (const o of this.lbs) if (this.sim.isUp(o)) this.evaluate(o);
  }

  private evaluate(o: number): void {
    const s = this.sim.state(o);
    if (s === undefined || !this.sim.isUp(o)) return;
    const now = new Set<number>();
    for (const b of this.routes.all(s)) {
      const i = this.sim.index.get(b.id);
      if (i !== undefined) now.add(i);
    }
    const before = this.routed.get(o);
    this.routed.set(o, now);
    if (before === undefined) return;
    const at = this.sim.now;
    if (at >= this.since) for (const m of before) if (!now.has(m) && !this.exempt.has(m)) this.ledger.open(o, m, at);
    for (const m of now) this.ledger.close(o, m, at);
  }

  result(end: number): FalsePositiveResult {
    return this.ledger.result(end);
  }
}

export interface PropertySample {
  readonly property: string;
  readonly temporal: string;
  /** Samples taken, and how many of them violated the property. */
  readonly samples: number;
  readonly violations: number;
  readonly first: { readonly atMs: number; readonly detail: string } | null;
}

/**
 * Evaluates a protocol's properties on whole-cluster Observations: `always` ones every `everyMs`,
 * comparing with the previous sample for step properties; `eventually` ones by finalCheck() at the end.
 * Builds every View, so only for clusters small enough (the runner decides).
 */
export class PropertySampler {
  private before: Observation | undefined;
  private readonly tally = new Map<string, { samples: number; violations: number; first: PropertySample['first']; temporal: string }>();

  constructor(
    private readonly sim: Simulator<unknown, unknown, unknown>,
    private readonly properties: readonly Property[],
  ) {
    for (const p of properties) this.tally.set(p.name, { samples: 0, violations: 0, first: null, temporal: p.temporal });
  }

  sample(): void {
    const obs = this.sim.observation();
    for (const p of this.properties) if (p.temporal === 'always') this.judge(p, obs, this.before);
    this.before = obs;
  }

  finalCheck(): void {
    const obs = this.sim.observation();
    for (const p of this.properties) if (p.temporal === 'eventually') this.judge(p, obs, undefined);
  }

  private judge(p: Property, obs: Observation, before: Observation | undefined): void {
    const t = this.tally.get(p.name)!;
    t.samples++;
    const v = p.check(obs, before);
    if (v === null) return;
    t.violations++;
    t.first ??= { atMs: round(this.sim.now), detail: v.detail };
  }

  result(): PropertySample[] {
    return [...this.tally.entries()].map(([property, t]) => ({ property, temporal: t.temporal, samples: t.samples, violations: t.violations, first: t.first }));
  }
}
