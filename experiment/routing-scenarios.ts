/**
 * The routing scenarios of the experiment contract (issue 12, item 4): what decides inference routing
 * is whether every load balancer stops routing to a backend that went away, starts routing to one that
 * came, notices a load balancer that crashed, and keeps live backends under loss and across a
 * partition. Observers are the load balancers (type proxy); "routes to" is the protocol's own rule
 * (SimProtocol.healthyBackends), so every protocol that has one is judged by the same watches.
 */
import type { NodeId } from '../spec/node.js';
import { absent } from './observe.js';
import type { Scenario, ScenarioEnv } from './scenario.js';
import type { SimProtocol } from './sim-protocol.js';

/** At least a minute, and at least two of the protocol's slowest cycles, so periodic repair is seen. */
export const observeWindow = (p: SimProtocol<unknown, unknown, unknown>): number => Math.max(60_000, 2 * p.steadyWindowMs);

/** The loss levels of the routing sweep, %. */
export const ROUTING_LOSS_PCTS = [0, 5, 10, 20, 30] as const;
/** The routing partition: the load balancers cut off from half the backends this long (the 30 s). */
export const ROUTING_PARTITION_MS = 30_000;

/**
 * The backend a single-backend scenario acts on: the last one that some load balancer routes to at the
 * event (a backend nobody routes to would make "stopped routing" true at 0 ms and measure nothing),
 * else the run's subject.
 */
function routedBackend(env: ScenarioEnv): number {
  for (let k = env.backends.length - 1; k >= 0; k--) {
    const b = env.backends[k];
    if (env.sim.isUp(b) && env.loadBalancers.some((o) => env.routedBy(o)?.has(b) === true)) return b;
  }
  return env.subject;
}

/** The node `routing-join` holds back: the last one, a backend whenever the topology has two or more. */
const joiner = (n: number): number => n - 1;

function lossScenario(pct: number): Scenario {
  return {
    name: `routing-loss-${pct}`,
    summary: `${pct} % loss from the event on (UDP datagrams dropped, TCP delayed by retransmission); counts load balancers dropping a live backend`,
    lossFromEvent: pct / 100,
    sweep: { name: 'routing-loss', x: pct },
    trigger(env, at) {
      env.countRoutingRemovals(at);
    },
    observeMs: observeWindow,
  };
}

export const ROUTING_SCENARIOS: readonly Scenario[] = [
  {
    name: 'routing-crash',
    summary: 'a routed backend crashes; until no load balancer routes to it',
    trigger(env, at) {
      const x = routedBackend(env);
      env.sim.crash(x);
      env.watchNotRouted('routing-stopped', x, at);
    },
    observeMs: observeWindow,
  },
  {
    name: 'routing-ready-false',
    summary: 'a routed backend reports ready: false; until no load balancer routes to it',
    trigger(env, at) {
      const x = routedBackend(env);
      env.sim.command(x, {
        kind: 'vitals',
        vitals: { ready: false, requestsInProgress: 0, cpuUsage: 0, memoryUsage: 0, failedResponses: 0, connectedPeers: 0, backoffRequests: 0 },
      });
      env.exemptFromFalsePositives(x);
      env.watchNotRouted('routing-stopped', x, at);
    },
    observeMs: observeWindow,
  },
  {
    name: 'routing-join',
    summary: 'a new backend starts; until every load balancer routes to it',
    heldBack: (n) => [joiner(n)],
    trigger(env, at) {
      const x = joiner(env.n);
      env.sim.start(x);
      env.watchRouting('routing-started', env.loadBalancers, (_o, routes) => routes(x), at);
    },
    observeMs: observeWindow,
  },
  {
    name: 'lb-crash',
    summary: 'a load balancer crashes; until every live node with any notion of the load-balancer set holds it as gone',
    trigger(env, at) {
      const lbs = env.loadBalancers;
      // The last load balancer: n1 stays up, the one every protocol's nodes join through.
      const victim = lbs.length > 1 ? lbs[lbs.length - 1] : lbs[0] ?? 0;
      const lbIds: NodeId[] = lbs.map((i) => env.sim.ids[i]);
      const knowsAnLb = (o: number): boolean => {
        const s = env.sim.state(o);
        return s !== undefined && lbIds.some((id) => id !== env.sim.ids[o] && env.protocol.memberView(s, id) !== undefined);
      };
      const observers = Array.from({ length: env.n }, (_, i) => i).filter((o) => o !== victim && env.sim.isUp(o) && knowsAnLb(o));
      env.sim.crash(victim);
      env.watchAmong('lb-crash-noticed', observers, [victim], absent, at);
    },
    observeMs: observeWindow,
  },
  ...ROUTING_LOSS_PCTS.map(lossScenario),
  {
    name: 'routing-partition',
    summary: `the load balancers are cut off from half the backends for ${ROUTING_PARTITION_MS / 1000} s; from the heal, until every load balancer routes again to every live backend it routed to before`,
    trigger(env, at) {
      const cut = env.backends.slice(Math.ceil(env.backends.length / 2));
      const side = new Uint8Array(env.n);
      for (const b of cut) side[b] = 1;
      const before = new Map(env.loadBalancers.map((o) => [o, env.routedBy(o) ?? new Set<number>()]));
      env.sim.addPartition({ from: at, until: at + ROUTING_PARTITION_MS, side });
      env.countRoutingRemovals(at);
      const heal = at + ROUTING_PARTITION_MS;
      env.sim.at(heal, () =>
        env.watchRouting('routing-healed', env.loadBalancers, (o, routes) => [...(before.get(o) ?? [])].every((b) => !env.sim.isUp(b) || routes(b)), heal),
      );
    },
    observeMs: (p) => ROUTING_PARTITION_MS + observeWindow(p),
  },
];
