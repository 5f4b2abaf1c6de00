/**
 * The SWIM implementation refines its model: every suite of the CI profile passes, and together they
 * exercise every transition of the SWIM machine but the ones listed as known gaps below.
 */
import { describe, expect, it } from 'vitest';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES } from '../../conformance/profiles.js';
import { pair } from '../../conformance/registry.js';
import { formatRun, runSuites } from '../../conformance/suites.js';

describe('swim: the implementation refines the model', () => {
  it('passes every suite of the CI profile and exercises every transition of the machine', async () => {
    const p = pair('swim');
    const run = await runSuites(p, inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
    expect(run.passed, formatRun(run)).toBe(true);
    for (const s of run.suites) expect(s.checks, s.suite).toBeGreaterThan(0);
    // Known gaps, to close (issue 5): the model's checking config switches reaping off
    // (reapAfterMs 0), and no suite yet delivers a push-pull `sync` request to a node. Any other
    // unexercised transition, or a gap that gets covered, fails this test so the list stays true.
    const uncovered = run.coverage
      .rows()
      .filter((r) => r.hits === 0)
      .map((r) => `${r.source} ${r.event} ${r.guard}`)
      .sort();
    expect(uncovered, formatRun(run)).toEqual(['running receive isSync', 'running timer isReapTimer']);
  });
});
