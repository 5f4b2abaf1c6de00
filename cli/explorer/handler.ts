/**
 * The explorer's HTTP surface as a pure function from a request (method, path, Host) to a response,
 * so it is tested without a socket; server.ts puts it behind node:http.
 *
 *   GET /                               the page
 *   GET /explorer.js                    its script
 *   GET /api/trace                      the trace: protocol, failed property, setting, steps
 *   GET /api/state/<id>                 one state: nodes, messages in flight, timers, properties
 *   GET /api/state/<id>/successors      the steps enabled there, each naming the state it leads to
 */
import { PAGE_HTML, PAGE_SCRIPT } from './page.js';
import { ExplorerFullError, type ExplorerSession } from './session.js';

export interface ExplorerRequest {
  readonly method: string;
  /** The request target: a path, with or without a query. */
  readonly url: string;
  /** The Host header, checked so that a page on another site cannot read the explorer (DNS rebinding). */
  readonly host?: string;
}

export interface ExplorerResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface HandlerOptions {
  /** Host header values accepted (e.g. 127.0.0.1:8123, localhost:8123); absent: any. */
  readonly allowedHosts?: readonly string[];
}

const json = (status: number, value: unknown): ExplorerResponse => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });
const problem = (status: number, error: string): ExplorerResponse => json(status, { error });

export function explorerHandler(session: ExplorerSession, options: HandlerOptions = {}): (req: ExplorerRequest) => ExplorerResponse {
  return (req) => {
    if (options.allowedHosts && !options.allowedHosts.includes(req.host ?? '')) return problem(403, `host '${req.host ?? ''}' is not this explorer's (${options.allowedHosts.join(', ')})`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(405, `${req.method} is not allowed: the explorer only answers GET`);
    const path = req.url.split('?')[0];
    if (path === '/' || path === '/index.html') return { status: 200, contentType: 'text/html; charset=utf-8', body: PAGE_HTML };
    if (path === '/explorer.js') return { status: 200, contentType: 'text/javascript; charset=utf-8', body: PAGE_SCRIPT };
    if (path === '/api/trace') return json(200, session.summary());
    const m = /^\/api\/state\/([^/]+)(\/successors)?$/.exec(path);
    if (m) {
      if (!/^\d+$/.test(m[1])) return problem(400, `a state is named by a whole number, got '${decodeURIComponent(m[1])}'`);
      const id = Number(m[1]);
      if (!session.has(id)) return problem(404, `no state ${id}: states are numbered from 0 as the trace and the successors you open make them`);
      try {
        return json(200, m[2] ? session.successors(id) : session.state(id));
      } catch (e) {
        if (e instanceof ExplorerFullError) return problem(507, e.message);
        // A model that fails outside a step (a View that throws, say) is the model's defect: say which.
        return problem(500, `state ${id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return problem(404, `no such page: ${path}`);
  };
}
