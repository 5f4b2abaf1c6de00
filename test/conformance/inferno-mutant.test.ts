/**
 * Conformance of inferno-current is refutable: a core whose load balancer accepts a duplicate id
 * (replacing the record instead of refusing it) is caught as a divergence from the model.
 */
import { describe, expect, it } from 'vitest';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES } from '../../conformance/profiles.js';
import { pair } from '../../conformance/registry.js';
import { runSuites } from '../../conformance/suites.js';
import { type InfernoState, infernoNode } from '../../impl/inferno/index.js';
import type { InfernoMessage } from '../../spec/inferno.js';
import { deregister } from '../../spec/inferno-registry.js';
import type { Input, NodeBehaviour } from '../../spec/step.js';

/** The mutant: a known id is forgotten just before its registration, so it is accepted again. */
const acceptsDuplicateId: NodeBehaviour<InfernoState, InfernoMessage, unknown> = {
  ...(infernoNode as unknown as NodeBehaviour<InfernoState, InfernoMessage, unknown>),
  step(state: InfernoState, input: Input<InfernoMessage>) {
    if (input.type === 'receive' && input.message.kind === 'register' && state.lb && input.message.info.id in state.lb.registry) {
      state = { ...state, lb: { ...state.lb, registry: deregister(state.lb.registry, input.message.info.id) } };
    }
    return infernoNode.step(state, input);
  },
};

describe('inferno-current conformance is refutable', () => {
  it('catches a load balancer that accepts a duplicate id', async () => {
    const p = pair('inferno-current');
    const run = await runSuites(p, inProcessSource(acceptsDuplicateId as never), PROFILES.ci, 1);
    expect(run.passed).toBe(false);
    const d = run.suites.find((s) => s.divergence !== null)?.divergence;
    expect(d?.kind).toBe('outputs');
  }, 120_000);
});
