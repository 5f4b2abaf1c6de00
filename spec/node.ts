/**
 * The vocabulary of Inferno's service discovery, mirrored field for field so that a record read from
 * an Inferno node means the same here. Times in memory are milliseconds since the UNIX epoch; the JSON
 * wire format (./json.ts) carries whole seconds, as Inferno's does.
 */

export const NODE_TYPES = ['proxy', 'backend', 'governator'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export function isNodeType(value: unknown): value is NodeType {
  return typeof value === 'string' && (NODE_TYPES as readonly string[]).includes(value);
}

/** Only backends run inference; proxies and governators route or manage. */
export function canServeInference(type: NodeType): boolean {
  return type === 'backend';
}

/** Only proxies are load balancers by role. */
export function canLoadBalance(type: NodeType): boolean {
  return type === 'proxy';
}

const DEFAULT_CAPABILITIES: Readonly<Record<NodeType, readonly string[]>> = {
  proxy: ['load_balancing', 'health_checking', 'request_routing', 'service_discovery'],
  backend: ['inference', 'model_serving', 'metrics_reporting'],
  governator: ['cost_analysis', 'resource_optimization', 'scaling_decisions', 'cluster_monitoring'],
};

export function defaultCapabilities(type: NodeType): string[] {
  return [...DEFAULT_CAPABILITIES[type]];
}

export type NodeId = string;

/** What a node says about itself. Only the node itself may change it (self-sovereignty). */
export interface NodeInfo {
  readonly id: NodeId;
  /** "host:port" where the node serves requests (not the metrics port). */
  readonly address: string;
  /** Port of the node's /metrics (JSON vitals) and /telemetry endpoints, 1..65535. */
  readonly metricsPort: number;
  readonly nodeType: NodeType;
  readonly isLoadBalancer: boolean;
  readonly capabilities: readonly string[];
  /** Milliseconds since the UNIX epoch of the last change the node made to this record. */
  readonly lastUpdated: number;
}

/** The subset of NodeInfo that registration responses carry and consensus resolves. */
export type PeerInfo = Omit<NodeInfo, 'capabilities'>;

/** Operational health a node reports on its metrics port. Load balancers poll it. */
export interface NodeVitals {
  readonly ready: boolean;
  readonly requestsInProgress: number;
  /** Percent, 0..100. */
  readonly cpuUsage: number;
  /** Percent, 0..100. */
  readonly memoryUsage: number;
  readonly failedResponses: number;
  readonly connectedPeers: number;
  readonly backoffRequests: number;
}

/** A NodeInfo with the capabilities and load-balancer flag that its type implies. */
export function makeNodeInfo(
  id: NodeId,
  address: string,
  metricsPort: number,
  nodeType: NodeType,
  lastUpdated: number,
): NodeInfo {
  return {
    id,
    address,
    metricsPort,
    nodeType,
    isLoadBalancer: canLoadBalance(nodeType),
    capabilities: defaultCapabilities(nodeType),
    lastUpdated,
  };
}

export function toPeerInfo(info: NodeInfo): PeerInfo {
  return {
    id: info.id,
    address: info.address,
    metricsPort: info.metricsPort,
    nodeType: info.nodeType,
    isLoadBalancer: info.isLoadBalancer,
    lastUpdated: info.lastUpdated,
  };
}

/** A PeerInfo widened back to a NodeInfo; capabilities are the type's defaults (the wire lost them). */
export function fromPeerInfo(peer: PeerInfo, capabilities?: readonly string[]): NodeInfo {
  return { ...peer, capabilities: capabilities ? [...capabilities] : defaultCapabilities(peer.nodeType) };
}

/** Field-by-field equality, capabilities compared in order. */
export function sameNodeInfo(a: NodeInfo, b: NodeInfo): boolean {
  return (
    samePeerInfo(a, b) &&
    a.capabilities.length === b.capabilities.length &&
    a.capabilities.every((c, i) => c === b.capabilities[i])
  );
}

export function samePeerInfo(a: PeerInfo, b: PeerInfo): boolean {
  return samePeerFields(a, b) && a.lastUpdated === b.lastUpdated;
}

/** Every PeerInfo field but `lastUpdated`, which callers compare at the precision they need. */
export function samePeerFields(a: PeerInfo, b: PeerInfo): boolean {
  return (
    a.id === b.id &&
    a.address === b.address &&
    a.metricsPort === b.metricsPort &&
    a.nodeType === b.nodeType &&
    a.isLoadBalancer === b.isLoadBalancer
  );
}
