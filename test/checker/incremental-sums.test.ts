/**
 * A successor's fingerprint sums worked out from its parent's (Zobrist.sumsFrom: only the words,
 * timer sections and in-flight entries that differ) equal the sums computed from scratch, for every
 * kind of step: deliveries, timers, crashes, restarts, updates, losses, duplicates, partitions, skew,
 * the clock, under async and bounded timing and on ordered channels.
 */
import { describe, expect, it } from 'vitest';
import { System, checkOptions, majorityProtocol, type CheckOptions } from 'alice';

function mismatches(options: Partial<CheckOptions>, levels: number): { compared: number; wrong: number } {
  const sys = new System(majorityProtocol, checkOptions({ nodes: 3, ...options }));
  const parent = new Int32Array(2);
  const fresh = new Int32Array(2);
  const derived = new Int32Array(2);
  let compared = 0;
  let wrong = 0;
  let level = [sys.initial];
  const seen = new Set<string>();
  for (let d = 0; d < levels; d++) {
    const next = [];
    for (const s of level) {
      sys.sums(s, parent);
      for (const a of sys.actions(s)) {
        for (const r of sys.apply(s, a)) {
          sys.sums(r.state, fresh);
          sys.sumsFrom(s, parent[0], parent[1], r.state, derived);
          compared++;
          if (fresh[0] !== derived[0] || fresh[1] !== derived[1]) wrong++;
          const key = r.state.join(',');
          if (!seen.has(key) && next.length < 3000) {
            seen.add(key);
            next.push(r.state);
          }
        }
      }
    }
    level = next;
  }
  return { compared, wrong };
}

describe('fingerprint sums from the parent', () => {
  it('match the sums from scratch under async timing with crashes, restarts, updates, losses and duplicates', () => {
    const r = mismatches({ faults: ['crash', 'restart', 'update', 'loss', 'dup'], faultBudget: 3, maxLosses: 2 }, 5);
    expect(r.compared).toBeGreaterThan(1000);
    expect(r.wrong).toBe(0);
  });

  it('match under bounded timing with partitions, heals, skew and leaves', () => {
    const r = mismatches({ timing: 'bounded', faults: ['partition', 'skew', 'leave', 'update'], faultBudget: 3 }, 7);
    expect(r.compared).toBeGreaterThan(1000);
    expect(r.wrong).toBe(0);
  });

  it('match on ordered channels, where an entry counts by its place in its channel', () => {
    const r = mismatches({ ordered: true, faults: ['crash', 'update', 'dup'], faultBudget: 2 }, 5);
    expect(r.compared).toBeGreaterThan(1000);
    expect(r.wrong).toBe(0);
  });
});
