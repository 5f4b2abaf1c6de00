import { describe, expect, it } from 'vitest';
import { type ProtocolFigures, type SizeFigures, compareLower, recommend, recommendationMarkdown } from '../../experiment/recommend.js';

const size = (n: number, conv: number | null, det: number | null, bytes: number | null = 100): SizeFigures => ({
  n,
  updateConvergenceP99Ms: conv,
  crashDetectionLastMs: det,
  steadyBytesPerNodePerSec: bytes,
});
const majority = (sizes: SizeFigures[], safety: string[] | null = []): ProtocolFigures => ({ protocol: 'majority', sizes, safetyViolations: safety });
const swim = (sizes: SizeFigures[], safety: string[] | null = []): ProtocolFigures => ({ protocol: 'swim', sizes, safetyViolations: safety });

describe('compareLower', () => {
  it('treats a gap inside the tie band as a tie, not a win', () => {
    expect(compareLower(100, 90)).toBe('tie');
    expect(compareLower(100, 80)).toBe('candidate');
    expect(compareLower(80, 100)).toBe('incumbent');
  });
  it('treats a gap under the one-second floor as a tie, whatever the ratio', () => {
    expect(compareLower(0.9, 593, 0.2, 1000)).toBe('tie');
    expect(compareLower(5000, 1000, 0.2, 1000)).toBe('candidate');
  });
  it('lets any measured figure beat "never within the run", and two nevers give no data', () => {
    expect(compareLower(null, 5000)).toBe('candidate');
    expect(compareLower(10, null)).toBe('incumbent');
    expect(compareLower(null, null)).toBe('no data');
    expect(compareLower(undefined, 3)).toBe('no data');
  });
});

describe('recommend', () => {
  it('chooses the candidate from the smallest N at which it wins at every larger N, quoting that N', () => {
    const inc = majority([size(10, 1000, 10000), size(50, 4000, 10000), size(100, 9000, 10000)]);
    const cand = swim([size(10, 950, 9500), size(50, 2000, 9000), size(100, 2100, 9000)]);
    const r = recommend(inc, cand);
    expect(r.choice).toBe('candidate');
    expect(r.crossoverN).toBe(50);
    expect(r.sentence).toContain('N ≥ 50');
    expect(r.sentence).toContain('2000 ms against 4000 ms');
  });

  it('keeps the incumbent when the candidate loses at the largest measured size', () => {
    const r = recommend(majority([size(10, 5000, 10000), size(100, 1000, 10000)]), swim([size(10, 1000, 9000), size(100, 5000, 9000)]));
    expect(r.choice).toBe('incumbent');
    expect(r.crossoverN).toBeNull();
  });

  it('keeps the incumbent when the candidate violates a safety property, however fast it is', () => {
    const r = recommend(majority([size(10, 500, null)]), swim([size(10, 10, 10)], ['selfSovereignty']));
    expect(r.choice).toBe('incumbent');
    expect(r.sentence).toContain('R1');
  });

  it('does not let a faster candidate win when it sends at least twice the bytes', () => {
    const r = recommend(majority([size(10, 5000, 5000, 100)]), swim([size(10, 1000, 1000, 250)]));
    expect(r.choice).toBe('incumbent');
  });

  it('credits the candidate for detecting a crash the incumbent never detects', () => {
    const r = recommend(majority([size(10, 1000, null)]), swim([size(10, 1000, 3000)]));
    expect(r.choice).toBe('candidate');
    expect(r.sentence).toContain('never within the run');
  });

  it('prints every rule with the figures it read', () => {
    const inc = majority([size(10, 2000, null)], null);
    const cand = swim([size(10, 500, 3000)]);
    const md = recommendationMarkdown(recommend(inc, cand), inc, cand);
    expect(md).toContain('| 10 | 2000 | 500 | swim |');
    expect(md).toContain('majority: no checker results');
    expect(md).toMatch(/\*\*Decision\.\*\* Choose swim over majority/);
  });
});
