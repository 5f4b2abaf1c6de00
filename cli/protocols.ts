/**
 * The protocols the `alice` command knows by name, as models for the checker. The checker itself
 * never names a protocol; this is where they are wired.
 */
import type { ClusterOptions, ProtocolDefinition } from '../spec/protocol.js';
import { majorityHardenedProtocol, majorityProtocol } from '../model/majority/index.js';
import type { MajorityConfig } from '../spec/majority.js';
import { countersProtocol } from '../model/counters/index.js';
import { infernoLibraryProtocol, infernoProtocol } from '../model/inferno/index.js';
import { hybridLibraryProtocol, hybridProtocol, hybridSharedProtocol } from '../model/hybrid/index.js';
import { SWIM_MODEL_CONFIG, swimProtocol } from '../model/swim/index.js';
import type { SwimConfig } from '../spec/swim.js';
import { standardCluster } from '../spec/protocol.js';
import { AliceError } from '../spec/errors.js';

// The checker works on any state and message type; the registry forgets them on purpose.
type AnyProtocol = ProtocolDefinition<unknown, unknown, unknown>;

export const MODEL_PROTOCOLS: Readonly<Record<string, () => AnyProtocol>> = {
  majority: () => majorityProtocol as unknown as AnyProtocol,
  swim: () => swimProtocol as unknown as AnyProtocol,
  // The model's default config leaves anti-entropy off to keep the state space small; this variant turns
  // push-pull on (every 3 s of model time), so the checker can judge the convergence properties of the
  // configuration production runs, where an update whose piggyback budget was spent still arrives.
  'swim-pushpull': () =>
    ({
      ...swimProtocol,
      name: 'swim-pushpull',
      features: { pushPull: true },
      cluster: (n: number, options?: ClusterOptions) => standardCluster(n, { ...SWIM_MODEL_CONFIG, pushPullIntervalMs: 3_000 }, options),
    }) as unknown as AnyProtocol,
  // Lifeguard's suspicion: the timeout starts at 3 s and falls to 1 s as independent confirmations
  // arrive (spec/swim.ts suspicionTimeout), so the checker exercises the formula and the counting that
  // the base model's fixed 2 s timeout leaves out.
  'swim-lifeguard': () => swimVariant('swim-lifeguard', { dogpile: true, suspicionTimeoutMs: 1_000, suspicionMaxTimeoutMult: 3 }),
  // Dead members are reaped 3 s after they die, so reaping and re-learning are explored.
  'swim-reap': () => swimVariant('swim-reap', { reapAfterMs: 3_000 }),
  'inferno-current': () => infernoProtocol as unknown as AnyProtocol,
  'inferno-library-health': () => infernoLibraryProtocol as unknown as AnyProtocol,
  // SWIM among load balancers (two of them from 3 nodes), backends registered with one and health-checked.
  hybrid: () => hybridProtocol as unknown as AnyProtocol,
  'hybrid-shared': () => hybridSharedProtocol as unknown as AnyProtocol,
  'hybrid-library-health': () => hybridLibraryProtocol as unknown as AnyProtocol,
  counters: () => countersProtocol(10) as unknown as AnyProtocol,
  // Versioned self-sovereign records (spec/majority-hardened.ts): only strictly newer records apply.
  'majority-hardened': () => majorityHardenedProtocol as unknown as AnyProtocol,
  // majority and majority-hardened with a finite state space, so a breadth-first search can end ("holds"):
  // under async timing the re-announce and health timers may fire without end, each firing sending
  // more messages. Here re-announcement is off (one registration round per start) and the proxy's
  // load-balancer flag is off (no health loop); registration, update and resolution, where every
  // regression and ordering flaw of spec/majority.md lives, are unchanged.
  'majority-finite': () => finiteMajority(majorityProtocol as unknown as AnyProtocol, 'majority-finite'),
  'majority-hardened-finite': () => finiteMajority(majorityHardenedProtocol as unknown as AnyProtocol, 'majority-hardened-finite'),
};

function finiteMajority(base: AnyProtocol, name: string): AnyProtocol {
  const cluster = (n: number, options?: ClusterOptions) =>
    base.cluster(n, options).map((setup) => ({
      ...setup,
      info: { ...setup.info, isLoadBalancer: false },
      config: { ...(setup.config as MajorityConfig), reannounceIntervalMs: 0 },
    }));
  // Made finite on purpose: once registration, updates and resolutions are done nothing is left to
  // happen, so a state with no enabled step is the run's end, not a deadlock.
  return { ...base, name, cluster, isFinal: () => true } as AnyProtocol;
}

function swimVariant(name: string, config: Partial<SwimConfig>, features: AnyProtocol['features'] = { pushPull: false }): AnyProtocol {
  return { ...swimProtocol, name, features, cluster: (n: number, options?: ClusterOptions) => standardCluster(n, { ...SWIM_MODEL_CONFIG, ...config }, options) } as unknown as AnyProtocol;
}

export function modelProtocol(name: string): AnyProtocol {
  const make = MODEL_PROTOCOLS[name];
  if (!make) throw new AliceError('USAGE', `unknown protocol '${name}'; known: ${Object.keys(MODEL_PROTOCOLS).join(', ')}`);
  return make();
}
