/** Conformance profiles: sizes differ between profiles, what every profile shares is set once. */
import { describe, expect, it } from 'vitest';
import { ConformanceError } from '../../conformance/errors.js';
import { PROFILES, scaledProfile, sizedProfile } from '../../conformance/profiles.js';

const size = {
  bfs: { nodes: 2, maxStates: 1_000, maxDepth: 9, timers: 2, commands: 1, crashes: 1, duplicates: 1 },
  walks: { walks: 20, length: 50 },
  fuzz: { runs: 80, maxLength: 30 },
  sims: { runs: 4, nodes: 3, durationMs: 40_000, maxLatencyMs: 20, faultEveryMs: 3_000 },
  shrinkChecks: 100,
};

describe('conformance profiles', () => {
  it('run random walks and fast-check on one node more than the breadth-first paths', () => {
    const p = sizedProfile('ci', size);
    expect([p.bfs.nodes, p.walks.nodes, p.fuzz.nodes]).toEqual([2, 3, 3]);
  });

  it('share the fault mix: one forged sender per path, a tenth of moves faults, 5 % loss, 2 % duplicates', () => {
    for (const p of [sizedProfile('ci', size), PROFILES.ci, PROFILES.long]) {
      expect([p.bfs.budget.spoofs, p.walks.faultRate, p.sims.lossRate, p.sims.duplicateRate]).toEqual([1, 0.1, 0.05, 0.02]);
    }
  });

  it('scale counts down and keep the kinds of paths: depths, lengths, nodes and budgets', () => {
    const p = scaledProfile(sizedProfile('ci', size), 0.1);
    expect([p.bfs.maxStates, p.walks.walks, p.fuzz.runs, p.sims.runs, p.sims.durationMs]).toEqual([100, 2, 8, 1, 4_000]);
    expect([p.bfs.maxDepth, p.walks.length, p.fuzz.maxLength, p.walks.nodes, p.bfs.budget.timers, p.shrinkChecks]).toEqual([9, 50, 30, 3, 2, 100]);
  });

  it('refuse a scale outside (0, 1], naming it', () => {
    expect(() => scaledProfile(PROFILES.ci, 0)).toThrow(ConformanceError);
    expect(() => scaledProfile(PROFILES.ci, 2)).toThrow(/got 2/);
  });
});
