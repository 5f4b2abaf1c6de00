/**
 * The checker can say "violated": each deliberately broken variant of a model is caught with a
 * counterexample, on a property that the correct model satisfies under the same bounds. Variants are
 * made with XState's `provide`, replacing one named guard or action, as a bug would.
 */
import { describe, expect, it } from 'vitest';
import { assign } from 'xstate';
import { check, counterMachine, countersProtocol, machineBehaviour, majorityProtocol } from 'alice';
import { bounds, cases, noReannounce } from './majority-mutants.js';

describe('the correct majority model satisfies, within the bounds, the properties its mutants break', () => {
  it('selfSovereignty, agreement and freshness hold', () => {
    const r = check(majorityProtocol, { ...bounds, properties: ['selfSovereignty', 'agreement', 'freshness'], maxDepth: 6 });
    for (const v of r.verdicts) expect(v.status, v.property).toBe('no-violation-found');
  });

  it('accuracy holds under bounded timing without loss', () => {
    const r = check(majorityProtocol, { ...bounds, timing: 'bounded', faults: [], maxDepth: 40, properties: ['accuracy'] });
    expect(r.verdicts[0].status).toBe('no-violation-found');
  });
});

describe('what the checker finds in the design itself', () => {
  it('freshness needs re-announcement: an update made before a node knows its peers never reaches them', () => {
    const r = check(noReannounce, { ...bounds, properties: ['freshness'], maxDepth: 6 });
    expect(r.verdicts[0].status).toBe('violated');
    expect(r.verdicts[0].trace?.steps[1].action).toMatch(/updates its NodeInfo/);
  });
});

describe('mutants are caught with a counterexample', () => {
  for (const c of cases) {
    it(`catches ${c.name} (${c.property})`, () => {
      const options = c.timing === 'bounded' ? { ...bounds, timing: 'bounded' as const, faults: [], maxDepth: 40 } : bounds;
      const r = check(c.make(), { ...options, properties: [c.property], stopAtFirst: true });
      const v = r.verdicts.find((x) => x.property === c.property);
      expect(v?.status).toBe('violated');
      expect(v?.trace?.steps.length).toBeGreaterThan(1);
    });
  }

  it('catches a counter that overflows its modulus (inRange)', () => {
    const broken = counterMachine.provide({ actions: { advance: assign({ count: ({ context }) => (context.count + 1) % (context.modulus + 1) }) } });
    const proto = { ...countersProtocol(4), behaviour: machineBehaviour(broken, { protocol: 'counters', view: countersProtocol(4).behaviour.view as never }) };
    const r = check(proto as never, { nodes: 2, faults: [], maxDepth: 100, maxStates: 0 });
    expect(r.verdicts.find((v) => v.property === 'inRange')?.status).toBe('violated');
  });

  it('reports a sometimes property that a broken counter can never reach', () => {
    const stuck = counterMachine.provide({ actions: { advance: assign({ count: ({ context }) => Math.min(context.count + 1, context.modulus - 2) }) } });
    const proto = { ...countersProtocol(4), behaviour: machineBehaviour(stuck, { protocol: 'counters', view: countersProtocol(4).behaviour.view as never }) };
    const r = check(proto as never, { nodes: 2, faults: [], maxDepth: 100, maxStates: 0 });
    expect(r.verdicts.find((v) => v.property === 'allAtTop')?.status).toBe('unreached');
  });
});
