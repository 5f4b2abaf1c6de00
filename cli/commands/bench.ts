/**
 * `alice bench`: runs the comparative experiment (protocols × sizes × scenarios, one seed) in the
 * simulator and writes the results JSON (with the commit and seed) atomically. `--default` runs the
 * default experiment and writes the report too (what `npm start` does).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AliceError } from '../../spec/errors.js';
import { DEFAULT_EXPERIMENT, runBench } from '../../experiment/bench.js';
import { SIM_PROTOCOLS } from '../../experiment/protocols.js';
import { SCENARIOS, SCENARIO_GROUPS } from '../../experiment/scenarios.js';
import { summaryTable } from '../../experiment/summary.js';
import { writeReport } from '../../experiment/report.js';
import { gitRevision, mergeResults, readResults } from '../../experiment/results.js';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../files.js';

/**
 * Where `alice bench` (and `npm start`) writes: an ignored folder, so a run never leaves the git tree
 * dirty. Publishing (`npm run report:publish`, `--publish`) writes the committed copies in docs/.
 */
export const DEFAULT_RESULTS = 'out/results/default.json';
export const DEFAULT_REPORT_DIR = 'out';
export const PUBLISHED_RESULTS = 'docs/results/default.json';
export const PUBLISHED_REPORT_DIR = 'docs';
/** Large-N runs (`npm run bench:scale`), merged into the report when present. */
export const SCALE_RESULTS = 'docs/results/scale.json';
/**
 * The routing scenarios at 1,000 nodes (`npm run bench:routing-scale`, about 40 minutes), merged into
 * the report when present, so the rules judge at Inferno's larger topology (5 load balancers) too.
 */
export const ROUTING_SCALE_RESULTS = 'docs/results/routing-scale.json';
export const DEFAULT_CHECKER_RESULTS = 'docs/results/checker.json';

export class PublishError extends AliceError {
  constructor(message: string) {
    super('PUBLISH', message);
  }
}

function list(flag: string, value: string, known?: readonly string[], also = ''): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new AliceError('USAGE', `${flag} needs at least one value`);
  if (known) {
    const bad = items.filter((i) => !known.includes(i));
    if (bad.length > 0) throw new AliceError('USAGE', `${flag}: unknown ${bad.join(', ')}; known: ${known.join(', ')}${also}`);
  }
  return items;
}

function sizes(value: string): number[] {
  return list('--sizes', value).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 2) throw new AliceError('USAGE', `--sizes: ${s} is not a whole number ≥ 2`);
    return n;
  });
}

function whole(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AliceError('USAGE', `${flag}: expected a whole number ≥ ${min}, got ${value}`);
  return n;
}

interface BenchFlags {
  protocols?: string;
  sizes?: string;
  scenarios?: string;
  seed: string;
  out: string;
  latency: string;
  maxRunSeconds: string;
  default: boolean;
  report: boolean;
  append: boolean;
  quiet: boolean;
  publish: boolean;
  allowDirty: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('run the comparative experiment in the simulator and write results JSON (and, with --default or --report, the decision report; into out/, or docs/ with --publish)')
    .option('--protocols <list>', `comma-separated: ${Object.keys(SIM_PROTOCOLS).join(', ')}`)
    .option('--sizes <list>', 'cluster sizes, e.g. 10,50,100,1000,10000')
    .option('--scenarios <list>', `comma-separated, or a set: all, cold (cold starts), warm (converged starts, warm-…): ${SCENARIOS.map((s) => s.name).join(', ')}`)
    .option('--seed <n>', 'seed of every run', '1')
    .option('--out <file>', 'results file (default: an ignored folder; --publish: docs/results/default.json)')
    .option('--latency <preset>', 'lan or wan', 'lan')
    .option('--max-run-seconds <s>', 'wall-time budget per run; a protocol that hits it is not run at larger sizes', '120')
    .option('--default', 'the default experiment: inferno-current, swim, hybrid and majority-mesh at 10/50/100 nodes, the routing scenarios, then the report', false)
    .option('--report', 'write decision.md and charts from the results when done', false)
    .option('--append', 'merge into an existing results file (these runs replace the same protocol, scenario and size there)', false)
    .option('--quiet', 'no progress lines', false)
    .option('--publish', 'with --default: write the committed docs/results/default.json and docs/decision.md; refused when the tree has uncommitted changes', false)
    .option('--allow-dirty', 'with --publish: publish from a dirty tree anyway (the report says so on its first screen)', false)
    .action((o: BenchFlags) => {
      const root = process.cwd();
      if (o.publish && !o.default) throw new AliceError('USAGE', '--publish publishes the default experiment: use it with --default (npm run report:publish)');
      if (o.publish && !o.allowDirty) {
        const rev = gitRevision(root);
        if (rev.commit === null) throw new PublishError('not in a git checkout with a commit: published results must name the clean commit they came from');
        if (rev.dirty) throw new PublishError('the git tree has uncommitted changes: commit or stash them first, so the published results name a clean commit (or pass --allow-dirty, and the report says so on its first screen)');
      }
      const outFile = o.out ?? (o.publish ? PUBLISHED_RESULTS : DEFAULT_RESULTS);
      if (o.latency !== 'lan' && o.latency !== 'wan') throw new AliceError('USAGE', `--latency: expected lan or wan, got ${o.latency}`);
      const protocols = o.protocols ? list('--protocols', o.protocols, Object.keys(SIM_PROTOCOLS)) : [...DEFAULT_EXPERIMENT.protocols];
      const group = o.scenarios !== undefined && Object.hasOwn(SCENARIO_GROUPS, o.scenarios) ? SCENARIO_GROUPS[o.scenarios as keyof typeof SCENARIO_GROUPS] : undefined;
      const scenarios = group ? [...group] : o.scenarios ? list('--scenarios', o.scenarios, SCENARIO_GROUPS.all, `; or one set alone: ${Object.keys(SCENARIO_GROUPS).join(', ')}`) : [...DEFAULT_EXPERIMENT.scenarios];
      const chosenSizes = o.sizes ? sizes(o.sizes) : [...DEFAULT_EXPERIMENT.sizes];
      const seed = whole('--seed', o.seed, 0);
      const maxWallMs = whole('--max-run-seconds', o.maxRunSeconds, 1) * 1000;
      const command = `alice bench ${process.argv.slice(3).join(' ')}`.trim();
      const started = performance.now();
      const progress = o.quiet ? undefined : (line: string) => process.stderr.write(`${line} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
      const results = runBench({ protocols, sizes: chosenSizes, scenarios, seed, run: { latency: o.latency, maxWallMs }, command, root, progress });
      const out = resolve(root, outFile);
      const saved = o.append && existsSync(out) ? mergeResults([{ path: out, results: readResults(out) }, { path: out, results }]) : results;
      writeFileAtomic(out, JSON.stringify(saved, null, 1) + '\n');
      process.stdout.write(`\n${summaryTable(results)}\nresults: ${outFile} (commit ${results.commit ?? 'unknown'}${results.dirty ? ', uncommitted changes' : ''}, seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
      if (o.default || o.report) {
        // The default report also carries the committed large-N runs, when they exist.
        const committed = [SCALE_RESULTS, ROUTING_SCALE_RESULTS].map((f) => resolve(root, f)).filter((f) => o.default && f !== out && existsSync(f));
        const extra = committed.map((f) => ({ path: f, results: readResults(f) }));
        const written = writeReport([{ path: out, results }, ...extra], {
          outDir: resolve(root, o.publish ? PUBLISHED_REPORT_DIR : DEFAULT_REPORT_DIR),
          checkerPath: resolve(root, DEFAULT_CHECKER_RESULTS),
          root,
          regenerate: o.publish ? 'npm run report:publish' : o.default ? 'npm start' : command,
        });
        process.stdout.write(`report: ${written.map((w) => w.slice(root.length + 1)).join(', ')}\n`);
      }
    });
}
