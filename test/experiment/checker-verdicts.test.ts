import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellText, decodeCheckerRuns, fairEnding, loadPropertyTable, propertyTable, propertyTableMarkdown, reachedText } from '../../experiment/checker-verdicts.js';
import { DecodeError } from '../../spec/errors.js';
import { tempDir } from '../fixtures/temp-dir.js';

interface V {
  property: string;
  status: string;
  steps?: number;
  temporal?: string;
  violation?: { detail: string };
}

const run = (protocol: string, depth: number, verdicts: V[], traces: string[] = [], extra: Record<string, unknown> = {}) => ({
  protocol,
  options: { nodes: 3, strategy: 'bfs', maxDepth: 30, timeLimitSec: 60, eventuallyBound: 200, faults: ['crash'], timing: 'async' },
  stats: { distinct: 373_641, depth, seconds: 60.05, stoppedBy: 'time' },
  verdicts,
  traces,
  ...extra,
});

const table = (runs: unknown[]) => {
  const t = propertyTable(decodeCheckerRuns(runs));
  if (!t.produced) throw new Error('expected a table');
  return t;
};

describe('the bound a verdict holds up to', () => {
  it('is the depth the run reached, not the depth it was allowed', () => {
    const t = table([run('majority', 7, [{ property: 'agreement', status: 'holds' }])]);
    const md = propertyTableMarkdown(t);
    expect(cellText(t.cells.agreement.majority)).toBe('holds to depth 6');
    expect(md).not.toMatch(/depth 30/);
  });

  it('says how many states were checked and what stopped the run', () => {
    const [r] = decodeCheckerRuns([run('swim', 7, [])]);
    expect(reachedText(r)).toBe('every state within 6 steps and part of depth 7 checked (373,641 distinct states), stopped by the 60 s time limit, well short of its depth limit 30');
  });

  it('calls an exhausted state space exhaustive', () => {
    const exhausted = { ...run('swim', 12, [{ property: 'agreement', status: 'holds' }]), stats: { distinct: 900, depth: 12, seconds: 1, stoppedBy: 'exhausted' } };
    expect(reachedText(decodeCheckerRuns([exhausted])[0])).toMatch(/^depth 12 reached, 900 distinct states, state space exhausted/);
    expect(cellText(table([exhausted]).cells.agreement.swim)).toBe('holds exhaustively');
  });

  it('says so when a run recorded no statistics', () => {
    const [r] = decodeCheckerRuns([{ protocol: 'swim', verdicts: [] }]);
    expect(reachedText(r)).toMatch(/how far it got was not recorded/);
  });
});

describe('violations', () => {
  it('lets one violation win over any number of holds, with its trace file', () => {
    const t = table([
      run('majority', 4, [{ property: 'agreement', status: 'holds' }]),
      run('majority', 8, [{ property: 'accuracy', status: 'violated', steps: 3 }, { property: 'agreement', status: 'violated', steps: 7 }], ['acc.json', 'agr.json']),
      run('majority', 9, [{ property: 'agreement', status: 'holds' }]),
    ]);
    expect(t.cells.agreement.majority).toMatchObject({ status: 'violated', trace: 'agr.json', steps: 7 });
  });

  it('tells a fair run that ran out of steps from one that cycles', () => {
    expect(fairEnding('n1 still holds crashed n3 as alive (not within 200 fair steps; a larger --eventually-bound may reach it)')).toBe('bound');
    expect(fairEnding('n2 still holds crashed n1 as alive (never: the fair run cycles after 69 steps)')).toBe('lasso');
    expect(fairEnding('n2 still holds crashed n1 as alive (never: no fair step left after 3 steps)')).toBe('stuck');
    expect(fairEnding('n1 removed live, reachable n2')).toBeUndefined();
  });

  it('prints a bound-limited eventually verdict as not reached within the bound, once', () => {
    const detail = 'n2 and n3 disagree about n3 (not within 200 fair steps; a larger --eventually-bound may reach it)';
    const t = table([run('swim', 7, [{ property: 'agreement', status: 'violated', steps: 204, violation: { detail } }], ['docs/results/traces/swim.agreement.json'])]);
    const text = cellText(t.cells.agreement.swim, (p) => `../${p}`);
    expect(text).toMatch(/^\*\*not reached within 200 fair steps\*\*/);
    expect(text).toContain('n2 and n3 disagree about n3');
    expect(text).not.toContain('a larger --eventually-bound');
    expect(text).toContain('](../docs/results/traces/swim.agreement.json)');
  });

  it('prints a cycling eventually verdict as never holding', () => {
    const detail = 'n2 still holds crashed n1 as alive (never: the fair run cycles after 69 steps)';
    const t = table([run('majority', 7, [{ property: 'completeness', status: 'violated', steps: 72, violation: { detail } }], ['c.json'])]);
    expect(cellText(t.cells.completeness.majority)).toMatch(/^\*\*violated\*\* in 72 steps \(a fair cycle: never holds\)/);
  });
});

describe('configurations', () => {
  it('gives each configuration its own column, speaking for its protocol', () => {
    const t = table([
      run('swim', 7, [{ property: 'accuracy', status: 'violated', steps: 4 }], ['a.json'], { configuration: { id: 'swim', speaksFor: 'swim', what: 'push-pull off' } }),
      { ...run('swim', 6, [{ property: 'accuracy', status: 'holds' }]), options: { ...run('swim', 6, []).options, timing: 'bounded' }, configuration: { id: 'swim-bounded', speaksFor: 'swim', what: 'bounded' } },
      run('swim-pushpull', 6, [{ property: 'accuracy', status: 'violated', steps: 4 }], ['p.json'], { configuration: { id: 'swim-pushpull', speaksFor: 'swim', what: 'push-pull on' } }),
    ]);
    expect(t.columns.map((c) => [c.id, c.speaksFor, c.timing])).toEqual([
      ['swim', 'swim', 'async'],
      ['swim-bounded', 'swim', 'bounded'],
      ['swim-pushpull', 'swim', 'async'],
    ]);
    expect(t.cells.accuracy['swim-bounded'].status).toBe('holds');
    expect(propertyTableMarkdown(t)).toContain('| swim-pushpull | swim-pushpull | push-pull on |');
  });

  it('names a bare summary under bounded timing apart from the async one', () => {
    const bounded = { ...run('majority', 5, []), options: { ...run('majority', 5, []).options, timing: 'bounded' } };
    expect(decodeCheckerRuns([bounded])[0].column).toBe('majority-bounded');
  });

  it('marks a pair no run covered as not checked instead of inventing a verdict', () => {
    const t = table([run('swim', 5, [{ property: 'accuracy', status: 'holds' }]), run('majority', 5, [{ property: 'freshness', status: 'holds' }])]);
    expect(t.cells.accuracy.majority.status).toBe('not checked');
    expect(propertyTableMarkdown(t)).toContain('| accuracy | holds to depth 4 | not checked |');
  });
});

describe('loadPropertyTable', () => {
  it('says "not yet produced" when the checker has written no results', () => {
    const t = loadPropertyTable(join(tmpdir(), 'alice-no-such-verdicts.json'));
    expect(t.produced).toBe(false);
    expect(propertyTableMarkdown(t)).toMatch(/^_Property table not yet produced: no checker results at /);
  });

  it('rejects a broken file naming the offending field', () => {
    const dir = tempDir('alice-verdicts-');
    const bad = join(dir, 'v.json');
    writeFileSync(bad, JSON.stringify([run('swim', 1, [{ property: 'agreement', status: 'maybe' }])]));
    expect(() => loadPropertyTable(bad)).toThrow(/runs\[0\]\.verdicts\[0\]\.status/);
    writeFileSync(bad, '{not json');
    expect(() => loadPropertyTable(bad)).toThrow(DecodeError);
  });

  it('reads a single `alice check --json` summary as one run', () => {
    const dir = tempDir('alice-verdicts-');
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify(run('swim', 2, [{ property: 'selfSovereignty', status: 'holds' }])));
    const t = loadPropertyTable(one);
    expect(t.produced && t.columns.map((c) => c.id)).toEqual(['swim']);
  });
});
