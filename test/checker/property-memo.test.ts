/**
 * A state property that held on one state is not judged again on a state whose nodes' states,
 * histories, up set and partition are the same (the memo of property-memo.ts), while every verdict
 * stays what judging every state gives.
 */
import { describe, expect, it } from 'vitest';
import { check, majorityProtocol, type Observation, type Property } from 'alice';

/** selfSovereignty of the majority model, wrapped to count its judgements (a function with `needs` of its own opts out of the memo). */
function counted(base: Property, optOut: false | Property['needs']): { property: Property; calls: () => number } {
  let calls = 0;
  const property: Property = {
    ...base,
    name: 'countedSelfSovereignty',
    ...(optOut ? { needs: optOut } : {}),
    check: (obs: Observation) => {
      calls++;
      return base.check(obs);
    },
  };
  return { property, calls: () => calls };
}

describe('the property memo', () => {
  const base = majorityProtocol.properties.find((p) => p.name === 'selfSovereignty')!;
  const run = (optOut: false | Property['needs']) => {
    const c = counted(base, optOut);
    const r = check({ ...majorityProtocol, properties: [c.property] }, { nodes: 3, maxDepth: 5, maxStates: 0, timeLimitSec: 0 });
    return { r, calls: c.calls() };
  };

  it('judges a property that held fewer times than there are states, with the verdict of judging each', () => {
    const memo = run(false);
    const every = run({ step: true });
    expect(every.calls).toBeGreaterThanOrEqual(every.r.stats.distinct);
    expect(memo.calls).toBeLessThan(every.calls);
    expect(memo.r.stats.distinct).toBe(every.r.stats.distinct);
    expect(memo.r.verdicts.map((v) => v.status)).toEqual(every.r.verdicts.map((v) => v.status));
  });

  it('judges a property that reads the messages in flight on every state: they are not in the key', () => {
    const m = run({ messages: true });
    expect(m.calls).toBeGreaterThanOrEqual(m.r.stats.distinct);
  });
});
