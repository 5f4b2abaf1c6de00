/**
 * The hybrid core refines its model, under the baseline and the pair's variants (one load balancer
 * with two backends, the library loop with a governator, the shared lists): every suite of the CI
 * profile passes, and together they exercise every transition of the hybrid machine.
 */
import { describe, expect, it } from 'vitest';
import { coverageTable } from '../../conformance/coverage.js';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES } from '../../conformance/profiles.js';
import { pair } from '../../conformance/registry.js';
import { formatRun, runSuites } from '../../conformance/suites.js';

describe('hybrid: the implementation refines the model', () => {
  it('passes every suite of the CI profile and exercises every transition of the machine', async () => {
    const p = pair('hybrid');
    const run = await runSuites(p, inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
    expect(run.passed, formatRun(run)).toBe(true);
    for (const s of run.suites) expect(s.checks, s.suite).toBeGreaterThan(0);
    const [summary] = run.coverage.summary();
    expect(summary.machine).toBe('hybridNode');
    expect(summary.covered, coverageTable(run.coverage)).toBe(summary.total);
  }, 120_000);
});
