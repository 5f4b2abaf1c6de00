/**
 * The mutation check: copies the project to a temporary directory once, then for each mutation in
 * mutations/list.ts patches the copy (exact-text replacement; the source tree is never touched), runs
 * `alice conformance --protocol <p> --profile ci` there, and restores the file. A mutation is killed
 * when the suites report a divergence (exit status 1). Prints the score; exits 1 if any survived.
 *
 *   npm run mutation                      every mutation
 *   npm run mutation -- majority          one protocol's mutations (or a mutation id)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceError } from '../conformance/errors.js';
import { MUTATIONS, type Mutation } from './list.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The mutated text, or a ConformanceError naming the mutation when its text no longer occurs exactly once. */
export function applyMutation(source: string, m: Mutation): string {
  const first = source.indexOf(m.find);
  if (first < 0) throw new ConformanceError(`mutation ${m.id} no longer applies: ${m.file} has no \`${m.find}\`; update mutations/list.ts to the current code`);
  if (source.indexOf(m.find, first + 1) >= 0) throw new ConformanceError(`mutation ${m.id} is ambiguous: \`${m.find}\` occurs more than once in ${m.file}; make it longer`);
  return source.slice(0, first) + m.replace + source.slice(first + m.find.length);
}

interface Outcome {
  readonly mutation: Mutation | null;
  readonly verdict: 'killed' | 'survived' | 'error';
  readonly seconds: number;
  readonly evidence: string;
}

function conformance(dir: string, protocol: string, seed: string): { status: number | null; out: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'conformance', '--protocol', protocol, '--profile', 'ci', '--seed', seed], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, seconds: (performance.now() - t0) / 1000 };
}

function evidence(out: string): string {
  const line = out.split('\n').find((l) => l.startsWith('DIVERGENCE'));
  const suite = out.split('\n').find((l) => l.includes('DIVERGED'));
  return line ? `${suite?.trim().split(/\s{2,}/)[0] ?? ''}: ${line.slice(0, 140)}` : out.trim().split('\n').slice(-3).join(' | ').slice(0, 200);
}

function main(): number {
  const filter = process.argv[2];
  const seed = process.argv[3] ?? '1';
  const chosen = MUTATIONS.filter((m) => !filter || m.protocol === filter || m.id === filter);
  if (chosen.length === 0) throw new ConformanceError(`no mutation matches '${filter}': give a protocol (${[...new Set(MUTATIONS.map((m) => m.protocol))].join(', ')}) or a mutation id`);
  // Fail before any run if the list is stale.
  for (const m of chosen) applyMutation(readFileSync(join(ROOT, m.file), 'utf8'), m);

  const dir = mkdtempSync(join(tmpdir(), 'alice-mutation-'));
  try {
    cpSync(ROOT, dir, { recursive: true, filter: (src) => !/[/\\](node_modules|\.git)$/.test(src) });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const outcomes: Outcome[] = [];
    for (const protocol of [...new Set(chosen.map((m) => m.protocol))]) {
      const base = conformance(dir, protocol, seed);
      process.stdout.write(`baseline ${protocol}: exit ${base.status} in ${base.seconds.toFixed(1)} s\n`);
      if (base.status !== 0) {
        process.stdout.write(`${base.out}\nthe unmutated ${protocol} implementation does not pass; a mutation score would mean nothing\n`);
        return 2;
      }
    }
    for (const m of chosen) {
      const file = join(dir, m.file);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, applyMutation(original, m));
      try {
        const r = conformance(dir, m.protocol, seed);
        const verdict = r.status === 1 ? 'killed' : r.status === 0 ? 'survived' : 'error';
        outcomes.push({ mutation: m, verdict, seconds: r.seconds, evidence: verdict === 'survived' ? 'every suite passed' : evidence(r.out) });
      } finally {
        writeFileSync(file, original);
      }
      const o = outcomes[outcomes.length - 1];
      process.stdout.write(`${o.verdict.toUpperCase().padEnd(8)} ${m.id.padEnd(40)} ${o.seconds.toFixed(1).padStart(5)} s  ${o.evidence}\n`);
    }
    const killed = outcomes.filter((o) => o.verdict === 'killed').length;
    process.stdout.write(`\nmutation score: ${killed}/${outcomes.length} killed (${((100 * killed) / outcomes.length).toFixed(0)}%), seed ${seed}\n`);
    for (const o of outcomes.filter((x) => x.verdict !== 'killed')) process.stdout.write(`  ${o.verdict}: ${o.mutation?.id} — ${o.mutation?.bug}\n`);
    return killed === outcomes.length ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (e) {
    if (!(e instanceof ConformanceError)) throw e;
    process.stderr.write(`mutation: ${e.message}\n`);
    process.exitCode = 2;
  }
}
