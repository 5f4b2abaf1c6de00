/**
 * The inferno-current model as the checker and the conformance harness take it: the statechart
 * (machine.ts) through the generic adapter, on small clusters of spec/topology.ts `smallTopology`
 * (half load balancers), sized for exhaustive checking.
 */
import type { SnapshotFrom } from 'xstate';
import { type InfernoConfig, type InfernoMessage, LIBRARY_HEALTH_LOOP, PROXY_HEALTH_LOOP, infernoSetups } from '../../spec/inferno.js';
import { routable } from '../../spec/inferno-registry.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import { type Observation, noRegression, selfSovereignty } from '../../spec/properties.js';
import type { ProtocolDefinition } from '../../spec/protocol.js';
import { type Topology, smallTopology } from '../../spec/topology.js';
import type { MemberView, View } from '../../spec/view.js';
import { machineBehaviour } from '../adapter.js';
import { infernoMachine } from './machine.js';

export { infernoMachine, type InfernoContext, PROXY_REMOVAL_REASON } from './machine.js';

export type InfernoSnapshot = SnapshotFrom<typeof infernoMachine>;

const isLeft = (s: InfernoSnapshot): boolean => s.matches({ backend: 'left' }) || (s.matches({ loadBalancer: 'serving' }) && s.context.left);

/** A load balancer: itself and the backends it holds (a crashed one has forgotten them); anyone else: itself. */
export function infernoModelView(snapshot: InfernoSnapshot): View {
  const c = snapshot.context;
  const members: Record<NodeId, MemberView> = { [c.setup.id]: { status: isLeft(snapshot) ? 'left' : 'alive', version: c.version, info: c.info } };
  for (const info of Object.values(c.registry)) members[info.id] = { status: 'alive', version: 0, info };
  return { self: c.setup.id, members };
}

/** The backends a load balancer routes to: every one registered and not yet removed. */
export function infernoModelRoutable(snapshot: InfernoSnapshot): NodeInfo[] {
  return snapshot.matches({ loadBalancer: 'serving' }) ? routable(snapshot.context.registry) : [];
}

/** Safety only: agreement and completeness would ask every node to hold every member, which no node here does by design. */
export const INFERNO_MODEL_PROPERTIES = [selfSovereignty, noRegression];

/**
 * Where an Inferno cluster is at rest by design, not deadlocked: every load balancer is down (and,
 * without restart, stays down). A backend only registers and answers health checks; it arms no timer
 * of its own, so with no load balancer up nothing more can happen (checker/deadlock.ts).
 */
export function noLoadBalancerUp(obs: Observation): boolean {
  return Object.keys(obs.up).every((id) => !obs.up[id] || obs.views[id]?.members[id]?.info.isLoadBalancer !== true);
}

function definition(name: string, config: InfernoConfig, layout: (n: number) => Pick<Topology, 'loadBalancers' | 'governators'> = smallTopology): ProtocolDefinition<InfernoSnapshot, InfernoMessage, InfernoConfig> {
  return {
    name,
    behaviour: machineBehaviour<typeof infernoMachine, InfernoMessage, InfernoConfig>(infernoMachine, { protocol: name, view: infernoModelView }),
    properties: INFERNO_MODEL_PROPERTIES,
    cluster: (n, options) => infernoSetups(n, layout(n), config, options),
    updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
    // What `alice check inferno-current` runs under unless told otherwise: the faults and budget the
    // majority and SWIM models declare, so the report's safety columns compare like with like.
    faults: { kinds: ['crash', 'update'], budget: 2 },
    isFinal: noLoadBalancerUp,
  };
}

/** Inferno's proxy binary's loop (30 s / 5 s, one connect at a time, `ready` unread). */
export const infernoProtocol = definition('inferno-current', PROXY_HEALTH_LOOP);
/** Variant `inferno-library-health`: the library loop nothing in Inferno calls (5 s / 2 s, all at once, `ready` read). */
export const infernoLibraryProtocol = definition('inferno-library-health', LIBRARY_HEALTH_LOOP);
/** Inferno's full set of roles on a small cluster: one load balancer, one governator (from 3 nodes), the rest backends. */
export const infernoGovernatorProtocol = definition('inferno-current', PROXY_HEALTH_LOOP, (n) => ({ loadBalancers: 1, governators: n >= 3 ? 1 : 0 }));
