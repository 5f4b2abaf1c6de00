/**
 * The protocols the harness knows by name: each pairs a model (the reference) with an implementation
 * (what is judged). The stdio server wraps any of them by name, so a node process can be either side.
 */
import type { ProtocolDefinition } from '../spec/protocol.js';
import { majorityHardenedProtocol, majorityProtocol } from '../model/majority/index.js';
import { majorityImplProtocol } from '../impl/majority/index.js';
import { SWIM_MODEL_CONFIG, swimProtocol } from '../model/swim/index.js';
import { swimImplProtocol } from '../impl/swim/index.js';
import { infernoGovernatorProtocol, infernoLibraryProtocol, infernoProtocol } from '../model/inferno/index.js';
import { infernoImplProtocol } from '../impl/inferno/index.js';
import { hybridLibraryProtocol, hybridOneBalancerProtocol, hybridProtocol, hybridSharedProtocol } from '../model/hybrid/index.js';
import { hybridImplProtocol } from '../impl/hybrid/index.js';
import { standardCluster } from '../spec/protocol.js';
import type { SwimConfig } from '../spec/swim.js';
import { ConformanceError } from './errors.js';
import { type ToyBug, toyImplProtocol, toyProtocol } from './toy/index.js';

type AnyDefinition = ProtocolDefinition<unknown, unknown, unknown>;

export interface ConformancePair {
  readonly name: string;
  readonly model: AnyDefinition;
  readonly impl: AnyDefinition;
  /**
   * Further configurations the random walks and simulator runs also use (the model with another
   * `cluster`). A model's own configuration is sized for exhaustive checking and may switch features
   * off; a variant switches them on, so the implementation is held to the model there too.
   */
  readonly variants?: readonly PairVariant[];
}

export interface PairVariant {
  /** Short name, shown in suite notes and divergence origins. */
  readonly name: string;
  /** What the variant switches on that the model's own configuration leaves off, and why it matters. */
  readonly why: string;
  readonly model: AnyDefinition;
}

const asAny = <S, M, C>(d: ProtocolDefinition<S, M, C>): AnyDefinition => d as unknown as AnyDefinition;

/**
 * SWIM with every feature its checking configuration leaves off: anti-entropy (push-pull), reaping,
 * gossip fan-out, and Lifeguard's dogpile suspicion timeout (longer at first, shrinking with each
 * independent confirmation). Periods are short so a walk or a two-minute simulator run reaches them:
 * a push-pull exchange every 3 s, a dead member reaped 6 s later, gossip every second to 2 members
 * (slower than memberlist's 200 ms: gossip timers and their deliveries are most of a simulator run's
 * steps, and 200 ms costs 1.9x the steps for the same transitions).
 * The ack timeout is 300 ms of the 1 s period, so a helper's nack (sent one more timeout later) lands
 * within the period and counts; the health multiplier goes to 8, as in production, so what Lifeguard
 * counts shows in the next periods' timers instead of being capped at once.
 * Metadata rate limiting and byte budgets stay off: the model abstracts them away on purpose.
 */
export const SWIM_FULL_CONFIG: SwimConfig = {
  ...SWIM_MODEL_CONFIG,
  probeTimeoutMs: 300,
  awarenessMaxMultiplier: 8,
  indirectChecks: 2,
  gossipIntervalMs: 1_000,
  gossipNodes: 2,
  pushPullIntervalMs: 3_000,
  reapAfterMs: 6_000,
  dogpile: true,
};

/** The production protocols: what `alice conformance` checks by default. */
export const PRODUCTION_PAIRS: readonly ConformancePair[] = [
  {
    name: 'majority',
    model: asAny(majorityProtocol),
    impl: asAny(majorityImplProtocol),
    variants: [
      {
        name: 'hardened',
        why: 'versioned records on (majority-hardened, spec/majority-hardened.ts): versioned replies, newer-only registration and adoption, the version kept across a restart',
        model: asAny(majorityHardenedProtocol),
      },
    ],
  },
  {
    name: 'swim',
    model: asAny(swimProtocol),
    impl: asAny(swimImplProtocol),
    variants: [
      {
        name: 'full',
        why: 'push-pull, reaping, gossip fan-out and dogpile on (the model config switches them off to keep exhaustive search small)',
        model: asAny({ ...swimProtocol, cluster: (n, options) => standardCluster(n, SWIM_FULL_CONFIG, options) }),
      },
    ],
  },
  {
    name: 'inferno-current',
    model: asAny(infernoProtocol),
    impl: asAny(infernoImplProtocol),
    variants: [
      {
        name: 'library-health',
        why: "the library's 5 s / 2 s loop (all checks at once, `ready` read), which nothing in Inferno calls but its docs and issue 12 describe",
        model: asAny(infernoLibraryProtocol),
      },
      {
        name: 'with-governator',
        why: "Inferno's third role: smallTopology has no governator (it takes no part), so its transitions are exercised here",
        model: asAny(infernoGovernatorProtocol),
      },
    ],
  },
  {
    name: 'hybrid',
    model: asAny(hybridProtocol),
    impl: asAny(hybridImplProtocol),
    // The governator rides with the library loop rather than in a fourth variant: variants take their
    // walks out of the model's own (profiles.ts), and the `shared` one runs the baseline's rules too.
    variants: [
      {
        name: 'one-balancer',
        why: "the core's own layout (smallTopology): one load balancer holding two backends at 3 nodes, so the proxy loop's round checks one after another and goes on past a failed check",
        model: asAny(hybridOneBalancerProtocol),
      },
      {
        name: 'library-health',
        why: "the library's 5 s / 2 s loop (all checks at once, `ready` read) on one load balancer, with a governator, Inferno's third role, from 4 nodes",
        model: asAny(hybridLibraryProtocol),
      },
      {
        name: 'shared',
        why: 'variant hybrid-shared: load balancers send each other their backend lists (on a change, on a timer, to a newly joined one), which the baseline never does',
        model: asAny(hybridSharedProtocol),
      },
    ],
  },
];

const TOY_BUGS: readonly ToyBug[] = ['double-count', 'ping-self', 'wrong-seq'];

/** Every pair, the toy ones included (the harness's own tests use those). */
export function pair(name: string): ConformancePair {
  const found = PRODUCTION_PAIRS.find((p) => p.name === name);
  if (found) return found;
  if (name === 'toy') return { name, model: asAny(toyProtocol), impl: asAny(toyImplProtocol()) };
  const bug = TOY_BUGS.find((b) => name === `toy-${b}`);
  if (bug) return { name, model: asAny(toyProtocol), impl: asAny(toyImplProtocol(bug)) };
  throw new ConformanceError(`unknown protocol '${name}': use one of ${[...PRODUCTION_PAIRS.map((p) => p.name), 'toy', ...TOY_BUGS.map((b) => `toy-${b}`)].join(', ')}`);
}

/**
 * A definition by the name the stdio server is started with: `<protocol>` is the implementation,
 * `<protocol>-model` the model (so even a model can be run as a node process).
 */
export function definition(name: string): AnyDefinition {
  if (name.endsWith('-model')) return pair(name.slice(0, -'-model'.length)).model;
  return pair(name).impl;
}
