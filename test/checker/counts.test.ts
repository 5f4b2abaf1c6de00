/**
 * The checker's state counts are exact: on the counters model (N independent counters mod M) the
 * reachable states are every combination of counter values, M^N, which a separate brute-force
 * enumerator written here confirms, for every strategy that explores exhaustively.
 */
import { describe, expect, it } from 'vitest';
import { check, countersProtocol, majorityProtocol } from 'alice';

/** Brute force, independent of the checker: closure of the start tuple under "advance one counter". */
function bruteForce(n: number, m: number): number {
  const seen = new Set<string>();
  const queue = [Array<number>(n).fill(0)];
  seen.add(queue[0].join(','));
  while (queue.length > 0) {
    const t = queue.pop()!;
    for (let k = 0; k < n; k++) {
      const next = [...t];
      next[k] = (next[k] + 1) % m;
      const key = next.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return seen.size;
}

describe('exact distinct-state counts', () => {
  for (const [n, m] of [
    [1, 7],
    [2, 3],
    [3, 4],
    [4, 5],
  ]) {
    it(`counts ${m}^${n} = ${m ** n} states for ${n} counters mod ${m}, as brute force does`, () => {
      expect(bruteForce(n, m)).toBe(m ** n);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const r = check(countersProtocol(m), { nodes: n, faults: [], strategy, maxDepth: 1000, maxStates: 0, timeLimitSec: 0 });
        expect(r.stats.distinct, strategy).toBe(m ** n);
        expect(r.stats.stoppedBy).toBe('exhausted');
      }
    });
  }

  it('reports the depth bound when it cuts exploration short, and counts only what it reached', () => {
    const r = check(countersProtocol(10), { nodes: 2, faults: [], maxDepth: 3, maxStates: 0 });
    // Depth ≤ 3 from (0,0): the pairs (a,b) with a+b ≤ 3.
    expect(r.stats.distinct).toBe(10);
    expect(r.stats.stoppedBy).toBe('depth');
  });

  it('counts crash faults exactly: each counter may stop once, freezing its value', () => {
    // With one crash allowed: budget 1 left and all running (m^n), or budget spent with counter k
    // down at any value (n · m^n, since the crash input does not change the value).
    const [n, m] = [2, 3];
    const r = check(countersProtocol(m), { nodes: n, faults: ['crash'], faultBudget: 1, maxDepth: 1000, maxStates: 0 });
    expect(r.stats.distinct).toBe(m ** n + n * m ** n);
  });

  it('stops at the state bound', () => {
    const r = check(countersProtocol(10), { nodes: 3, faults: [], maxDepth: 1000, maxStates: 100 });
    expect(r.stats.stoppedBy).toBe('states');
    expect(r.stats.distinct).toBeLessThanOrEqual(101);
  });

  it('reaches a sometimes property, and says so', () => {
    const r = check(countersProtocol(3), { nodes: 2, faults: [], maxDepth: 1000, maxStates: 0 });
    expect(r.verdicts.find((v) => v.property === 'allAtTop')?.status).toBe('reached');
    expect(r.verdicts.find((v) => v.property === 'inRange')?.status).toBe('holds');
  });
});

describe('symmetry reduction', () => {
  const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);
  for (const [n, m] of [
    [2, 3],
    [3, 4],
    [4, 3],
  ]) {
    it(`keeps one state per orbit: C(${m}+${n}-1, ${n}) multisets for ${n} counters mod ${m}, standing for all ${m ** n}`, () => {
      const r = check(countersProtocol(m), { nodes: n, faults: [], maxDepth: 1000, maxStates: 0, symmetry: true });
      expect(r.stats.distinct).toBe(choose(m + n - 1, n));
      expect(r.stats.symmetry?.represented).toBe(m ** n);
      expect(r.stats.symmetry?.factor).toBeCloseTo(m ** n / choose(m + n - 1, n));
    });
  }

  it('refuses a protocol whose nodes are not interchangeable', () => {
    expect(() => check(majorityProtocol, { symmetry: true })).toThrow(/declares no symmetry/);
  });
});

describe('a model with no properties', () => {
  it('is still explored to the end (nothing to refute does not mean done)', () => {
    const bare = { ...countersProtocol(3), properties: [] };
    const r = check(bare, { nodes: 2, faults: [], maxDepth: 100, maxStates: 0 });
    expect(r.stats.distinct).toBe(9);
    expect(r.stats.stoppedBy).toBe('exhausted');
  });
});
