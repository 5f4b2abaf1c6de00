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
  it('lets any measured figure beat "never within the run", and two nevers give no data', () => {
    expect(compareLower(null, 5000)).toBe('candidate');
    expect(compareLower(10, null)).toBe('incumbent');
    expect(compareLower(null, null)).toBe('no data');
    expect(compareLower(undefined, 3)).toBe('no data');
  });
});

describe('recommend', () => {
  it('chooses the candidate from the smallest N at which it wins at every larger N, quoting that N', () => {
    const inc = majority([size(10, 100, 1000), size(50, 400, 1000), size(100, 900, 1000)]);
    const cand = swim([size(10, 95, 950), size(50, 200, 900), size(100, 210, 900)]);
    const r = recommend(inc, cand);
    expect(r.choice).toBe('candidate');
    expect(r.crossoverN).toBe(50);
    expect(r.sentence).toContain('N ≥ 50');
    expect(r.sentence).toContain('200 ms against 400 ms');
  });

  it('keeps the incumbent when the candidate loses at the largest measured size', () => {
    const r = recommend(majority([size(10, 500, 1000), size(100, 100, 1000)]), swim([size(10, 100, 900), size(100, 500, 900)]));
    expect(r.choice).toBe('incumbent');
    expect(r.crossoverN).toBeNull();
  });

  it('keeps the incumbent when the candidate violates a safety property, however fast it is', () => {
    const r = recommend(majority([size(10, 500, null)]), swim([size(10, 10, 10)], ['selfSovereignty']));
    expect(r.choice).toBe('incumbent');
    expect(r.sentence).toContain('R1');
  });

  it('does not let a faster candidate win when it sends at least twice the bytes', () => {
    const r = recommend(majority([size(10, 500, 500, 100)]), swim([size(10, 100, 100, 250)]));
    expect(r.choice).toBe('incumbent');
  });

  it('credits the candidate for detecting a crash the incumbent never detects', () => {
    const r = recommend(majority([size(10, 100, null)]), swim([size(10, 100, 3000)]));
    expect(r.choice).toBe('candidate');
    expect(r.sentence).toContain('never within the run');
  });

  it('prints every rule with the figures it read', () => {
    const inc = majority([size(10, 100, null)], null);
    const cand = swim([size(10, 50, 3000)]);
    const md = recommendationMarkdown(recommend(inc, cand), inc, cand);
    expect(md).toContain('| 10 | 100 | 50 | swim |');
    expect(md).toContain('majority: no checker results');
    expect(md).toMatch(/\*\*Decision\.\*\* Choose swim over majority/);
  });
});
