/**
 * Conformance of the hybrid is refutable from both sides: a core whose load balancer keeps its
 * registrations through a crash, and a model that forgets what the variant `shared` does when SWIM
 * reports a load balancer joined or gone, are each caught as a divergence.
 */
import { enqueueActions } from 'xstate';
import { describe, expect, it } from 'vitest';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES } from '../../conformance/profiles.js';
import { type ConformancePair, pair } from '../../conformance/registry.js';
import { runSuites } from '../../conformance/suites.js';
import { type HybridState, hybridNode } from '../../impl/hybrid/index.js';
import { machineBehaviour } from '../../model/adapter.js';
import { type SwimPart, hybridChoices, hybridMachine, hybridModelView, swimSnapshotOf } from '../../model/hybrid/index.js';
import { swimModel } from '../../model/swim/index.js';
import type { HybridMessage } from '../../spec/hybrid.js';
import type { Input, NodeBehaviour } from '../../spec/step.js';
import type { SwimMessage } from '../../spec/swim.js';

/** The core mutant: a crashed load balancer's table survives (as if Inferno persisted registrations). */
const keepsRegistrationsThroughCrash: NodeBehaviour<HybridState, HybridMessage, unknown> = {
  ...(hybridNode as unknown as NodeBehaviour<HybridState, HybridMessage, unknown>),
  step(state: HybridState, input: Input<HybridMessage>) {
    const r = hybridNode.step(state, input);
    if (input.type === 'crash' && state.lb && r.state.lb) return { ...r, state: { ...r.state, lb: { ...r.state.lb, registry: state.lb.registry } } };
    return r;
  },
};

/** The model mutant: SWIM is stepped, but a load balancer joined or gone means nothing to the shared lists. */
const ignoresSwimNews = hybridMachine.provide({
  actions: {
    stepSwim: enqueueActions(({ context, event, enqueue }) => {
      const r = swimModel.step(swimSnapshotOf(context.swim as SwimPart), event as Input<SwimMessage>);
      enqueue.assign({ swim: { value: r.state.value, context: r.state.context } });
      for (const o of r.outputs) enqueue.emit(o);
    }),
  },
});

function withModel(p: ConformancePair, behaviour: unknown): ConformancePair {
  const swap = <T extends { behaviour: unknown }>(d: T): T => ({ ...d, behaviour });
  return { ...p, model: swap(p.model), variants: p.variants?.map((v) => ({ ...v, model: swap(v.model) })) };
}

describe('hybrid conformance is refutable', () => {
  it('catches a load balancer that keeps its registrations through a crash', async () => {
    const p = pair('hybrid');
    const run = await runSuites(p, inProcessSource(keepsRegistrationsThroughCrash as never), PROFILES.ci, 1);
    expect(run.passed).toBe(false);
    expect(run.suites.find((s) => s.divergence !== null)?.divergence?.kind).toBe('view');
  }, 120_000);

  it('catches a model whose shared lists ignore what SWIM reports', async () => {
    const p = pair('hybrid');
    const broken = machineBehaviour<typeof ignoresSwimNews, HybridMessage>(ignoresSwimNews, { protocol: 'hybrid', view: hybridModelView as never, choices: hybridChoices as never });
    const run = await runSuites(withModel(p, broken), inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
    expect(run.passed).toBe(false);
    const d = run.suites.find((s) => s.divergence !== null)?.divergence;
    // Only the `shared` variant's load balancers act on SWIM's news: the divergence names it.
    expect(d?.origin ?? '').toMatch(/^shared config: /);
    expect(d?.kind).toBe('outputs');
  }, 120_000);
});
