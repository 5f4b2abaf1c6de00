/**
 * The mutation check: copies the project to a temporary directory once, then for each mutation
 * patches the copy (exact-text replacement; the source tree is never touched), runs the judge there,
 * and restores the file. Two kinds, one table:
 *  - impl mutants (mutations/list.ts): `alice conformance --protocol <p> --profile ci`; killed when a
 *    suite reports a divergence (exit 1);
 *  - spec mutants (mutations/spec-list.ts), bugs in rules model and implementation share:
 *    `alice check <p> --suite --profile ci`; killed when a property fails inside its assumptions
 *    (exit 1), with the property, the configuration and the counterexample's length.
 * Prints the table and the score; exits 1 if any survived.
 *
 *   npm run mutation                      every mutation
 *   npm run mutation -- majority          one protocol's mutations (or a mutation id, or spec / impl)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceError } from '../conformance/errors.js';
import { MUTATIONS, type Mutation } from './list.js';
import { SPEC_MUTATIONS, type SpecMutation } from './spec-list.js';

type Layer = 'spec' | 'impl';
const layerOf = (m: Mutation): Layer => ('suite' in m ? 'spec' : 'impl');

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The mutated text, or a ConformanceError naming the mutation when its text no longer occurs exactly once. */
export function applyMutation(source: string, m: Mutation): string {
  const first = source.indexOf(m.find);
  if (first < 0) throw new ConformanceError(`mutation ${m.id} no longer applies: ${m.file} has no \`${m.find}\`; update mutations/list.ts to the current code`);
  if (source.indexOf(m.find, first + 1) >= 0) throw new ConformanceError(`mutation ${m.id} is ambiguous: \`${m.find}\` occurs more than once in ${m.file}; make it longer`);
  return source.slice(0, first) + m.replace + source.slice(first + m.find.length);
}

interface Outcome {
  readonly mutation: Mutation;
  readonly verdict: 'killed' | 'survived' | 'error';
  readonly seconds: number;
  /** What killed it: the conformance suite, or the property and the suite configuration. */
  readonly killedBy: string;
  /** Transitions in the checker's counterexample (spec mutants). */
  readonly steps?: number;
  readonly evidence: string;
}

interface SuiteJson {
  readonly runs: readonly { readonly label: string; readonly protocol: string; readonly failures: readonly string[]; readonly verdicts: readonly { property: string; steps?: number; detail?: string }[] }[];
}

function suite(dir: string, protocol: string): { status: number | null; out: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'check', protocol, '--suite', '--profile', 'ci', '--json', '--fail-fast'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 600_000,
  });
  return { status: r.status, out: r.status === 0 || r.status === 1 ? r.stdout : `${r.stdout}${r.stderr}`, seconds: (performance.now() - t0) / 1000 };
}

/** The first failing property of a suite's JSON, with its configuration and counterexample length. */
function suiteKill(out: string): { killedBy: string; steps?: number; evidence: string } {
  const json = JSON.parse(out) as SuiteJson;
  for (const run of json.runs) {
    for (const name of run.failures) {
      const v = run.verdicts.find((x) => x.property === name);
      return { killedBy: `${name} @ ${run.protocol} ${run.label}`, steps: v?.steps, evidence: v?.detail ?? '' };
    }
  }
  return { killedBy: '', evidence: 'no failing property in the suite output' };
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

/** A survivor whose list entry argues it equivalent (it changes nothing a property can see). */
const argued = (o: Outcome): boolean => o.verdict === 'survived' && 'equivalent' in o.mutation && typeof o.mutation.equivalent === 'string';

/** One table for both kinds: mutant, layer, killed by, steps. */
function table(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map((o) => [o.mutation.id, layerOf(o.mutation), o.verdict === 'killed' ? o.killedBy : argued(o) ? 'SURVIVED, argued equivalent' : o.verdict.toUpperCase(), o.steps === undefined ? '—' : String(o.steps)]);
  const head = ['mutant', 'layer', 'killed by', 'steps'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
  return lines.join('\n') + '\n';
}

function main(): number {
  const filter = process.argv[2];
  const seed = process.argv[3] ?? '1';
  const all: readonly Mutation[] = [...MUTATIONS, ...SPEC_MUTATIONS];
  const chosen = all.filter((m) => !filter || m.protocol === filter || m.id === filter || layerOf(m) === filter);
  if (chosen.length === 0) throw new ConformanceError(`no mutation matches '${filter}': give a protocol (${[...new Set(all.map((m) => m.protocol))].join(', ')}), a layer (spec, impl) or a mutation id`);
  // Fail before any run if the list is stale.
  for (const m of chosen) applyMutation(readFileSync(join(ROOT, m.file), 'utf8'), m);

  const dir = mkdtempSync(join(tmpdir(), 'alice-mutation-'));
  try {
    cpSync(ROOT, dir, { recursive: true, filter: (src) => !/[/\\](node_modules|\.git)$/.test(src) });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const outcomes: Outcome[] = [];
    for (const protocol of [...new Set(chosen.filter((m) => layerOf(m) === 'impl').map((m) => m.protocol))]) {
      const base = conformance(dir, protocol, seed);
      process.stdout.write(`baseline ${protocol} conformance: exit ${base.status} in ${base.seconds.toFixed(1)} s\n`);
      if (base.status !== 0) {
        process.stdout.write(`${base.out}\nthe unmutated ${protocol} implementation does not pass; a mutation score would mean nothing\n`);
        return 2;
      }
    }
    for (const name of [...new Set(chosen.filter((m): m is SpecMutation => 'suite' in m).map((m) => m.suite))]) {
      const base = suite(dir, name);
      process.stdout.write(`baseline ${name} check --suite: exit ${base.status} in ${base.seconds.toFixed(1)} s\n`);
      if (base.status !== 0) {
        process.stdout.write(`${base.out}\nthe unmutated ${name} protocol fails its own suite; a mutation score would mean nothing\n`);
        return 2;
      }
    }
    for (const m of chosen) {
      const file = join(dir, m.file);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, applyMutation(original, m));
      try {
        if ('suite' in m) {
          const r = suite(dir, (m as SpecMutation).suite);
          const verdict = r.status === 1 ? 'killed' : r.status === 0 ? 'survived' : 'error';
          const kill = verdict === 'killed' ? suiteKill(r.out) : { killedBy: '', evidence: verdict === 'survived' ? 'every configuration passed' : r.out.trim().split('\n').slice(-3).join(' | ').slice(0, 200) };
          outcomes.push({ mutation: m, verdict, seconds: r.seconds, ...kill });
        } else {
          const r = conformance(dir, m.protocol, seed);
          const verdict = r.status === 1 ? 'killed' : r.status === 0 ? 'survived' : 'error';
          const ev = verdict === 'survived' ? 'every suite passed' : evidence(r.out);
          outcomes.push({ mutation: m, verdict, seconds: r.seconds, killedBy: verdict === 'killed' ? `conformance: ${ev.split(':')[0]}` : '', evidence: ev });
        }
      } finally {
        writeFileSync(file, original);
      }
      const o = outcomes[outcomes.length - 1];
      process.stdout.write(`${o.verdict.toUpperCase().padEnd(8)} ${m.id.padEnd(40)} ${o.seconds.toFixed(1).padStart(5)} s  ${o.killedBy || o.evidence}\n`);
    }
    process.stdout.write('\n' + table(outcomes));
    const killed = outcomes.filter((o) => o.verdict === 'killed').length;
    const equivalent = outcomes.filter(argued).length;
    process.stdout.write(`\nmutation score: ${killed}/${outcomes.length} killed (${((100 * killed) / outcomes.length).toFixed(0)}%), ${equivalent} argued equivalent, seed ${seed}\n`);
    for (const o of outcomes.filter((x) => x.verdict !== 'killed')) {
      process.stdout.write(`  ${argued(o) ? 'equivalent' : o.verdict}: ${o.mutation.id} — ${o.mutation.bug}${argued(o) ? ` (${(o.mutation as SpecMutation).equivalent})` : ''}\n`);
    }
    // Argued-equivalent survivors fail nothing; any other survivor, or an error, does.
    return killed + equivalent === outcomes.length ? 0 : 1;
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
