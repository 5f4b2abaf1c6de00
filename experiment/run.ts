/**
 * One run: a protocol, a scenario, a cluster size and a seed, simulated from cold start through the
 * event to the end of the observation window, measured. The `sim` part of the result is a function
 * of the inputs alone (same seed, byte-identical JSON); the `runtime` part is what this machine
 * measured (wall time, CPU time in the cores, heap, the resolver's own timer) and varies run to run.
 */
import { AliceError } from '../spec/errors.js';
import type { NodeSetup, Notification, StepResult } from '../spec/step.js';
import type { Topology } from '../spec/topology.js';
import { simSetups } from './cluster.js';
import type { NetworkConfig } from './network.js';
import { LATENCY_PRESETS } from './network.js';
import { FalsePositives, type FalsePositiveResult, PropertySampler, type PropertySample, RoutingRemovals, StateWatch, type Tracker, Watch, type WatchResult, present } from './observe.js';
import type { Scenario, ScenarioEnv } from './scenarios.js';
import type { SimProtocol } from './sim-protocol.js';
import { SimBudgetError, Simulator } from './simulator.js';
import { type Role, roleOf } from '../spec/topology.js';
import { type Distribution, distribution, round } from './stats.js';

export interface RunConfig {
  /** Seeds every node lists. Default 3: a few stable seeds, as deployments of both systems name (see cluster.ts). */
  readonly seedCount: number;
  /** Nodes start uniformly within this window, ms. Default 1 s: a deploy tool launching a cluster. */
  readonly joinSpreadMs: number;
  /**
   * Load balancers start first (within the first joinSpreadMs), every other node one joinSpreadMs
   * later. Default true: Inferno's backends register once, at start, with the load balancers they are
   * configured with (issue 12), so a deployment brings the load balancers up first; a backend started
   * before its load balancer would never be registered in the hybrid and the baseline.
   */
  readonly loadBalancersFirst: boolean;
  /** Give up waiting for cold-start convergence after this, ms. Default 180 s: six re-announce periods. */
  readonly warmupCapMs: number;
  /** Quiet time between convergence and the steady window, ms. Default 5 s: lets join traffic drain. */
  readonly settleMs: number;
  /**
   * Whole-cluster property checks run only up to this N. Default 50: each sample builds N Views of N
   * members and the checks compare them pairwise; at 100 nodes that doubled a run's wall time.
   */
  readonly propertyMaxN: number;
  /** Property sample period, ms. Default 1 s: finer than every protocol timeout involved. */
  readonly sampleMs: number;
  /**
   * Nodes whose encoded state is measured for the memory figure. Default 32, capped at 80,000 / N
   * (at least 4): encoding a node's state is O(N), 32 encodings at 10,000 nodes took seconds, and the
   * states of a converged cluster differ in size by well under 0.1 % (2,990,380 B mean, 2,990,403 B max).
   */
  readonly memorySample: number;
  /** Event and wall-time budgets per run (0: none). Default none; `alice bench` sets them. */
  readonly maxEvents: number;
  readonly maxWallMs: number;
  readonly maxHeapBytes: number;
  /** Latency preset. Default LAN: Inferno clusters run in one data centre. */
  readonly latency: 'lan' | 'wan';
}

export const RUN_DEFAULTS: RunConfig = {
  seedCount: 3,
  joinSpreadMs: 1_000,
  loadBalancersFirst: true,
  warmupCapMs: 180_000,
  settleMs: 5_000,
  propertyMaxN: 50,
  sampleMs: 1_000,
  memorySample: 32,
  maxEvents: 0,
  maxWallMs: 0,
  maxHeapBytes: 0,
  latency: 'lan',
};

export interface TrafficFigures {
  readonly messagesPerNodePerSec: number;
  readonly bytesPerNodePerSec: number;
  readonly windowMs: number;
}

/** One role's figures: its nodes, their steady traffic per node, their encoded state. */
export interface RoleFigures {
  /** Live nodes of the role at the end of the run (the divisor of the per-node figures). */
  readonly nodes: number;
  /** Sent by the role's nodes, per node per second, over the steady window; received: bytes sent to them. */
  readonly steady: TrafficFigures & { readonly receivedBytesPerNodePerSec: number };
  readonly stateBytes: SimFigures['stateBytes'];
}

export interface ByRole {
  readonly loadBalancer: RoleFigures;
  readonly backend: RoleFigures;
}

export interface SimFigures {
  readonly virtualMs: number;
  readonly events: number;
  readonly steps: number;
  /** Cold start: ms until every live node held every member (null: not within warmupCapMs). */
  readonly coldStartMs: number | null;
  readonly eventAtMs: number;
  /** Where the observation window was planned to end, ms: a run short of it is not evidence (facts/runs.ts). */
  readonly observeEndMs?: number;
  readonly watches: readonly WatchResult[];
  readonly falsePositives: FalsePositiveResult;
  /** Membership notifications per live node from the event on (flapping, slow node). */
  readonly churnPerNode: number | null;
  readonly steady: TrafficFigures;
  readonly during: TrafficFigures;
  readonly byKind: Readonly<Record<string, { messages: number; bytes: number }>>;
  /** Bytes sent by the busiest node over the mean node: hot spots (seeds, load balancers). */
  readonly busiestSenderRatio: number;
  readonly delivered: number;
  readonly dropped: number;
  /** Mean and max UTF-8 length of behaviour.encode(state) over a sample of live nodes, at the end. */
  readonly stateBytes: { readonly mean: number; readonly max: number; readonly sampled: number };
  /** The same figures apart for load balancers and for backends (the governator is in neither). */
  readonly byRole: ByRole;
  readonly properties: readonly PropertySample[] | null;
}

export interface RuntimeFigures {
  readonly wallMs: number;
  /**
   * CPU time of the whole process during the run (user + system, all threads, the collector's
   * included), ms: on a shared machine wall time also counts waiting for a core, this does not.
   */
  readonly processCpuMs: number;
  /** Wall time inside init/step, µs, per node per simulated second: CPU core time of the protocol. */
  readonly cpuMicrosPerNodePerSimSecond: number;
  readonly heapUsedBytes: number;
  /** The largest V8 heap in use during the run (sampled every 8,192 events, and at the end). */
  readonly peakHeapBytes: number;
  /** The process's peak resident set so far (it includes earlier runs of the same batch). */
  readonly maxRssBytes: number;
  /**
   * The largest resident set sampled during this run (with the heap, and at the end): this run's own
   * peak, though pages an earlier run of the batch left to the process may still be resident.
   */
  readonly peakRssBytes: number;
  /** The resolver's own time per resolution, µs (majority system). */
  readonly resolverMicros: Distribution | null;
}

export interface RunResult {
  readonly protocol: string;
  readonly scenario: string;
  readonly n: number;
  readonly seed: number;
  /** `lossFromEvent`: the loss held only from the event on (the warm-up was lossless). */
  readonly network: { readonly latency: string; readonly loss: number; readonly duplication: number; readonly lossFromEvent?: true };
  /** The cluster's roles as its setups gave them (spec/topology.ts): load balancers, governators, backends. */
  readonly topology: Topology;
  readonly status: 'ok' | 'aborted';
  /** Why the run stopped early (budget), with what was measured up to there. */
  readonly abort?: string;
  readonly sim: SimFigures;
  readonly runtime: RuntimeFigures;
}

export class RunError extends AliceError {
  constructor(message: string) {
    super('RUN', message);
  }
}

type AnySim = SimProtocol<unknown, unknown, unknown>;
type AnySimulator = Simulator<unknown, unknown, unknown>;

/**
 * A cluster brought to the moment just before a scenario's event: started, converged (or given up on
 * at warmupCapMs), settled, through one steady window. Scenarios that change nothing before the event
 * fork one of these instead of repeating it; a fork continues exactly as a fresh run would.
 */
export interface WarmCluster {
  readonly sim: AnySimulator;
  readonly coldStartMs: number | null;
  readonly eventAt: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Set when the warm-up itself hit a budget. */
  readonly abort?: string;
}

/** Warm clusters shared between the scenarios of a batch, keyed by protocol, size, seed and settings. */
export type WarmCache = Map<string, WarmCluster>;

interface Phase {
  readonly sim: AnySimulator;
  readonly watches: Tracker[];
  readonly sampler: PropertySampler | null;
  readonly fp: FalsePositives;
  routing: RoutingRemovals | null;
  churn: { since: number; count: number } | null;
  readonly resolver: number[];
  readonly env: ScenarioEnv;
}

/** Observers of one scenario on one simulator (fresh, or forked from a warm cluster). */
function phase(protocol: AnySim, sim: AnySimulator, n: number, cfg: RunConfig, sample: boolean): Phase {
  const watches: Tracker[] = [];
  const fp = new FalsePositives(sim, 0);
  const resolver: number[] = [];
  const loadBalancers = all(n).filter((i) => sim.setups[i].info.nodeType === 'proxy');
  const backends = all(n).filter((i) => sim.setups[i].info.nodeType === 'backend');
  const healthy = protocol.healthyBackends;
  const routedIn = (s: unknown): ReadonlySet<number> => {
    const out = new Set<number>();
    for (const b of (healthy as NonNullable<typeof healthy>)(s)) {
      const i = sim.index.get(b.id);
      if (i !== undefined) out.add(i);
    }
    return out;
  };
  const one = protocol.routesTo;
  /** "s routes to member m": one member's check when the protocol has it, else the whole list, built once. */
  const routesIn = (s: unknown): ((m: number) => boolean) => {
    if (one) return (m) => one(s, sim.ids[m]);
    let routed: ReadonlySet<number> | undefined;
    return (m) => (routed ??= routedIn(s)).has(m);
  };
  const watchRouting: ScenarioEnv['watchRouting'] = (label, observers, holds, since) => {
    // Without the protocol's routing rule there is nothing to judge: the watch reports no observers.
    watches.push(new StateWatch(sim, label, healthy ? observers : [], (s, o) => holds(o, routesIn(s)), since));
  };
  const exempt = new Set<number>();
  const p: Phase = {
    sim,
    watches,
    sampler: sample && n <= cfg.propertyMaxN ? new PropertySampler(sim, protocol.definition.properties) : null,
    fp,
    routing: null,
    churn: null,
    resolver,
    env: {
      sim,
      protocol,
      n,
      seedCount: cfg.seedCount,
      subject: n - 1,
      loadBalancers,
      backends,
      watch: (label, members, reflects, since) => watches.push(new Watch(sim, label, members, reflects, since)),
      watchAmong: (label, observers, members, reflects, since) => watches.push(among(new Watch(sim, label, members, reflects, since), observers)),
      countChurn: (since) => {
        const c = { since, count: 0 };
        p.churn = c;
        sim.observe({ onNotify: (_node, e, at) => void (at >= since && isMembership(e) && c.count++) });
      },
      exemptFromFalsePositives: (member) => {
        fp.exempt.add(member);
        exempt.add(member);
      },
      routedBy: (o) => {
        const s = sim.state(o);
        return healthy && s !== undefined && sim.isUp(o) ? routedIn(s) : null;
      },
      watchRouting,
      watchNotRouted: (label, member, since) => watchRouting(label, loadBalancers, (_o, routes) => !routes(member), since),
      countRoutingRemovals: (since) => {
        if (healthy) p.routing = new RoutingRemovals(sim, loadBalancers, { all: (s) => healthy(s), ...(one ? { one: (s: unknown, id: string) => one(s, id) } : {}) }, exempt, since);
      },
    },
  };
  if (protocol.resolverMicros) {
    const time = protocol.resolverMicros;
    sim.observe({ onNotify: (_n, e) => void (e.kind === 'resolved' && resolver.push(time(e))) });
  }
  return p;
}

/**
 * The routing removals of a run with those its load balancers had decided and not yet made: live
 * backends in a load balancer's pending list (the ones exempt from false positives excluded).
 */
function withPending(fp: FalsePositiveResult, p: Phase, protocol: AnySim): FalsePositiveResult {
  const pending = pendingCount(p, protocol);
  return pending === null ? fp : { ...fp, pending };
}

/** Live backends the live load balancers have judged failed and not yet dropped; null: none can be. */
function pendingCount(p: Phase, protocol: AnySim): number | null {
  const pendingOf = protocol.pendingRemovals;
  if (!p.routing || !pendingOf) return null;
  const { sim } = p;
  let pending = 0;
  for (let o = 0; o < sim.size; o++) {
    const s = sim.state(o);
    if (!sim.isUp(o) || s === undefined || sim.setups[o].info.nodeType !== 'proxy') continue;
    for (const id of pendingOf(s)) {
      const m = sim.index.get(id);
      if (m !== undefined && sim.isUp(m) && !p.fp.exempt.has(m)) pending++;
    }
  }
  return pending;
}

/**
 * How long a run may go on past its planned end while its load balancers still hold decided removals:
 * 15 minutes of simulated time, twice the ~7 minutes one proxy-loop round of 994 backends took under
 * 30 % loss (measured 2026-12-06), so a round under way at the planned end can finish.
 */
export const PENDING_GRACE_MS = 15 * 60_000;
/** After the last decided removal was made: a minute more, the routing scenarios' shortest window, to see it stand or heal. */
export const AFTER_PENDING_MS = 60_000;

/**
 * When the planned observation ends with removals decided but not yet made, runs on until they are
 * made (or the grace runs out), then a minute more: the run measures those removals instead of
 * ending before them. Returns the new end (the planned one when nothing was pending).
 */
function settlePending(p: Phase, protocol: AnySim, n: number, cfg: RunConfig, plannedEnd: number): number {
  let t = plannedEnd;
  while ((pendingCount(p, protocol) ?? 0) > 0 && t < plannedEnd + PENDING_GRACE_MS) {
    t += cfg.sampleMs;
    advance(p, n, cfg, t);
  }
  if (t === plannedEnd) return plannedEnd;
  advance(p, n, cfg, t + AFTER_PENDING_MS);
  return t + AFTER_PENDING_MS;
}

/** A watch whose result counts only `observers` (nobody else can notice what it watches). */
function among(w: Watch<unknown>, observers: readonly number[]): Tracker {
  const keep = new Set(observers);
  return { rescan: () => w.rescan(), result: () => w.result((o) => !keep.has(o)) };
}

/** Runs to `until` in sample periods: property samples and (small runs) watch rescans at each. */
function advance(p: Phase, n: number, cfg: RunConfig, until: number): void {
  const { sim } = p;
  for (let t = Math.floor(sim.now / cfg.sampleMs + 1) * cfg.sampleMs; t <= until; t += cfg.sampleMs) {
    sim.runUntil(t);
    p.sampler?.sample();
    if (n <= cfg.propertyMaxN) for (const w of p.watches) w.rescan();
    p.routing?.rescan();
  }
  sim.runUntil(until);
}

/** Start every node within joinSpreadMs and run until every node holds every member (or the cap). */
function coldStart(protocol: AnySim, p: Phase, n: number, cfg: RunConfig, scenario: Scenario): { cold: Watch<unknown>; coldStartMs: number | null } {
  const { sim } = p;
  scenario.prepare?.(p.env);
  const held = new Set(scenario.heldBack?.(n) ?? []);
  for (let i = 0; i < n; i++) {
    const t = startTime(sim, cfg, i);
    if (!held.has(i)) sim.at(t, () => sim.start(i));
  }
  const cold = new Watch(sim, 'converged', all(n).filter((i) => !held.has(i)), present, 0);
  p.watches.push(cold);
  for (let t = cfg.sampleMs; t <= cfg.warmupCapMs; t += cfg.sampleMs) {
    advance(p, n, cfg, t);
    const done = cold.completedAt();
    if (done !== null) return { cold, coldStartMs: done };
  }
  return { cold, coldStartMs: null };
}

/**
 * The converged start of scenarios that start from a snapshot: every node restored from the same
 * persisted member list (SimProtocol.snapshotInit) at the times a cold start would start it, with no
 * join. Every node holds every member by construction once the last one has started; that moment is
 * returned and stands in for the cold start's convergence.
 */
function snapshotStart(protocol: AnySim, p: Phase, n: number, cfg: RunConfig, scenario: Scenario): number {
  const { sim } = p;
  if (!protocol.snapshotInit) throw new RunError(`${protocol.definition.name} cannot start from a member snapshot; run ${scenario.name} with a protocol that can (swim)`);
  scenario.prepare?.(p.env);
  const held = new Set(scenario.heldBack?.(n) ?? []);
  // A node held back is in nobody's snapshot: it joins at the event like any new node.
  const starter = protocol.snapshotInit(sim.setups.filter((_s, i) => !held.has(i)));
  const init = (setup: NodeSetup<unknown>): StepResult<unknown, unknown> => starter.init(setup);
  let last = 0;
  for (let i = 0; i < n; i++) {
    const t = startTime(sim, cfg, i);
    if (held.has(i)) continue;
    last = Math.max(last, t);
    sim.at(t, () => sim.start(i, init));
  }
  advance(p, n, cfg, last);
  return last;
}

/** When node i starts: uniform in the join window, one window later for non-load-balancers when they start second. */
function startTime(sim: AnySimulator, cfg: RunConfig, i: number): number {
  const t = sim.scenarioRng.next() * cfg.joinSpreadMs;
  return cfg.loadBalancersFirst && sim.setups[i].info.nodeType !== 'proxy' ? cfg.joinSpreadMs + t : t;
}

function newSim(protocol: AnySim, n: number, seed: number, cfg: RunConfig, network: NetworkConfig): AnySimulator {
  const setups = simSetups(protocol, n, cfg.seedCount, seed);
  return new Simulator<unknown, unknown, unknown>(protocol, setups, { seed, network, maxEvents: cfg.maxEvents, maxWallMs: cfg.maxWallMs, maxHeapBytes: cfg.maxHeapBytes });
}

/** The shared pre-event part of a run, for scenarios that change nothing before their event. */
function warmCluster(protocol: AnySim, n: number, seed: number, cfg: RunConfig, network: NetworkConfig, scenario: Scenario): WarmCluster {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const sim = newSim(protocol, n, seed, cfg, network);
  const p = phase(protocol, sim, n, cfg, false);
  // Kept through an abort: a run that converged and then ran out of budget before its event still
  // says how long its cold start took.
  let coldStartMs: number | null = null;
  try {
    let eventAt: number;
    if (scenario.start === 'snapshot') {
      eventAt = eventTime(protocol, cfg, n, snapshotStart(protocol, p, n, cfg, scenario));
    } else {
      coldStartMs = coldStart(protocol, p, n, cfg, scenario).coldStartMs;
      eventAt = eventTime(protocol, cfg, n, coldStartMs ?? cfg.warmupCapMs);
    }
    advance({ ...p, watches: [] }, n, cfg, eventAt - 1);
    return { sim, coldStartMs, eventAt, wallMs: performance.now() - wall0, cpuMs: cpuMs(process.cpuUsage(cpu0)) };
  } catch (e) {
    if (!(e instanceof SimBudgetError)) throw e;
    return { sim, coldStartMs, eventAt: sim.now, wallMs: performance.now() - wall0, cpuMs: cpuMs(process.cpuUsage(cpu0)), abort: e.message };
  }
}

/** The window steady traffic is averaged over at `n` nodes (SimProtocol.steadyWindowAt). */
export function steadyWindowOf(protocol: AnySim, n: number): number {
  return protocol.steadyWindowAt?.(n) ?? protocol.steadyWindowMs;
}

function eventTime(protocol: AnySim, cfg: RunConfig, n: number, converged: number): number {
  return Math.ceil((converged + cfg.settleMs + steadyWindowOf(protocol, n)) / 1000) * 1000;
}

/**
 * Runs one scenario. With a `cache`, scenarios that change nothing before their event fork a shared
 * warm cluster (same figures as a fresh run, a fraction of the time).
 */
export function runScenario(protocol: AnySim, scenario: Scenario, n: number, seed: number, config: Partial<RunConfig> = {}, cache?: WarmCache): RunResult {
  const cfg = { ...RUN_DEFAULTS, ...config };
  if (!Number.isInteger(n) || n < 2) throw new RunError(`cluster size must be a whole number ≥ 2, got ${n}`);
  const network: NetworkConfig = { latency: LATENCY_PRESETS[cfg.latency], loss: 0, duplication: 0, ...scenario.network };
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const isCold = scenario.trigger === undefined;
  const shareable = !isCold && scenario.network === undefined && scenario.prepare === undefined && scenario.heldBack === undefined;

  let status: RunResult['status'] = 'ok';
  let abort: string | undefined;
  let p: Phase;
  let coldStartMs: number | null = null;
  let eventAt = 0;
  let end = 0;
  let planned: number | undefined;
  let warmWall = 0;
  let warmCpu = 0;
  try {
    if (isCold) {
      p = phase(protocol, newSim(protocol, n, seed, cfg, network), n, cfg, true);
      try {
        coldStartMs = coldStart(protocol, p, n, cfg, scenario).coldStartMs;
        eventAt = coldStartMs ?? cfg.warmupCapMs;
        end = eventAt;
        p.sampler?.finalCheck();
      } catch (e) {
        if (!(e instanceof SimBudgetError)) throw e;
        throw Object.assign(e, { phase: p });
      }
    } else {
      let base: WarmCluster;
      if (shareable) {
        const key = `${protocol.definition.name}|${n}|${seed}|${scenario.start ?? 'cold'}|${JSON.stringify(cfg)}|${JSON.stringify(network)}`;
        const cached = cache?.get(key);
        base = cached ?? warmCluster(protocol, n, seed, cfg, network, scenario);
        cache?.set(key, base);
        // Built here, its wall time is inside this call's; fetched, it is added below.
        warmWall = cached ? base.wallMs : 0;
        warmCpu = cached ? base.cpuMs : 0;
      } else {
        base = warmCluster(protocol, n, seed, cfg, network, scenario);
      }
      // An aborted start is reported, not run on: it may still hold start actions, which a fork refuses.
      p = phase(protocol, base.abort === undefined ? base.sim.fork() : base.sim, n, cfg, true);
      coldStartMs = base.coldStartMs;
      eventAt = base.eventAt;
      if (base.abort !== undefined) {
        status = 'aborted';
        abort = base.abort;
        end = eventAt;
      } else {
        const ph = p;
        try {
          const loss = scenario.lossFromEvent;
          if (loss !== undefined) ph.sim.at(eventAt, () => ph.sim.setLoss(loss));
          ph.sim.at(eventAt, () => scenario.trigger!(ph.env, eventAt));
          ph.fp.since = eventAt;
          end = eventAt + scenario.observeMs(protocol, eventAt);
          advance(ph, n, cfg, end);
          end = settlePending(ph, protocol, n, cfg, end);
          planned = end;
          ph.sampler?.finalCheck();
        } catch (e) {
          if (!(e instanceof SimBudgetError)) throw e;
          status = 'aborted';
          abort = e.message;
          end = ph.sim.now;
        }
      }
    }
  } catch (e) {
    if (!(e instanceof SimBudgetError)) throw e;
    p = (e as SimBudgetError & { phase: Phase }).phase;
    status = 'aborted';
    abort = e.message;
    end = p.sim.now;
  }
  const { sim, watches, fp, sampler, resolver } = p;

  const steadyFrom = Math.max(0, eventAt - steadyWindowOf(protocol, n));
  const live = sim.liveCount();
  const traffic = (from: number, until: number): TrafficFigures => {
    const w = sim.traffic.window(from, until);
    const per = w.seconds > 0 && live > 0 ? 1 / (w.seconds * live) : 0;
    return { messagesPerNodePerSec: round(w.messages * per), bytesPerNodePerSec: round(w.bytes * per), windowMs: w.seconds * 1000 };
  };
  const senders = sim.traffic.bytesBySender;
  let total = 0;
  let max = 0;
  for (const b of senders) {
    total += b;
    if (b > max) max = b;
  }
  const churn = p.churn;
  const steadyWindow: [number, number] = isCold ? [0, Math.max(1000, eventAt)] : [steadyFrom, eventAt];
  const figures: SimFigures = {
    virtualMs: round(sim.now),
    events: sim.eventCount,
    steps: sim.steps,
    coldStartMs,
    eventAtMs: eventAt,
    ...(planned !== undefined ? { observeEndMs: planned } : {}),
    watches: watches.map((w) => w.result()),
    falsePositives: withPending((p.routing ?? fp).result(sim.now), p, protocol),
    churnPerNode: churn === null ? null : round(churn.count / Math.max(1, live)),
    steady: traffic(...steadyWindow),
    during: isCold ? traffic(0, Math.max(1000, eventAt)) : traffic(eventAt, Math.min(end, eventAt + protocol.steadyWindowMs)),
    byKind: sim.traffic.byKind,
    busiestSenderRatio: total > 0 ? round(max / (total / senders.length)) : 0,
    delivered: sim.traffic.delivered,
    dropped: sim.traffic.dropped,
    stateBytes: stateBytes(sim, cfg.memorySample),
    byRole: {
      loadBalancer: roleFigures(sim, 'loadBalancer', steadyWindow, cfg.memorySample),
      backend: roleFigures(sim, 'backend', steadyWindow, cfg.memorySample),
    },
    properties: sampler?.result() ?? null,
  };
  const simSeconds = Math.max(sim.now, 1) / 1000;
  const heapUsed = process.memoryUsage().heapUsed;
  return {
    protocol: protocol.definition.name,
    scenario: scenario.name,
    n,
    seed,
    network: { latency: network.latency.name, loss: scenario.lossFromEvent ?? network.loss, duplication: network.duplication, ...(scenario.lossFromEvent !== undefined ? { lossFromEvent: true } : {}) },
    topology: topologyOfSetups(sim.setups),
    status,
    ...(abort ? { abort } : {}),
    sim: figures,
    runtime: {
      // A forked run counts the shared warm-up's wall time too: it is part of what this run simulated.
      wallMs: round(performance.now() - wall0 + warmWall),
      processCpuMs: round(cpuMs(process.cpuUsage(cpu0)) + warmCpu),
      cpuMicrosPerNodePerSimSecond: round(sim.stepMicros / n / simSeconds),
      heapUsedBytes: heapUsed,
      peakHeapBytes: Math.max(sim.peakHeapBytes, heapUsed),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      peakRssBytes: Math.max(sim.peakRssBytes, process.memoryUsage.rss()),
      resolverMicros: protocol.resolverMicros ? distribution(resolver) : null,
    },
  };
}

/** Counts the roles the run's setups actually gave (not what topologyFor would have). */
function topologyOfSetups(setups: readonly NodeSetup<unknown>[]): Topology {
  let loadBalancers = 0;
  let governators = 0;
  for (const s of setups) {
    if (s.info.nodeType === 'proxy') loadBalancers++;
    else if (s.info.nodeType === 'governator') governators++;
  }
  return { loadBalancers, governators, backends: setups.length - loadBalancers - governators };
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function all(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function isMembership(e: Notification): boolean {
  return e.kind === 'joined' || e.kind === 'updated' || e.kind === 'suspected' || e.kind === 'alive' || e.kind === 'failed' || e.kind === 'left' || e.kind === 'removed';
}

function roleFigures(sim: AnySimulator, role: Role, [from, until]: [number, number], sample: number): RoleFigures {
  const mine = (i: number): boolean => sim.isUp(i) && roleOf(sim.setups[i].info.nodeType) === role;
  const nodes = all(sim.size).filter(mine).length;
  const w = sim.traffic.roleWindow(role, from, until);
  const per = w.seconds > 0 && nodes > 0 ? 1 / (w.seconds * nodes) : 0;
  return {
    nodes,
    steady: {
      messagesPerNodePerSec: round(w.messages * per),
      bytesPerNodePerSec: round(w.bytes * per),
      receivedBytesPerNodePerSec: round(w.received * per),
      windowMs: w.seconds * 1000,
    },
    stateBytes: stateBytes(sim, sample, mine),
  };
}

/** Encoded state size of evenly spaced live nodes (of those `among` keeps): the canonical text a node would persist or ship. */
function stateBytes(sim: Simulator<unknown, unknown, unknown>, sample: number, among: (i: number) => boolean = (i) => sim.isUp(i)): SimFigures['stateBytes'] {
  const live = all(sim.size).filter(among);
  if (live.length === 0) return { mean: 0, max: 0, sampled: 0 };
  sample = Math.min(sample, Math.max(4, Math.round(80_000 / sim.size)));
  const stride = Math.max(1, Math.floor(live.length / sample));
  let total = 0;
  let max = 0;
  let count = 0;
  for (let k = 0; k < live.length && count < sample; k += stride) {
    const bytes = Buffer.byteLength(sim.protocol.definition.behaviour.encode(sim.state(live[k])), 'utf8');
    total += bytes;
    if (bytes > max) max = bytes;
    count++;
  }
  return { mean: round(total / count), max, sampled: count };
}
