/**
 * A load balancer's table of registered backends, as Inferno's `ServiceDiscovery` keeps it
 * (`crates/shared/src/service_discovery/service.rs`). Nothing but a registration adds a backend: one
 * removed by a health check comes back only by registering again. Two registration rules live here:
 * `registerNew`, Inferno's own (a known id is refused), which inferno-current runs, and `register`
 * (a known id's record replaced, as the service-discovery `server.rs` handler's update path does),
 * which the hybrid runs (docs/hybrid.md).
 */
import type { NodeId, NodeInfo } from './node.js';
import { sameNodeInfo } from './node.js';

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

/** What inferno-current's load balancer did with a registration: a new backend, or a refusal. */
export type FirstRegistration = 'joined' | 'refused';

/**
 * Inferno's `register_backend` (service.rs) as inferno-current runs it: an id already registered is
 * refused ("Backend with ID '…' already exists") and its record kept, so a registration can add a
 * backend but never change one; only removal makes room for it again.
 */
export function registerNew(registry: Registry, info: NodeInfo): { readonly registry: Registry; readonly outcome: FirstRegistration } {
  if (info.id in registry) return { registry, outcome: 'refused' };
  return { registry: { ...registry, [info.id]: info }, outcome: 'joined' };
}
