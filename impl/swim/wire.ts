/**
 * What the network edge needs from a message codec, independent of the protocol: encode a message
 * from a sender into one packet, decode a packet back or say why it was refused. The transports
 * (UDP datagrams, TCP frames) are written against this, so they are testable before and apart from
 * the SWIM message set.
 */
import type { NodeId } from '../../spec/node.js';

/** Why a received packet was dropped. Counted by reason; never thrown out of a socket handler. */
export type DropReason =
  | 'empty'
  | 'oversized'
  | 'truncated'
  | 'unknown-version'
  | 'unknown-kind'
  | 'malformed'
  | 'trailing-bytes'
  | 'auth-missing'
  | 'auth-unknown-key'
  | 'auth-bad-tag'
  | 'auth-replay'
  | 'sig-missing'
  | 'sig-bad'
  | 'sig-key-mismatch'
  | 'sig-uncertified'
  | 'injected-loss';

export type Decoded<M> = { readonly ok: true; readonly from: NodeId; readonly message: M } | { readonly ok: false; readonly reason: DropReason; readonly detail?: string };

export interface WireCodec<M> {
  /** Bytes of one packet carrying `message` from `from`, at most `limit` bytes when it can be made to fit. */
  encode(from: NodeId, message: M, limit: number): Uint8Array;
  decode(bytes: Uint8Array): Decoded<M>;
  /** True for messages that travel over a stream (full-state push-pull), whatever their size. */
  prefersStream?(message: M): boolean;
}

/** Loopback addresses only unless the caller opts in (see the transports' `allowRemote`). */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses "host:port" or "[v6]:port"; returns undefined on anything else. */
export function parseHostPort(text: string): HostPort | undefined {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:\s]+):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { host: m[1], port };
}

export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}
