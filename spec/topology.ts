/**
 * Inferno's topology, shared by every option the experiment compares: a few load balancers (proxies),
 * one governator, many backends. Nodes are indexed load balancers first, then the governator, then the
 * backends, with ids n1..nN in that order, so a node's role follows from its index alone and traces
 * name the same node the same way in every option.
 */
import { ConfigError } from './errors.js';
import { type NodeId, type NodeType, makeNodeInfo } from './node.js';
import type { ClusterOptions } from './protocol.js';
import type { NodeSetup } from './step.js';

export interface Topology {
  readonly loadBalancers: number;
  readonly governators: number;
  readonly backends: number;
}

/**
 * The experiment's sizes: 3 load balancers up to 100 nodes, 5 up to 1,000, 10 above (issue 12: "e.g.
 * 3 load balancers at 10/50/100 nodes and 5–10 at 1,000 and 10,000"), and one governator when at
 * least one backend remains beside it. Small clusters (n ≤ L) are all load balancers.
 */
export function topologyFor(n: number): Topology {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError('n', `must be a whole number ≥ 1, got ${String(n)}`);
  const loadBalancers = Math.min(n, n <= 100 ? 3 : n <= 1_000 ? 5 : 10);
  const governators = n > loadBalancers + 1 ? 1 : 0;
  return { loadBalancers, governators, backends: n - loadBalancers - governators };
}

/** A topology with the counts given, checked: at least one load balancer, and parts that sum to n. */
export function topologyOf(n: number, loadBalancers: number, governators: number): Topology {
  if (!Number.isInteger(loadBalancers) || loadBalancers < 1 || loadBalancers > n) {
    throw new ConfigError('loadBalancers', `must be a whole number from 1 to n (${n}), got ${String(loadBalancers)}`);
  }
  if (!Number.isInteger(governators) || governators < 0 || loadBalancers + governators > n) {
    throw new ConfigError('governators', `must be a whole number ≥ 0 with loadBalancers + governators ≤ n (${n}), got ${String(governators)}`);
  }
  return { loadBalancers, governators, backends: n - loadBalancers - governators };
}

/** The roles a node plays, by its node type: proxies balance load, governators govern, the rest serve. */
export const ROLES = ['loadBalancer', 'governator', 'backend'] as const;
export type Role = (typeof ROLES)[number];

export function roleOf(nodeType: NodeType): Role {
  return nodeType === 'proxy' ? 'loadBalancer' : nodeType === 'governator' ? 'governator' : 'backend';
}

/** The role of the node at `index` (0-based): load balancers first, then governators, then backends. */
export function roleAt(topology: Topology, index: number): NodeType {
  if (index < topology.loadBalancers) return 'proxy';
  if (index < topology.loadBalancers + topology.governators) return 'governator';
  return 'backend';
}

/** Indices of the load balancers and of the backends, in id order. */
export function loadBalancerIndices(topology: Topology): number[] {
  return Array.from({ length: topology.loadBalancers }, (_, i) => i);
}

export function backendIndices(topology: Topology): number[] {
  const first = topology.loadBalancers + topology.governators;
  return Array.from({ length: topology.backends }, (_, i) => first + i);
}

/**
 * Setups of a cluster laid out by role (load balancers, governators, backends, ids n1..nN in that
 * order), every node's address derived from its index; `seedsOf` says whom each node contacts at
 * start, which is where the options differ (the hybrid's backends register with one load balancer,
 * inferno-current's with every one).
 */
export function roleSetups<Cfg>(
  n: number,
  layout: Pick<Topology, 'loadBalancers' | 'governators'>,
  config: Cfg,
  options: ClusterOptions,
  seedsOf: (type: NodeType, index: number) => NodeId[],
): NodeSetup<Cfg>[] {
  const topology = topologyOf(n, layout.loadBalancers, layout.governators);
  const now = options.now ?? 0;
  return Array.from({ length: n }, (_, i) => {
    const id = `n${i + 1}`;
    const type = roleAt(topology, i);
    const info = makeNodeInfo(id, `10.0.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}:8080`, 9090, type, now);
    return { id, info, seeds: seedsOf(type, i), now, rngSeed: (options.seed ?? 1) + i, config };
  });
}

/**
 * The topology of a small cluster (checker, conformance, tests): half the nodes load balancers, at
 * least one, so two or more of them run SWIM from 4 nodes on; no governator (it takes no part).
 */
export function smallTopology(n: number): Pick<Topology, 'loadBalancers' | 'governators'> {
  return { loadBalancers: Math.max(1, Math.floor(n / 2)), governators: 0 };
}
