/**
 * The stream side of the transport: full-state push-pull exchanges are larger than a datagram, so
 * they travel as length-prefixed frames over TCP, on the same port number as the UDP socket.
 * One connection per frame (as memberlist does for push-pull): exchanges are rare (every few
 * seconds per node), so pooling would buy little and add state that can go stale.
 *
 * Frame: [length: u32 big-endian][sender's listening port: u16][packet bytes]. The port is there because
 * a connection comes from an ephemeral port, and the receiver must know where the sender answers
 * (a joiner's first message travels here). A frame longer than `maxFrameBytes`, a connection
 * that stalls, or a connection closed mid-frame is dropped and counted, never thrown.
 */
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import type { DropReason, HostPort } from './wire.js';

export interface StreamOptions {
  /** Largest frame accepted, bytes. Default 1 MiB: a full state of ~5,000 members; more is an attack or a bug. */
  readonly maxFrameBytes?: number;
  /** A connection idle this long is closed, ms. Default 5,000: push-pull is one write then close. */
  readonly idleTimeoutMs?: number;
}

export interface StreamHandlers {
  readonly onFrame: (bytes: Uint8Array, remote: HostPort) => void;
  readonly onDrop: (reason: DropReason, bytes: number) => void;
  readonly onSendError: (error: Error) => void;
}

export class StreamChannel {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly maxFrameBytes: number;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly handlers: StreamHandlers,
    options: StreamOptions = {},
  ) {
    this.maxFrameBytes = options.maxFrameBytes ?? 1 << 20;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 5000;
  }

  listen(bind: HostPort): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(bind.port, bind.host, () => {
        server.off('error', reject);
        server.on('error', (e) => this.handlers.onSendError(e));
        resolve();
      });
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.setTimeout(this.idleTimeoutMs, () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(socket: Socket): void {
    this.track(socket);
    const remote: HostPort = { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      // Bounded: each iteration consumes one whole frame from what has arrived.
      while (buffered.length >= 4) {
        const len = buffered.readUInt32BE(0);
        if (len > this.maxFrameBytes) {
          this.handlers.onDrop('oversized', buffered.length);
          socket.destroy();
          return;
        }
        if (buffered.length < 6 + len) return;
        const listenPort = buffered.readUInt16BE(4);
        const frame = buffered.subarray(6, 6 + len);
        buffered = buffered.subarray(6 + len);
        this.handlers.onFrame(frame, { host: remote.host, port: listenPort });
      }
    });
    socket.on('end', () => {
      if (buffered.length > 0) this.handlers.onDrop('truncated', buffered.length);
      socket.end();
    });
  }

  /** Sends one frame on a fresh connection; failures are reported to onSendError, never thrown. */
  send(to: HostPort, bytes: Uint8Array, fromPort: number): void {
    if (bytes.length > this.maxFrameBytes) {
      this.handlers.onSendError(new Error(`frame of ${bytes.length} bytes exceeds maxFrameBytes ${this.maxFrameBytes}`));
      return;
    }
    const socket = createConnection({ host: to.host, port: to.port });
    this.track(socket);
    socket.on('error', (e) => this.handlers.onSendError(e));
    const head = Buffer.allocUnsafe(6);
    head.writeUInt32BE(bytes.length, 0);
    head.writeUInt16BE(fromPort, 4);
    socket.write(head);
    socket.end(bytes);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
