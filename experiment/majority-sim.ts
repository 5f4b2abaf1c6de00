/**
 * The majority system as the simulator sees it: the unchanged impl/majority core plus what the
 * simulator measures about it. Message sizes are the length of the JSON text Inferno would put on the
 * wire, built with spec/json.ts encoders (snake_case fields, whole-second timestamps), so a byte figure
 * in the report is a measured length of a real encoding, not an estimate.
 */
import { encodeNodeInfo, encodeNodeVitals, encodePeerInfo, toWireSeconds } from '../spec/json.js';
import { MAJORITY_DEFAULTS, type MajorityConfig, type MajorityMessage } from '../spec/majority.js';
import type { NodeId, NodeInfo, PeerInfo } from '../spec/node.js';
import type { MemberView } from '../spec/view.js';
import { type MajorityState, getHealthyBackends, majorityHardenedImplProtocol, majorityImplProtocol, resolveConsensus } from '../impl/majority/index.js';
import { MAJORITY_HARDENED_DEFAULTS, type VersionedPeerInfo, resolveNewest } from '../spec/majority-hardened.js';
import type { SimProtocol } from './sim-protocol.js';

/** The JSON text of one message as Inferno's HTTP bodies carry it (one object, no whitespace). */
export function majorityWireText(m: MajorityMessage): string {
  switch (m.kind) {
    case 'register':
      return JSON.stringify({ kind: m.kind, info: encodeNodeInfo(m.info), version: m.version });
    case 'registerReply':
      // A hardened reply's entries carry their version beside the record (spec/majority-hardened.ts).
      return JSON.stringify({ kind: m.kind, peers: m.peers.map((p) => (hasVersion(p) ? { ...encodePeerInfo(p), version: p.version } : encodePeerInfo(p))) });
    case 'update':
      return JSON.stringify({ kind: m.kind, originator: m.originator, info: encodeNodeInfo(m.info), version: m.version });
    case 'updateAck':
      return JSON.stringify({ kind: m.kind, originator: m.originator, version: m.version });
    case 'vitalsRequest':
      return JSON.stringify({ kind: m.kind });
    case 'vitalsReply':
      return JSON.stringify({ kind: m.kind, vitals: encodeNodeVitals(m.vitals) });
  }
}

const hasVersion = (p: PeerInfo): p is VersionedPeerInfo => typeof (p as Partial<VersionedPeerInfo>).version === 'number';

/**
 * UTF-8 bytes of a string as a JSON string literal. Fast path: printable ASCII without quote or
 * backslash is its length plus the two quotes; anything else is encoded to be sure.
 */
function jsonStringBytes(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return Buffer.byteLength(JSON.stringify(s), 'utf8');
  }
  return s.length + 2;
}

/** JSON numbers print as String(n) for every finite number. */
const numberBytes = (n: number): number => String(n).length;

function peerVariableBytes(p: PeerInfo): number {
  return jsonStringBytes(p.id) + jsonStringBytes(p.address) + numberBytes(p.metricsPort) + jsonStringBytes(p.nodeType) + (p.isLoadBalancer ? 4 : 5) + numberBytes(toWireSeconds(p.lastUpdated));
}

function capabilitiesBytes(caps: readonly string[]): number {
  let n = 2 + Math.max(0, caps.length - 1);
  for (const c of caps) n += jsonStringBytes(c);
  return n;
}

/**
 * Fixed overheads (braces, keys, commas) measured once from a real encoding of a sample, so the
 * arithmetic below cannot drift from spec/json.ts: overhead = text length − the variable parts.
 */
const SAMPLE: NodeInfo = { id: 'n1', address: 'a:1', metricsPort: 1, nodeType: 'backend', isLoadBalancer: false, capabilities: [], lastUpdated: 0 };
const PEER_FIXED = majorityWireText({ kind: 'registerReply', peers: [SAMPLE] }).length - majorityWireText({ kind: 'registerReply', peers: [] }).length - peerVariableBytes(SAMPLE);
const NODE_FIXED = PEER_FIXED + ',"capabilities":'.length;
const nodeBytes = (i: NodeInfo): number => NODE_FIXED + peerVariableBytes(i) + capabilitiesBytes(i.capabilities);
const REGISTER_FIXED = majorityWireText({ kind: 'register', info: SAMPLE, version: 0 }).length - nodeBytes(SAMPLE) - 1;
const REPLY_EMPTY = majorityWireText({ kind: 'registerReply', peers: [] }).length;
const UPDATE_FIXED = majorityWireText({ kind: 'update', originator: 'n1', info: SAMPLE, version: 0 }).length - nodeBytes(SAMPLE) - jsonStringBytes('n1') - 1;
/** `,"version":` after a hardened reply entry's record. */
const VERSION_FIXED = ',"version":'.length;
const ACK_FIXED = majorityWireText({ kind: 'updateAck', originator: 'n1', version: 0 }).length - jsonStringBytes('n1') - 1;

/**
 * Bytes of majorityWireText(m) in UTF-8, computed without building the text: a registration reply
 * lists every known peer, and encoding N of them for each of N² replies per re-announce round made
 * sizing a fifth of a 100-node run's wall time. A property test holds it equal to the encoded length.
 */
export function majorityMessageBytes(m: MajorityMessage): number {
  switch (m.kind) {
    case 'register':
      return REGISTER_FIXED + nodeBytes(m.info) + numberBytes(m.version);
    case 'registerReply': {
      let n = REPLY_EMPTY + Math.max(0, m.peers.length - 1);
      for (const p of m.peers) n += PEER_FIXED + peerVariableBytes(p) + (hasVersion(p) ? VERSION_FIXED + numberBytes(p.version) : 0);
      return n;
    }
    case 'update':
      return UPDATE_FIXED + jsonStringBytes(m.originator) + nodeBytes(m.info) + numberBytes(m.version);
    case 'updateAck':
      return ACK_FIXED + jsonStringBytes(m.originator) + numberBytes(m.version);
    case 'vitalsRequest':
    case 'vitalsReply':
      return Buffer.byteLength(majorityWireText(m), 'utf8');
  }
}

/** One member as majorityView would show it, without building the whole View (O(1) per lookup). */
export function majorityMemberView(state: MajorityState, id: NodeId): MemberView | undefined {
  if (id === state.self.id) return { status: state.phase === 'left' ? 'left' : 'alive', version: state.version, info: state.self };
  const e = state.peers[id];
  return e === undefined ? undefined : { status: 'alive', version: e.version, info: e.info };
}

/**
 * The majority system for the simulator. Period: the re-announce interval, the system's slowest
 * repeating task. Steady window: one re-announce period, which also spans six health rounds.
 */
export function majoritySimProtocol(config: MajorityConfig = MAJORITY_DEFAULTS): SimProtocol<MajorityState, MajorityMessage, MajorityConfig> {
  return {
    definition: majorityImplProtocol,
    sizeOf: majorityMessageBytes,
    sizeNote:
      'measured: UTF-8 length of the JSON body built with spec/json.ts encoders, in a one-object envelope whose kind tag stands in for the HTTP route (HTTP and TCP headers excluded)',
    kindOf: (m) => m.kind,
    memberView: majorityMemberView,
    healthyBackends: getHealthyBackends,
    // Every exchange is an HTTP request or its response (Inferno's service_discovery runs over HTTP).
    transportOf: () => 'tcp',
    periodMs: config.reannounceIntervalMs,
    steadyWindowMs: Math.max(config.reannounceIntervalMs, config.healthIntervalMs),
    // Re-run the resolver on the same responses, outside the step, and report its own timer: the
    // figure Inferno logged as consensus duration.
    resolverMicros: (event) => resolveConsensus(event.responses).metrics.durationMicros,
  };
}

/**
 * The majority-hardened variant for the simulator: the same core with versioned records on
 * (spec/majority-hardened.ts), measured the same way. Its replies are larger by each entry's version.
 */
export function majorityHardenedSimProtocol(config: MajorityConfig = MAJORITY_HARDENED_DEFAULTS): SimProtocol<MajorityState, MajorityMessage, MajorityConfig> {
  return {
    ...majoritySimProtocol(config),
    definition: majorityHardenedImplProtocol,
    // The hardened resolver's time, on the same responses (it keeps no metrics of its own).
    resolverMicros: (event) => {
      const t0 = performance.now();
      resolveNewest(event.responses);
      return (performance.now() - t0) * 1000;
    },
  };
}
