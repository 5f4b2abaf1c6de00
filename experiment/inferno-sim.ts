/**
 * inferno-current as the simulator sees it: the unchanged impl/inferno core on Inferno's topology.
 * Every exchange is HTTP or a bare TCP connect, so every message travels over TCP. Sizes: the JSON
 * bodies as Inferno writes them (HTTP and TCP/IP headers excluded, as for the hybrid), except the
 * proxy loop's TCP connect, which has no payload: it is counted as its SYN and SYN-ACK segments.
 */
import { encodeNodeVitals } from '../spec/json.js';
import { DEFAULT_VITALS } from '../spec/majority.js';
import type { NodeId } from '../spec/node.js';
import { type InfernoConfig, type InfernoMessage, LIBRARY_HEALTH_LOOP, PROXY_HEALTH_LOOP } from '../spec/inferno.js';
import { topologyFor } from '../spec/topology.js';
import type { MemberView } from '../spec/view.js';
import { INFERNO_PROPERTIES, type InfernoState, infernoCluster, infernoHealthyBackends, infernoNode } from '../impl/inferno/index.js';
import type { SimProtocol, SimTransport } from './sim-protocol.js';

/** A SYN or SYN-ACK with the usual options: IPv4 20 + TCP 20 + options 20 bytes. */
export const TCP_CONNECT_SEGMENT_BYTES = 60;

/** Bytes of one inferno-current message under `config`'s health loop. */
export function infernoMessageBytes(m: InfernoMessage, config: InfernoConfig): number {
  switch (m.kind) {
    case 'register':
      // The backend's body (registration.rs): id, address and metrics port only.
      return JSON.stringify({ id: m.info.id, address: m.info.address, metrics_port: m.info.metricsPort }).length;
    case 'registered':
      return '{"status":"registered"}'.length;
    case 'refused':
      return JSON.stringify({ error: m.reason }).length;
    case 'healthCheck':
      return config.healthLoop === 'proxy' ? TCP_CONNECT_SEGMENT_BYTES : 'GET /metrics HTTP/1.1\r\nHost: 10.0.0.1:9090\r\n\r\n'.length;
    case 'healthReply':
      return config.healthLoop === 'proxy' ? TCP_CONNECT_SEGMENT_BYTES : JSON.stringify(encodeNodeVitals({ ...DEFAULT_VITALS, ready: m.ready })).length;
  }
}

export function infernoMemberView(state: InfernoState, id: NodeId): MemberView | undefined {
  if (id === state.setup.id) return { status: state.phase === 'left' ? 'left' : 'alive', version: state.version, info: state.info };
  const info = state.lb?.registry[id];
  return info ? { status: 'alive', version: 0, info } : undefined;
}

export type InfernoSimProtocol = SimProtocol<InfernoState, InfernoMessage, InfernoConfig> & { transportOf(m: InfernoMessage): SimTransport };

export function infernoSimProtocol(config: InfernoConfig = PROXY_HEALTH_LOOP, name = 'inferno-current'): InfernoSimProtocol {
  return {
    definition: {
      name,
      behaviour: infernoNode,
      properties: INFERNO_PROPERTIES,
      cluster: (n, options) => infernoCluster(n, topologyFor(n), config, options),
    },
    sizeOf: (m) => infernoMessageBytes(m, config),
    sizeNote:
      config.healthLoop === 'proxy'
        ? "measured JSON body length as Inferno writes it (HTTP and TCP/IP headers excluded); the proxy loop's health check is a bare TCP connect, counted as its SYN and SYN-ACK (60 bytes each)"
        : 'measured JSON body length as Inferno writes it (spec/json.ts), HTTP and TCP/IP headers excluded',
    kindOf: (m) => m.kind,
    memberView: infernoMemberView,
    healthyBackends: infernoHealthyBackends,
    // The proxy loop's check is `TcpStream::connect`, dropped at once: a fresh handshake every time.
    transportOf: (m) => (config.healthLoop !== 'proxy' ? 'tcp' : m.kind === 'healthCheck' ? 'connect' : m.kind === 'healthReply' ? 'connect-ack' : 'tcp'),
    // Every backend registers with every load balancer (its `--discovery-lb` list), not the first
    // `seedCount` nodes the generic layout seeds: at 1,000 nodes there are 5 load balancers, not 3.
    clusterSetups: (n, seed) => infernoCluster(n, topologyFor(n), config, { seed }),
    // The proxy loop's round drops the backends that failed when it ends, not when they fail.
    pendingRemovals: (s) => (s.lb && s.phase === 'running' ? s.lb.round.failed : []),
    periodMs: config.healthIntervalMs,
    steadyWindowMs: 2 * config.healthIntervalMs,
  };
}

/** Variant `inferno-library-health`: the library's health loop (5 s, 2 s, concurrent, reads ready). */
export function infernoLibrarySimProtocol(): InfernoSimProtocol {
  return infernoSimProtocol(LIBRARY_HEALTH_LOOP, 'inferno-library-health');
}
