/**
 * The recommendation's safety rule (R1) reads the checker's configurations: a violation counts for the
 * protocol a configuration speaks for, and a property that assumes bounded timing counts only where
 * the checker ran under bounded timing.
 */
import { describe, expect, it } from 'vitest';
import { decodeCheckerRuns, propertyTable } from '../../experiment/checker-verdicts.js';
import { protocolFigures } from '../../experiment/report.js';
import type { ResultsFile } from '../../experiment/results.js';

const noRuns = { format: 'alice-bench-results/1', commit: null, dirty: false, seed: 1, command: 't', protocols: ['majority', 'swim'], sizes: [], scenarios: [], run: {}, sizeNotes: {}, runs: [], skipped: [] } as unknown as ResultsFile;

const check = (id: string, protocol: string, timing: string, violated: string[]) => ({
  protocol,
  configuration: { id, speaksFor: 'swim' },
  options: { nodes: 3, strategy: 'bfs', timing },
  stats: { depth: 6, distinct: 100, seconds: 1, stoppedBy: 'time' },
  verdicts: violated.map((property) => ({ property, status: 'violated', steps: 4 })),
  traces: violated.map((p) => `${id}.${p}.json`),
});

const r1 = (...runs: unknown[]) => protocolFigures(noRuns, 'swim', propertyTable(decodeCheckerRuns(runs))).safetyViolations;

describe('R1 and the checker configurations', () => {
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
