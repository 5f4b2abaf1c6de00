/**
 * The suite's side of poller.ts: starts it inside the hub namespace and turns each request into a
 * promise. Everything the suite knows about the agents' views comes through here, over their own
 * HTTP endpoints (/members, /metrics).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FaultSetupError } from './netns.js';

export type Fetched = { readonly status: number; readonly body: string } | { readonly error: string };

export class HubClient {
  private proc: ChildProcessWithoutNullStreams | undefined;
  private next = 1;
  private readonly pending = new Map<number, (f: Fetched) => void>();

  async start(hubNs: string, root: string): Promise<void> {
    const proc = spawn('ip', ['netns', 'exec', hubNs, process.execPath, '--import', 'tsx', 'faults/poller.ts'], { cwd: root });
    this.proc = proc;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new FaultSetupError(`the poller in ${hubNs} did not start within 20 s: ${stderr.trim()}`)), 20_000);
      proc.once('exit', (code) => reject(new FaultSetupError(`the poller in ${hubNs} exited (${code}): ${stderr.trim()}`)));
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const m = JSON.parse(line) as { id: number; ready?: boolean; status?: number; body?: string; error?: string };
        if (m.ready) {
          clearTimeout(timer);
          resolve();
          return;
        }
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m.error !== undefined ? { error: m.error } : { status: m.status ?? 0, body: m.body ?? '' });
      });
    });
  }

  get(url: string, timeoutMs = 1500): Promise<Fetched> {
    const proc = this.proc;
    if (proc === undefined || proc.exitCode !== null) return Promise.resolve({ error: 'poller not running' });
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      proc.stdin.write(`${JSON.stringify({ id, url, timeoutMs })}\n`);
    });
  }

  close(): void {
    const proc = this.proc;
    this.proc = undefined;
    if (proc && proc.exitCode === null) {
      proc.stdin.end();
      proc.kill('SIGKILL');
    }
    for (const done of this.pending.values()) done({ error: 'poller closed' });
    this.pending.clear();
  }
}
