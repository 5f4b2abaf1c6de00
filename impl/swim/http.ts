/**
 * The discovery API over HTTP, for load balancers and operators:
 *   GET /members   every member this node knows: status, incarnation, NodeInfo (Inferno's JSON), health
 *   GET /backends  healthy backends as a JSON array of Inferno NodeInfo records (spec/json.ts), so a
 *                  client that reads Inferno's peer lists reads this unchanged
 *   GET /metrics   Prometheus text
 * Anything else is a 404 (unknown path) or 405 (other method) with a JSON error body.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { NodeInfo } from '../../spec/node.js';
import type { MemberStatus } from '../../spec/view.js';
import { encodeNodeInfo } from '../../spec/json.js';
import { TransportError } from './transport-udp.js';
import { isLoopback, parseHostPort } from './wire.js';

export interface MemberRecord {
  readonly id: string;
  readonly status: MemberStatus;
  readonly incarnation: number;
  readonly info: NodeInfo;
  /** The member's advertised health summary, when the protocol carries one. */
  readonly health?: { readonly ready: boolean; readonly loadBucket: number };
}

/** What the HTTP layer reads; a SwimNode provides it. */
export interface DiscoverySource {
  members(): readonly MemberRecord[];
  healthyBackends(): readonly NodeInfo[];
  metricsText(): string;
}

export interface DiscoveryHttpOptions {
  /** "host:port"; loopback only unless allowRemote. */
  readonly listen: string;
  readonly allowRemote?: boolean;
}

export function membersJson(members: readonly MemberRecord[]): string {
  return JSON.stringify(
    members.map((m) => ({ id: m.id, status: m.status, incarnation: m.incarnation, node: encodeNodeInfo(m.info), ...(m.health ? { health: { ready: m.health.ready, load_bucket: m.health.loadBucket } } : {}) })),
  );
}

export function backendsJson(backends: readonly NodeInfo[]): string {
  return JSON.stringify(backends.map(encodeNodeInfo));
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export class DiscoveryHttpServer {
  private server: Server | undefined;
  private port = 0;

  constructor(
    private readonly source: DiscoverySource,
    private readonly options: DiscoveryHttpOptions,
  ) {
    const hp = parseHostPort(options.listen);
    if (hp === undefined) throw new TransportError(`http address '${options.listen}' is not HOST:PORT`);
    if (!options.allowRemote && !isLoopback(hp.host)) throw new TransportError(`http address ${hp.host} is not loopback; pass allowRemote to serve other interfaces`);
  }

  get boundPort(): number {
    return this.port;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const routes: Record<string, () => [string, string]> = {
      '/members': () => ['application/json', membersJson(this.source.members())],
      '/backends': () => ['application/json', backendsJson(this.source.healthyBackends())],
      '/metrics': () => ['text/plain; version=0.0.4', this.source.metricsText()],
    };
    const route = routes[path];
    if (route === undefined) return reply(res, 404, 'application/json', JSON.stringify({ error: `no such endpoint ${path}; try /members, /backends or /metrics` }));
    if (req.method !== 'GET') return reply(res, 405, 'application/json', JSON.stringify({ error: `${req.method} not allowed on ${path}; use GET` }));
    try {
      const [type, body] = route();
      reply(res, 200, type, body);
    } catch (e) {
      reply(res, 500, 'application/json', JSON.stringify({ error: (e as Error).message }));
    }
  }

  async start(): Promise<void> {
    const hp = parseHostPort(this.options.listen)!;
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new TransportError(`cannot serve HTTP on ${this.options.listen}: ${e.message}`)));
      server.listen(hp.port, hp.host, () => resolve());
    });
    const a = server.address();
    this.port = typeof a === 'object' && a !== null ? a.port : hp.port;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
