/**
 * `alice agent` and `alice cluster` end to end, as processes: bad flags exit 2 naming the flag; two
 * agents join and print JSON-line events; SIGTERM makes an agent leave gracefully; the cluster demo
 * notices its killed node.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
const base = ['--bind', '127.0.0.1:0', '--address', '127.0.0.1:3000', '--metrics-port', '9090', '--preset', 'local', '--exit-after', '30'];

interface Agent {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[];
  next(pred: (l: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

const procs: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

function agent(...args: string[]): Agent {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'agent', ...args]);
  procs.push(proc);
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: proc.stdout }).on('line', (l) => {
    lines.push(JSON.parse(l) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  return {
    proc,
    lines,
    next: (pred, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching line within ${ms} ms; got ${JSON.stringify(lines)}`)), ms);
        const check = () => {
          const hit = lines.find(pred);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      }),
  };
}

describe('alice agent', () => {
  it.each([
    [['--bind', '127.0.0.1:0', '--address', '127.0.0.1:1', '--metrics-port', '1'], '--id is required'],
    [['--id', 'a', '--bind', '127.0.0.1:0', '--address', '127.0.0.1:1', '--metrics-port', '1', '--type', 'router'], "--type must be one of proxy|backend|governator, got 'router'"],
    [['--id', 'a', '--bind', '127.0.0.1:0', '--address', '127.0.0.1:1', '--metrics-port', '1', '--key-file', '/nonexistent/keys'], 'cannot read key file /nonexistent/keys'],
  ])('exits 2 on %j, saying %s', (args, message) => {
    const r = cli('agent', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('two agents join, print JSON-line events, and a SIGTERM is a graceful leave', async () => {
    const a = agent('--id', 'a', ...base);
    const started = await a.next((l) => l.event === 'started');
    const b = agent('--id', 'b', '--join', String(started.bind), ...base);
    await a.next((l) => l.event === 'joined' && l.member === 'b');
    await b.next((l) => l.event === 'joined' && l.member === 'a');
    b.proc.kill('SIGTERM');
    await b.next((l) => l.event === 'stopped' && l.reason === 'SIGTERM');
    await a.next((l) => l.event === 'left' && l.member === 'b');
    expect(a.lines.some((l) => l.event === 'failed')).toBe(false);
    const code = await new Promise((r) => b.proc.on('exit', r));
    expect(code).toBe(0);
  }, 40_000);
});

describe('alice agent with signed records under a cluster authority', () => {
  it('two agents holding certificates from `alice certify` join each other', async () => {
    const dir = tempDir('alice-sign-');
    const pem = (name: string) => {
      const path = join(dir, `${name}.pem`);
      writeFileSync(path, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
      return path;
    };
    const ca = pem('ca');
    const caPub = join(dir, 'ca.pub');
    writeFileSync(caPub, createPublicKey(readFileSync(ca, 'utf8')).export({ format: 'pem', type: 'spki' }));
    const signed = (id: string) => {
      const key = pem(id);
      const r = cli('certify', '--authority', ca, '--id', id, '--key', key);
      expect(r.status).toBe(0);
      const cert = join(dir, `${id}.cert`);
      writeFileSync(cert, r.stdout);
      return ['--sign-key', key, '--cluster-key', caPub, '--node-cert', cert];
    };
    const a = agent('--id', 'a', ...base, ...signed('a'));
    const started = await a.next((l) => l.event === 'started');
    const b = agent('--id', 'b', '--join', String(started.bind), ...base, ...signed('b'));
    await a.next((l) => l.event === 'joined' && l.member === 'b');
    await b.next((l) => l.event === 'joined' && l.member === 'a');
  }, 60_000);
});

describe('alice cluster', () => {
  it('starts three nodes, kills one, and the others mark it failed', () => {
    const r = cli('cluster', '--nodes', '3');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('converged: every node sees all 3 alive');
    expect(r.stdout).toContain('every other node marks n3 failed');
  });

  it('exits 2 on a bad --nodes', () => {
    const r = cli('cluster', '--nodes', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--nodes must be between 2 and 50, got 1');
  });
});
