/**
 * Which runs are evidence. A run is valid for a figure only if it finished (`status: 'ok'`) and its
 * simulation passed the event and the end of its observation window: a run stopped by its budget
 * measured nothing final (a loss run stopped before the loss phase shows 0 false removals because it
 * never got there). Every figure the report prints carries the run it came from (`RunRef`), with the
 * commit and dirtiness of the batch that produced it.
 */
import type { MergedResults, ResultsFile } from '../results.js';
import type { RunResult } from '../run.js';

/** Where one run came from: enough to find it in its results file and to judge its provenance. */
export interface RunRef {
  readonly file: string;
  readonly protocol: string;
  readonly scenario: string;
  readonly n: number;
  readonly seed: number;
  /** The batch's commit; null when the run's batch is unknown (a merged file from before runs recorded it). */
  readonly commit: string | null;
  /** Uncommitted changes in the batch's tree; `possibly` when the batch is unknown and some batch of its file was dirty. */
  readonly dirty: boolean | 'possibly';
}

export type Invalidity = 'stopped by its budget' | 'stopped before its event' | 'stopped before its observation window ended';

export type Validity = { readonly valid: true } | { readonly valid: false; readonly reason: Invalidity; readonly detail?: string };

/** A run's own revision, when `alice bench` recorded it (runs from before that lack it). */
interface StoredRevision {
  readonly revision?: { readonly commit: string | null; readonly dirty: boolean };
}
/** The planned end of the observation window, when the run recorded it. */
interface StoredEnd {
  readonly observeEndMs?: number;
}

export function runValidity(r: RunResult): Validity {
  const sim = r.sim as RunResult['sim'] & StoredEnd;
  const cold = r.scenario === 'cold-start';
  if (r.status !== 'ok') {
    // A run that ran out in its start records the moment it stopped as its event time (run.ts), and
    // virtualMs is rounded to µs: within a millisecond of it, the event never happened.
    const before = !cold && sim.virtualMs < sim.eventAtMs + 1;
    return { valid: false, reason: before ? 'stopped before its event' : 'stopped by its budget', ...(r.abort ? { detail: r.abort } : {}) };
  }
  // A run marked ok always ran to its end in run.ts; these guard a file edited or written otherwise.
  if (!cold && sim.virtualMs < sim.eventAtMs) return { valid: false, reason: 'stopped before its event' };
  if (sim.observeEndMs !== undefined && sim.virtualMs < sim.observeEndMs) return { valid: false, reason: 'stopped before its observation window ended' };
  return { valid: true };
}

export function isValid(r: RunResult): boolean {
  return runValidity(r).valid;
}

type Source = MergedResults['sources'][number];

/** The run's reference: its own revision if recorded, its file's if the file holds one batch. */
export function refOf(r: RunResult, file: string, sources: readonly Source[]): RunRef {
  const own = (r as RunResult & StoredRevision).revision;
  const mine = sources.filter((s) => s.path === file);
  const base = { file, protocol: r.protocol, scenario: r.scenario, n: r.n, seed: r.seed };
  if (own) return { ...base, commit: own.commit, dirty: own.dirty };
  if (mine.length === 1) return { ...base, commit: mine[0].commit, dirty: mine[0].dirty };
  return { ...base, commit: null, dirty: mine.some((s) => s.dirty) ? 'possibly' : false };
}

/** One results file as the facts layer reads it: its path, its batches, its runs. */
export interface ResultsInput {
  readonly path: string;
  readonly results: ResultsFile;
}

/** A run with its reference and validity; the newest of each (protocol, scenario, N) over all files. */
export interface JudgedRun {
  readonly run: RunResult;
  readonly ref: RunRef;
  readonly validity: Validity;
}

/**
 * Every (protocol, scenario, N) once: the newest run over the files in order (a later file's run
 * replaces an earlier one, and within a file the last written), each judged.
 */
export function judgeRuns(files: readonly ResultsInput[]): JudgedRun[] {
  const newest = new Map<string, JudgedRun>();
  for (const f of files) {
    const sources = (f.results as Partial<MergedResults>).sources ?? [{ path: f.path, commit: f.results.commit, dirty: f.results.dirty, seed: f.results.seed, command: f.results.command }];
    const normalised = sources.map((s) => ({ ...s, path: f.path }));
    for (const r of f.results.runs) {
      newest.set(`${r.protocol}|${r.scenario}|${r.n}`, { run: r, ref: refOf(r, f.path, normalised), validity: runValidity(r) });
    }
  }
  return [...newest.values()];
}

/** One line per results batch: what the report's provenance lists. */
export interface Provenance {
  readonly file: string;
  readonly command: string;
  readonly commit: string | null;
  readonly dirty: boolean;
  readonly seed: number;
}

export function provenanceOf(files: readonly ResultsInput[]): Provenance[] {
  return files.flatMap((f) => {
    const own = (f.results as Partial<MergedResults>).sources;
    const list = own && own.length > 0 ? own : [{ path: f.path, commit: f.results.commit, dirty: f.results.dirty, seed: f.results.seed, command: f.results.command }];
    return list.map((s) => ({ file: f.path, command: s.command, commit: s.commit, dirty: s.dirty, seed: s.seed }));
  });
}
