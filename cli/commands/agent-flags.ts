/**
 * Validation of `alice agent` flags, kept apart from the command so tests (and `alice cluster`) can
 * use it without starting sockets. Every problem is a UsageError naming the flag; the CLI maps it
 * to exit code 2.
 */
import { AliceError } from '../../spec/errors.js';
import { type NodeType, NODE_TYPES, isNodeType } from '../../spec/node.js';
import { isLoopback, parseHostPort } from '../../impl/swim/wire.js';

export class UsageError extends AliceError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export const AGENT_PRESETS = ['lan', 'wan', 'local'] as const;
export type AgentPreset = (typeof AGENT_PRESETS)[number];

export interface AgentFlagsRaw {
  readonly id?: string;
  readonly bind?: string;
  readonly join?: string;
  readonly type?: string;
  readonly address?: string;
  readonly metricsPort?: string;
  readonly http?: string;
  readonly keyFile?: string;
  readonly signKey?: string;
  readonly trustedKeys?: string;
  readonly clusterKey?: string;
  readonly nodeCert?: string;
  readonly allowRemote?: boolean;
  readonly preset?: string;
  readonly seed?: string;
  readonly exitAfter?: string;
}

export interface AgentFlags {
  readonly id: string;
  readonly bind: string;
  readonly join: readonly string[];
  readonly nodeType: NodeType;
  readonly address: string;
  readonly metricsPort: number;
  readonly http?: string;
  readonly keyFile?: string;
  readonly signKey?: string;
  readonly trustedKeys?: string;
  readonly clusterKey?: string;
  readonly nodeCert?: string;
  /** Bind and talk to non-loopback addresses (default loopback only). */
  readonly allowRemote: boolean;
  readonly preset: AgentPreset;
  readonly seed: number;
  /** Leave and exit after this many seconds (demos and tests); undefined runs until a signal. */
  readonly exitAfterSeconds?: number;
}

function hostPort(flag: string, value: string | undefined, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(`${flag} is required (HOST:PORT)`);
    return undefined;
  }
  const hp = parseHostPort(value);
  if (hp === undefined || hp.port === 0 && flag !== '--bind') throw new UsageError(`${flag} must be HOST:PORT with a port 1..65535, got '${value}'`);
  return value;
}

function whole(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Wildcard binds: the transport advertises the address it bound, and no peer can reach 0.0.0.0. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Non-loopback addresses need --allow-remote (a node that silently talks to the world is a worse
 * failure than a refusal), and a wildcard --bind is refused outright: the bound address is what the
 * node gossips as its own, so peers would be told to send to 0.0.0.0.
 */
function localOnly(allowRemote: boolean, addresses: readonly (readonly [string, string])[]): void {
  for (const [flag, value] of addresses) {
    const host = (parseHostPort(value) as { host: string }).host;
    if (WILDCARDS.has(host) && flag !== '--http') throw new UsageError(`${flag} ${value} is a wildcard; the bound address is what peers are told to send to, so bind one interface's address (e.g. 10.0.0.5:7946)`);
    if (!allowRemote && !isLoopback(host)) throw new UsageError(`${flag} ${value} is not a loopback address; add --allow-remote to bind and talk to other interfaces`);
  }
}

export function parseAgentFlags(raw: AgentFlagsRaw): AgentFlags {
  if (raw.id === undefined || raw.id.trim() === '') throw new UsageError('--id is required (a name unique in the cluster)');
  if (raw.id.length > 64 || !/^[A-Za-z0-9._:-]+$/.test(raw.id)) throw new UsageError(`--id must be 1..64 characters of A-Z a-z 0-9 . _ : -, got '${raw.id}'`);
  const bind = hostPort('--bind', raw.bind, true) as string;
  const join = raw.join === undefined || raw.join === '' ? [] : raw.join.split(',').map((s) => hostPort('--join', s.trim(), true) as string);
  const type = raw.type ?? 'backend';
  if (!isNodeType(type)) throw new UsageError(`--type must be one of ${NODE_TYPES.join('|')}, got '${type}'`);
  const address = hostPort('--address', raw.address, true) as string;
  if (raw.metricsPort === undefined) throw new UsageError('--metrics-port is required (the port of this node\'s /metrics endpoint)');
  const metricsPort = whole('--metrics-port', raw.metricsPort, 1, 65535);
  const http = hostPort('--http', raw.http, false);
  const preset = raw.preset ?? 'lan';
  if (!(AGENT_PRESETS as readonly string[]).includes(preset)) throw new UsageError(`--preset must be one of ${AGENT_PRESETS.join('|')}, got '${preset}'`);
  const seed = raw.seed === undefined ? 1 : whole('--seed', raw.seed, 0, 2 ** 31 - 1);
  if (raw.signKey !== undefined && raw.trustedKeys === undefined && raw.clusterKey === undefined)
    throw new UsageError('--sign-key needs a trust anchor: --trusted-keys <file> (id and public key of every member) or --cluster-key <file> (the authority that certifies node keys)');
  if ((raw.trustedKeys !== undefined || raw.clusterKey !== undefined || raw.nodeCert !== undefined) && raw.signKey === undefined)
    throw new UsageError('--trusted-keys, --cluster-key and --node-cert apply to signed records; add --sign-key <file>');
  if (raw.nodeCert !== undefined && raw.clusterKey === undefined) throw new UsageError('--node-cert is checked against a cluster authority; add --cluster-key <file>');
  if (raw.clusterKey !== undefined && raw.nodeCert === undefined && raw.trustedKeys === undefined)
    throw new UsageError('--cluster-key needs --node-cert <file> (this node\'s certificate, from `alice certify`), or the other members refuse its records');
  const allowRemote = raw.allowRemote === true;
  localOnly(allowRemote, [['--bind', bind], ...join.map((j) => ['--join', j] as [string, string]), ...(http !== undefined ? [['--http', http] as [string, string]] : [])]);
  const exitAfterSeconds = raw.exitAfter === undefined ? undefined : whole('--exit-after', raw.exitAfter, 1, 7 * 24 * 3600);
  return {
    id: raw.id,
    bind,
    join,
    nodeType: type,
    address,
    metricsPort,
    preset: preset as AgentPreset,
    seed,
    ...(http !== undefined ? { http } : {}),
    ...(raw.keyFile !== undefined ? { keyFile: raw.keyFile } : {}),
    ...(raw.signKey !== undefined ? { signKey: raw.signKey } : {}),
    ...(raw.trustedKeys !== undefined ? { trustedKeys: raw.trustedKeys } : {}),
    ...(raw.clusterKey !== undefined ? { clusterKey: raw.clusterKey } : {}),
    ...(raw.nodeCert !== undefined ? { nodeCert: raw.nodeCert } : {}),
    allowRemote,
    ...(exitAfterSeconds !== undefined ? { exitAfterSeconds } : {}),
  };
}
