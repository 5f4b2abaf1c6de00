import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckerRuns, loadPropertyTable, propertyTable, propertyTableMarkdown } from '../../experiment/checker-verdicts.js';
import { DecodeError } from '../../spec/errors.js';

const run = (protocol: string, depth: number, verdicts: { property: string; status: string; steps?: number }[], traces: string[] = []) => ({
  protocol,
  options: { nodes: 3, strategy: 'bfs', maxDepth: depth, faults: ['crash'], timing: 'async' },
  stats: { distinct: 10 },
  verdicts,
  traces,
});

describe('propertyTable', () => {
  it('reports a property as holding up to the bound of every run that checked it', () => {
    const t = propertyTable(decodeCheckerRuns([run('swim', 6, [{ property: 'agreement', status: 'holds' }]), run('swim', 9, [{ property: 'agreement', status: 'holds' }])]));
    expect(t.produced && t.cells.agreement.swim).toEqual({ status: 'holds', bounds: ['3 nodes, bfs, depth 6, faults crash, async timing', '3 nodes, bfs, depth 9, faults crash, async timing'] });
  });

  it('lets one violation win over any number of holds, with its trace file', () => {
    const t = propertyTable(
      decodeCheckerRuns([
        run('majority', 4, [{ property: 'agreement', status: 'holds' }]),
        run('majority', 8, [{ property: 'accuracy', status: 'violated', steps: 3 }, { property: 'agreement', status: 'violated', steps: 7 }], ['acc.json', 'agr.json']),
        run('majority', 9, [{ property: 'agreement', status: 'holds' }]),
      ]),
    );
    expect(t.produced && t.cells.agreement.majority).toMatchObject({ status: 'violated', trace: 'agr.json', steps: 7 });
  });

  it('marks a pair no run covered as not checked instead of inventing a verdict', () => {
    const t = propertyTable(decodeCheckerRuns([run('swim', 5, [{ property: 'accuracy', status: 'holds' }]), run('majority', 5, [{ property: 'freshness', status: 'holds' }])]));
    expect(t.produced && t.cells.accuracy.majority.status).toBe('not checked');
    expect(propertyTableMarkdown(t)).toContain('| accuracy | not checked | holds up to');
  });
});

describe('loadPropertyTable', () => {
  it('says "not yet produced" when the checker has written no results', () => {
    const t = loadPropertyTable(join(tmpdir(), 'alice-no-such-verdicts.json'));
    expect(t.produced).toBe(false);
    expect(propertyTableMarkdown(t)).toMatch(/^_Property table not yet produced: no checker results at /);
  });

  it('rejects a broken file naming the offending field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alice-verdicts-'));
    const bad = join(dir, 'v.json');
    writeFileSync(bad, JSON.stringify([run('swim', 1, [{ property: 'agreement', status: 'maybe' }])]));
    expect(() => loadPropertyTable(bad)).toThrow(/runs\[0\]\.verdicts\[0\]\.status/);
    writeFileSync(bad, '{not json');
    expect(() => loadPropertyTable(bad)).toThrow(DecodeError);
  });

  it('reads a single `alice check --json` summary as one run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alice-verdicts-'));
    const one = join(dir, 'one.json');
    writeFileSync(one, JSON.stringify(run('swim', 2, [{ property: 'selfSovereignty', status: 'holds' }])));
    const t = loadPropertyTable(one);
    expect(t.produced && t.protocols).toEqual(['swim']);
  });
});
