/**
 * Produces the report's checker input: runs `alice check <protocol> --json` for each configuration of
 * checker-configs.ts (models × timing) within its time limit, one at a time, with counterexample traces
 * written beside it (docs/results/traces/<configuration>[.<property>].json, .txt, .mmd), and saves the
 * summaries, each with its configuration, as one JSON array (temp file + rename).
 * Run: npm run check:report [-- --time-limit <s>] [-- --only swim,swim-bounded]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_CONFIGURATIONS } from './checker-configs.js';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const override = flag('--time-limit');
if (override !== undefined && !/^\d+$/.test(override)) {
  process.stderr.write(`--time-limit takes whole seconds, got '${override}'\n`);
  process.exit(2);
}
const only = flag('--only')?.split(',').filter(Boolean);
const unknown = (only ?? []).filter((id) => !CHECK_CONFIGURATIONS.some((c) => c.id === id));
if (unknown.length > 0) {
  process.stderr.write(`--only: unknown ${unknown.join(', ')}; known: ${CHECK_CONFIGURATIONS.map((c) => c.id).join(', ')}\n`);
  process.exit(2);
}
const chosen = CHECK_CONFIGURATIONS.filter((c) => !only || only.includes(c.id));
const out = join(root, 'docs/results/checker.json');
const traces = join(root, 'docs/results/traces');
mkdirSync(traces, { recursive: true });

// Traces of a configuration from an earlier run would be read as this run's: remove them first.
for (const c of chosen) {
  const own = new RegExp(`^${c.id.replace(/[-]/g, '\\-')}(\\.[A-Za-z]+)?\\.(json|txt|mmd)$`);
  for (const f of readdirSync(traces)) if (own.test(f)) rmSync(join(traces, f));
}

const kept: unknown[] = [];
if (only && existsSync(out)) {
  // A partial rerun replaces its own configurations and keeps the others.
  const previous = JSON.parse(readFileSync(out, 'utf8')) as { configuration?: { id?: string } }[];
  kept.push(...previous.filter((r) => !only.includes(r.configuration?.id ?? '')));
}
const runs: unknown[] = [];
const started = performance.now();
for (const c of chosen) {
  const limit = override ?? String(c.timeLimitSec);
  process.stderr.write(`checking ${c.id}: ${c.protocol}, ${c.timing} timing, time limit ${limit} s… `);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin/alice.js'), 'check', c.protocol, '--timing', c.timing, '--json', '--quiet', '--time-limit', limit, '--out', join('docs/results/traces', `${c.id}.json`)],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  // Exit 1 means a violation or an unreached target, 3 a search stopped at a bound: verdicts, not failures of the run.
  if (r.status !== 0 && r.status !== 1 && r.status !== 3) {
    process.stderr.write(`\nalice check ${c.protocol} --timing ${c.timing} failed (exit ${r.status}): ${r.stderr}\n`);
    process.exit(2);
  }
  const summary = JSON.parse(r.stdout) as { verdicts: { property: string; status: string }[]; traces: string[] } & Record<string, unknown>;
  // `alice check --out` gives the first counterexample the bare name; name it for its property like the others.
  // (Traces are written for violated and inconclusive verdicts, in verdict order.)
  const first = summary.verdicts.find((v) => v.status === 'violated' || v.status === 'inconclusive');
  if (first && summary.traces[0] === join('docs/results/traces', `${c.id}.json`)) {
    for (const ext of ['json', 'txt', 'mmd']) {
      const from = join(traces, `${c.id}.${ext}`);
      if (existsSync(from)) renameSync(from, join(traces, `${c.id}.${first.property}.${ext}`));
    }
    summary.traces[0] = join('docs/results/traces', `${c.id}.${first.property}.json`);
  }
  runs.push({ configuration: c, ...summary });
  const stats = summary.stats as { depth: number; distinct: number; stoppedBy: string };
  process.stderr.write(`depth ${stats.depth}, ${stats.distinct.toLocaleString('en')} states, stopped by ${stats.stoppedBy} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
}
const order = (x: unknown): number => CHECK_CONFIGURATIONS.findIndex((c) => c.id === (x as { configuration?: { id?: string } }).configuration?.id);
const all = [...kept, ...runs].sort((a, b) => order(a) - order(b));
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify(all, null, 1) + '\n');
renameSync(tmp, out);
process.stderr.write(`wrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
