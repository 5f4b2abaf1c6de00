/**
 * Partial-order reduction (checker/por.ts): where it must reduce, what it refuses and why, and that a
 * model's independence declaration is checked rather than trusted.
 */
import { describe, expect, it } from 'vitest';
import { CheckerError, type Input, type NodeBehaviour, type NodeSetup, type ProtocolDefinition, check, countersProtocol } from 'alice';
import type { Message, State } from '../../examples/relay/model.js';
import requestAck from '../../examples/request-ack/model.js';
import { relayPipeline, spinner } from './por-models.js';

const exhaustive = { maxStates: 0, timeLimitSec: 0 } as const;

describe('POR reduces where steps are independent and invisible', () => {
  for (const items of [3, 4, 5]) {
    it(`a relay pipeline of ${items} items: 3^${items} states in full, 2^${items + 1} − 1 with POR (breadth-first)`, () => {
      const full = check(relayPipeline(items), exhaustive);
      const reduced = check(relayPipeline(items), { ...exhaustive, por: true });
      expect(full.stats.distinct).toBe(3 ** items);
      // With POR the relay forwards every item before the sink takes one: 2^items ways to have
      // forwarded some, then 2^items ways to have received some of the forwarded, sharing one state.
      expect(reduced.stats.distinct).toBe(2 ** (items + 1) - 1);
      expect(reduced.verdicts.map((v) => v.status)).toEqual(full.verdicts.map((v) => v.status));
      expect(reduced.coverage.complete).toBe(true);
    });
  }

  it('depth-first, the stricter proviso (every ample successor new) still reduces and keeps the verdicts', () => {
    const full = check(relayPipeline(4), { ...exhaustive, strategy: 'dfs' });
    const reduced = check(relayPipeline(4), { ...exhaustive, strategy: 'dfs', por: true });
    expect(full.stats.distinct).toBe(81);
    expect(reduced.stats.distinct).toBeLessThan(full.stats.distinct);
    expect(reduced.verdicts.map((v) => v.status)).toEqual(full.verdicts.map((v) => v.status));
  });

  it('counts the states expanded with an ample set and why the others were not', () => {
    const r = check(relayPipeline(3), { ...exhaustive, por: true });
    const p = r.stats.por!;
    expect(p.reducedStates).toBe(r.stats.distinct);
    const f = p.fallbacks;
    expect(p.ample + f.oneNode + f.faults + f.senders + f.visible + f.proviso).toBe(p.expanded);
    expect(p.ample).toBeGreaterThan(0);
  });

  it('is absent from the statistics of a search without it', () => {
    expect(check(relayPipeline(2), exhaustive).stats.por).toBeUndefined();
  });

  it('a trace found under POR replays on the full model (successor positions are those of the full expansion)', () => {
    const r = check(spinner, { ...exhaustive, por: true });
    const v = r.verdicts.find((x) => x.property === 'neverGone')!;
    expect(v.status).toBe('violated');
    expect(v.trace!.steps.at(-1)!.action).toMatch(/timer go fires/);
  });
});

describe('POR refuses what it cannot reduce soundly, with the reason', () => {
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['random walks', { strategy: 'random' }, /exhaustive search/],
    ['bounded timing', { timing: 'bounded' }, /async timing/],
    ['worker threads', { workers: 2 }, /one thread/],
    ['symmetry', { symmetry: true }, /--symmetry is not supported/],
  ];
  for (const [what, options, reason] of refusals) {
    it(`refuses ${what}`, () => {
      expect(() => check(countersProtocol(3), { nodes: 2, por: true, ...options })).toThrow(reason);
    });
  }

  it('refuses eventually properties, naming them', () => {
    expect(() => check(requestAck, { por: true })).toThrow(/safety verdicts only.*allApplied/);
  });

  it('checks safety properties of the same model', () => {
    expect(check(requestAck, { por: true, properties: ['appliedOnce', 'clientDone'] }).coverage.complete).toBe(true);
  });

  it('refuses an unsound variant without por', () => {
    expect(() => check(spinner, { porUnsound: 'no-visibility' })).toThrow(CheckerError);
  });
});

describe("a protocol's independence declaration is checked on every step, not trusted", () => {
  const lying: ProtocolDefinition<never, never, null> = { ...relayPipeline(2), independence: { sendsTo: (id: string) => (id === 'n1' ? ['n2'] : []) } } as never;

  it('a relay that sends where its declaration says it never does is a modelStep violation, with or without POR', () => {
    for (const por of [false, true]) {
      const r = check(lying, { ...exhaustive, por });
      const v = r.verdicts.find((x) => x.property === 'modelStep');
      expect(v?.status).toBe('violated');
      expect(v?.trace?.violation.detail).toMatch(/n2 sent to n3.*sendsTo\('n2'\)/);
    }
  });
});

describe('a behaviour written as a class, its methods on its prototype, is checked like one written as an object', () => {
  // The relay's own functions, reached through `this`, so that a method called unbound fails too.
  class ClassRelay implements NodeBehaviour<State, Message, null> {
    readonly protocol = 'relay';
    private readonly rules = relayPipeline(3).behaviour;
    init(setup: NodeSetup<null>) {
      return this.rules.init(setup);
    }
    step(state: State, input: Input<Message>) {
      return this.rules.step(state, input);
    }
    view(state: State) {
      return this.rules.view(state);
    }
    encode(state: State) {
      return this.rules.encode(state);
    }
    decode(text: string) {
      return this.rules.decode!(text);
    }
  }
  const asClass: ProtocolDefinition<State, Message, null> = { ...relayPipeline(3), behaviour: new ClassRelay() };

  for (const por of [false, true]) {
    it(`${por ? 'with' : 'without'} POR: the relay of 3 items has the same states and verdicts`, () => {
      const object = check(relayPipeline(3), { ...exhaustive, por });
      const r = check(asClass, { ...exhaustive, por });
      expect(r.stats.distinct).toBe(object.stats.distinct);
      expect(r.stats.generated).toBe(object.stats.generated);
      expect(r.verdicts.map((v) => [v.property, v.status])).toEqual(object.verdicts.map((v) => [v.property, v.status]));
    });
  }
});
