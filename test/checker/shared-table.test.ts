/**
 * The parallel search's shared visited table: it adds each fingerprint once, keeps everything across
 * its growths (which every worker joins mid-level), and a search on it counts what one thread counts.
 * A worker that dies mid-search ends the search with a typed error naming it.
 */
import { describe, expect, it } from 'vitest';
import { CheckerError, check, checkParallel, countersProtocol, fingerprint, majorityProtocol } from 'alice';
import { SharedFingerprintTable } from '../../checker/shared-table.js';
import { exitsInWorker, stallsInWorker } from '../fixtures/models/worker-faults.js';

const source = (args: number[]) => ({ module: new URL('../../model/counters/index.ts', import.meta.url).href, exportName: 'countersProtocol', args });
const pairs = (n: number): [number, number][] => {
  const out = new Uint32Array(2);
  return Array.from({ length: n }, (_, i) => {
    fingerprint([i, 3], 0, 2, out);
    return [out[0], out[1]];
  });
};

describe('the shared fingerprint table', () => {
  it('adds a fingerprint once and finds it afterwards', () => {
    const t = new SharedFingerprintTable(SharedFingerprintTable.allocate(4096));
    const items = pairs(2000);
    expect(items.filter(([h, l]) => !t.add(h, l)).length).toBe(0);
    expect(items.filter(([h, l]) => t.add(h, l)).length).toBe(0);
    expect(items.filter(([h, l]) => !t.has(h, l)).length).toBe(0);
  });

  it('does not report fingerprints it was never given', () => {
    const t = new SharedFingerprintTable(SharedFingerprintTable.allocate(4096));
    const items = pairs(2000);
    for (const [h, l] of items.slice(0, 1000)) t.add(h, l);
    expect(items.slice(1000).filter(([h, l]) => t.has(h, l)).length).toBe(0);
  });

  it('keeps every fingerprint when rehashed into a bigger table in shares', () => {
    const small = new SharedFingerprintTable(SharedFingerprintTable.allocate(4096));
    const items = pairs(3000);
    for (const [h, l] of items) small.add(h, l);
    const big = new SharedFingerprintTable(SharedFingerprintTable.allocate(6144));
    for (let part = 0; part < 3; part++) big.rehashFrom(small, part, 3);
    expect(items.filter(([h, l]) => !big.has(h, l)).length).toBe(0);
    expect(items.filter(([h, l]) => big.add(h, l)).length).toBe(0);
  });
});

describe('a parallel search on the shared table', () => {
  // 10^5 states: the table starts at 2^16 slots, so it grows twice while the workers search.
  it('counts all 10^5 states of 5 counters mod 10 on 2 workers, across growths of the table, as one thread does', { timeout: 120_000 }, () => {
    const options = { nodes: 5, faults: [], maxDepth: 1000, maxStates: 0, timeLimitSec: 0 };
    const one = check(countersProtocol(10), options);
    const two = checkParallel(countersProtocol(10), source([10]), { ...options, workers: 2 });
    expect(two.stats.distinct).toBe(100_000);
    expect(two.stats.generated).toBe(one.stats.generated);
    expect(two.stats.depth).toBe(one.stats.depth);
    expect(two.stats.bytesPerState).toBeLessThanOrEqual(16);
  });

  it('gives the majority model with its declared faults the same counts on 2 workers as on one', { timeout: 120_000 }, () => {
    const majority = { module: new URL('../../model/majority/index.ts', import.meta.url).href, exportName: 'majorityProtocol' };
    const options = { nodes: 3, maxDepth: 5, maxStates: 0, timeLimitSec: 0, properties: ['selfSovereignty', 'agreement'] };
    const one = check(majorityProtocol, options);
    const two = checkParallel(majorityProtocol, majority, { ...options, workers: 2 });
    expect([two.stats.distinct, two.stats.generated, two.stats.depth]).toEqual([one.stats.distinct, one.stats.generated, one.stats.depth]);
    expect(two.verdicts.map((v) => v.status)).toEqual(one.verdicts.map((v) => v.status));
  });

  it('ends with a CheckerError naming the worker when a worker thread exits mid-search', { timeout: 60_000 }, () => {
    const src = { module: new URL('../fixtures/models/worker-faults.ts', import.meta.url).href, exportName: 'exitsInWorker' };
    const run = () => checkParallel(exitsInWorker, src, { nodes: 2, faults: [], maxDepth: 10, maxStates: 0, timeLimitSec: 0, workers: 2 });
    expect(run).toThrow(CheckerError);
    expect(run).toThrow(/worker \d failed: the worker thread exited \(code 7\)/);
  });

  it('ends with a CheckerError naming the worker when a worker shows no progress for workerStallSec', { timeout: 60_000 }, () => {
    const src = { module: new URL('../fixtures/models/worker-faults.ts', import.meta.url).href, exportName: 'stallsInWorker' };
    const run = () => checkParallel(stallsInWorker, src, { nodes: 2, faults: [], maxDepth: 10, maxStates: 0, timeLimitSec: 0, workers: 2, workerStallSec: 1 });
    expect(run).toThrow(/worker \d stopped: no sign of progress for 1 s/);
  });
});
