/**
 * The SWIM implementation refines its model: every suite of the CI profile passes, and together they
 * exercise every transition of the SWIM machine. Push-pull requests and reaping come from the `full`
 * configuration variant (conformance/registry.ts); the model's checking configuration switches them off.
 */
import { describe, expect, it } from 'vitest';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES } from '../../conformance/profiles.js';
import { SWIM_FULL_CONFIG, pair } from '../../conformance/registry.js';
import { formatRun, runSuites } from '../../conformance/suites.js';

describe('swim: the implementation refines the model', () => {
  it('passes every suite of the CI profile and exercises every transition of the machine', async () => {
    const p = pair('swim');
    const run = await runSuites(p, inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
    expect(run.passed, formatRun(run)).toBe(true);
    for (const s of run.suites) expect(s.checks, s.suite).toBeGreaterThan(0);
    const uncovered = run.coverage
      .rows()
      .filter((r) => r.hits === 0)
      .map((r) => `${r.source} ${r.event} ${r.guard}`);
    expect(uncovered, formatRun(run)).toEqual([]);
    expect(run.coverage.summary().map((c) => [c.machine, c.covered === c.total])).toEqual([['swimNode', true]]);
  });

  it('also runs under a full configuration variant: push-pull, reaping, gossip and dogpile on, rate limits off as in the model', () => {
    const variant = pair('swim').variants?.find((v) => v.name === 'full');
    const [setup] = variant?.model.cluster(3) ?? [];
    expect(setup?.config).toEqual(SWIM_FULL_CONFIG);
    expect(SWIM_FULL_CONFIG).toMatchObject({ dogpile: true, metadataMinIntervalMs: 0 });
    for (const knob of ['pushPullIntervalMs', 'reapAfterMs', 'gossipIntervalMs'] as const) expect(SWIM_FULL_CONFIG[knob], knob).toBeGreaterThan(0);
  });
});
