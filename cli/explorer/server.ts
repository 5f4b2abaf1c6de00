/**
 * The edge of the explorer: handler.ts behind node:http on 127.0.0.1 only (the page shows a model's
 * states; nothing on the network needs to see it).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AliceError } from '../../spec/errors.js';
import { explorerHandler } from './handler.js';
import type { ExplorerSession } from './session.js';

export const EXPLORER_HOST = '127.0.0.1';

export interface RunningExplorer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: a free one the system picks). A port in use or not allowed is a usage error. */
export function serveExplorer(session: ExplorerSession, port: number): Promise<RunningExplorer> {
  let handle: ReturnType<typeof explorerHandler> = () => ({ status: 503, contentType: 'text/plain', body: 'starting' });
  const server = createServer((req, res) => {
    const r = handle({ method: req.method ?? 'GET', url: req.url ?? '/', host: req.headers.host });
    res.writeHead(r.status, { 'content-type': r.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : r.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new AliceError('USAGE', `port ${port} on ${EXPLORER_HOST} is in use: pass another --port, or --port 0 for a free one`));
      else if (e.code === 'EACCES') reject(new AliceError('USAGE', `port ${port} on ${EXPLORER_HOST} is not allowed for this user: pass a port above 1023, or --port 0`));
      else reject(new AliceError('USAGE', `cannot listen on ${EXPLORER_HOST}:${port}: ${e.message}`));
    });
    server.listen(port, EXPLORER_HOST, () => {
      const bound = (server.address() as AddressInfo).port;
      handle = explorerHandler(session, { allowedHosts: [`${EXPLORER_HOST}:${bound}`, `localhost:${bound}`] });
      resolve({
        url: `http://${EXPLORER_HOST}:${bound}/`,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
