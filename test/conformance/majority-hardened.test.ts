/**
 * The hardened majority core refines the hardened model: the majority pair's `hardened` variant
 * (conformance/registry.ts) shares the pair's walks and simulator runs; here every suite of the CI
 * profile runs under the hardened configuration alone, breadth-first paths included, and a core
 * that forgets the rule on registration is caught.
 */
import { describe, expect, it } from 'vitest';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES } from '../../conformance/profiles.js';
import { type ConformancePair, pair } from '../../conformance/registry.js';
import { formatRun, runSuites } from '../../conformance/suites.js';
import { type MajorityState, majorityHardenedImplProtocol, majorityNode } from '../../impl/majority/index.js';
import { majorityHardenedProtocol } from '../../model/majority/index.js';
import type { MajorityMessage } from '../../spec/majority.js';
import type { NodeBehaviour } from '../../spec/step.js';

type Any = ConformancePair['model'];
const hardenedPair = (impl: Any): ConformancePair => ({ name: 'majority-hardened', model: majorityHardenedProtocol as unknown as Any, impl });

describe('majority-hardened: the implementation refines the model', () => {
  it('is a variant of the majority pair, so `alice conformance` checks it', () => {
    expect(pair('majority').variants?.map((v) => v.name)).toContain('hardened');
  });

  it('passes every suite of the CI profile under the hardened configuration', async () => {
    const p = hardenedPair(majorityHardenedImplProtocol as unknown as Any);
    const run = await runSuites(p, inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
    expect(run.passed, formatRun(run)).toBe(true);
  });

  it('diverges when the core applies registrations as the baseline does (the rule is observable)', async () => {
    // The core with the switch off for registrations only: older registrations overwrite again.
    const careless: NodeBehaviour<MajorityState, MajorityMessage, MajorityState['setup']['config']> = {
      ...majorityNode,
      step: (s, input) => {
        if (input.type !== 'receive' || input.message.kind !== 'register') return majorityNode.step(s, input);
        const r = majorityNode.step({ ...s, setup: { ...s.setup, config: { ...s.setup.config, versionedRecords: false } } }, input);
        return { ...r, state: { ...r.state, setup: s.setup } };
      },
    };
    const p = hardenedPair({ ...majorityHardenedImplProtocol, behaviour: careless } as unknown as Any);
    const run = await runSuites(p, inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
    expect(run.passed).toBe(false);
  });
});
