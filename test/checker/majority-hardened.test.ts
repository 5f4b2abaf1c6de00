/**
 * The checker's evidence for majority-hardened (issue 12 item 2d), at sizes a test can afford: the
 * baseline's violations are still found, and the hardened variant's search ends with none. The
 * larger runs behind docs/majority.md are made with `alice check` (commands there).
 */
import { describe, expect, it } from 'vitest';
import { EXIT, check, exitCode } from '../../checker/index.js';
import { modelProtocol } from '../../cli/protocols.js';

const TWO = ['noRegression', 'orderIndependence'];
const exhaustive = { maxStates: 0, timeLimitSec: 0 } as const;
const status = (r: ReturnType<typeof check>, p: string) => r.verdicts.find((v) => v.property === p)!;

describe('majority baseline: the violations the hardened variant removes are still found', () => {
  it('violates noRegression in 4 transitions and orderIndependence in 6, at 3 nodes with one update', () => {
    const r = check(modelProtocol('majority-finite'), { nodes: 3, faults: ['update'], faultBudget: 1, properties: TWO, ...exhaustive });
    for (const [p, steps] of [['noRegression', 4], ['orderIndependence', 6]] as const) {
      expect(status(r, p).status).toBe('violated');
      // Expected: the baseline does not claim either (spec/majority-properties.ts), so nothing fails.
      expect(status(r, p).expected).toBeDefined();
      expect(status(r, p).trace!.steps.length - 1).toBe(steps);
    }
  });

  it('violates noRegression with the declared faults in the full model (re-announce and health loop on)', () => {
    const r = check(modelProtocol('majority'), { nodes: 3, properties: ['noRegression'], ...exhaustive });
    expect(status(r, 'noRegression').status).toBe('violated');
    expect(status(r, 'noRegression').trace!.steps.length - 1).toBe(4);
  });
});

describe('majority-hardened: the search completes with no violation', () => {
  it('holds noRegression at 2 nodes with the declared faults (crash, update; budget 2), where the baseline fails', () => {
    const options = { nodes: 2, faults: ['crash', 'update'] as const, faultBudget: 2, properties: TWO, ...exhaustive };
    const baseline = check(modelProtocol('majority-finite'), { ...options, faults: [...options.faults], properties: ['noRegression'], stopAtFirst: true });
    expect(status(baseline, 'noRegression').status).toBe('violated');
    const r = check(modelProtocol('majority-hardened-finite'), { ...options, faults: [...options.faults] });
    expect(r.coverage).toMatchObject({ complete: true, frontier: 0 });
    for (const p of TWO) expect(status(r, p).status).toBe('holds');
    expect(exitCode(r.verdicts, r.coverage)).toBe(EXIT.ok);
  });

  it('holds orderIndependence and noRegression at 3 nodes without faults, every resolution of 2 replies in both orders', () => {
    const r = check(modelProtocol('majority-hardened-finite'), { nodes: 3, faults: [], faultBudget: 0, properties: TWO, ...exhaustive });
    expect(r.coverage.complete).toBe(true);
    for (const p of TWO) expect(status(r, p).status).toBe('holds');
  });

  it('claims both properties, so a violation would fail the check instead of being expected', () => {
    for (const p of TWO) {
      expect(modelProtocol('majority').assumptions?.[p]?.never).toBeDefined();
      expect(modelProtocol('majority-hardened').assumptions?.[p]?.never).toBeUndefined();
    }
    // The full model's state space has no end: a bounded search says so rather than "holds".
    const r = check(modelProtocol('majority-hardened'), { nodes: 3, properties: TWO, maxStates: 3_000, timeLimitSec: 0 });
    for (const p of TWO) expect(status(r, p).status).toBe('no-violation-found');
    expect(r.coverage.boundsHit).toContainEqual({ bound: 'states', limit: '3,000 states' });
  });
});
