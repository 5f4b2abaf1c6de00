/**
 * A load balancer's table of registered backends, as Inferno's `ServiceDiscovery` keeps it
 * (`crates/shared/src/service_discovery/service.rs` `register_backend`, `server.rs`): a registration
 * adds the backend or replaces its record, and an update arrives as a registration too. Nothing else
 * adds a backend: one removed by a health check comes back only by registering again.
 */
import type { NodeId, NodeInfo } from '../../spec/node.js';
import { sameNodeInfo } from '../../spec/node.js';

export type Registry = Readonly<Record<NodeId, NodeInfo>>;

export const EMPTY_REGISTRY: Registry = Object.freeze({});

/** What a registration did: a new backend, a changed record, or nothing new. */
export type RegistrationOutcome = 'joined' | 'updated' | 'unchanged';

export function register(registry: Registry, info: NodeInfo): { readonly registry: Registry; readonly outcome: RegistrationOutcome } {
  const had = registry[info.id];
  if (had !== undefined && sameNodeInfo(had, info)) return { registry, outcome: 'unchanged' };
  return { registry: { ...registry, [info.id]: info }, outcome: had === undefined ? 'joined' : 'updated' };
}

export function deregister(registry: Registry, id: NodeId): Registry {
  if (!(id in registry)) return registry;
  const { [id]: _gone, ...rest } = registry;
  return rest;
}

/** The backends a load balancer routes to: every registered one (a failed check has already removed it), by id. */
export function routable(registry: Registry): NodeInfo[] {
  return Object.keys(registry)
    .sort()
    .map((id) => registry[id]);
}
