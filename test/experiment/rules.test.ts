/**
 * The decision rules (experiment/rules.ts) as a specification: they cannot favour an option by its
 * label or its place in a list, figures that favour the incumbent keep it, a challenger needs a routing
 * win and no loss, costs only stop a move, "never" loses, and safety comes first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INCUMBENT, type MetricId, type OptionFigures, RULES, type RuleInput, THRESHOLDS, compare, judge } from '../../experiment/rules.js';

const SIZES = [10, 100] as const;

/** Figures at every size for every metric, from one value per metric. */
function figures(v: Partial<Record<MetricId, number | null>>): OptionFigures {
  const base: Record<MetricId, number | null> = {
    'routing-crash': 7_000,
    'routing-ready-false': 5_000,
    'routing-join': 5_000,
    'lb-crash': null,
    'false-removals': 40,
    'false-removal-time': 60_000,
    'partition-heal': 10_000,
    'lb-traffic': 2_000,
    'lb-memory': 50_000,
    'backend-traffic': 500,
    'backend-memory': 2_000,
    ...v,
  };
  return Object.fromEntries(Object.entries(base).map(([m, x]) => [m, Object.fromEntries(SIZES.map((n) => [n, x]))]));
}

/** Today's Inferno: health checks every 5 s, one failure removes, nobody notices a crashed LB. */
const incumbent = figures({});
/** A challenger that notices everything faster and removes fewer live backends, at modest cost. */
const strong = figures({ 'routing-crash': 1_500, 'lb-crash': 2_000, 'false-removals': 2, 'false-removal-time': 3_000, 'lb-traffic': 3_000, 'backend-traffic': 800 });
/** A challenger that is slower at everything a load balancer does. */
const weak = figures({ 'routing-crash': 20_000, 'routing-ready-false': 15_000, 'routing-join': 12_000, 'false-removals': 200 });

const input = (figs: Record<string, OptionFigures>, safety: RuleInput['safety'] = {}): RuleInput => ({
  incumbent: INCUMBENT,
  figures: figs,
  safety: Object.fromEntries(Object.keys(figs).map((o) => [o, safety[o] ?? []])),
});

const chosen = (i: RuleInput): string | readonly string[] => {
  const d = judge(i).decision;
  return d.kind === 'tie' ? d.options : d.option;
};

describe('labels and positions', () => {
  it('swapping the labels of two challengers swaps the verdict', () => {
    expect(chosen(input({ [INCUMBENT]: incumbent, swim: strong, hybrid: weak }))).toBe('swim');
    expect(chosen(input({ [INCUMBENT]: incumbent, swim: weak, hybrid: strong }))).toBe('hybrid');
  });

  it('swapping the incumbent’s figures with the winner’s keeps the incumbent, now holding the winning figures', () => {
    expect(chosen(input({ [INCUMBENT]: incumbent, hybrid: strong }))).toBe('hybrid');
    expect(judge(input({ [INCUMBENT]: strong, hybrid: incumbent })).decision.kind).toBe('keep');
  });

  it('gives the same verdict whatever order the options are listed in', () => {
    const a = judge(input({ [INCUMBENT]: incumbent, swim: strong, hybrid: weak, 'majority-mesh': weak }));
    const b = judge(input({ 'majority-mesh': weak, hybrid: weak, swim: strong, [INCUMBENT]: incumbent }));
    expect(b.decision).toEqual(a.decision);
  });

  it('calls two challengers with the same figures a tie, naming both', () => {
    const d = judge(input({ [INCUMBENT]: incumbent, swim: strong, hybrid: strong })).decision;
    expect(d).toMatchObject({ kind: 'tie', options: ['hybrid', 'swim'] });
  });
});

describe('the incumbent', () => {
  it('wins with figures that should make it win', () => {
    const d = judge(input({ [INCUMBENT]: incumbent, swim: weak, hybrid: weak, 'majority-mesh': weak })).decision;
    expect(d).toMatchObject({ kind: 'keep', option: INCUMBENT });
  });

  it('stays when a challenger only ties it', () => {
    expect(judge(input({ [INCUMBENT]: incumbent, swim: figures({ 'routing-crash': 7_500 }) })).decision.kind).toBe('keep');
  });

  it('stays when the challenger wins one routing rule and loses another', () => {
    const mixed = figures({ 'routing-crash': 1_000, 'routing-join': 30_000 });
    expect(judge(input({ [INCUMBENT]: incumbent, swim: mixed })).decision.kind).toBe('keep');
  });

  it('stays when the challenger wins on routing but costs far more at the load balancers', () => {
    const costly = { ...strong, 'lb-memory': { 10: 50_000 * 3 + THRESHOLDS.memoryFloorBytes, 100: 50_000 * 3 + THRESHOLDS.memoryFloorBytes } };
    expect(judge(input({ [INCUMBENT]: incumbent, swim: costly })).decision.kind).toBe('keep');
  });
});

describe('what the rules weigh', () => {
  it('moves to a challenger that wins a routing rule and loses none, from the smallest size it holds at', () => {
    expect(judge(input({ [INCUMBENT]: incumbent, hybrid: strong })).decision).toMatchObject({ kind: 'move', option: 'hybrid', fromN: 10 });
  });

  it('counts "never" as losing to any time', () => {
    const r = RULES.find((x) => x.metric === 'lb-crash')!;
    expect(compare(r, null, 60_000)).toBe('b');
    expect(compare(r, null, null)).toBe('tie');
  });

  it('calls a gap under the timing floor a tie whatever its ratio', () => {
    const r = RULES.find((x) => x.metric === 'routing-crash')!;
    expect(compare(r, 0.6, 900)).toBe('tie');
  });

  it('never lets a cost rule favour the challenger, however cheap it is', () => {
    const r = RULES.find((x) => x.metric === 'backend-memory')!;
    expect(compare(r, 10_000_000, 1)).toBe('tie');
    expect(compare(r, 1, 10_000_000)).toBe('a');
  });

  it('judges only sizes at which both options have every routing figure', () => {
    const partial = { ...strong, 'routing-join': { 10: 5_000 } };
    const c = judge(input({ [INCUMBENT]: incumbent, swim: partial })).challenges[0];
    expect(c.judgedSizes).toEqual([10]);
  });

  it('does not move without an incumbent measured', () => {
    expect(judge(input({ swim: strong })).decision).toMatchObject({ kind: 'keep', option: INCUMBENT });
  });
});

describe('safety first', () => {
  it('does not choose a challenger the checker shows violating an always property over a safe incumbent', () => {
    expect(judge(input({ [INCUMBENT]: incumbent, swim: strong }, { swim: ['noRegression'] })).decision.kind).toBe('keep');
  });

  it('moves from an unsafe incumbent to a safe challenger that loses no rule, even without a routing win', () => {
    const same = figures({});
    expect(judge(input({ [INCUMBENT]: incumbent, hybrid: same }, { [INCUMBENT]: ['noRegression'] })).decision).toMatchObject({ kind: 'move', option: 'hybrid' });
  });

  it('lists an option the checker has not judged as unchecked, not as unsafe', () => {
    const v = judge({ incumbent: INCUMBENT, figures: { [INCUMBENT]: incumbent, hybrid: strong }, safety: { [INCUMBENT]: [], hybrid: null } });
    expect(v.unchecked).toEqual(['hybrid']);
    expect(v.unsafe).toEqual([]);
  });
});

describe('the prose twin, docs/rules.md', () => {
  const prose = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');

  it('names every rule the code has', () => {
    for (const r of RULES) expect(prose, r.id).toContain(`**${r.id}**`);
  });

  it('states the thresholds the code uses', () => {
    expect(prose).toContain(`${THRESHOLDS.tieBand * 100} %`);
    expect(prose).toContain(`**${THRESHOLDS.timingFloorMs / 1000} s**`);
    expect(prose).toContain(`**${THRESHOLDS.removalTimeFloorMs / 1000} s**`);
    expect(prose).toContain(`**${THRESHOLDS.trafficFloorBytesPerSec / 1000} kB/s**`);
    expect(prose).toContain(`**${THRESHOLDS.memoryFloorBytes / 1e6} MB**`);
    expect(prose).toContain(`**${1 + THRESHOLDS.costAllowance}×**`);
  });
});
