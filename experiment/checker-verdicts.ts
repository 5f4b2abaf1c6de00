/**
 * The report's property table, read from what the checker wrote: one or more `alice check --json`
 * summaries saved in a file (a single object, or an array of them, one per run, each optionally with
 * the configuration collect-verdicts.ts ran it under). Nothing here invents a verdict: a property ×
 * configuration pair no run covered is "not checked", a missing file makes the whole table "not yet
 * produced", and "holds" is always printed with the bound the run actually reached (depth, states,
 * what stopped it), never with the bound it was allowed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DecodeError } from '../spec/errors.js';
import { parseJson } from '../spec/json.js';

export type VerdictStatus = 'holds' | 'violated' | 'reached' | 'unreached';
/**
 * The checker's statuses as this table reads them. Since issue 15 the checker says
 * `no-violation-found` for a bounded search (read here as `holds`, which this table always prints
 * with the bound the run reached) and `inconclusive` for an `eventually` that ran out of fair steps
 * (read as the old violated-with-ending-`bound`, which this table prints as "not reached within N
 * fair steps"); summaries written before that keep their old statuses.
 */
const STATUS_READ: Readonly<Record<string, VerdictStatus>> = {
  holds: 'holds',
  'no-violation-found': 'holds',
  violated: 'violated',
  inconclusive: 'violated',
  reached: 'reached',
  unreached: 'unreached',
};

/**
 * How the fair run of an `eventually` counterexample ended, read from the checker's violation text:
 * a cycle or no fair step left (the property can never hold: a liveness violation), or the
 * eventually bound ran out (it did not hold within that many fair steps: a longer run might reach it).
 */
export type FairEnding = 'lasso' | 'stuck' | 'bound';

export interface Verdict {
  readonly property: string;
  readonly temporal?: string;
  readonly status: VerdictStatus;
  readonly steps?: number;
  readonly detail?: string;
  readonly ending?: FairEnding;
  /** The assumption of the property the run did not meet: the violation was expected (checker summaries since issue 17). */
  readonly expected?: string;
  /** The run's own word for a bounded one: false when it stopped at a bound (checker summaries since issue 15). */
  readonly complete?: boolean;
}

/** What one run actually explored (from its stats), beside what it was allowed (its options). */
export interface Reached {
  readonly strategy: string;
  readonly depth: number;
  readonly distinct: number;
  readonly seconds: number;
  readonly stoppedBy: string;
  readonly maxDepth?: number;
  readonly timeLimitSec?: number;
  readonly maxStates?: number;
  readonly eventuallyBound?: number;
}

export interface CheckerRun {
  readonly protocol: string;
  /** The report column: the configuration id, or the protocol (and timing, when not async) for a bare summary. */
  readonly column: string;
  /** The simulator protocol the column speaks for (a model variant speaks for its protocol). */
  readonly speaksFor: string;
  /** One sentence on what the configuration is, when the run was saved with one. */
  readonly what?: string;
  /** The fixed part of the bound: nodes, strategy, faults, timing. */
  readonly bound: string;
  readonly timing: string;
  readonly reached?: Reached;
  readonly verdicts: readonly Verdict[];
  /** Counterexample files, one per violated verdict, in verdict order (as `alice check --out` writes them). */
  readonly traces: readonly string[];
}

export interface PropertyCell {
  readonly status: VerdictStatus | 'not checked';
  /** The runs behind the verdict: every run that checked it ("holds up to" all of them), or the violating run. */
  readonly runs: readonly CheckerRun[];
  readonly trace?: string;
  readonly steps?: number;
  readonly detail?: string;
  readonly ending?: FairEnding;
}

export interface PropertyColumn {
  readonly id: string;
  readonly protocol: string;
  readonly speaksFor: string;
  readonly timing: string;
  readonly what?: string;
  readonly runs: readonly CheckerRun[];
}

export type PropertyTable =
  | { readonly produced: false; readonly reason: string }
  | {
      readonly produced: true;
      readonly columns: readonly PropertyColumn[];
      readonly properties: readonly string[];
      /** Temporal kind per property (always, eventually, sometimes), when the runs recorded it. */
      readonly temporal: Readonly<Record<string, string>>;
      readonly cells: Readonly<Record<string, Readonly<Record<string, PropertyCell>>>>;
    };

function field(o: Record<string, unknown>, key: string, path: string): unknown {
  if (!(key in o)) throw new DecodeError(`${path}.${key}`, 'missing');
  return o[key];
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new DecodeError(path, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DecodeError(path, 'expected an object');
  return v as Record<string, unknown>;
}

const numberOr = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function describeBound(options: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof options.nodes === 'number') parts.push(`${options.nodes} nodes`);
  if (typeof options.strategy === 'string') parts.push(options.strategy);
  if (Array.isArray(options.faults)) {
    const budget = typeof options.faultBudget === 'number' ? ` (at most ${options.faultBudget})` : '';
    parts.push(options.faults.length > 0 ? `faults ${options.faults.join('+')}${budget}` : 'no faults');
  }
  if (typeof options.timing === 'string') parts.push(`${options.timing} timing`);
  if (typeof options.eventuallyBound === 'number') parts.push(`eventually properties given ${options.eventuallyBound} fair steps`);
  return parts.join(', ') || 'bound not recorded';
}

/** The fair run's ending, from the checker's own wording (checker/fair-run.ts fairEndText). */
export function fairEnding(detail: string | undefined): FairEnding | undefined {
  if (detail === undefined) return undefined;
  if (/never: the fair run cycles/.test(detail)) return 'lasso';
  if (/never: no fair step left/.test(detail)) return 'stuck';
  if (/not within \d+ fair steps/.test(detail)) return 'bound';
  return undefined;
}

function decodeReached(o: Record<string, unknown>, options: Record<string, unknown>, path: string): Reached | undefined {
  if (o.stats === undefined) return undefined;
  const s = obj(o.stats, `${path}.stats`);
  const depth = numberOr(s.depth);
  const distinct = numberOr(s.distinct);
  if (depth === undefined || distinct === undefined || typeof s.stoppedBy !== 'string') return undefined;
  const opt = (k: string) => numberOr(options[k]);
  return {
    strategy: typeof options.strategy === 'string' ? options.strategy : 'unknown',
    depth,
    distinct,
    seconds: numberOr(s.seconds) ?? 0,
    stoppedBy: s.stoppedBy,
    ...(opt('maxDepth') === undefined ? {} : { maxDepth: opt('maxDepth') }),
    ...(opt('timeLimitSec') === undefined ? {} : { timeLimitSec: opt('timeLimitSec') }),
    ...(opt('maxStates') === undefined ? {} : { maxStates: opt('maxStates') }),
    ...(opt('eventuallyBound') === undefined ? {} : { eventuallyBound: opt('eventuallyBound') }),
  };
}

export function decodeCheckerRun(value: unknown, path = 'run'): CheckerRun {
  const o = obj(value, path);
  const protocol = str(field(o, 'protocol', path), `${path}.protocol`);
  const options = o.options === undefined ? {} : obj(o.options, `${path}.options`);
  const config = o.configuration === undefined ? undefined : obj(o.configuration, `${path}.configuration`);
  const rawVerdicts = field(o, 'verdicts', path);
  if (!Array.isArray(rawVerdicts)) throw new DecodeError(`${path}.verdicts`, 'expected an array');
  const verdicts = rawVerdicts.map((v, i): Verdict => {
    const p = `${path}.verdicts[${i}]`;
    const vo = obj(v, p);
    const status = str(field(vo, 'status', p), `${p}.status`);
    const read = STATUS_READ[status];
    if (read === undefined) throw new DecodeError(`${p}.status`, `expected one of ${Object.keys(STATUS_READ).join(', ')}, got "${status}"`);
    const steps = numberOr(vo.steps);
    const violation = vo.violation === undefined || vo.violation === null ? undefined : obj(vo.violation, `${p}.violation`);
    const detail = typeof violation?.detail === 'string' ? violation.detail : undefined;
    const ending = status === 'inconclusive' ? 'bound' : fairEnding(detail);
    return {
      property: str(field(vo, 'property', p), `${p}.property`),
      status: read,
      ...(typeof vo.unmetAssumption === 'string' ? { expected: vo.unmetAssumption } : {}),
      ...(typeof o.complete === 'boolean' ? { complete: o.complete } : {}),
      ...(typeof vo.temporal === 'string' ? { temporal: vo.temporal } : {}),
      ...(steps === undefined ? {} : { steps }),
      ...(detail === undefined ? {} : { detail }),
      ...(ending === undefined ? {} : { ending }),
    };
  });
  const rawTraces = o.traces ?? [];
  if (!Array.isArray(rawTraces)) throw new DecodeError(`${path}.traces`, 'expected an array of file names');
  const timing = typeof options.timing === 'string' ? options.timing : 'async';
  const column = config ? str(field(config, 'id', `${path}.configuration`), `${path}.configuration.id`) : timing === 'async' ? protocol : `${protocol}-${timing}`;
  const reached = decodeReached(o, options, path);
  return {
    protocol,
    column,
    speaksFor: typeof config?.speaksFor === 'string' ? config.speaksFor : protocol,
    ...(typeof config?.what === 'string' ? { what: config.what } : {}),
    bound: describeBound(options),
    timing,
    ...(reached ? { reached } : {}),
    verdicts,
    traces: rawTraces.map((t, i) => str(t, `${path}.traces[${i}]`)),
  };
}

export function decodeCheckerRuns(value: unknown): CheckerRun[] {
  return Array.isArray(value) ? value.map((v, i) => decodeCheckerRun(v, `runs[${i}]`)) : [decodeCheckerRun(value, 'run')];
}

/**
 * One cell per property × column. A violation anywhere wins (with its trace); otherwise the cell
 * holds (or is reached) up to the bounds of every run that checked it; `unreached` wins over `reached`
 * because a sanity target missed in any run is worth reading.
 */
export function propertyTable(runs: readonly CheckerRun[]): PropertyTable {
  if (runs.length === 0) return { produced: false, reason: 'the checker results file lists no runs' };
  const ids = [...new Set(runs.map((r) => r.column))];
  const columns: PropertyColumn[] = ids.map((id) => {
    const own = runs.filter((r) => r.column === id);
    return { id, protocol: own[0].protocol, speaksFor: own[0].speaksFor, timing: own[0].timing, ...(own[0].what ? { what: own[0].what } : {}), runs: own };
  });
  const properties = [...new Set(runs.flatMap((r) => r.verdicts.map((v) => v.property)))];
  const temporal: Record<string, string> = {};
  for (const r of runs) for (const v of r.verdicts) if (v.temporal && !temporal[v.property]) temporal[v.property] = v.temporal;
  const cells: Record<string, Record<string, PropertyCell>> = {};
  for (const property of properties) {
    cells[property] = {};
    for (const col of columns) {
      let cell: PropertyCell = { status: 'not checked', runs: [] };
      for (const run of col.runs) {
        const violatedOrder = run.verdicts.filter((v) => v.status === 'violated');
        const v = run.verdicts.find((x) => x.property === property);
        if (!v || cell.status === 'violated') continue;
        if (v.status === 'violated') {
          const trace = run.traces[violatedOrder.indexOf(v)];
          cell = {
            status: 'violated',
            runs: [run],
            ...(trace === undefined ? {} : { trace }),
            ...(v.steps === undefined ? {} : { steps: v.steps }),
            ...(v.detail === undefined ? {} : { detail: v.detail }),
            ...(v.ending === undefined ? {} : { ending: v.ending }),
          };
        } else if (cell.status === 'not checked' || cell.status === v.status || (cell.status === 'reached' && v.status === 'unreached')) {
          cell = { status: v.status, runs: cell.status === v.status ? [...cell.runs, run] : [run] };
        }
      }
      cells[property][col.id] = cell;
    }
  }
  return { produced: true, columns, properties, temporal, cells };
}

/** The table from a results file; a missing file is "not yet produced", a broken one a DecodeError. */
export function loadPropertyTable(path: string): PropertyTable {
  if (!existsSync(path)) return { produced: false, reason: `no checker results at ${path} (run \`npm run check:report\`)` };
  return propertyTable(decodeCheckerRuns(parseJson(readFileSync(path, 'utf8'), path)));
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * How far a run got, in words a reader can check against the JSON. BFS checks every state it admits,
 * and admits all of depth d before expanding any state of depth d, so a BFS run that generated states
 * at depth D checked every state within D − 1 steps and some at D. Other strategies promise no level.
 */
export function reachedText(run: CheckerRun): string {
  const r = run.reached;
  if (!r) return `${run.bound}; how far it got was not recorded`;
  const states = `${count(r.distinct)} distinct states`;
  const why =
    r.stoppedBy === 'exhausted'
      ? 'state space exhausted: every reachable state checked'
      : r.stoppedBy === 'depth'
        ? `stopped at the depth limit ${r.maxDepth ?? r.depth}`
        : r.stoppedBy === 'time'
          ? `stopped by the ${r.timeLimitSec === undefined ? '' : `${r.timeLimitSec} s `}time limit${short(r)}`
          : r.stoppedBy === 'states'
            ? `stopped by the ${r.maxStates === undefined ? '' : `${count(r.maxStates)}-`}state limit${short(r)}`
            : r.stoppedBy === 'violation'
              ? 'stopped once every property was violated'
              : `stopped by ${r.stoppedBy}`;
  if (r.strategy !== 'bfs' || r.stoppedBy === 'exhausted') return `depth ${r.depth} reached, ${states}, ${why}`;
  const complete = r.stoppedBy === 'depth' ? r.depth : r.depth - 1;
  const partial = r.stoppedBy === 'depth' ? '' : ` and part of depth ${r.depth}`;
  return `every state within ${complete} steps${partial} checked (${states}), ${why}`;
}

/** The depth limit a run was allowed and did not reach, said so the allowed bound is never read as the reached one. */
const short = (r: Reached): string => (r.maxDepth === undefined ? '' : `, well short of its depth limit ${r.maxDepth}`);

/** Short "up to" text for a cell: the depth every state was checked to. */
export function depthText(run: CheckerRun): string {
  const r = run.reached;
  if (!r) return 'bound not recorded';
  if (r.stoppedBy === 'exhausted') return 'exhaustively';
  if (r.strategy !== 'bfs') return `to depth ${r.depth} (${r.strategy}, not every state)`;
  return `to depth ${r.stoppedBy === 'depth' ? r.depth : r.depth - 1}`;
}

/** The link to a trace from a report written in `reportDir`, given the trace's repository path. */
export type TraceLink = (repoPath: string) => string;

export function cellText(c: PropertyCell, link: TraceLink = (p) => p): string {
  if (c.status === 'not checked') return 'not checked';
  const trace = c.trace ? `; trace [\`${c.trace}\`](${link(c.trace)})` : '';
  // The fair run's ending is said in words of the report's own; the checker's parenthesis would repeat it.
  const bare = c.ending ? c.detail?.replace(/\s*\((never: |not within )[^()]*\)$/, '') : c.detail;
  const detail = bare ? `: ${bare.replace(/\|/g, '\\|')}` : '';
  if (c.status === 'violated') {
    const steps = c.steps === undefined ? '' : ` in ${c.steps} steps`;
    if (c.ending === 'bound') {
      const bound = c.runs[0]?.reached?.eventuallyBound;
      return `**not reached within ${bound === undefined ? 'the' : bound} fair steps** (counterexample${steps} up to the bound)${detail}${trace}`;
    }
    const never = c.ending === 'lasso' ? ' (a fair cycle: never holds)' : c.ending === 'stuck' ? ' (no fair step left: never holds)' : '';
    return `**violated**${steps}${never}${detail}${trace}`;
  }
  return `${c.status} ${c.runs.map(depthText).join('; ')}`;
}

/** Markdown for the report: the configurations (what each is, how far it got), then one row per property. */
export function propertyTableMarkdown(table: PropertyTable, link: TraceLink = (p) => p): string {
  if (!table.produced) return `_Property table not yet produced: ${table.reason}._\n`;
  const lines = ['| configuration | model | what it is | bound reached |', '|---|---|---|---|'];
  for (const col of table.columns) {
    for (const run of col.runs) lines.push(`| ${col.id} | ${run.protocol} | ${col.what ?? run.bound} | ${run.bound}; ${reachedText(run)} |`);
  }
  lines.push('', `| property | ${table.columns.map((c) => c.id).join(' | ')} |`, `|---|${table.columns.map(() => '---').join('|')}|`);
  for (const p of table.properties) {
    const row = table.columns.map((col) => cellText(table.cells[p][col.id], link));
    const kind = table.temporal[p] ? ` (${table.temporal[p]})` : '';
    lines.push(`| ${p}${kind} | ${row.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}
