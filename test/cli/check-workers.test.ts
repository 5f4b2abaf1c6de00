/**
 * `alice check --workers N`: the same search on worker threads, reached from the command line.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/alice.js', import.meta.url).pathname;

function alice(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('alice check --workers', () => {
  it('explores every state of 2 counters mod 10 on 2 workers and says how many workers ran', () => {
    const r = alice('check', 'counters', '--nodes', '2', '--faults', 'none', '--workers', '2', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { stats: { distinct: number; workers?: number; stoppedBy: string } };
    expect(summary.stats.distinct).toBe(100);
    expect(summary.stats.workers).toBe(2);
    expect(summary.stats.stoppedBy).toBe('exhausted');
  });

  it('exits 2 naming the conflict when workers are asked for a depth-first search', () => {
    const r = alice('check', 'counters', '--nodes', '2', '--faults', 'none', '--workers', '2', '--strategy', 'dfs');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/breadth-first/);
  });
});
