/**
 * `alice conformance` end to end: exit 0 when the implementation refines its model, 1 with a shrunk
 * divergence report when it does not, 2 with a clear message on bad usage.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const alice = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'conformance', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('alice conformance', () => {
  it('exits 1 and prints the shrunk divergence when an implementation diverges', () => {
    const r = alice('--protocol', 'toy-wrong-seq');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('DIVERGENCE (outputs) in toy-wrong-seq');
    expect(r.stdout).toContain('shortest failing prefix: 1 input(s)');
  });

  it('prints the coverage table with --coverage', () => {
    const r = alice('--protocol', 'toy', '--coverage');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('machine toyNode: 5/5 transitions exercised (100.0%)');
    expect(r.stdout).toContain('| source | event | guard | target | hits |');
  });

  it.each([
    [['--profile', 'weekly'], "unknown profile 'weekly'"],
    [['--seed', 'abc'], "--seed must be a whole number, got 'abc'"],
    [['--protocol', 'raft'], "unknown protocol 'raft'"],
    [['--exec', './node'], '--exec needs --protocol'],
  ])('exits 2 on %j, saying %s', (args, message) => {
    const r = alice(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
