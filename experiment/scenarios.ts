/**
 * The scenarios of the comparison (issue 6). Each starts the same way (every node started within
 * `joinSpreadMs`, the cluster let converge, then a steady window) and then does one thing at the event
 * time: an update, a crash, a partition, loss, a flapping or slow node, clock skew. What each one
 * watches is what "the View reflects the event" means for it.
 */
import { defaultCapabilities } from '../spec/node.js';
import { sameAtWirePrecision } from '../spec/view.js';
import type { MemberView } from '../spec/view.js';
import type { NetworkConfig } from './network.js';
import { type Reflects, absent, notAlive, present } from './observe.js';
import type { SimProtocol } from './sim-protocol.js';
import type { Simulator } from './simulator.js';
import { AliceError } from '../spec/errors.js';
import { ROUTING_SCENARIOS, observeWindow } from './routing-scenarios.js';
import type { Scenario, ScenarioEnv } from './scenario.js';

export type { Scenario, ScenarioEnv } from './scenario.js';


/** The scale target: a run of 100 protocol periods. */
export const SCALE_PERIODS = 100;

const observe = observeWindow;

/** The member holds X's latest announcement (at the wire's precision). */
function holdsLatest(env: ScenarioEnv, x: number): Reflects {
  return (m: MemberView | undefined) => {
    const history = env.sim.announcements(x);
    const latest = history[history.length - 1];
    return present(m, '') && latest !== undefined && m !== undefined && sameAtWirePrecision(m.info, latest.info);
  };
}

function all(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function updateScenario(name: string, summary: string, patch: (env: ScenarioEnv) => Record<string, unknown>): Scenario {
  return {
    name,
    summary,
    trigger(env, at) {
      env.sim.command(env.subject, { kind: 'update', patch: patch(env) });
      env.watch('reflects', [env.subject], holdsLatest(env, env.subject), at);
    },
    observeMs: observe,
  };
}

function crashScenario(name: string, summary: string, count: (n: number) => number): Scenario {
  return {
    name,
    summary,
    trigger(env, at) {
      const k = Math.min(count(env.n), env.n - 1);
      const victims = pickDistinct(env, k);
      for (const v of victims) env.sim.crash(v);
      env.watch('detected', victims, absent, at);
      env.watch('suspected', victims, notAlive, at);
    },
    observeMs: observe,
  };
}

/**
 * k distinct nodes drawn from the run's scenario generator: the subject when k = 1, else non-seeds
 * first (joins keep working), then seeds other than n1 (the load balancer) if there are too few.
 */
function pickDistinct(env: ScenarioEnv, k: number): number[] {
  if (k === 1) return [env.subject];
  const shuffle = (xs: number[]): number[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = env.sim.scenarioRng.int(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  const seeds = Math.min(env.seedCount, env.n);
  const pool = [...shuffle(all(env.n).slice(seeds)), ...shuffle(all(seeds).slice(1))];
  return pool.slice(0, k).sort((a, b) => a - b);
}

/** Partition length: the 30 s. */
const PARTITION_MS = 30_000;
/** Flapping: down 5 s, up 5 s, four times: faster than either protocol's slowest repair cycle. */
const FLAP = { downMs: 5_000, upMs: 5_000, cycles: 4 } as const;
/** Slow node: a 3 s stall every 10 s for a minute: longer than a SWIM probe round, like a long GC pause. */
const STALL = { everyMs: 10_000, stallMs: 3_000, count: 6 } as const;
/** Clock skew: every clock off by up to ±30 s, the subject's 2 minutes behind (an unsynchronised host). */
const SKEW = { spreadMs: 30_000, subjectMs: -120_000 } as const;
/** The loss sweep of the issue: 0–30 %. */
export const LOSS_LEVELS = [0, 0.05, 0.1, 0.2, 0.3] as const;

function lossScenario(loss: number): Scenario {
  return {
    name: `loss-${Math.round(loss * 100)}`,
    summary: `${Math.round(loss * 100)} % datagram loss for the whole run; the subject updates its address`,
    // Lossless is the default network: leaving it unset lets loss-0 share the common warm-up.
    ...(loss > 0 ? { network: { loss } } : {}),
    sweep: { name: 'loss', x: loss },
    trigger(env, at) {
      env.sim.command(env.subject, { kind: 'update', patch: { address: '10.9.9.9:8080' } });
      env.watch('reflects', [env.subject], holdsLatest(env, env.subject), at);
    },
    observeMs: observe,
  };
}

const COLD_SCENARIOS: readonly Scenario[] = [
  {
    name: 'cold-start',
    summary: 'every node starts within a second and joins through the seeds',
    observeMs: () => 0,
  },
  updateScenario('update-address', 'the subject changes its address', () => ({ address: '10.9.9.9:8080' })),
  updateScenario('update-type', 'the subject changes its node type (backend → governator)', () => ({
    nodeType: 'governator',
    isLoadBalancer: false,
    capabilities: defaultCapabilities('governator'),
  })),
  {
    name: 'ready-flag',
    summary: 'the subject reports ready: false; load balancers must stop routing to it',
    trigger(env, at) {
      env.sim.command(env.subject, {
        kind: 'vitals',
        vitals: { ready: false, requestsInProgress: 0, cpuUsage: 0, memoryUsage: 0, failedResponses: 0, connectedPeers: 0, backoffRequests: 0 },
      });
      env.exemptFromFalsePositives(env.subject);
      env.watchNotRouted('not-routed', env.subject, at);
    },
    observeMs: observe,
  },
  crashScenario('crash-one', 'the subject crashes', () => 1),
  crashScenario('crash-10pct', '10 % of the nodes crash at once', (n) => Math.max(1, Math.round(n / 10))),
  {
    name: 'partition',
    summary: 'the cluster splits into two halves for 30 s, then heals',
    trigger(env, at) {
      const side = new Uint8Array(env.n);
      for (let i = Math.floor(env.n / 2); i < env.n; i++) side[i] = 1;
      env.sim.addPartition({ from: at, until: at + PARTITION_MS, side });
      // Judged from the heal on: a watch registered earlier would credit views that never changed.
      env.sim.at(at + PARTITION_MS, () => env.watch('healed', all(env.n), present, at + PARTITION_MS));
    },
    observeMs: (p) => PARTITION_MS + observe(p),
  },
  ...LOSS_LEVELS.map(lossScenario),
  {
    name: 'flapping',
    summary: 'the subject crashes and restarts every 5 s, four times, then stays up',
    trigger(env, at) {
      const x = env.subject;
      const cycle = FLAP.downMs + FLAP.upMs;
      for (let c = 0; c < FLAP.cycles; c++) {
        env.sim.at(at + c * cycle, () => env.sim.crash(x));
        env.sim.at(at + c * cycle + FLAP.downMs, () => env.sim.restart(x));
      }
      const last = at + (FLAP.cycles - 1) * cycle + FLAP.downMs;
      env.countChurn(at);
      // Registered when the last restart happens, so it judges the record the node announced then.
      env.sim.at(last, () => env.watch('rejoined', [x], holdsLatest(env, x), last));
    },
    observeMs: (p) => FLAP.cycles * (FLAP.downMs + FLAP.upMs) + observe(p),
  },
  {
    name: 'slow-node',
    summary: 'the subject stalls 3 s of every 10 s for a minute (CPU starvation, long GC pauses)',
    trigger(env, at) {
      for (let k = 0; k < STALL.count; k++) env.sim.addStall(env.subject, at + k * STALL.everyMs, at + k * STALL.everyMs + STALL.stallMs);
      env.countChurn(at);
    },
    observeMs: (p) => STALL.count * STALL.everyMs + observe(p),
  },
  {
    name: 'clock-skew',
    summary: "every clock is off by up to ±30 s, the subject's by −2 min; the subject updates its address",
    prepare(env) {
      for (let i = 0; i < env.n; i++) env.sim.setSkew(i, (env.sim.scenarioRng.next() * 2 - 1) * SKEW.spreadMs);
      env.sim.setSkew(env.subject, SKEW.subjectMs);
    },
    trigger(env, at) {
      env.sim.command(env.subject, { kind: 'update', patch: { address: '10.9.9.9:8080' } });
      env.watch('reflects', [env.subject], holdsLatest(env, env.subject), at);
    },
    observeMs: observe,
  },
  ...ROUTING_SCENARIOS,
];

/**
 * The converged-start form of a scenario: the same event, but every node is restored from the same
 * persisted member list instead of joining (a running cluster, as after a rolling restart from Serf's
 * snapshot file). It is how every scenario reaches 10,000 nodes, where a cold start's join storm does
 * not fit this machine, and each lasts at least SCALE_PERIODS protocol periods, so every such run at
 * 10,000 nodes is also a measurement of the scale target.
 */
function converged(s: Scenario): Scenario {
  return {
    ...s,
    name: `warm-${s.name}`,
    summary: `${s.summary}; every node starts from the same persisted member list (no join storm), ≥ ${SCALE_PERIODS} protocol periods in all`,
    start: 'snapshot',
    observeMs: (p, eventAt) => Math.max(s.observeMs(p, eventAt), SCALE_PERIODS * p.periodMs - eventAt),
  };
}

/** Every scenario: the cold-start ones, then the converged-start form (`warm-…`) of each that has an event. */
export const SCENARIOS: readonly Scenario[] = [...COLD_SCENARIOS, ...COLD_SCENARIOS.filter((s) => s.trigger !== undefined).map(converged)];

/** Named sets `--scenarios` accepts besides a list: every scenario, the cold-start ones, the converged-start ones. */
export const SCENARIO_GROUPS: Readonly<Record<'all' | 'cold' | 'warm' | 'routing', readonly string[]>> = {
  all: SCENARIOS.map((s) => s.name),
  routing: ROUTING_SCENARIOS.map((s) => s.name),
  cold: SCENARIOS.filter((s) => s.start === undefined).map((s) => s.name),
  warm: SCENARIOS.filter((s) => s.start === 'snapshot').map((s) => s.name),
};

export class ScenarioError extends AliceError {
  constructor(message: string) {
    super('SCENARIO', message);
  }
}

export function scenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new ScenarioError(`unknown scenario '${name}'; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}
