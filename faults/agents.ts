/**
 * Real agent processes, one per namespace: `alice agent` started through `ip netns exec`, which execs
 * the command, so the child's pid is the agent's own and SIGKILL / SIGSTOP / SIGCONT reach it
 * directly. Every membership event the agent prints (JSON lines on stdout) goes to one shared log with
 * the agent's own timestamp: detection and false failures are read from what the agents said, when
 * they said it, not from when a poll happened to look.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AliceError } from '../spec/errors.js';

export const SWIM_PORT = 7946;
export const HTTP_PORT = 8500;

export class AgentStartError extends AliceError {
  constructor(message: string) {
    super('FAULTS_AGENT', message);
  }
}

export interface AgentSpec {
  readonly id: string;
  readonly ns: string;
  readonly address: string;
  readonly seeds: readonly string[];
  readonly seed: number;
  readonly preset: 'lan' | 'wan' | 'local';
}

/** The argv that starts one agent inside its namespace, bound to the namespace's address. */
export function agentCommand(spec: AgentSpec, node: string = process.execPath): string[] {
  return [
    'ip', 'netns', 'exec', spec.ns,
    node, '--import', 'tsx', 'cli/main.ts', 'agent',
    '--id', spec.id,
    '--bind', `${spec.address}:${SWIM_PORT}`,
    ...(spec.seeds.length > 0 ? ['--join', spec.seeds.join(',')] : []),
    '--address', `${spec.address}:3000`,
    '--metrics-port', '9090',
    '--http', `${spec.address}:${HTTP_PORT}`,
    '--allow-remote',
    '--preset', spec.preset,
    '--seed', String(spec.seed),
  ];
}

export type EventName = 'joined' | 'updated' | 'suspected' | 'alive' | 'failed' | 'left' | 'removed';

export interface LoggedEvent {
  /** The agent's timestamp, ms since the epoch. */
  readonly at: number;
  readonly observer: string;
  readonly event: EventName;
  readonly member: string;
}

export class EventLog {
  readonly events: LoggedEvent[] = [];
  private waiters: (() => void)[] = [];

  push(e: LoggedEvent): void {
    this.events.push(e);
    for (const w of this.waiters.splice(0)) w();
  }

  between(from: number, to: number = Infinity): LoggedEvent[] {
    return this.events.filter((e) => e.at >= from && e.at <= to);
  }

  /** Resolves on the next event or after `ms`, whichever comes first. */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export type AgentState = 'running' | 'stopped' | 'killed' | 'exited';

export class AgentProcess {
  state: AgentState = 'running';
  private stderr = '';

  private constructor(
    readonly spec: AgentSpec,
    readonly proc: ChildProcessWithoutNullStreams,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  get address(): string {
    return this.spec.address;
  }

  get httpBase(): string {
    return `http://${this.spec.address}:${HTTP_PORT}`;
  }

  /** Starts the agent and waits for its `started` line. */
  // 180 s: an agent loads the whole CLI through tsx (about 1.3 s of CPU); on two shared cores at load
  // 30 one took over 60 s to print its first line.
  static start(spec: AgentSpec, log: EventLog, root: string, timeoutMs = 180_000): Promise<AgentProcess> {
    const argv = agentCommand(spec);
    const proc = spawn(argv[0] as string, argv.slice(1), { cwd: root });
    const agent = new AgentProcess(spec, proc);
    proc.stderr.on('data', (d: Buffer) => (agent.stderr = (agent.stderr + d.toString()).slice(-4000)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new AgentStartError(`agent ${spec.id} printed no 'started' line within ${timeoutMs} ms; stderr: ${agent.stderr.trim() || '(empty)'}`)), timeoutMs);
      proc.once('exit', (code, signal) => {
        if (agent.state === 'running' || agent.state === 'stopped') agent.state = 'exited';
        clearTimeout(timer);
        reject(new AgentStartError(`agent ${spec.id} exited (${code ?? signal}) before it started; stderr: ${agent.stderr.trim() || '(empty)'}`));
      });
      createInterface({ input: proc.stdout }).on('line', (line) => {
        let m: { ts?: string; event?: string; member?: string };
        try {
          m = JSON.parse(line) as typeof m;
        } catch {
          return; // not an event line; the agent prints only JSON, so this is noise from a tool
        }
        if (m.event === 'started') {
          clearTimeout(timer);
          resolve(agent);
        } else if (m.member !== undefined && m.ts !== undefined) log.push({ at: Date.parse(m.ts), observer: spec.id, event: m.event as EventName, member: m.member });
      });
    });
  }

  get crashedUnexpectedly(): boolean {
    return this.state === 'exited';
  }

  get lastStderr(): string {
    return this.stderr;
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(sig);
  }

  kill9(): void {
    this.state = 'killed';
    this.signal('SIGKILL');
  }

  pause(): void {
    this.state = 'stopped';
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
    this.state = 'running';
  }

  /** Resolves once the process has exited (after kill9). */
  exited(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.proc.once('exit', () => resolve()));
  }
}
