/**
 * `alice conformance` end to end: exit 0 when the implementation refines its model, 1 with a shrunk
 * divergence report when it does not, 2 with a clear message on bad usage.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { toItf } from '../../checker/trace.js';
import { majorityProtocol } from '../../model/majority/index.js';
import { runConformanceCommand } from '../../cli/commands/conformance.js';

const alice = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'conformance', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('alice conformance', () => {
  it('exits 1 and prints the shrunk divergence when an implementation diverges', () => {
    const r = alice('--protocol', 'toy-wrong-seq');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('DIVERGENCE (outputs) in toy-wrong-seq');
    expect(r.stdout).toContain('shortest failing prefix: 1 input(s)');
  });

  it('prints the coverage table with --coverage', async () => {
    let out = '';
    const ok = await runConformanceCommand({ protocol: 'toy', coverage: true, profile: 'ci', seed: '1' }, (s) => {
      out += s;
    });
    expect(ok).toBe(true);
    expect(out).toContain('machine toyNode: 5/5 transitions exercised (100.0%)');
    expect(out).toContain('| source | event | guard | target | hits |');
  });

  it('exits 2 with the problem named on a bad flag value', () => {
    const r = alice('--profile', 'weekly');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown profile 'weekly': use ci (the CI budget) or long (nightly)");
  });

  it.each([
    [{ seed: 'abc' }, "--seed must be a whole number, got 'abc'"],
    [{ protocol: 'raft' }, "unknown protocol 'raft'"],
    [{ exec: './node' }, '--exec needs --protocol'],
    [{ protocol: 'majority', exec: '  ' }, '--exec needs a command'],
  ])('refuses %j, saying %s', async (flags, message) => {
    await expect(runConformanceCommand({ profile: 'ci', seed: '1', ...flags }, () => {})).rejects.toThrow(message);
  });
});

describe('alice replay --impl', () => {
  it('replays a model counterexample on the implementation and exits 0 when the violation shows again', () => {
    const trace = check(majorityProtocol, { nodes: 3, properties: ['accuracy'], stopAtFirst: true, timeLimitSec: 30 }).verdicts.find((v) => v.trace)?.trace;
    if (!trace) throw new Error('the checker found no accuracy counterexample to replay');
    const dir = mkdtempSync(join(tmpdir(), 'alice-replay-'));
    try {
      const file = join(dir, 'accuracy.json');
      writeFileSync(file, JSON.stringify(toItf(trace)));
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'replay', file, '--impl'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout).toContain('SAME VIOLATION');
      expect(r.stdout).toContain('accuracy violated at the last step');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
