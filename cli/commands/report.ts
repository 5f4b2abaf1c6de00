/**
 * `alice report`: turns a results file from `alice bench` into docs/decision.md and SVG charts. The
 * property table is read from saved checker output when it exists, and marked "not yet produced"
 * when it does not.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readResults } from '../../experiment/results.js';
import { AliceError } from '../../spec/errors.js';
import { writeReport } from '../../experiment/report.js';
import { asWriteError, checkWritableDir } from '../files.js';
import { DEFAULT_CHECKER_RESULTS, DEFAULT_REPORT_DIR, PUBLISHED_RESULTS } from './bench.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('write decision.md and SVG charts from alice bench results (into out/ unless --out says otherwise)')
    .option('--results <files>', 'results from alice bench; several comma-separated files are merged (later runs replace earlier ones)', PUBLISHED_RESULTS)
    .option('--checker <file>', 'saved `alice check --json` output (one object or an array) for the property table', DEFAULT_CHECKER_RESULTS)
    .option('--out <dir>', 'output directory (default: an ignored folder; the committed report is written by npm run report:publish)', DEFAULT_REPORT_DIR)
    .action((o: { results: string; checker: string; out: string }) => {
      const root = process.cwd();
      const outDir = resolve(root, o.out);
      checkWritableDir(outDir);
      const paths = o.results.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
      if (paths.length === 0) throw new AliceError('USAGE', '--results needs at least one file');
      const files = paths.map((p) => ({ path: resolve(root, p), results: readResults(resolve(root, p)) }));
      const written = asWriteError(outDir, () => writeReport(files, {
        outDir,
        checkerPath: resolve(root, o.checker),
        root,
        regenerate: `alice report --results ${o.results}`,
      }));
      process.stdout.write(`report: ${written.map((w) => w.slice(root.length + 1)).join(', ')}\n`);
    });
}
