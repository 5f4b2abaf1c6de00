/**
 * Produces the report's checker input: runs `alice check <protocol> --json` for each protocol within
 * a time limit, with counterexample traces written beside it, and saves the summaries as one JSON
 * array (temp file + rename). Run: npm run check:report [-- --time-limit 60]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const limitAt = args.indexOf('--time-limit');
// 60 s per protocol: long enough for the default bounds to finish or report how far they got, short enough to rerun.
const timeLimit = limitAt >= 0 ? args[limitAt + 1] : '60';
const out = join(root, 'docs/results/checker.json');
const traces = join(root, 'docs/results/traces');
mkdirSync(traces, { recursive: true });
const runs: unknown[] = [];
for (const protocol of ['majority', 'swim']) {
  process.stderr.write(`checking ${protocol} (time limit ${timeLimit} s)…\n`);
  const r = spawnSync(process.execPath, [join(root, 'bin/alice.js'), 'check', protocol, '--json', '--quiet', '--time-limit', timeLimit, '--out', join('docs/results/traces', `${protocol}.json`)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // Exit 1 means a violation or an unreached target: a verdict, not a failure of the run.
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(`alice check ${protocol} failed (exit ${r.status}): ${r.stderr}\n`);
    process.exit(2);
  }
  runs.push(JSON.parse(r.stdout) as unknown);
}
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify(runs, null, 1) + '\n');
renameSync(tmp, out);
process.stderr.write(`wrote ${out}\n`);
