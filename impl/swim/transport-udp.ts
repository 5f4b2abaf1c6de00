/**
 * The network transport of a SWIM node: UDP datagrams for probes and gossip, TCP frames (./transport-tcp.ts)
 * for messages the codec marks as stream-bound (push-pull state) or that cannot fit a datagram.
 *
 * Node ids are routed through an address book: an id maps to the "host:port" it was last heard from
 * (packets name their sender, and the source port is the sender's bound port because every node
 * sends from its listening socket). An id that is itself "host:port" and not in the book — a seed
 * given by address — is sent to directly.
 *
 * Every received packet goes: size check → authentication (keyring, when set) → decode → deliver.
 * Any refusal is counted in the metrics by reason and the packet is dropped; nothing in the receive
 * path throws out of the socket handler, and a dropped packet never reaches the core.
 */
import { type Socket as UdpSocket, createSocket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { NodeId } from '../../spec/node.js';
import { AliceError } from '../../spec/errors.js';
import type { Transport } from '../runtime/types.js';
import type { Keyring } from './keyring.js';
import { AUTH_OVERHEAD } from './keyring.js';
import type { Metrics } from './metrics.js';
import { StreamChannel, type StreamOptions } from './transport-tcp.js';
import { type DropReason, type HostPort, type WireCodec, formatHostPort, isLoopback, parseHostPort } from './wire.js';

export class TransportError extends AliceError {
  constructor(message: string) {
    super('TRANSPORT', message);
  }
}

export interface NetTransportConfig<M> {
  /** This node's id: the sender written into every packet. */
  readonly id: NodeId;
  /** "host:port" for both the UDP socket and the TCP listener. Port 0 picks a free port (see boundAddress). */
  readonly bind: string;
  readonly codec: WireCodec<M>;
  /** Largest datagram sent or accepted, bytes. Default 1,400: fits a 1,500-byte Ethernet MTU with IP/UDP headers. */
  readonly maxDatagramBytes?: number;
  /** When set, every packet is sealed with the primary key and must carry a valid tag on receipt. Default: none. */
  readonly keyring?: Keyring;
  readonly metrics?: Metrics;
  readonly stream?: StreamOptions;
  /**
   * Permit binding to or sending to non-loopback addresses. Default false: this build is exercised on
   * loopback only, and a node that silently talks to the world is a worse failure than one that
   * refuses with a clear message. A deployment sets it to true.
   */
  readonly allowRemote?: boolean;
  /** Loss injection for experiments: return true to drop an outgoing datagram (counted as sent). Default: none. */
  readonly dropOutgoing?: () => boolean;
  /** Called for every dropped incoming packet (tests, tracing). */
  readonly onDrop?: (reason: DropReason, detail?: string) => void;
  /** Called for every received packet that decoded (e.g. to feed a signature check or metrics by kind). */
  readonly onMessage?: (from: NodeId, message: M) => boolean;
  /** Called for every message sent (metrics by kind). */
  readonly onSend?: (to: NodeId, message: M) => void;
}

/** Where an id is reached, with its "host:port" text made once (records carry it on every alive update). */
interface Route extends HostPort {
  text: string | undefined;
}

function route(host: string, port: number): Route {
  return { host, port, text: undefined };
}

/**
 * The name lookup of the UDP socket: an IP literal (every address this transport routes to, in
 * practice) is answered at once. node:dgram's default resolves even a literal through dns.lookup and
 * a deferred callback, on every datagram sent.
 */
function literalLookup(host: string, options: LookupOneOptions, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  const family = isIP(host);
  if (family !== 0) callback(null, host, family);
  else dnsLookup(host, options, callback);
}

export class NetTransport<M> implements Transport<M> {
  private socket: UdpSocket | undefined;
  private stream: StreamChannel | undefined;
  private readonly book = new Map<NodeId, Route>();
  private readonly maxDatagram: number;
  private bound: HostPort | undefined;
  private closed = false;

  constructor(private readonly cfg: NetTransportConfig<M>) {
    this.maxDatagram = cfg.maxDatagramBytes ?? 1400;
    const bind = parseHostPort(cfg.bind);
    if (bind === undefined) throw new TransportError(`bind address '${cfg.bind}' is not HOST:PORT`);
    this.checkHost(bind.host, 'bind');
  }

  private checkHost(host: string, what: string): void {
    if (!this.cfg.allowRemote && !isLoopback(host))
      throw new TransportError(`${what} address ${host} is not loopback; pass allowRemote: true to use other interfaces`);
  }

  get isStarted(): boolean {
    return this.bound !== undefined && !this.closed;
  }

  /** The address actually bound (after start), e.g. to learn the port chosen for port 0. */
  get boundAddress(): string {
    if (this.bound === undefined) throw new TransportError('transport not started');
    return formatHostPort(this.bound);
  }

  /** Tells the transport where an id lives (seeds, or a static configuration). */
  learn(id: NodeId, address: string): void {
    const hp = parseHostPort(address);
    if (hp === undefined) throw new TransportError(`address '${address}' for ${id} is not HOST:PORT`);
    this.checkHost(hp.host, `address of ${id}`);
    this.book.set(id, route(hp.host, hp.port));
  }

  /** A second-hand address (gossiped with a record): used only until the member is heard directly. */
  learnHint(id: NodeId, address: string): void {
    if (this.book.has(id) || id === this.cfg.id) return;
    const hp = parseHostPort(address);
    if (hp === undefined || (!this.cfg.allowRemote && !isLoopback(hp.host))) return;
    this.book.set(id, route(hp.host, hp.port));
  }

  addressOf(id: NodeId): string | undefined {
    const r = this.book.get(id);
    if (r === undefined) return undefined;
    return (r.text ??= formatHostPort(r));
  }

  async start(deliver: (from: NodeId, message: M) => void): Promise<void> {
    const bind = parseHostPort(this.cfg.bind) as HostPort;
    // Port 0: the port the OS gives the UDP socket may be taken for TCP; try a few times, then say so.
    const attempts = bind.port === 0 ? 10 : 1;
    for (let i = 1; ; i++) {
      try {
        await this.open(bind, deliver);
        return;
      } catch (e) {
        if (i >= attempts) throw e instanceof TransportError ? e : new TransportError(`cannot bind ${this.cfg.bind}: ${(e as Error).message}`);
      }
    }
  }

  private async open(bind: HostPort, deliver: (from: NodeId, message: M) => void): Promise<void> {
    const socket = createSocket({ type: bind.host.includes(':') ? 'udp6' : 'udp4', lookup: literalLookup });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(bind.port, bind.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const bound: HostPort = { host: bind.host, port: socket.address().port };
    const stream = new StreamChannel(
      {
        onFrame: (bytes, remote) => this.receive(bytes, remote.host, remote.port, deliver, false),
        onDrop: (reason) => this.drop(reason),
        onSendError: () => this.cfg.metrics?.inc('send_errors_total'),
      },
      this.cfg.stream,
    );
    try {
      await stream.listen(bound);
    } catch (e) {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      throw new TransportError(`cannot listen for TCP on ${formatHostPort(bound)}: ${(e as Error).message}`);
    }
    socket.on('error', () => this.cfg.metrics?.inc('send_errors_total'));
    socket.on('message', (bytes, rinfo) => this.receive(bytes, rinfo.address, rinfo.port, deliver, true));
    this.socket = socket;
    this.stream = stream;
    this.bound = bound;
  }

  private drop(reason: DropReason, detail?: string): void {
    this.cfg.metrics?.inc('packets_dropped_total', 1, { reason });
    this.cfg.onDrop?.(reason, detail);
  }

  /**
   * The receive path of one packet, public so a fuzzer can drive it without sockets: checks, counts,
   * and delivers only what decodes and authenticates. Never throws.
   */
  ingest(bytes: Uint8Array, remote: HostPort, deliver: (from: NodeId, message: M) => void, datagram = true): void {
    this.receive(bytes, remote.host, remote.port, deliver, datagram);
  }

  private receive(bytes: Uint8Array, host: string, port: number, deliver: (from: NodeId, message: M) => void, datagram: boolean): void {
    if (this.closed) return;
    const m = this.cfg.metrics;
    m?.inc('packets_in_total');
    m?.inc('bytes_in_total', bytes.length);
    try {
      if (bytes.length === 0) return this.drop('empty');
      if (datagram && bytes.length > this.maxDatagram + (this.cfg.keyring ? AUTH_OVERHEAD : 0)) return this.drop('oversized');
      let payload = bytes;
      if (this.cfg.keyring) {
        const opened = this.cfg.keyring.open(bytes);
        if (!opened.ok) return this.drop(opened.reason);
        payload = opened.payload;
      }
      const d = this.cfg.codec.decode(payload);
      if (!d.ok) return this.drop(d.reason, d.detail);
      // Datagrams come from the sender's listening socket; stream frames name its listening port.
      const known = this.book.get(d.from);
      if (known === undefined || known.port !== port || known.host !== host) this.book.set(d.from, route(host, port));
      if (this.cfg.onMessage && !this.cfg.onMessage(d.from, d.message)) return;
      deliver(d.from, d.message);
    } catch (e) {
      // A codec or handler bug must not take the socket down: count it as malformed input.
      this.drop('malformed', (e as Error).message);
    }
  }

  send(to: NodeId, message: M): void {
    if (this.closed || this.socket === undefined) return;
    const m = this.cfg.metrics;
    let target: HostPort | undefined = this.book.get(to);
    if (target === undefined) {
      const hp = parseHostPort(to);
      if (hp !== undefined && (this.cfg.allowRemote || isLoopback(hp.host))) target = hp;
    }
    if (target === undefined) {
      m?.inc('send_errors_total');
      return;
    }
    this.cfg.onSend?.(to, message);
    let bytes: Uint8Array;
    try {
      bytes = this.cfg.codec.encode(this.cfg.id, message, this.maxDatagram);
      if (this.cfg.keyring) bytes = this.cfg.keyring.seal(bytes);
    } catch {
      m?.inc('send_errors_total');
      return;
    }
    m?.inc('packets_out_total');
    m?.inc('bytes_out_total', bytes.length);
    const overhead = this.cfg.keyring ? AUTH_OVERHEAD : 0;
    if (this.cfg.codec.prefersStream?.(message) || bytes.length > this.maxDatagram + overhead) {
      this.stream?.send(target, bytes, this.bound?.port ?? 0);
      return;
    }
    // Injected loss applies to datagrams only: a stream either arrives whole or fails visibly.
    if (this.cfg.dropOutgoing?.()) return;
    this.socket.send(bytes, target.port, target.host, (err) => {
      if (err) m?.inc('send_errors_total');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    await this.stream?.close();
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
