/**
 * The safety rule (R0, facts/safety.ts) reads the checker's configurations: a violation counts for the
 * protocol a configuration speaks for, and a property that assumes bounded timing counts only where
 * the checker ran under bounded timing.
 */
import { describe, expect, it } from 'vitest';
import { decodeCheckerRuns, propertyTable } from '../../experiment/checker-verdicts.js';
import { safetyFacts } from '../../experiment/facts/safety.js';

const check = (id: string, protocol: string, timing: string, violated: string[]) => ({
  protocol,
  configuration: { id, speaksFor: 'swim' },
  options: { nodes: 3, strategy: 'bfs', timing },
  stats: { depth: 6, distinct: 100, seconds: 1, stoppedBy: 'time' },
  verdicts: violated.map((property) => ({ property, status: 'violated', steps: 4 })),
  traces: violated.map((p) => `${id}.${p}.json`),
});

const r1 = (...runs: unknown[]) => safetyFacts(propertyTable(decodeCheckerRuns(runs)), ['swim']).counted.swim;

describe('R0 and the checker configurations', () => {
  it('does not count accuracy violated under async timing, which accuracy does not assume', () => {
    expect(r1(check('swim', 'swim', 'async', ['accuracy']))).toEqual([]);
  });

  it('counts accuracy violated under bounded timing', () => {
    expect(r1(check('swim-bounded', 'swim', 'bounded', ['accuracy']))).toEqual(['accuracy']);
  });

  it('counts a model variant’s violation of an assumption-free property for the protocol it speaks for', () => {
    expect(r1(check('swim-pushpull', 'swim-pushpull', 'async', ['noRegression']))).toEqual(['noRegression']);
  });

  it('does not count eventually properties, which are not safety', () => {
    expect(r1(check('swim', 'swim', 'async', ['agreement', 'freshness']))).toEqual([]);
  });
});

describe('options the checker has not judged', () => {
  it('are unchecked (null), not safe', () => {
    expect(safetyFacts(propertyTable(decodeCheckerRuns([check('swim', 'swim', 'async', [])])), ['hybrid']).counted.hybrid).toBeNull();
  });

  it('read the majority model for majority-mesh, its name in the comparison', () => {
    const run = { ...check('majority', 'majority', 'async', ['noRegression']), configuration: { id: 'majority', speaksFor: 'majority' } };
    expect(safetyFacts(propertyTable(decodeCheckerRuns([run])), ['majority-mesh']).counted['majority-mesh']).toEqual(['noRegression']);
  });
});
