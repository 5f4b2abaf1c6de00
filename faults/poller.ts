/**
 * Runs inside the hub namespace (the only place that reaches every agent's HTTP endpoint) and fetches
 * URLs for the suite, which runs in the host's namespace: one JSON request a line on stdin
 * `{"id":1,"url":"http://10.213.0.10:8500/members","timeoutMs":1500}`, one JSON reply a line on stdout
 * `{"id":1,"status":200,"body":"…"}` or `{"id":1,"error":"…"}`. A stopped agent (SIGSTOP) accepts the
 * connection and never answers: the timeout turns it into an error, not a hang.
 */
import { createInterface } from 'node:readline';

interface Request {
  readonly id: number;
  readonly url: string;
  readonly timeoutMs: number;
}

const write = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  let req: Request;
  try {
    req = JSON.parse(line) as Request;
  } catch {
    return write({ id: -1, error: `not a JSON request: ${line.slice(0, 80)}` });
  }
  fetch(req.url, { signal: AbortSignal.timeout(req.timeoutMs) })
    .then(async (res) => write({ id: req.id, status: res.status, body: await res.text() }))
    .catch((e: unknown) => write({ id: req.id, error: (e as Error).message }));
});
// The suite closing stdin (or dying) ends the poller.
process.stdin.on('end', () => process.exit(0));
write({ id: 0, ready: true });
