/**
 * The harness side of the stdio step protocol (spec/stdio-protocol.md): a node under test that is a
 * separate process, one per node, started with a shell command. Processes are pooled: `init` starts a
 * node over, so a process serves one trace after another.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Input, NodeSetup } from '../../spec/step.js';
import type { View } from '../../spec/view.js';
import { StdioProtocolError } from '../errors.js';
import type { NodeReply, NodeSource, NodeUnderTest } from '../node-under-test.js';
import { STDIO_VERSION } from './server.js';

export interface ExecOptions {
  /** How long one request may take, ms. 10 s: a step is microseconds; only a hung or dead process takes this long. */
  readonly timeoutMs?: number;
  /** The protocol the process must say it speaks in `hello` (unchecked when absent). */
  readonly protocol?: string;
  readonly cwd?: string;
}

interface Pending {
  readonly id: number;
  readonly resolve: (v: Record<string, unknown>) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

class ExecNode<M> implements NodeUnderTest<M> {
  private readonly child: ChildProcessWithoutNullStreams;
  private nextId = 1;
  private pending: Pending | null = null;
  private stderrTail: string[] = [];
  private exited: string | null = null;
  readonly label: string;

  constructor(
    private readonly command: string,
    private readonly options: ExecOptions,
  ) {
    this.label = `exec: ${command}`;
    this.child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd });
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 8) this.stderrTail.shift();
    });
    this.child.on('error', (e) => this.onExit(`could not start: ${e.message}`));
    this.child.on('exit', (code, signal) => this.onExit(signal ? `killed by ${signal}` : `exited with status ${code}`));
    this.child.stdin.on('error', () => {});
  }

  get alive(): boolean {
    return this.exited === null;
  }

  private fail(message: string): StdioProtocolError {
    const tail = this.stderrTail.filter((l) => !l.startsWith('npm warn')).slice(-5);
    return new StdioProtocolError(this.command, tail.length > 0 ? `${message}; its stderr ends with:\n  ${tail.join('\n  ')}` : message);
  }

  private onExit(why: string): void {
    if (this.exited !== null) return;
    this.exited = why;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      // Let the last stderr lines arrive before the error quotes them.
      setTimeout(() => p.reject(this.fail(`${why} before answering request ${p.id}`)), 20);
    }
  }

  private onLine(line: string): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    let reply: unknown;
    try {
      reply = JSON.parse(line);
    } catch {
      p.reject(this.fail(`answered request ${p.id} with a line that is not JSON: ${line.slice(0, 120)}`));
      return;
    }
    if (typeof reply !== 'object' || reply === null) return p.reject(this.fail(`answered request ${p.id} with ${line.slice(0, 120)}, not an object`));
    const r = reply as Record<string, unknown>;
    if (r.id !== p.id) return p.reject(this.fail(`answered with id ${JSON.stringify(r.id)} where ${p.id} was expected`));
    if (r.ok !== true) {
      const err = (r.error ?? {}) as { code?: string; message?: string };
      return p.reject(this.fail(`refused request ${p.id}: ${err.code ?? 'ERROR'}: ${err.message ?? 'no message'}`));
    }
    p.resolve(r);
  }

  request(op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.exited !== null) return Promise.reject(this.fail(`${this.exited}`));
    if (this.pending) return Promise.reject(new Error('ExecNode: one request at a time'));
    const id = this.nextId++;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(this.fail(`no answer to request ${id} (${op}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = { id, resolve, reject, timer };
      this.child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  private static reply<M>(r: Record<string, unknown>): NodeReply<M> {
    if (!Array.isArray(r.outputs)) throw new Error("response has no 'outputs' list");
    const reply: { outputs: NodeReply<M>['outputs']; choice?: string[]; view?: View } = { outputs: r.outputs as NodeReply<M>['outputs'] };
    if (Array.isArray(r.choice)) reply.choice = r.choice as string[];
    if (typeof r.view === 'object' && r.view !== null) reply.view = r.view as View;
    return reply;
  }

  async hello(): Promise<void> {
    const r = await this.request('hello');
    if (r.stdio !== STDIO_VERSION) throw this.fail(`speaks stdio protocol version ${JSON.stringify(r.stdio)}; this harness speaks ${STDIO_VERSION}`);
    if (this.options.protocol && r.protocol !== this.options.protocol) {
      throw this.fail(`says it runs protocol ${JSON.stringify(r.protocol)}, but ${this.options.protocol} is being checked`);
    }
  }

  async init(setup: NodeSetup<unknown>): Promise<NodeReply<M>> {
    return ExecNode.reply(await this.request('init', { setup, view: true }));
  }

  async step(input: Input<M>): Promise<NodeReply<M>> {
    return ExecNode.reply(await this.request('step', { input, view: true }));
  }

  async view(): Promise<View> {
    return (await this.request('view')).view as View;
  }

  async shutdown(): Promise<void> {
    if (this.exited !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request('shutdown');
      this.child.stdin.end();
    } catch {
      this.child.kill();
    }
    await Promise.race([gone, new Promise((r) => setTimeout(r, 2_000).unref())]);
    if (this.exited === null) this.child.kill('SIGKILL');
  }
}

/** Node processes started with `command`, pooled. */
export function execSource<M>(command: string, options: ExecOptions = {}): NodeSource<M> {
  const idle: ExecNode<M>[] = [];
  const all: ExecNode<M>[] = [];
  return {
    label: `exec: ${command}`,
    async acquire() {
      while (idle.length > 0) {
        const n = idle.pop() as ExecNode<M>;
        if (n.alive) return n;
      }
      const n = new ExecNode<M>(command, options);
      all.push(n);
      await n.hello();
      return n;
    },
    release(node) {
      const n = node as ExecNode<M>;
      if (n.alive) idle.push(n);
    },
    async close() {
      await Promise.all(all.map((n) => n.shutdown()));
      idle.length = 0;
      all.length = 0;
    },
  };
}
