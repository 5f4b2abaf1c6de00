/**
 * `alice check <protocol> --suite` in its ci profile, as CI runs it: every documented configuration
 * of each protocol, and no property may fail inside its assumptions (expected violations outside
 * them and inconclusive bounded liveness do not fail). The mutants that prove these configurations
 * can fail are run by `npm run mutation -- spec` (docs/checker-verdicts.md).
 */
import { describe, expect, it } from 'vitest';
import { SUITES, runSuite } from '../../cli/check-suites.js';

describe('the documented checker suites, ci profile', () => {
  for (const protocol of Object.keys(SUITES)) {
    it(`finds no property of ${protocol} failing inside its assumptions`, () => {
      const result = runSuite(protocol, 'ci');
      const failures = result.runs.flatMap((r) => r.failures.map((p) => `${r.label}: ${p}`));
      expect(failures).toEqual([]);
      expect(result.failed).toBe(false);
      expect(result.runs.length).toBe(SUITES[protocol]?.ci.length);
    }, 300_000);
  }
});
