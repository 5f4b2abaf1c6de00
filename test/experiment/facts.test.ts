/**
 * The facts layer: which runs are evidence, that no table or chart shows a figure of a run that is
 * not, that every figure names its run and provenance, and that the verdict is the rules' on the
 * figures of valid runs only.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DecisionFacts, decisionFacts } from '../../experiment/facts/decision.js';
import type { RepoHistory } from '../../experiment/facts/git.js';
import type { Cell } from '../../experiment/facts/metrics.js';
import { type ResultsInput, type RunRef, judgeRuns, runValidity } from '../../experiment/facts/runs.js';
import { loadPropertyTable } from '../../experiment/checker-verdicts.js';
import { buildReport } from '../../experiment/report.js';
import { readResults } from '../../experiment/results.js';
import { FAST_AND_CHEAP, INFERNO_TODAY, fakeRouting, resultsFile, routingRuns } from './contract-fixture.js';
import { tempDir } from '../fixtures/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const NO_CHECKER = loadPropertyTable(join(tmpdir(), 'alice-no-checker.json'));
const history = (atOrAfter: boolean | null = true): RepoHistory => ({ ruleCommit: { commit: 'abc1234000000000000000000000000000000000', date: '2026-12-06T05:00:00Z' }, atOrAfterRules: () => atOrAfter });
const facts = (files: ResultsInput[], h = history()): DecisionFacts => decisionFacts({ files, checker: NO_CHECKER, history: h });

describe('a valid run', () => {
  it('finished and passed its event and its observation window', () => {
    expect(runValidity(fakeRouting({ protocol: 'swim', scenario: 'routing-crash', n: 10, observeEndMs: 90_000, virtualMs: 90_000 })).valid).toBe(true);
  });

  it('is not one stopped by its budget before its event', () => {
    expect(runValidity(fakeRouting({ protocol: 'swim', scenario: 'routing-loss-30', n: 1000, status: 'aborted', eventAtMs: 68_000, virtualMs: 68_000 }))).toMatchObject({ valid: false, reason: 'stopped before its event' });
  });

  it('is not one stopped by its budget after its event', () => {
    expect(runValidity(fakeRouting({ protocol: 'swim', scenario: 'routing-crash', n: 1000, status: 'aborted', eventAtMs: 30_000, virtualMs: 40_000 }))).toMatchObject({ valid: false, reason: 'stopped by its budget' });
  });

  it('is not one marked ok that ended before its observation window did', () => {
    expect(runValidity(fakeRouting({ protocol: 'swim', scenario: 'routing-crash', n: 10, observeEndMs: 90_000, virtualMs: 60_000 }))).toMatchObject({ valid: false, reason: 'stopped before its observation window ended' });
  });

  it('excludes the SWIM 10,000-node warm-loss-10 run in the committed scale results, which stopped before the loss phase', () => {
    const judged = judgeRuns([{ path: 'docs/results/scale.json', results: readResults(join(ROOT, 'docs/results/scale.json')) }]);
    const j = judged.find((x) => x.run.protocol === 'swim' && x.run.scenario === 'warm-loss-10' && x.run.n === 10_000);
    expect(j?.validity).toMatchObject({ valid: false, reason: 'stopped before its event' });
  });

  it('counts the completed SWIM 1,000-node cold loss-20 and loss-30 runs in the committed scale results as valid', () => {
    const judged = judgeRuns([{ path: 'docs/results/scale.json', results: readResults(join(ROOT, 'docs/results/scale.json')) }]);
    for (const s of ['loss-20', 'loss-30']) {
      const j = judged.find((x) => x.run.protocol === 'swim' && x.run.scenario === s && x.run.n === 1000);
      expect(j?.validity).toMatchObject({ valid: true });
    }
  });
});

/** A file with valid runs for three options at two sizes, plus planted invalid runs with figures no valid run has. */
function planted(): { files: ResultsInput[]; invalid: { protocol: string; scenario: string; n: number }[]; sentinels: string[] } {
  const good = [
    ...routingRuns('inferno-current', 10, INFERNO_TODAY),
    ...routingRuns('inferno-current', 1000, INFERNO_TODAY),
    ...routingRuns('swim', 10, FAST_AND_CHEAP),
    ...routingRuns('swim', 1000, FAST_AND_CHEAP).filter((r) => r.scenario !== 'routing-loss-30'),
    ...routingRuns('hybrid', 10, FAST_AND_CHEAP),
    ...routingRuns('hybrid', 1000, FAST_AND_CHEAP).filter((r) => r.scenario !== 'routing-crash'),
  ];
  const bad = [
    // Stopped before the loss phase began: 0 would read as "no false removals"; here a sentinel.
    fakeRouting({ protocol: 'swim', scenario: 'routing-loss-30', n: 1000, status: 'aborted', eventAtMs: 68_000, virtualMs: 68_000, falseRemovals: 4242, longestMs: 8_765_432, lbBytes: 7777, lbState: 31_337 }),
    // Marked ok but short of its window.
    fakeRouting({ protocol: 'hybrid', scenario: 'routing-crash', n: 1000, allMs: 876_543, observeEndMs: 90_000, virtualMs: 60_000, lbBytes: 6_543_210, backendState: 9_876_543 }),
  ];
  return {
    files: [{ path: join(ROOT, 'fixture.json'), results: resultsFile([...good, ...bad]) }],
    invalid: bad.map((r) => ({ protocol: r.protocol, scenario: r.scenario, n: r.n })),
    sentinels: ['4242', '4,242', '8,765', '8765', '876.5 s', '876,543', '7,777', '31.3 kB', '6,543,210', '9.88 MB'],
  };
}

const figureRefs = (c: Cell): readonly RunRef[] => (c.kind === 'figure' ? c.figure.runs : []);

describe('every table and chart', () => {
  const p = planted();
  const f = facts(p.files);
  const isInvalid = (r: RunRef) => p.invalid.some((x) => x.protocol === r.protocol && x.scenario === r.scenario && x.n === r.n);

  it('takes no figure from an invalid run in any metric table', () => {
    for (const t of f.tables) for (const o of t.options) for (const n of t.sizes) expect(figureRefs(t.cells[o][n]).filter(isInvalid)).toEqual([]);
  });

  it('takes no figure from an invalid run in the loss table', () => {
    for (const l of f.loss.levels) for (const c of f.loss.cells[l]) expect(figureRefs(c).filter(isInvalid)).toEqual([]);
  });

  it('plots no point from an invalid run', () => {
    expect(f.charts.length).toBeGreaterThan(0);
    for (const c of f.charts) for (const s of c.series) for (const pt of s.points) expect(pt.runs.filter(isInvalid)).toEqual([]);
  });

  it('marks the cell of an invalid run with its reason instead of a figure', () => {
    const loss30 = f.loss.cells[30][f.loss.columns.findIndex((c) => c.option === 'swim' && c.n === 1000)];
    expect(loss30).toMatchObject({ kind: 'invalid', reason: 'stopped before its event' });
    const crash = f.tables.find((t) => t.metric === 'routing-crash')!;
    expect(crash.cells.hybrid[1000]).toMatchObject({ kind: 'invalid', reason: 'stopped before its observation window ended' });
  });

  it('leaves the sum over the loss sweep unmeasured when one of its runs is invalid', () => {
    expect(f.tables.find((t) => t.metric === 'false-removals')!.cells.swim[1000].kind).toBe('invalid');
  });

  it('prints none of an invalid run’s figures anywhere in the report or its charts', () => {
    const dir = tempDir('alice-facts-');
    const r = buildReport(p.files, { outDir: dir, checkerPath: join(dir, 'none.json'), root: ROOT, regenerate: 'test', history: history() });
    const text = [r.markdown, ...Object.values(r.charts)].join('\n');
    for (const s of p.sentinels) expect(text, s).not.toContain(s);
    expect(r.markdown).toContain('not evidence (stopped before its event)');
  });
});

describe('the verdict on the facts', () => {
  const both = (incumbentShape = INFERNO_TODAY, swimShape = FAST_AND_CHEAP): ResultsInput[] => [
    { path: 'f.json', results: resultsFile([...routingRuns('inferno-current', 10, incumbentShape), ...routingRuns('swim', 10, swimShape)]) },
  ];

  it('moves to the challenger whose runs are faster at every load balancer and remove fewer live backends', () => {
    expect(facts(both()).verdict.decision).toMatchObject({ kind: 'move', option: 'swim' });
  });

  it('keeps the incumbent when it holds those figures', () => {
    expect(facts(both(FAST_AND_CHEAP, INFERNO_TODAY)).verdict.decision).toMatchObject({ kind: 'keep', option: 'inferno-current' });
  });

  it('reads "nobody notices" a crashed load balancer as never, with the reason', () => {
    const c = facts(both()).tables.find((t) => t.metric === 'lb-crash')!.cells['inferno-current'][10];
    expect(c).toMatchObject({ kind: 'figure', figure: { value: null } });
    expect(c.kind === 'figure' && c.figure.note).toMatch(/nobody notices/);
  });

  it('gives five numbers, each a rule the decision read at the size it is about', () => {
    const h = facts(both()).headline;
    expect(h).toHaveLength(5);
    expect(h.every((x) => x.n === 10 && x.option === 'swim')).toBe(true);
  });

  it('reads majority results as the majority-mesh option', () => {
    const f = facts([{ path: 'f.json', results: resultsFile([...routingRuns('inferno-current', 10, INFERNO_TODAY), ...routingRuns('majority', 10, INFERNO_TODAY)]) }]);
    expect(f.options).toEqual(['inferno-current', 'majority-mesh']);
  });
});

describe('provenance', () => {
  it('names each run’s own batch and marks figures from a dirty tree', () => {
    const runs = [...routingRuns('inferno-current', 10, INFERNO_TODAY), ...routingRuns('swim', 10, FAST_AND_CHEAP)].map((r, i) =>
      i === 0 ? { ...r, revision: { commit: 'dddd000000000000000000000000000000000000', dirty: true } } : r,
    );
    const f = facts([{ path: 'f.json', results: resultsFile(runs) }]);
    expect(f.dirty).toEqual([{ file: 'f.json', commit: 'dddd000000000000000000000000000000000000', dirty: true, runs: 1 }]);
  });

  it('says a run of a merged file that did not record its batch is possibly dirty when one of the batches was', () => {
    const file = { ...resultsFile(routingRuns('inferno-current', 10, INFERNO_TODAY)), sources: [
      { path: 'm.json', commit: 'a'.repeat(40), dirty: false, seed: 1, command: 'x' },
      { path: 'm.json', commit: 'b'.repeat(40), dirty: true, seed: 1, command: 'y' },
    ] };
    const f = facts([{ path: 'm.json', results: file }]);
    expect(f.dirty[0]).toMatchObject({ commit: null, dirty: 'possibly' });
    expect(f.provenance).toHaveLength(2);
  });

  it('counts the runs behind the rules made at or after the commit that last changed the rules', () => {
    const files = [{ path: 'f.json', results: resultsFile(routingRuns('inferno-current', 10, INFERNO_TODAY)) }];
    // Nine runs: every routing scenario but the 0 % loss control, which no rule reads.
    expect(facts(files, history(true)).rules.judgedRuns).toMatchObject({ atOrAfter: 9, before: 0 });
    expect(facts(files, history(false)).rules.judgedRuns).toMatchObject({ atOrAfter: 0, before: 9 });
  });
});

describe('false removals a health round had decided but not yet made', () => {
  const withPending = (pct: number, made: number, pending: number) => {
    const r = fakeRouting({ protocol: 'inferno-current', scenario: `routing-loss-${pct}`, n: 1000, falseRemovals: made });
    return { ...r, sim: { ...r.sim, falsePositives: { ...r.sim.falsePositives, pending } } };
  };

  it('count in R5 beside the ones made, with a note saying how many were still to come', () => {
    const runs = [withPending(5, 0, 0), withPending(10, 1, 0), withPending(20, 0, 2), withPending(30, 3, 19)];
    const f = facts([{ path: 'r.json', results: resultsFile(runs) }]);
    const cell = f.tables.find((t) => t.metric === 'false-removals')!.cells['inferno-current'][1000];
    expect(cell).toMatchObject({ kind: 'figure', figure: { value: 25, note: '21 of them decided by a health round still under way at the end of the run' } });
  });
});
