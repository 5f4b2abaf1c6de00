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
  const c = info.capabilities;
  if (d === c) return true;
  if (d.length !== c.length) return false;
  for (let i = 0; i < d.length; i++) if (d[i] !== c[i]) return false;
  return true;
}

/** The field names a decode fault reports, made once per prefix rather than on every read. */
interface InfoLabels {
  readonly id: string;
  readonly address: string;
  readonly metricsPort: string;
  readonly flags: string;
  readonly nodeType: string;
  readonly count: string;
  readonly lastUpdated: string;
}
const labelCache = new Map<string, InfoLabels>();
function labelsFor(what: string): InfoLabels {
  let l = labelCache.get(what);
  if (!l) {
    l = { id: `${what}.id`, address: `${what}.address`, metricsPort: `${what}.metricsPort`, flags: `${what}.flags`, nodeType: `${what}.nodeType`, count: `${what}.capabilities count`, lastUpdated: `${what}.lastUpdated` };
    if (labelCache.size < 64) labelCache.set(what, l);
  }
  return l;
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

const INFO_LABELS = labelsFor('info');

export function readNodeInfo(r: ByteReader, what = 'info'): NodeInfo {
  const label = what === 'info' ? INFO_LABELS : labelsFor(what);
  const id = r.str(label.id);
  const address = r.str(label.address, MAX_ADDRESS);
  const metricsPort = r.bounded(label.metricsPort, 65535);
  const flags = r.u8(label.flags);
  if (flags > 3) throw new CodecFault('malformed', `${what}.flags: unknown bits ${flags.toString(2)}`);
  const typeIndex = r.u8(label.nodeType);
  const nodeType = NODE_TYPES[typeIndex];
  if (nodeType === undefined) throw new CodecFault('malformed', `${what}.nodeType: ${typeIndex} is not a node type`);
  let capabilities: readonly string[];
  if (flags & 2) capabilities = DEFAULTS[nodeType];
  else {
    const n = r.bounded(label.count, MAX_CAPABILITIES);
    const list: string[] = [];
    for (let i = 0; i < n; i++) list.push(r.str(`${what}.capabilities[${i}]`));
    capabilities = list;
  }
  const lastUpdated = r.uvar(label.lastUpdated);
  return { id, address, metricsPort, nodeType, isLoadBalancer: (flags & 1) === 1, capabilities, lastUpdated };
}
