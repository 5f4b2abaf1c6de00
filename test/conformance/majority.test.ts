/**
 * The majority implementation refines its model: every suite of the CI profile passes, and together
 * they exercise every transition of the majority machine.
 */
import { describe, expect, it } from 'vitest';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES } from '../../conformance/profiles.js';
import { pair } from '../../conformance/registry.js';
import { formatRun, runSuites } from '../../conformance/suites.js';

describe('majority: the implementation refines the model', () => {
  it('passes every suite of the CI profile and exercises every transition of the machine', async () => {
    const p = pair('majority');
    const run = await runSuites(p, inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
    expect(run.passed, formatRun(run)).toBe(true);
    expect(run.suites.map((s) => s.suite)).toEqual(['model→impl: bfs paths', 'model→impl: random walks', 'impl→model: fast-check', 'impl→model: simulator runs']);
    for (const s of run.suites) expect(s.checks, s.suite).toBeGreaterThan(0);
    expect(run.coverage.summary()).toEqual([{ machine: 'majorityNode', covered: 25, total: 25 }]);
  });
});
