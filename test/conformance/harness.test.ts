/**
 * The refinement harness, specified on the toy protocol (conformance/toy): a faithful implementation
 * passes every suite; each deliberately broken one is caught, shrunk to its shortest failing prefix,
 * and reported with the model's allowed steps, the implementation's, and both Views.
 */
import { describe, expect, it } from 'vitest';
import type { Input, NodeBehaviour } from '../../spec/step.js';
import { type Divergence, type NodeTrace, checkTrace } from '../../conformance/lockstep.js';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { PROFILES, scaledProfile } from '../../conformance/profiles.js';
import { pair } from '../../conformance/registry.js';
import { formatDivergence } from '../../conformance/report.js';
import { shrinkTrace } from '../../conformance/shrink.js';
import { runSuites } from '../../conformance/suites.js';
import { type ToyMessage, type ToyState, toyImpl, toyImplProtocol, toyModel, toyProtocol } from '../../conformance/toy/index.js';

// A seventh of the CI budget: the toy protocol is small, and each broken variant fails within it.
const SMALL = scaledProfile(PROFILES.ci, 0.15);

const model = toyModel as NodeBehaviour<unknown, ToyMessage, unknown>;
const setup = toyProtocol.cluster(3, { now: 0 })[0];
const pong = (from: string, seq: number, now: number): Input<ToyMessage> => ({ type: 'receive', from, message: { kind: 'pong', seq }, now });
const ping = (from: string, seq: number, now: number): Input<ToyMessage> => ({ type: 'receive', from, message: { kind: 'ping', seq }, now });
const tick = (now: number): Input<ToyMessage> => ({ type: 'timer', timer: 'tick', now });

async function check(impl: NodeBehaviour<ToyState, ToyMessage, unknown>, inputs: Input<ToyMessage>[]): Promise<Divergence<ToyMessage> | null> {
  return checkTrace(model, inProcessSource(impl), { setup, inputs });
}

describe('the refinement harness on the toy protocol', () => {
  it('passes a faithful implementation on every suite', async () => {
    const run = await runSuites(pair('toy'), inProcessSource(toyImplProtocol().behaviour), SMALL, 3);
    expect(run.suites.map((s) => [s.suite, s.divergence?.detail ?? null])).toEqual(run.suites.map((s) => [s.suite, null]));
    expect(run.passed).toBe(true);
  });

  it.each([
    ['double-count', 'view'],
    ['ping-self', 'choice'],
    ['wrong-seq', 'outputs'],
  ] as const)('catches the %s bug in random walks, fast-check and simulator runs, as a %s divergence', async (bug, kind) => {
    const run = await runSuites(pair(`toy-${bug}`), inProcessSource(toyImplProtocol(bug).behaviour), SMALL, 3);
    expect(run.passed).toBe(false);
    // Breadth-first paths are the shortest ones to each transition: too shallow for bugs that need three pongs.
    for (const s of run.suites.filter((x) => x.suite !== 'model→impl: bfs paths')) {
      expect(s.divergence, s.suite).not.toBeNull();
      expect(s.divergence?.kind, s.suite).toBe(kind);
    }
  });

  it('accepts a step whose outputs, order included, and View match the model', async () => {
    expect(await check(toyImpl(), [ping('n2', 0, 10), pong('n2', 0, 20), tick(30)])).toBeNull();
  });

  it('reports different outputs as an outputs divergence at the diverging step', async () => {
    const d = await check(toyImpl('wrong-seq'), [ping('n2', 0, 10), ping('n2', 5, 20)]);
    expect(d?.kind).toBe('outputs');
    expect(d?.step).toBe(2);
    expect(d?.allowed).toEqual([{ outputs: [{ type: 'send', to: 'n2', message: { kind: 'pong', seq: 5 } }] }]);
    expect(d?.actual).toEqual({ outputs: [{ type: 'send', to: 'n2', message: { kind: 'pong', seq: 6 } }] });
  });

  it('reports equal outputs but different Views as a view divergence, with both Views', async () => {
    const d = await check(toyImpl('double-count'), [pong('n2', 0, 1), pong('n2', 1, 2), pong('n2', 2, 3)]);
    expect(d?.kind).toBe('view');
    expect(d?.modelView?.members.n2.version).toBe(3);
    expect(d?.implView?.members.n2.version).toBe(4);
  });

  it('rejects a choice the model does not enable, listing every choice it does', async () => {
    const d = await check(toyImpl('ping-self'), [tick(1), tick(2)]);
    expect(d?.kind).toBe('choice');
    expect(d?.actual?.choice).toEqual(['n1']);
    expect(d?.allowed.map((a) => a.choice)).toEqual([['n2'], ['n3']]);
  });

  it('feeds the implementation its choice to the model, so any enabled choice passes', async () => {
    for (const rngSeed of [1, 2, 3, 4, 5, 6]) {
      const d = await checkTrace(model, inProcessSource(toyImpl()), { setup: { ...setup, rngSeed }, inputs: [tick(1), tick(2), tick(3)] });
      expect(d).toBeNull();
    }
  });

  it('accepts a step that reports no choice when an enabled choice gives exactly its outputs and View', async () => {
    const silent: NodeBehaviour<ToyState, ToyMessage, unknown> = {
      ...toyImpl(),
      step: (s, i) => {
        const { choice: _dropped, ...r } = toyImpl().step(s, i);
        return r;
      },
    };
    expect(await check(silent, [tick(1), tick(2)])).toBeNull();
  });

  it('requires a choice where the model leaves one open and no enabled choice matches the step', async () => {
    // Pings n9, a node the model never enables, and reports no choice.
    const stray: NodeBehaviour<ToyState, ToyMessage, unknown> = {
      ...toyImpl(),
      step: (s, i) => {
        const { choice: _dropped, ...r } = toyImpl().step(s, { ...i, choice: i.type === 'timer' ? ['n9'] : undefined });
        return r;
      },
    };
    const d = await check(stray, [tick(1)]);
    expect(d?.kind).toBe('choice');
    expect(d?.detail).toContain('reported none, and no enabled choice gives its outputs and View');
  });

  it('turns an implementation that throws into an impl-error divergence', async () => {
    const broken: NodeBehaviour<ToyState, ToyMessage, unknown> = {
      ...toyImpl(),
      step: (s, i) => {
        if (i.type === 'crash') throw new Error('boom');
        return toyImpl().step(s, i);
      },
    };
    const d = await check(broken, [tick(1), { type: 'crash', now: 2 }]);
    expect(d?.kind).toBe('impl-error');
    expect(d?.detail).toContain('boom');
  });

  it('shrinks a long failing trace to its shortest failing prefix (delta debugging)', async () => {
    const noise: Input<ToyMessage>[] = [];
    for (let i = 0; i < 30; i++) noise.push(i % 2 === 0 ? tick(i) : ping('n3', i, i));
    // Pongs from n2 interleaved with noise; the third one triggers the double count.
    const inputs = [...noise.slice(0, 10), pong('n2', 0, 40), ...noise.slice(10, 20), pong('n2', 1, 50), ...noise.slice(20), pong('n2', 2, 60), tick(70)];
    const impl = toyImpl('double-count');
    const trace: NodeTrace<ToyMessage> = { setup, inputs };
    const first = await check(impl, inputs);
    expect(first?.prefix.length).toBe(inputs.length - 1);
    const shrunk = await shrinkTrace(trace, first as Divergence<ToyMessage>, (t) => checkTrace(model, inProcessSource(impl), t));
    expect(shrunk.prefix).toEqual([pong('n2', 0, 40), pong('n2', 1, 50), pong('n2', 2, 60)]);
    expect(shrunk.shrunkFrom).toBe(inputs.length);
  });

  it('prints a report with the prefix, the allowed and actual steps, and the Views side by side', async () => {
    const d = (await check(toyImpl('wrong-seq'), [tick(1), ping('n3', 4, 2)])) as Divergence<ToyMessage>;
    const text = formatDivergence(d, 'toy');
    expect(text).toContain('DIVERGENCE (outputs) in toy at step 2');
    expect(text).toContain('→   2. t=2 receive from n3: {"kind":"ping","seq":4}');
    expect(text).toContain('the model allows:');
    expect(text).toMatch(/≠ 1\. send → n3: \{"kind":"pong","seq":4\}/);
    expect(text).toContain('the implementation did:');
    expect(text).toMatch(/≠ 1\. send → n3: \{"kind":"pong","seq":5\}/);
    expect(text).toMatch(/member \| model +\| impl/);
  });
});
