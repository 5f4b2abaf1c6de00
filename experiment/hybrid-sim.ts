/**
 * The hybrid as the simulator sees it: the unchanged impl/hybrid core (SWIM among load balancers,
 * backends registered with one load balancer and health-checked). SWIM datagrams are sized by the
 * production codec exactly as for full SWIM (swim-sim.ts); the HTTP exchanges by the length of their
 * JSON bodies as Inferno writes them (spec/json.ts), HTTP and TCP/IP headers excluded.
 */
import { encodeNodeInfo, encodeNodeVitals, encodePeerInfo, toWireSeconds } from '../spec/json.js';
import { DEFAULT_VITALS } from '../spec/majority.js';
import type { NodeId, NodeInfo } from '../spec/node.js';
import { type HybridMessage, isHttpMessage } from '../spec/hybrid.js';
import type { SwimMessage } from '../spec/swim.js';
import { topologyFor } from '../spec/topology.js';
import type { MemberView } from '../spec/view.js';
import { SwimCodec } from '../impl/swim/codec.js';
import { getMember } from '../impl/swim/membership.js';
import { HYBRID_DEFAULTS, HYBRID_SHARED, HYBRID_WITH_LIBRARY_HEALTH, type HybridCoreConfig, type HybridState, healthyBackends, hybridCluster, hybridNode } from '../impl/hybrid/index.js';
import { HYBRID_PROPERTIES } from '../impl/hybrid/index.js';
import type { HealthLoop } from '../spec/inferno.js';
import { TCP_CONNECT_SEGMENT_BYTES } from './inferno-sim.js';
import type { SimProtocol, SimTransport } from './sim-protocol.js';
import { gossipAddress, swimMessageSizer, swimTransportOf } from './swim-sim.js';

/**
 * How a message travels: SWIM's datagrams over UDP, its full-state streams and the HTTP exchanges over
 * TCP; the proxy loop's health check is a bare TCP connect (a fresh handshake each time).
 */
export function hybridTransportOf(m: HybridMessage, loop: HealthLoop = 'proxy'): SimTransport {
  if (loop === 'proxy' && m.kind === 'healthCheck') return 'connect';
  if (loop === 'proxy' && m.kind === 'healthReply') return 'connect-ack';
  return isHttpMessage(m) ? 'tcp' : swimTransportOf(m);
}

/**
 * JSON body bytes of one HTTP exchange; a registration answer counts one PeerInfo per backend it lists.
 * The proxy loop's check has no payload: its SYN and SYN-ACK segments are what it costs.
 */
export function hybridHttpBytes(m: Exclude<HybridMessage, SwimMessage>, peerBytes: number, loop: HealthLoop = 'proxy'): number {
  if (loop === 'proxy' && (m.kind === 'healthCheck' || m.kind === 'healthReply')) return TCP_CONNECT_SEGMENT_BYTES;
  switch (m.kind) {
    case 'register':
      return JSON.stringify(encodeNodeInfo(m.info)).length;
    case 'registered':
      // {"peers":[…]}: Inferno answers with the peers it knows; the backend ignores the body.
      return 11 + m.known * (peerBytes + 1);
    case 'healthCheck':
      // A GET: no body; the request line and Host header are what it costs.
      return 'GET /metrics HTTP/1.1\r\nHost: 10.0.0.1:9090\r\n\r\n'.length;
    case 'healthReply':
      return JSON.stringify(encodeNodeVitals({ ...DEFAULT_VITALS, ready: m.ready })).length;
    case 'backendsOf':
      return 2 + m.backends.reduce((b, info) => b + JSON.stringify(encodeNodeInfo(info)).length + 1, 0);
  }
}

export function hybridMemberView(state: HybridState, id: NodeId): MemberView | undefined {
  const lb = state.lb;
  if (!lb) return id === state.setup.id ? { status: state.phase === 'left' ? 'left' : 'alive', version: 0, info: state.setup.info } : undefined;
  const own = lb.registry[id];
  if (own) return { status: 'alive', version: 0, info: own };
  const m = getMember(lb.swim.table, id);
  if (m) return { status: m.status, version: m.incarnation, info: m.info };
  for (const list of Object.values(lb.shared)) {
    const b = list.find((x: NodeInfo) => x.id === id);
    if (b) return { status: 'alive', version: 0, info: b };
  }
  return undefined;
}

export type HybridSimProtocol = SimProtocol<HybridState, HybridMessage, HybridCoreConfig> & { transportOf(m: HybridMessage): SimTransport };

export function hybridSimProtocol(config: HybridCoreConfig = HYBRID_DEFAULTS, name = 'hybrid'): HybridSimProtocol {
  const codec = new SwimCodec({ addressOf: gossipAddress });
  const swimSize = swimMessageSizer(codec);
  const withCodec: HybridCoreConfig = { ...config, swim: { ...config.swim, sizeOf: codec.sizeOf } };
  // One PeerInfo as a registration answer lists it, measured on a backend's record of this cluster.
  const sample = hybridCluster(3, { loadBalancers: 1, governators: 0 }, config)[2].info;
  const peerBytes = JSON.stringify(encodePeerInfo({ ...sample, lastUpdated: toWireSeconds(sample.lastUpdated) * 1000 })).length;
  return {
    definition: {
      name,
      behaviour: hybridNode,
      properties: HYBRID_PROPERTIES,
      cluster: (n, options) => hybridCluster(n, topologyFor(n), withCodec, options),
    },
    sizeOf: (m) => (isHttpMessage(m) ? hybridHttpBytes(m, peerBytes, config.healthLoop) : swimSize(m)),
    sizeNote:
      'SWIM among load balancers: measured, byte length of the production binary codec (as for swim); registration and health checks: measured JSON body length as Inferno writes it (spec/json.ts), HTTP and TCP/IP headers excluded',
    kindOf: (m) => m.kind,
    memberView: hybridMemberView,
    healthyBackends: (s) => healthyBackends(s),
    transportOf: (m) => hybridTransportOf(m, config.healthLoop),
    clusterSetups: (n, seed) => hybridCluster(n, topologyFor(n), withCodec, { seed }),
    // The proxy loop's round drops the backends that failed when it ends, not when they fail.
    pendingRemovals: (s) => (s.lb && s.phase === 'running' ? s.lb.round.failed : []),
    periodMs: config.healthIntervalMs,
    steadyWindowMs: Math.max(10 * config.swim.probeIntervalMs, config.swim.pushPullIntervalMs, 2 * config.healthIntervalMs),
  };
}

/** Variant `hybrid-shared` (impl/hybrid/shared.ts): every load balancer routes to every backend. */
export function hybridSharedSimProtocol(): HybridSimProtocol {
  return hybridSimProtocol(HYBRID_SHARED, 'hybrid-shared');
}

/** Variant `hybrid-library-health`: the library's 5 s / 2 s health checks that read `ready`, which no Inferno binary calls. */
export function hybridLibraryHealthSimProtocol(): HybridSimProtocol {
  return hybridSimProtocol(HYBRID_WITH_LIBRARY_HEALTH, 'hybrid-library-health');
}
