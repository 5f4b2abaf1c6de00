/**
 * Inferno's JSON wire format: snake_case fields, lowercase node types, `last_updated` in whole UNIX
 * seconds. Encoding floors milliseconds to seconds, so a round trip loses sub-second precision exactly
 * as Inferno's serde codec does. Decoding accepts unknown extra fields (serde's default) and rejects
 * everything else that Inferno would reject, with a DecodeError naming the field.
 */
import { DecodeError } from './errors.js';
import { type NodeInfo, type NodeType, type NodeVitals, type PeerInfo, NODE_TYPES, isNodeType } from './node.js';

export interface PeerInfoWire {
  id: string;
  address: string;
  metrics_port: number;
  node_type: NodeType;
  is_load_balancer: boolean;
  last_updated: number;
}

export interface NodeInfoWire extends PeerInfoWire {
  capabilities: string[];
}

export interface NodeVitalsWire {
  ready: boolean;
  requests_in_progress: number;
  cpu_usage: number;
  memory_usage: number;
  failed_responses: number;
  connected_peers: number;
  backoff_requests: number;
}

/** Milliseconds to the wire's whole seconds (floor, as SystemTime → as_secs). */
export function toWireSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function encodePeerInfo(p: PeerInfo): PeerInfoWire {
  return {
    id: p.id,
    address: p.address,
    metrics_port: p.metricsPort,
    node_type: p.nodeType,
    is_load_balancer: p.isLoadBalancer,
    last_updated: toWireSeconds(p.lastUpdated),
  };
}

export function encodeNodeInfo(n: NodeInfo): NodeInfoWire {
  const { last_updated, ...rest } = encodePeerInfo(n);
  // Field order follows Inferno's struct so serialized text compares equal to Rust's.
  return { ...rest, capabilities: [...n.capabilities], last_updated };
}

export function encodeNodeVitals(v: NodeVitals): NodeVitalsWire {
  return {
    ready: v.ready,
    requests_in_progress: v.requestsInProgress,
    cpu_usage: v.cpuUsage,
    memory_usage: v.memoryUsage,
    failed_responses: v.failedResponses,
    connected_peers: v.connectedPeers,
    backoff_requests: v.backoffRequests,
  };
}

// ---- decoding -------------------------------------------------------------------------------

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError(path, `expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value).slice(0, 40)}` : `${typeof value} ${String(value).slice(0, 40)}`;
}

function field(obj: Record<string, unknown>, key: string, path: string): unknown {
  if (!(key in obj) || obj[key] === undefined) throw new DecodeError(`${path}.${key}`, 'missing field');
  return obj[key];
}

function str(obj: Record<string, unknown>, key: string, path: string): string {
  const v = field(obj, key, path);
  if (typeof v !== 'string') throw new DecodeError(`${path}.${key}`, `expected a string, got ${describe(v)}`);
  return v;
}

function bool(obj: Record<string, unknown>, key: string, path: string): boolean {
  const v = field(obj, key, path);
  if (typeof v !== 'boolean') throw new DecodeError(`${path}.${key}`, `expected a boolean, got ${describe(v)}`);
  return v;
}

function uint(obj: Record<string, unknown>, key: string, path: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = field(obj, key, path);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new DecodeError(`${path}.${key}`, `expected a whole number in 0..${max}, got ${describe(v)}`);
  }
  return v;
}

function num(obj: Record<string, unknown>, key: string, path: string): number {
  const v = field(obj, key, path);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new DecodeError(`${path}.${key}`, `expected a finite number, got ${describe(v)}`);
  }
  return v;
}

export function decodePeerInfo(value: unknown, path = 'peer'): PeerInfo {
  const o = record(value, path);
  const metricsPort = uint(o, 'metrics_port', path, 65535);
  if (metricsPort === 0) throw new DecodeError(`${path}.metrics_port`, 'port out of range: expected 1..65535, got 0');
  const nodeType = field(o, 'node_type', path);
  if (!isNodeType(nodeType)) {
    throw new DecodeError(`${path}.node_type`, `unknown node type ${describe(nodeType)}; expected one of ${NODE_TYPES.join(', ')}`);
  }
  const id = str(o, 'id', path);
  if (id.length === 0) throw new DecodeError(`${path}.id`, 'must not be empty');
  return {
    id,
    address: str(o, 'address', path),
    metricsPort,
    nodeType,
    isLoadBalancer: bool(o, 'is_load_balancer', path),
    lastUpdated: uint(o, 'last_updated', path, Math.floor(Number.MAX_SAFE_INTEGER / 1000)) * 1000,
  };
}

export function decodeNodeInfo(value: unknown, path = 'node'): NodeInfo {
  const peer = decodePeerInfo(value, path);
  const caps = field(record(value, path), 'capabilities', path);
  if (!Array.isArray(caps)) throw new DecodeError(`${path}.capabilities`, `expected an array of strings, got ${describe(caps)}`);
  caps.forEach((c, i) => {
    if (typeof c !== 'string') throw new DecodeError(`${path}.capabilities[${i}]`, `expected a string, got ${describe(c)}`);
  });
  return { ...peer, capabilities: caps as string[] };
}

export function decodeNodeVitals(value: unknown, path = 'vitals'): NodeVitals {
  const o = record(value, path);
  return {
    ready: bool(o, 'ready', path),
    requestsInProgress: uint(o, 'requests_in_progress', path, 0xffff_ffff),
    cpuUsage: num(o, 'cpu_usage', path),
    memoryUsage: num(o, 'memory_usage', path),
    failedResponses: uint(o, 'failed_responses', path),
    connectedPeers: uint(o, 'connected_peers', path, 0xffff_ffff),
    backoffRequests: uint(o, 'backoff_requests', path, 0xffff_ffff),
  };
}

export function decodeList<T>(value: unknown, item: (v: unknown, path: string) => T, path: string): T[] {
  if (!Array.isArray(value)) throw new DecodeError(path, `expected an array, got ${describe(value)}`);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

/** JSON.parse with a DecodeError (instead of a SyntaxError) on malformed text. */
export function parseJson(text: string, what = 'JSON'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DecodeError(what, `malformed JSON (${(e as Error).message})`);
  }
}

export const parseNodeInfo = (text: string): NodeInfo => decodeNodeInfo(parseJson(text, 'node'));
export const parsePeerInfo = (text: string): PeerInfo => decodePeerInfo(parseJson(text, 'peer'));
export const parseNodeVitals = (text: string): NodeVitals => decodeNodeVitals(parseJson(text, 'vitals'));
export const parsePeerInfoList = (text: string): PeerInfo[] => decodeList(parseJson(text, 'peers'), decodePeerInfo, 'peers');

export const stringifyNodeInfo = (n: NodeInfo): string => JSON.stringify(encodeNodeInfo(n));
export const stringifyPeerInfo = (p: PeerInfo): string => JSON.stringify(encodePeerInfo(p));
export const stringifyNodeVitals = (v: NodeVitals): string => JSON.stringify(encodeNodeVitals(v));
