/**
 * `npm run bench:spin`: exactness against SPIN. Each model of bench/spin/ is checked exhaustively
 * twice, by SPIN (Promela, `-DNOREDUCE`, and again with its partial-order reduction) and by Alice's
 * `check()` (the same model as a ProtocolDefinition), and the table compares SPIN's stored states and
 * transitions with Alice's distinct and generated states, and for the model with a bug SPIN's
 * breadth-first trail with Alice's shortest trace. Exit 0 when every count agrees, 1 naming each that
 * does not, 2 when SPIN cannot be installed or run. Not part of `npm test` (it needs SPIN and gcc,
 * installed here with apt-get when missing, and takes a minute or two).
 *
 *   npm run bench:spin                      all cases; writes docs/results/spin-diff.json
 *   npm run bench:spin -- --quick           the smallest case of each model
 *   npm run bench:spin -- --out FILE        the results elsewhere
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { CASES, type DiffCase, QUICK } from './spin/cases.js';
import { type AliceSide, type CounterexampleSides, type DiffRow, compareRow, markdownTable, paramsText } from './spin/compare.js';
import { SpinModel, SpinRunError, SpinUnavailableError, ensureSpin, spinVersion } from './spin/spin-runner.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : 'docs/results/spin-diff.json';
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

function git(...a: string[]): string {
  return execFileSync('git', a, { encoding: 'utf8' }).trim();
}

function runCase(c: DiffCase): DiffRow {
  const model = new SpinModel(c.pml, c.params);
  try {
    const ignoreAssertions = c.violation !== undefined;
    const spin = model.verify({ reduce: false, ignoreAssertions }, c.panDepth);
    const spinPor = model.verify({ reduce: true, ignoreAssertions }, c.panDepth);
    const r = c.aliceCount();
    const alice: AliceSide = { distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth, complete: r.coverage.complete, seconds: r.stats.seconds };
    let counterexample: CounterexampleSides | undefined;
    if (c.violation) {
      const bfs = model.verify({ reduce: false, bfs: true });
      const found = bfs.report.firstError?.text.startsWith('assertion violated') === true;
      const verdict = c.violation.aliceBfs().verdicts.find((v) => v.property === c.violation!.property);
      counterexample = {
        property: c.violation.property,
        spinSteps: found ? model.trailSteps() : null,
        spinError: bfs.report.firstError?.text ?? null,
        aliceSteps: verdict?.status === 'violated' && verdict.trace ? verdict.trace.steps.length - 1 : null,
      };
    }
    return compareRow(c.model, c.params, spin, spinPor, alice, counterexample);
  } finally {
    model.dispose();
  }
}

function main(): number {
  try {
    ensureSpin((line) => console.error(line));
  } catch (e) {
    if (e instanceof SpinUnavailableError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  const commit = git('rev-parse', 'HEAD');
  const dirty = git('status', '--porcelain').length > 0;
  const loadBefore = load();
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`SPIN cross-check: ${spinVersion()}, ${gcc}, node ${process.version}; commit ${commit.slice(0, 7)}${dirty ? ' (dirty)' : ''}; load ${loadBefore.join(' ')}`);
  const rows: DiffRow[] = [];
  for (const c of quick ? QUICK : CASES) {
    let row: DiffRow;
    try {
      row = runCase(c);
    } catch (e) {
      if (e instanceof SpinRunError) {
        console.error(`${c.model} (${paramsText(c.params)}): ${e.message}`);
        return 2;
      }
      throw e;
    }
    rows.push(row);
    const { spin, alice } = row;
    console.log(`  ${row.model} ${row.params}: SPIN ${spin.report.stored} stored / ${spin.report.transitions} transitions, Alice ${alice.distinct} / ${alice.generated}${row.problems.length ? `  DIFFERS: ${row.problems.join('; ')}` : ''}`);
  }
  const loadAfter = load();
  console.log('');
  console.log(markdownTable(rows));
  console.log('');
  console.log(`load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
  mkdirSync(dirname(out), { recursive: true });
  const results = {
    date: new Date().toISOString(),
    commit,
    dirty,
    command: `npm run bench:spin${quick ? ' -- --quick' : ''}`,
    spin: spinVersion(),
    gcc,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadBefore,
    loadAfter,
    rows,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${out}`);
  const failed = rows.filter((r) => r.problems.length > 0);
  for (const r of failed) console.error(`DIFFERS: ${r.model} (${r.params}): ${r.problems.join('; ')}`);
  if (failed.length === 0) console.log(`every count agrees (${rows.length} cases)`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = main();
