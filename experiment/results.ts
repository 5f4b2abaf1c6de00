/**
 * The results file `alice bench` writes and `alice report` reads: every run's figures with the commit
 * and seed that produced them. Reading validates the shape and names the first field that is wrong,
 * so a broken or hand-edited file gives a clear error instead of a report built on garbage.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DecodeError } from '../spec/errors.js';
import { parseJson } from '../spec/json.js';
import type { RunConfig, RunResult } from './run.js';

export const RESULTS_FORMAT = 'alice-bench-results/1';

export interface Skipped {
  readonly protocol: string;
  readonly scenario: string;
  readonly n: number;
  readonly reason: string;
}

export interface ResultsFile {
  readonly format: typeof RESULTS_FORMAT;
  /** The commit the code was at (null outside a git checkout), and whether the tree had local changes. */
  readonly commit: string | null;
  readonly dirty: boolean;
  readonly seed: number;
  /** How it was produced, e.g. "alice bench --default". */
  readonly command: string;
  readonly protocols: readonly string[];
  readonly sizes: readonly number[];
  readonly scenarios: readonly string[];
  readonly run: RunConfig;
  /** Size notes per protocol: how message bytes were obtained. */
  readonly sizeNotes: Readonly<Record<string, string>>;
  readonly runs: readonly RunResult[];
  readonly skipped: readonly Skipped[];
}

export function gitRevision(cwd: string): { commit: string | null; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: false };
  }
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DecodeError(path, 'expected an object');
  return v as Record<string, unknown>;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new DecodeError(path, 'expected an array');
  return v;
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(path, 'expected a finite number');
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new DecodeError(path, 'expected a string');
  return v;
}

function numOrNull(v: unknown, path: string): void {
  if (v !== null) num(v, path);
}

/** Checks the fields the report reads; the rest of each run is carried through as written. */
export function decodeResults(value: unknown, path = 'results'): ResultsFile {
  const o = obj(value, path);
  if (o.format !== RESULTS_FORMAT) {
    throw new DecodeError(`${path}.format`, `expected "${RESULTS_FORMAT}", got ${JSON.stringify(o.format)}; regenerate it with alice bench`);
  }
  num(o.seed, `${path}.seed`);
  if (o.commit !== null) str(o.commit, `${path}.commit`);
  arr(o.sizes, `${path}.sizes`).forEach((n, i) => num(n, `${path}.sizes[${i}]`));
  arr(o.protocols, `${path}.protocols`).forEach((p, i) => str(p, `${path}.protocols[${i}]`));
  arr(o.skipped, `${path}.skipped`);
  arr(o.runs, `${path}.runs`).forEach((r, i) => {
    const at = `${path}.runs[${i}]`;
    const run = obj(r, at);
    str(run.protocol, `${at}.protocol`);
    str(run.scenario, `${at}.scenario`);
    num(run.n, `${at}.n`);
    const sim = obj(run.sim, `${at}.sim`);
    numOrNull(sim.coldStartMs, `${at}.sim.coldStartMs`);
    arr(sim.watches, `${at}.sim.watches`).forEach((w, k) => {
      const wo = obj(w, `${at}.sim.watches[${k}]`);
      str(wo.label, `${at}.sim.watches[${k}].label`);
      obj(wo.perObserver, `${at}.sim.watches[${k}].perObserver`);
    });
    num(obj(sim.steady, `${at}.sim.steady`).bytesPerNodePerSec, `${at}.sim.steady.bytesPerNodePerSec`);
    obj(sim.falsePositives, `${at}.sim.falsePositives`);
    obj(run.runtime, `${at}.runtime`);
  });
  return o as unknown as ResultsFile;
}

export function readResults(path: string): ResultsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DecodeError(path, `cannot read the results file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); run alice bench first`);
  }
  return decodeResults(parseJson(text, path), path);
}

/**
 * Several results files as one (e.g. the default experiment and a separate large-N scale run): runs
 * and skips concatenated, a later file's run replacing an earlier one for the same protocol, scenario
 * and size. The first file's seed and settings stand for the whole; `sources` names every file.
 */
export interface MergedResults extends ResultsFile {
  readonly sources: readonly { readonly path: string; readonly commit: string | null; readonly dirty: boolean; readonly seed: number; readonly command: string }[];
}

export function mergeResults(files: readonly { readonly path: string; readonly results: ResultsFile }[]): MergedResults {
  if (files.length === 0) throw new DecodeError('results', 'no results file given');
  const key = (r: { protocol: string; scenario: string; n: number }) => `${r.protocol}|${r.scenario}|${r.n}`;
  const runs = new Map<string, ResultsFile['runs'][number]>();
  const skipped = new Map<string, Skipped>();
  for (const f of files) {
    for (const r of f.results.runs) {
      runs.set(key(r), r);
      skipped.delete(key(r));
    }
    for (const s of f.results.skipped) if (!runs.has(key(s))) skipped.set(key(s), s);
  }
  const first = files[0].results;
  const union = <T>(pick: (r: ResultsFile) => readonly T[]): T[] => [...new Set(files.flatMap((f) => pick(f.results)))];
  return {
    ...first,
    sizes: union((r) => r.sizes).sort((a, b) => (a as number) - (b as number)),
    protocols: union((r) => r.protocols),
    scenarios: union((r) => r.scenarios),
    sizeNotes: Object.assign({}, ...files.map((f) => f.results.sizeNotes)) as Record<string, string>,
    runs: [...runs.values()],
    skipped: [...skipped.values()],
    // A file that is itself a merge (alice bench --append) keeps the batches it came from.
    sources: files.flatMap((f) => {
      const own = (f.results as Partial<MergedResults>).sources;
      return own && own.length > 0
        ? own.map((s) => ({ ...s, path: f.path }))
        : [{ path: f.path, commit: f.results.commit, dirty: f.results.dirty, seed: f.results.seed, command: f.results.command }];
    }),
  };
}
