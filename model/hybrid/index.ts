/**
 * The hybrid model as the checker and the conformance harness take it: the statechart (machine.ts)
 * through the generic adapter, on small clusters sized for exhaustive checking.
 */
import type { SnapshotFrom } from 'xstate';
import { HYBRID_HEALTH_DEFAULTS, HYBRID_LIBRARY_HEALTH, type HybridMessage, type HybridTopology, hybridSetups, smallTopology } from '../../spec/hybrid.js';
import { sharedRoutable } from '../../spec/hybrid-shared.js';
import { routable } from '../../spec/inferno-registry.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import { noRegression, selfSovereignty } from '../../spec/properties.js';
import type { ProtocolDefinition } from '../../spec/protocol.js';
import type { Choice, Input } from '../../spec/step.js';
import { incarnationMonotonic, noResurrection, noSelfDeath } from '../../spec/swim-properties.js';
import type { MemberView, View } from '../../spec/view.js';
import { machineBehaviour } from '../adapter.js';
import { SWIM_MODEL_CONFIG } from '../swim/index.js';
import { noLoadBalancerUp } from '../inferno/index.js';
import { type HybridModelConfig, hybridMachine, hybridSwimChoices, swimViewOf } from './machine.js';

export { hybridMachine, type HybridContext, type HybridModelConfig, type SwimPart, swimSnapshotOf } from './machine.js';

export type HybridSnapshot = SnapshotFrom<typeof hybridMachine>;

const isLoadBalancer = (s: HybridSnapshot): boolean => s.matches('loadBalancer');

/**
 * A load balancer: the other load balancers as its SWIM table holds them, then the backends other load
 * balancers share (variant `shared`), then its own backends (a crashed one has forgotten both);
 * anyone else: itself. The same precedence as the core's View (a later source wins for one id).
 */
export function hybridModelView(snapshot: HybridSnapshot): View {
  const c = snapshot.context;
  const members: Record<NodeId, MemberView> = {};
  const swim = isLoadBalancer(snapshot) ? swimViewOf(c) : null;
  if (swim) {
    Object.assign(members, swim.members);
    for (const list of Object.values(c.shared)) for (const info of list) members[info.id] = { status: 'alive', version: 0, info };
    for (const info of Object.values(c.registry)) members[info.id] = { status: 'alive', version: 0, info };
  } else {
    members[c.setup.id] = { status: snapshot.matches({ backend: 'left' }) ? 'left' : 'alive', version: 0, info: c.setup.info };
  }
  return { self: c.setup.id, members };
}

/** The backends a load balancer routes to: its own (baseline), or every live load balancer's (variant shared). */
export function hybridModelRoutable(snapshot: HybridSnapshot): NodeInfo[] {
  if (!snapshot.matches({ loadBalancer: 'serving' })) return [];
  const c = snapshot.context;
  return c.setup.config.variant === 'shared' ? sharedRoutable(c.registry, c.shared) : routable(c.registry);
}

/** The choices an input leaves open: SWIM's, at a serving load balancer; nothing else chooses. */
export function hybridChoices<M>(snapshot: HybridSnapshot, input: Input<M>): readonly Choice[] | undefined {
  return hybridSwimChoices(snapshot.context, snapshot.matches({ loadBalancer: 'serving' }), input as unknown as Input<HybridMessage>);
}

/**
 * Safety only. The shared membership properties beyond these two ask every node to hold every member,
 * which the design rules out on purpose (a backend holds no one, a load balancer only its own
 * backends); SWIM's own three are judged among the load balancers (a backend's record in a load
 * balancer's View is always alive at version 0, so they say nothing about it). SWIM's rule properties
 * (refutation, suspicion timeouts, …) read a SWIM node's own steps and timers, which a hybrid node
 * wraps; they are checked on the SWIM model, which the hybrid's load balancers run unchanged.
 */
export const HYBRID_MODEL_PROPERTIES = [selfSovereignty, noRegression, incarnationMonotonic, noSelfDeath, noResurrection];

/** SWIM among load balancers with the SWIM model's small knobs, and the proxy binary's health loop. */
export const HYBRID_MODEL_CONFIG: HybridModelConfig = { swim: SWIM_MODEL_CONFIG, ...HYBRID_HEALTH_DEFAULTS, variant: 'baseline' };

/**
 * Half the nodes load balancers, rounded up: from 3 nodes two of them run SWIM (spec/topology.ts
 * `smallTopology` rounds down, which leaves SWIM alone at 3 nodes, and SWIM among load balancers is
 * what the hybrid adds); no governator (it takes no part).
 */
export const hybridModelTopology = (n: number): HybridTopology => ({ loadBalancers: Math.max(1, Math.ceil(n / 2)), governators: 0 });

function definition(name: string, config: HybridModelConfig, layout: (n: number) => HybridTopology = hybridModelTopology): ProtocolDefinition<HybridSnapshot, HybridMessage, HybridModelConfig> {
  return {
    name,
    behaviour: machineBehaviour<typeof hybridMachine, HybridMessage, HybridModelConfig>(hybridMachine, { protocol: name, view: hybridModelView, choices: hybridChoices }),
    properties: HYBRID_MODEL_PROPERTIES,
    cluster: (n, options) => hybridSetups(n, layout(n), config, options),
    updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
    // The faults and budget the majority, SWIM and inferno-current models declare, so the report's
    // safety columns compare like with like.
    faults: { kinds: ['crash', 'update'], budget: 2 },
    // Backends arm no timer of their own: with every load balancer down the cluster is at rest by design.
    isFinal: noLoadBalancerUp,
  };
}

/** Inferno's hybrid: SWIM among load balancers, the proxy binary's health loop. */
export const hybridProtocol = definition('hybrid', HYBRID_MODEL_CONFIG);
/** Variant `hybrid-shared`: every load balancer tells the others which backends it routes to. */
export const hybridSharedProtocol = definition('hybrid-shared', { ...HYBRID_MODEL_CONFIG, variant: 'shared' });
/**
 * Variant `hybrid-library-health` (5 s / 2 s, all at once, `ready` read), on one load balancer with
 * every other node a backend up to 3 nodes and, from 4, a governator: the library loop needs no second
 * load balancer, and Inferno's third role is exercised here rather than in a configuration of its own.
 */
export const hybridLibraryProtocol = definition('hybrid-library-health', { ...HYBRID_MODEL_CONFIG, ...HYBRID_LIBRARY_HEALTH }, (n) => ({
  loadBalancers: 1,
  governators: n >= 4 ? 1 : 0,
}));
/**
 * The baseline on spec/topology.ts `smallTopology` (the core's own definition, impl/hybrid/index.ts):
 * at 3 nodes one load balancer holds two backends, so the proxy loop's round checks one after the
 * other, which `hybridModelTopology` (one backend per load balancer up to 4 nodes) never does.
 */
export const hybridOneBalancerProtocol = definition('hybrid', HYBRID_MODEL_CONFIG, smallTopology);
