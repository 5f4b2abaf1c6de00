/**
 * The report's property table, read from what the checker wrote: one or more `alice check --json`
 * summaries saved in a file (a single object, or an array of them, one per run). Nothing here
 * invents a verdict: a property × protocol pair no run covered is "not checked", and a missing file
 * makes the whole table "not yet produced".
 */
import { existsSync, readFileSync } from 'node:fs';
import { DecodeError } from '../spec/errors.js';
import { parseJson } from '../spec/json.js';

export type VerdictStatus = 'holds' | 'violated' | 'reached' | 'unreached';
const STATUSES: readonly VerdictStatus[] = ['holds', 'violated', 'reached', 'unreached'];

export interface CheckerRun {
  readonly protocol: string;
  /** The bound the run explored within: nodes, strategy, depth, faults, timing. */
  readonly bound: string;
  readonly verdicts: readonly { readonly property: string; readonly status: VerdictStatus; readonly steps?: number }[];
  /** Counterexample files, one per violated verdict, in verdict order (as `alice check --out` writes them). */
  readonly traces: readonly string[];
}

export interface PropertyCell {
  readonly status: VerdictStatus | 'not checked';
  /** Bounds of the runs behind the verdict ("holds up to" these), or of the violating run. */
  readonly bounds: readonly string[];
  readonly trace?: string;
  readonly steps?: number;
}

export type PropertyTable =
  | { readonly produced: false; readonly reason: string }
  | { readonly produced: true; readonly protocols: readonly string[]; readonly properties: readonly string[]; readonly cells: Readonly<Record<string, Readonly<Record<string, PropertyCell>>>> };

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

function describeBound(options: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof options.nodes === 'number') parts.push(`${options.nodes} nodes`);
  if (typeof options.strategy === 'string') parts.push(options.strategy);
  if (typeof options.maxDepth === 'number') parts.push(`depth ${options.maxDepth}`);
  if (Array.isArray(options.faults)) parts.push(options.faults.length > 0 ? `faults ${options.faults.join('+')}` : 'no faults');
  if (typeof options.timing === 'string') parts.push(`${options.timing} timing`);
  return parts.join(', ') || 'bound not recorded';
}

export function decodeCheckerRun(value: unknown, path = 'run'): CheckerRun {
  const o = obj(value, path);
  const protocol = str(field(o, 'protocol', path), `${path}.protocol`);
  const options = o.options === undefined ? {} : obj(o.options, `${path}.options`);
  const rawVerdicts = field(o, 'verdicts', path);
  if (!Array.isArray(rawVerdicts)) throw new DecodeError(`${path}.verdicts`, 'expected an array');
  const verdicts = rawVerdicts.map((v, i) => {
    const p = `${path}.verdicts[${i}]`;
    const vo = obj(v, p);
    const status = str(field(vo, 'status', p), `${p}.status`);
    if (!STATUSES.includes(status as VerdictStatus)) throw new DecodeError(`${p}.status`, `expected one of ${STATUSES.join(', ')}, got "${status}"`);
    const steps = typeof vo.steps === 'number' ? vo.steps : undefined;
    return { property: str(field(vo, 'property', p), `${p}.property`), status: status as VerdictStatus, ...(steps === undefined ? {} : { steps }) };
  });
  const rawTraces = o.traces ?? [];
  if (!Array.isArray(rawTraces)) throw new DecodeError(`${path}.traces`, 'expected an array of file names');
  return { protocol, bound: describeBound(options), verdicts, traces: rawTraces.map((t, i) => str(t, `${path}.traces[${i}]`)) };
}

export function decodeCheckerRuns(value: unknown): CheckerRun[] {
  return Array.isArray(value) ? value.map((v, i) => decodeCheckerRun(v, `runs[${i}]`)) : [decodeCheckerRun(value, 'run')];
}

/**
 * One cell per property × protocol. A violation anywhere wins (with its trace); otherwise the cell
 * holds (or is reached) up to the bounds of every run that checked it; `unreached` wins over `reached`
 * because a sanity target missed in any run is worth reading.
 */
export function propertyTable(runs: readonly CheckerRun[]): PropertyTable {
  if (runs.length === 0) return { produced: false, reason: 'the checker results file lists no runs' };
  const protocols = [...new Set(runs.map((r) => r.protocol))].sort();
  const properties = [...new Set(runs.flatMap((r) => r.verdicts.map((v) => v.property)))];
  const cells: Record<string, Record<string, PropertyCell>> = {};
  for (const property of properties) {
    cells[property] = {};
    for (const protocol of protocols) {
      let cell: PropertyCell = { status: 'not checked', bounds: [] };
      for (const run of runs.filter((r) => r.protocol === protocol)) {
        const violatedOrder = run.verdicts.filter((v) => v.status === 'violated');
        const v = run.verdicts.find((x) => x.property === property);
        if (!v || cell.status === 'violated') continue;
        if (v.status === 'violated') {
          const trace = run.traces[violatedOrder.indexOf(v)];
          cell = { status: 'violated', bounds: [run.bound], ...(trace === undefined ? {} : { trace }), ...(v.steps === undefined ? {} : { steps: v.steps }) };
        } else if (cell.status === 'not checked' || cell.status === v.status || (cell.status === 'reached' && v.status === 'unreached')) {
          cell = { status: v.status, bounds: cell.status === v.status ? [...cell.bounds, run.bound] : [run.bound] };
        }
      }
      cells[property][protocol] = cell;
    }
  }
  return { produced: true, protocols, properties, cells };
}

/** The table from a results file; a missing file is "not yet produced", a broken one a DecodeError. */
export function loadPropertyTable(path: string): PropertyTable {
  if (!existsSync(path)) return { produced: false, reason: `no checker results at ${path} (save \`alice check <protocol> --json\` output there)` };
  return propertyTable(decodeCheckerRuns(parseJson(readFileSync(path, 'utf8'), path)));
}

/** Markdown for the report: one row per property, one column per protocol. */
export function propertyTableMarkdown(table: PropertyTable): string {
  if (!table.produced) return `_Property table not yet produced: ${table.reason}._\n`;
  const lines = [`| property | ${table.protocols.join(' | ')} |`, `|---|${table.protocols.map(() => '---').join('|')}|`];
  for (const p of table.properties) {
    const row = table.protocols.map((proto) => {
      const c = table.cells[p][proto];
      if (c.status === 'not checked') return 'not checked';
      if (c.status === 'violated') return `**violated**${c.steps === undefined ? '' : ` in ${c.steps} steps`} (${c.bounds[0]})${c.trace ? `, trace \`${c.trace}\`` : ''}`;
      return `${c.status} up to ${c.bounds.join('; ')}`;
    });
    lines.push(`| ${p} | ${row.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}
