import { describe, expect, it } from 'vitest';
import { type RunResult, compareDetection, pooled } from '../../bench/swim-vs-memberlist/run-result.js';

const run = (detectMs: number[], over: Partial<RunResult> = {}): RunResult => ({
  impl: 'alice', n: 10, probeIntervalMs: 1000, joinMs: 200, joined: true, steadySeconds: 8,
  bytesPerNodePerSec: 16, packetsPerNodePerSec: 2, tcpBytesPerNodePerSec: 0, detectMs, observers: detectMs.length, falseDeaths: 0, ...over,
});

describe('pooling side-by-side runs (bench:swim-vs-memberlist --runs)', () => {
  it('pools every detection and observer, so the median is over all draws', () => {
    const p = pooled([run([6400, 6500]), run([5100, 5200])]);
    expect(p.detectMs).toEqual([5100, 5200, 6400, 6500]);
    expect(p.observers).toBe(4);
  });

  it('counts a setting as joined only if every run joined, at the slowest join', () => {
    const p = pooled([run([1], { joinMs: 300 }), run([1], { joined: false, joinMs: 30_000 })]);
    expect(p).toMatchObject({ joined: false, joinMs: 30_000 });
  });

  it('sums false deaths, so one bad run of memberlist withholds the verdict', () => {
    const m = pooled([run([5000], { impl: 'memberlist' }), run([5000], { impl: 'memberlist', falseDeaths: 2 })]);
    expect(m.falseDeaths).toBe(2);
    expect(compareDetection(run([4000]), m)).toBeUndefined();
  });
});
