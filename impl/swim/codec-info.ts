/**
 * Binary form of a NodeInfo, the metadata every SWIM alive record carries. Compact because it rides
 * on every piggybacked alive update: a node type's default capabilities (the common case) cost one
 * flag bit instead of ~60 bytes, and lastUpdated is a varint of milliseconds.
 *
 *   id: str | address: str | metricsPort: uvar | flags: u8 (bit0 load balancer, bit1 default
 *   capabilities) | nodeType: u8 (index in NODE_TYPES) | [capabilities: uvar count, str each] |
 *   lastUpdated: uvar ms
 */
import { type NodeInfo, NODE_TYPES, defaultCapabilities } from '../../spec/node.js';
import { type ByteReader, type ByteWriter, CodecFault } from './bytes.js';

/** At most this many capabilities per record: more is an attack or a bug, and would crowd out gossip. */
export const MAX_CAPABILITIES = 32;
const MAX_ADDRESS = 255;

// One shared, frozen list per type: decoding hands it out instead of copying (records are read-only).
const DEFAULTS = Object.fromEntries(NODE_TYPES.map((t) => [t, Object.freeze(defaultCapabilities(t))])) as unknown as Readonly<Record<NodeInfo['nodeType'], readonly string[]>>;

function isDefaultCapabilities(info: NodeInfo): boolean {
  const d = DEFAULTS[info.nodeType];
  if (d === info.capabilities) return true;
  return d.length === info.capabilities.length && d.every((c, i) => c === info.capabilities[i]);
}

export function writeNodeInfo(w: ByteWriter, info: NodeInfo): void {
  w.str(info.id);
  w.str(info.address);
  w.uvar(info.metricsPort);
  const defaults = isDefaultCapabilities(info);
  w.u8((info.isLoadBalancer ? 1 : 0) | (defaults ? 2 : 0));
  w.u8(NODE_TYPES.indexOf(info.nodeType));
  if (!defaults) {
    w.uvar(info.capabilities.length);
    for (const c of info.capabilities) w.str(c);
  }
  w.uvar(Math.max(0, Math.floor(info.lastUpdated)));
}

export function readNodeInfo(r: ByteReader, what = 'info'): NodeInfo {
  const id = r.str(`${what}.id`);
  const address = r.str(`${what}.address`, MAX_ADDRESS);
  const metricsPort = r.bounded(`${what}.metricsPort`, 65535);
  const flags = r.u8(`${what}.flags`);
  if (flags > 3) throw new CodecFault('malformed', `${what}.flags: unknown bits ${flags.toString(2)}`);
  const typeIndex = r.u8(`${what}.nodeType`);
  const nodeType = NODE_TYPES[typeIndex];
  if (nodeType === undefined) throw new CodecFault('malformed', `${what}.nodeType: ${typeIndex} is not a node type`);
  let capabilities: readonly string[];
  if (flags & 2) capabilities = DEFAULTS[nodeType];
  else {
    const n = r.bounded(`${what}.capabilities count`, MAX_CAPABILITIES);
    const list: string[] = [];
    for (let i = 0; i < n; i++) list.push(r.str(`${what}.capabilities[${i}]`));
    capabilities = list;
  }
  const lastUpdated = r.uvar(`${what}.lastUpdated`);
  return { id, address, metricsPort, nodeType, isLoadBalancer: (flags & 1) === 1, capabilities, lastUpdated };
}
