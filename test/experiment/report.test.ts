/**
 * The results file and the report built from it: bad files are refused with the field named, the
 * report is written whole, its property table says "not yet produced" without checker output, and its
 * decision is the one the written rules give for the figures in the results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BenchRun, runBench } from '../../experiment/bench.js';
import { decisionFacts } from '../../experiment/facts/decision.js';
import { buildReport, writeReport } from '../../experiment/report.js';
import { type ResultsFile, decodeResults, mergeResults, readResults } from '../../experiment/results.js';
import { summaryTable } from '../../experiment/summary.js';
import { SCENARIO_GROUPS } from '../../experiment/scenarios.js';
import { loadPropertyTable } from '../../experiment/checker-verdicts.js';
import { DecodeError } from '../../spec/errors.js';
import { FAST_AND_CHEAP, INFERNO_TODAY, resultsFile, routingRuns } from './contract-fixture.js';
import { tempDir } from '../fixtures/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let results: ResultsFile;

beforeAll(() => {
  results = runBench({
    protocols: ['majority', 'swim'],
    sizes: [5],
    scenarios: ['update-address', 'crash-one', 'loss-10'],
    seed: 1,
    run: {},
    command: 'test',
    root: ROOT,
  });
}, 120_000);

describe('results file', () => {
  it('records the commit, the seed and every run', () => {
    expect(results.seed).toBe(1);
    expect(results.runs).toHaveLength(6);
    expect(results.commit === null || /^[0-9a-f]{40}$/.test(results.commit)).toBe(true);
  });

  it('records the machine load around each run, beside what the run measured', () => {
    for (const r of results.runs as BenchRun[]) {
      expect(r.host?.cores).toBeGreaterThanOrEqual(1);
      expect(r.host?.loadBefore).toBeGreaterThanOrEqual(0);
      expect(r.host?.loadAfter).toBeGreaterThanOrEqual(0);
    }
  });

  it('round-trips through JSON', () => {
    expect(decodeResults(JSON.parse(JSON.stringify(results)))).toEqual(results);
  });

  it('refuses another format, naming the field', () => {
    expect(() => decodeResults({ ...results, format: 'other' })).toThrow(DecodeError);
    expect(() => decodeResults({ ...results, format: 'other' })).toThrow(/results\.format/);
  });

  it('names the run and field that is wrong', () => {
    const broken = JSON.parse(JSON.stringify(results));
    broken.runs[1].sim.steady.bytesPerNodePerSec = 'many';
    expect(() => decodeResults(broken)).toThrow(/results\.runs\[1\]\.sim\.steady\.bytesPerNodePerSec/);
  });

  it('says to run alice bench when the file is missing, and names malformed JSON', () => {
    const dir = tempDir('alice-results-');
    expect(() => readResults(join(dir, 'none.json'))).toThrow(/run alice bench first/);
    writeFileSync(join(dir, 'bad.json'), '{"format": ');
    expect(() => readResults(join(dir, 'bad.json'))).toThrow(/malformed JSON/);
  });

  it('merges files with later runs replacing earlier ones', () => {
    const later = { ...results, runs: results.runs.map((r) => ({ ...r, seed: 99 })) };
    const merged = mergeResults([
      { path: 'a.json', results },
      { path: 'b.json', results: later },
    ]);
    expect(merged.runs).toHaveLength(6);
    expect(merged.runs.every((r) => r.seed === 99)).toBe(true);
    expect(merged.sources.map((s) => s.path)).toEqual(['a.json', 'b.json']);
  });
});

describe('report', () => {
  const options = (dir: string) => ({ outDir: dir, checkerPath: join(dir, 'no-checker.json'), root: ROOT, regenerate: 'test' });
  const merged = () => [{ path: join(ROOT, 'r.json'), results }];
  const noHistory = { ruleCommit: null, atOrAfterRules: () => null };

  it('marks the property table as not yet produced without checker output', () => {
    const dir = tempDir('alice-report-');
    expect(buildReport(merged(), options(dir)).markdown).toMatch(/Property table not yet produced/);
  });

  it('states on its first screen the decision the rules give for these facts', () => {
    const dir = tempDir('alice-report-');
    const facts = decisionFacts({ files: merged(), checker: loadPropertyTable(join(dir, 'no-checker.json')), history: noHistory });
    const md = buildReport(merged(), { ...options(dir), history: noHistory }).markdown;
    const d = facts.verdict.decision;
    const screen = md.slice(0, md.indexOf('## The options side by side'));
    expect(screen).toContain(d.kind === 'tie' ? d.options[0] : `\`${d.option}\``);
    expect(screen).toMatch(/\*\*Question\.\*\*[\s\S]*\*\*Decision\.\*\*[\s\S]*five numbers[\s\S]*Top risks[\s\S]*Roadmap/);
  });

  it('writes decision.md and the charts whole, leaving no temporary files', () => {
    const dir = tempDir('alice-report-');
    const routing = resultsFile([...routingRuns('inferno-current', 10, INFERNO_TODAY), ...routingRuns('swim', 10, FAST_AND_CHEAP)]);
    const written = writeReport([{ path: join(dir, 'r.json'), results: routing }], { ...options(dir), history: noHistory });
    expect(written).toContain(join(dir, 'decision.md'));
    expect(readFileSync(join(dir, 'decision.md'), 'utf8')).toMatch(/^# Decision: how Inferno/);
    const charts = readdirSync(join(dir, 'charts'));
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.every((c) => c.endsWith('.svg'))).toBe(true);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('prints the routing figures the rules judge, a row per option and size, "nobody notices" where no node can', () => {
    const t = summaryTable(resultsFile([...routingRuns('inferno-current', 10, INFERNO_TODAY), ...routingRuns('swim', 10, FAST_AND_CHEAP)]));
    expect(t).toMatch(/^option\s+N\s+R1 backend crash\s+R2 ready: false/m);
    expect(t).toMatch(/^inferno-current\s+10\s+7000 ms\s+5000 ms\s+5000 ms\s+nobody notices\s+71\s/m);
    expect(t).toMatch(/^swim\s+10\s+1500 ms\s/m);
  });

  it('prints a summary row per protocol and size', () => {
    const t = summaryTable(results);
    expect(t).toMatch(/^majority\s+5\s/m);
    expect(t).toMatch(/^swim\s+5\s/m);
  });
});

describe('alice bench and alice report', () => {
  const BIN = join(ROOT, 'bin/alice.js');
  const alice = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, cwd: ROOT });

  it('refuses a cluster size below 2 with exit 2 and the flag named', () => {
    const r = alice('bench', '--sizes', '1', '--out', join(tempDir('alice-bench-'), 'never.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sizes: 1 is not a whole number ≥ 2/);
  });

  it('runs a named scenario set: warm is every converged-start scenario', () => {
    const out = join(tempDir('alice-bench-'), 'warm.json');
    const r = alice('bench', '--protocols', 'swim', '--sizes', '4', '--scenarios', 'warm', '--quiet', '--out', out);
    expect(r.status).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { scenarios: string[]; runs: { scenario: string }[] };
    expect(saved.scenarios).toEqual(SCENARIO_GROUPS.warm);
    expect(saved.runs.map((x) => x.scenario)).toEqual(SCENARIO_GROUPS.warm);
  });

  it('refuses an unknown scenario, listing the known ones', () => {
    const r = alice('bench', '--scenarios', 'meteor', '--out', join(tempDir('alice-bench-'), 'never.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown meteor; known: cold-start/);
  });

  it('writes results and a report end to end', () => {
    const dir = tempDir('alice-cli-');
    const out = join(dir, 'r.json');
    const b = alice('bench', '--protocols', 'majority', '--sizes', '4', '--scenarios', 'update-address', '--out', out, '--quiet');
    expect(b.status).toBe(0);
    expect(readResults(out).runs).toHaveLength(1);
    const r = alice('report', '--results', out, '--out', dir, '--checker', join(dir, 'none.json'));
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'decision.md'))).toBe(true);
  });

  it('refuses a missing results file with exit 2', () => {
    const r = alice('report', '--results', join(tmpdir(), 'does-not-exist.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/run alice bench first/);
  });
});
