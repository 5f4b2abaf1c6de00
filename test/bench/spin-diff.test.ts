/**
 * The SPIN cross-check (npm run bench:spin) without SPIN: its reading of pan's output, on output
 * captured from SPIN 6.5.2 on the models of bench/spin/ (test/fixtures/spin/), and the Alice side of
 * the smallest models against those captured figures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES } from '../../bench/spin/cases.js';
import { type AliceSide, compareRow } from '../../bench/spin/compare.js';
import { PanOutputError, parsePanOutput, parseTrailSteps } from '../../bench/spin/pan-output.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/spin/${name}`, import.meta.url), 'utf8');
const ringFull = parsePanOutput(fixture('ring-N3-noreduce.pan.txt'));
const ringPor = parsePanOutput(fixture('ring-N3-por.pan.txt'));
const mutexBfs = parsePanOutput(fixture('mutex-C2-bfs.pan.txt'));
const caseOf = (model: string, params: Record<string, number>) => {
  const c = CASES.find((x) => x.model === model && JSON.stringify(x.params) === JSON.stringify(params));
  if (!c) throw new Error(`no case ${model} ${JSON.stringify(params)}`);
  return c;
};

describe("reading pan's output", () => {
  it('reads the counts, depth and errors of a full search', () => {
    expect(ringFull).toMatchObject({ stored: 77, matched: 68, transitions: 145, atomicSteps: 0, depthReached: 9, errors: 0, stateVectorBytes: 64, completed: true, depthTooSmall: false, partialOrderReduction: false, breadthFirst: false });
    expect(ringFull.transitions).toBe(ringFull.stored + ringFull.matched);
  });

  it('tells a build with partial-order reduction from one without', () => {
    expect(ringPor.partialOrderReduction).toBe(true);
    expect(ringPor.stored).toBeLessThan(ringFull.stored);
  });

  it('reads an error found breadth-first: its text and depth, and that the search stopped', () => {
    expect(mutexBfs).toMatchObject({ breadthFirst: true, completed: false, errors: 1, firstError: { text: 'assertion violated (incs<=1)', depth: 5 } });
  });

  it('counts a search cut by -m as incomplete, though pan does not say "not completed"', () => {
    const cut = parsePanOutput(fixture('counters-N3-K4-m10.pan.txt'));
    expect(cut).toMatchObject({ depthTooSmall: true, completed: false });
  });

  it("reads the trail's length from spin -t", () => {
    expect(parseTrailSteps(fixture('mutex-C2-trail.spin.txt'))).toBe(6);
  });

  it('refuses output without the counts, naming the missing line', () => {
    expect(() => parsePanOutput('pan: error: cannot open pan.c')).toThrow(PanOutputError);
    expect(() => parsePanOutput(fixture('ring-N3-noreduce.pan.txt').replace(/^.*states, stored\n/m, ''))).toThrow(/states, stored/);
  });

  it('refuses a count pan printed rounded to 8 digits (exponent form)', () => {
    const big = fixture('ring-N3-noreduce.pan.txt').replace('      145 transitions', '1.2345679e+08 transitions');
    expect(() => parsePanOutput(big)).toThrow(/rounded to 8 digits/);
  });
});

describe('the Alice side of the smallest models equals SPIN', () => {
  it("ring election, N = 3: Alice's distinct and generated states are SPIN's stored states and transitions", () => {
    const r = caseOf('ring election', { N: 3 }).aliceCount();
    expect(r.coverage.complete).toBe(true);
    expect([r.stats.distinct, r.stats.generated]).toEqual([ringFull.stored, ringFull.transitions]);
  });

  it("racy mutex, 2 clients: Alice's shortest counterexample has the length of SPIN's breadth-first trail", () => {
    const v = caseOf('racy mutex', { C: 2 }).violation!.aliceBfs().verdicts.find((x) => x.property === 'mutex');
    expect(v?.status).toBe('violated');
    expect(v!.trace!.steps.length - 1).toBe(parseTrailSteps(fixture('mutex-C2-trail.spin.txt')));
  });

  it('counters, N = 3, K = 4: K^N states and N·K^N + 1 transitions (every state has N successors, plus the initial state)', () => {
    const r = caseOf('counters', { N: 3, K: 4 }).aliceCount();
    expect([r.stats.distinct, r.stats.generated]).toEqual([4 ** 3, 3 * 4 ** 3 + 1]);
  });
});

describe('comparing the two sides', () => {
  const alice = (over: Partial<AliceSide> = {}): AliceSide => ({ distinct: 77, generated: 145, depth: 9, complete: true, seconds: 0.01, ...over });
  const spin = { report: ringFull, seconds: 0.5 };
  const por = { report: ringPor, seconds: 0.5 };

  it('agrees when both counts are equal and both searches complete', () => {
    expect(compareRow('ring election', { N: 3 }, spin, por, alice()).problems).toEqual([]);
  });

  it('names the count that differs', () => {
    expect(compareRow('ring election', { N: 3 }, spin, por, alice({ generated: 144 })).problems).toEqual(['transitions: SPIN 145, Alice generated 144']);
  });

  it('fails a row whose SPIN search was cut by its depth bound, even with equal counts', () => {
    const cut = { report: parsePanOutput(fixture('counters-N3-K4-m10.pan.txt')), seconds: 0 };
    const row = compareRow('counters', { N: 3, K: 4 }, cut, cut, alice({ distinct: 51, generated: 154 }));
    expect(row.problems).toContain('SPIN -DNOREDUCE: max search depth too small');
  });

  it('fails a row whose counterexample lengths differ', () => {
    const row = compareRow('racy mutex', { C: 2 }, spin, por, alice(), { property: 'mutex', spinSteps: 6, spinError: 'assertion violated', aliceSteps: 7 });
    expect(row.problems).toEqual(['mutex: shortest counterexample, SPIN 6 steps, Alice 7 transitions']);
  });
});
