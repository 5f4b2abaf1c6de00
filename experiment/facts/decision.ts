/**
 * The decision facts: everything the report says, as typed data. Which runs are valid, which figure
 * each table and chart shows (each with the runs it came from), the rules' verdict, the five numbers
 * that carry it, the risks (each tied to a run, a checker verdict or a named source) and the roadmap.
 * The writer (experiment/report.ts) only formats this; it holds no threshold and judges no run.
 */
import type { PropertyTable } from '../checker-verdicts.js';
import { INCUMBENT, type MetricId, RULES, RULE_HISTORY, type Rule, type RuleChange, type OptionFigures, type Verdict, judge, optionName } from '../rules.js';
import type { RepoHistory, RuleCommit } from './git.js';
import { ROADMAPS, type RoadmapStep, STILL_CALLED, SWIM_STUBS, SWIM_UDP } from './inferno-code.js';
import { type Cell, type Figure, METRIC_SOURCES, ROUTING_LOSS_LEVELS, RunIndex, metricCell, preferCold } from './metrics.js';
import type { RunResult } from '../run.js';
import { removalsOf } from '../observe.js';
import { type JudgedRun, type Provenance, type ResultsInput, type RunRef, judgeRuns, provenanceOf } from './runs.js';
import { type SafetyFacts, safetyFacts } from './safety.js';

export const QUESTION = 'How should Inferno\'s load balancers, backends and governator share operational data: keep what Inferno\'s code does today, move to SWIM everywhere, or take the hybrid (SWIM among load balancers only)?';

/** The question each metric answers, as the report titles its table. */
export const METRIC_TITLES: Readonly<Record<MetricId, string>> = {
  'routing-crash': 'A backend crashes: until no load balancer routes to it',
  'routing-ready-false': 'A backend reports ready: false: until no load balancer routes to it',
  'routing-join': 'A new backend starts: until every load balancer routes to it',
  'lb-crash': 'A load balancer crashes: until every node that knows the load balancers notices',
  'false-removals': 'False removals of live backends, summed over 5–30 % loss',
  'false-removal-time': 'The longest false removal over the loss sweep',
  'partition-heal': 'Partition healed: until every load balancer routes to every live backend again',
  'lb-traffic': 'Steady traffic per load balancer',
  'lb-memory': 'Membership state per load balancer',
  'backend-traffic': 'Steady traffic per backend',
  'backend-memory': 'Membership state per backend',
};

/** The large sizes the scale table shows. */
export const SCALE_FROM_N = 1000;

export interface MetricTable {
  readonly metric: MetricId;
  readonly rule: Rule;
  readonly title: string;
  readonly options: readonly string[];
  readonly sizes: readonly number[];
  readonly cells: Readonly<Record<string, Readonly<Record<number, Cell>>>>;
}

export interface LossTable {
  readonly levels: readonly number[];
  readonly columns: readonly { readonly option: string; readonly n: number }[];
  /** cells[level][column index]: removals, with `extra.longestMs` and `extra.open`. */
  readonly cells: Readonly<Record<number, readonly Cell[]>>;
}

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly runs: readonly RunRef[];
}
export interface ChartFacts {
  readonly name: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX: boolean;
  readonly logY: boolean;
  readonly series: readonly { readonly name: string; readonly points: readonly ChartPoint[] }[];
}

export interface Headline {
  readonly rule: Rule;
  readonly n: number;
  readonly incumbent: number | null | undefined;
  readonly option: string;
  readonly value: number | null | undefined;
  readonly result: string;
}

export type RiskBasis =
  | { readonly kind: 'run'; readonly runs: readonly RunRef[] }
  | { readonly kind: 'checker'; readonly columns: readonly string[] }
  | { readonly kind: 'source'; readonly source: string };

export interface Risk {
  readonly area: 'routing' | 'safety' | 'migration' | 'operations' | 'evidence';
  readonly option: string;
  readonly text: string;
  readonly basis: RiskBasis;
}

export interface DirtyGroup {
  readonly file: string;
  readonly commit: string | null;
  readonly dirty: true | 'possibly';
  readonly runs: number;
}

/** A table composed of metric cells: rows (option, N), one column per metric. */
export interface ComposedTable {
  readonly title: string;
  readonly metrics: readonly MetricId[];
  readonly rows: readonly { readonly option: string; readonly n: number }[];
}

export interface DecisionFacts {
  readonly question: string;
  /** Traffic and memory at load balancers beside backends, and the routing figures at scale. */
  readonly composed: readonly ComposedTable[];
  readonly incumbent: string;
  readonly options: readonly string[];
  readonly verdict: Verdict;
  /** The option the decision is about (the chosen, or the incumbent's closest challenger when it stays). */
  readonly focus: string | null;
  readonly headline: readonly Headline[];
  readonly tables: readonly MetricTable[];
  readonly loss: LossTable;
  readonly charts: readonly ChartFacts[];
  readonly safety: SafetyFacts;
  readonly risks: readonly Risk[];
  readonly roadmap: { readonly option: string; readonly steps: readonly RoadmapStep[] };
  readonly runs: readonly JudgedRun[];
  readonly provenance: readonly Provenance[];
  readonly dirty: readonly DirtyGroup[];
  readonly rules: {
    readonly commit: RuleCommit | null;
    readonly history: readonly RuleChange[];
    /** Runs behind the rules' figures made at or after the rule commit, before it, or unknown. */
    readonly judgedRuns: { readonly atOrAfter: number; readonly before: number; readonly unknown: number };
  };
}


function metricTable(index: RunIndex, options: readonly string[], rule: Rule): MetricTable {
  const src = METRIC_SOURCES[rule.metric];
  const sizes = [...new Set(options.flatMap((o) => index.sizes(o, src.scenarios)))].sort((a, b) => a - b);
  const cells: Record<string, Record<number, Cell>> = {};
  for (const o of options) {
    cells[o] = {};
    for (const n of sizes) cells[o][n] = metricCell(index, o, rule.metric, n);
  }
  return { metric: rule.metric, rule, title: METRIC_TITLES[rule.metric], options, sizes, cells };
}

function lossTable(index: RunIndex, options: readonly string[]): LossTable {
  const scenarios = ROUTING_LOSS_LEVELS.map((l) => `routing-loss-${l}`);
  const columns = options.flatMap((o) => index.sizes(o, scenarios).map((n) => ({ option: o, n })));
  const cells: Record<number, Cell[]> = {};
  for (const level of ROUTING_LOSS_LEVELS) {
    const scenario = `routing-loss-${level}`;
    cells[level] = columns.map(({ option, n }) => {
      const c = preferCold(index, option, n, [scenario], ([r]: readonly RunResult[]) => ({ value: removalsOf(r.sim.falsePositives) }));
      if (c.kind !== 'figure') return c;
      const run = index.get(option, c.figure.converged ? `warm-${scenario}` : scenario, n)!.run;
      const fp = run.sim.falsePositives as typeof run.sim.falsePositives & { open?: number };
      const cell: Cell = { kind: 'figure', figure: { ...c.figure, extra: { longestMs: fp.durationMs.max, open: fp.open ?? null, pending: fp.pending ?? null } } };
      return cell;
    });
  }
  return { levels: ROUTING_LOSS_LEVELS, columns, cells };
}

const figureOf = (c: Cell | undefined): Figure | undefined => (c?.kind === 'figure' ? c.figure : undefined);

function charts(tables: readonly MetricTable[], loss: LossTable): ChartFacts[] {
  const byMetric = (m: MetricId) => tables.find((t) => t.metric === m)!;
  const vsN = (m: MetricId, name: string, title: string, yLabel: string): ChartFacts => {
    const t = byMetric(m);
    return {
      name,
      title,
      xLabel: 'nodes',
      yLabel,
      logX: true,
      logY: true,
      series: t.options.map((o) => ({
        name: o,
        points: t.sizes.flatMap((n) => {
          const f = figureOf(t.cells[o][n]);
          return f && f.value !== null && f.value > 0 ? [{ x: n, y: f.value, runs: f.runs }] : [];
        }),
      })),
    };
  };
  const lossChart: ChartFacts = {
    name: 'false-removals-vs-loss.svg',
    title: 'False removals of live backends vs loss',
    xLabel: 'loss %',
    yLabel: 'false removals (load balancer, backend)',
    logX: false,
    logY: false,
    series: loss.columns.map((col, k) => ({
      name: `${col.option} N=${col.n}`,
      points: loss.levels.flatMap((l) => {
        const f = figureOf(loss.cells[l][k]);
        return f && f.value !== null ? [{ x: l, y: f.value, runs: f.runs }] : [];
      }),
    })),
  };
  return [
    vsN('routing-crash', 'routing-crash-vs-n.svg', 'A backend crashes: until no load balancer routes to it', 'ms'),
    vsN('lb-traffic', 'lb-traffic-vs-n.svg', 'Steady traffic per load balancer', 'bytes / node / s'),
    vsN('backend-traffic', 'backend-traffic-vs-n.svg', 'Steady traffic per backend', 'bytes / node / s'),
    lossChart,
  ].map((c) => ({ ...c, series: c.series.filter((s) => s.points.length > 0) })).filter((c) => c.series.length > 0);
}

function ruleFigures(tables: readonly MetricTable[], options: readonly string[]): Record<string, OptionFigures> {
  const out: Record<string, Partial<Record<MetricId, Record<number, number | null>>>> = {};
  for (const o of options) {
    out[o] = {};
    for (const t of tables) {
      const m: Record<number, number | null> = {};
      for (const n of t.sizes) {
        const f = figureOf(t.cells[o][n]);
        if (f) m[n] = f.value;
      }
      out[o][t.metric] = m;
    }
  }
  return out;
}

/** The rows that decided, then the rest, at the size the decision is about: five numbers. */
function headline(verdict: Verdict, focus: string | null): Headline[] {
  const c = verdict.challenges.find((x) => x.challenger === focus);
  if (!c || c.judgedSizes.length === 0) return [];
  const n = c.fromN ?? c.judgedSizes[c.judgedSizes.length - 1];
  const at = c.rows.filter((r) => r.n === n);
  const decided = at.filter((r) => r.result === 'a' || r.result === 'b');
  const rest = at.filter((r) => !(r.result === 'a' || r.result === 'b'));
  return [...decided, ...rest].slice(0, 5).map((r) => ({
    rule: RULES.find((x) => x.id === r.rule)!,
    n,
    incumbent: r.a,
    option: c.challenger,
    value: r.b,
    result: r.result === 'a' ? INCUMBENT : r.result === 'b' ? c.challenger : r.result,
  }));
}

function focusOf(verdict: Verdict): string | null {
  const d = verdict.decision;
  if (d.kind === 'move') return d.option;
  if (d.kind === 'tie') return [...d.options].sort()[0] ?? null;
  // Kept: the challenger with the most routing wins against the incumbent is the one to show.
  const ranked = verdict.challenges
    .filter((c) => c.judgedSizes.length > 0)
    .map((c) => ({ c, wins: c.rows.filter((r) => r.result === 'b').length - c.rows.filter((r) => r.result === 'a').length }))
    .sort((a, b) => b.wins - a.wins || (a.c.challenger < b.c.challenger ? -1 : 1));
  return ranked[0]?.c.challenger ?? null;
}

function risks(tables: readonly MetricTable[], loss: LossTable, safety: SafetyFacts, options: readonly string[], focus: string | null): Risk[] {
  const out: Risk[] = [];
  const t = (m: MetricId) => tables.find((x) => x.metric === m)!;
  const largest = (m: MetricId, o: string): Figure | undefined => {
    const tab = t(m);
    for (let i = tab.sizes.length - 1; i >= 0; i--) {
      const f = figureOf(tab.cells[o]?.[tab.sizes[i]]);
      if (f) return f;
    }
    return undefined;
  };
  for (const o of options) {
    const lb = largest('lb-crash', o);
    if (lb && lb.value === null) out.push({ area: 'routing', option: o, text: lb.note ? `a crashed load balancer: ${lb.note}` : 'a crashed load balancer is not noticed by every node within the run', basis: { kind: 'run', runs: lb.runs } });
    const heal = largest('partition-heal', o);
    if (heal && heal.value === null) out.push({ area: 'routing', option: o, text: 'after a 30 s partition heals, some load balancer does not route to every live backend again within the run', basis: { kind: 'run', runs: heal.runs } });
    for (const m of ['routing-crash', 'routing-ready-false', 'routing-join'] as const) {
      const f = largest(m, o);
      if (f && f.value === null) out.push({ area: 'routing', option: o, text: `${METRIC_TITLES[m].toLowerCase()}: never within the run`, basis: { kind: 'run', runs: f.runs } });
    }
    const k = loss.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.option === o).pop();
    const top = k ? figureOf(loss.cells[30]?.[k.i]) : undefined;
    if (top && top.value !== null && top.value > 0) out.push({ area: 'routing', option: o, text: `${top.value} false removals of live backends under 30 % loss (N = ${k!.c.n})`, basis: { kind: 'run', runs: top.runs } });
    const counted = safety.counted[o];
    const v = safety.violations[o]?.filter((x) => x.counted) ?? [];
    if (counted && counted.length > 0) out.push({ area: 'safety', option: o, text: `the model checker shows ${counted.join(', ')} violated`, basis: { kind: 'checker', columns: [...new Set(v.flatMap((x) => x.columns))] } });
    if (counted === null) out.push({ area: 'evidence', option: o, text: 'no model-checker configuration speaks for this option: its safety is not judged', basis: { kind: 'source', source: 'experiment/checker-configs.ts' } });
  }
  if (focus && focus !== INCUMBENT) {
    out.push(
      { area: 'migration', option: focus, text: 'mixed-version rollout: while some proxies run the new discovery and others the old, the load-balancer set is split in two views (the partition scenario is the closest measured case)', basis: { kind: 'source', source: `${STILL_CALLED[0].path} (the proxy still builds ServiceDiscovery)` } },
      { area: 'migration', option: focus, text: 'rollback: backends register once at startup, so rolling back to registration needs every backend to register again (a restart) or the load balancers start empty', basis: { kind: 'source', source: STILL_CALLED[2].path } },
      { area: 'operations', option: focus, text: 'ports: SWIM binds its own UDP socket, a new port to open between load balancers (and, for full SWIM, every backend) and to monitor for loss', basis: { kind: 'source', source: SWIM_UDP.path } },
      { area: 'operations', option: focus, text: `observability: ${SWIM_STUBS.length} stubs remain in Inferno's swim*.rs (e.g. "${SWIM_STUBS[0].text}" in ${SWIM_STUBS[0].path.split('/').pop()}), so its SWIM counters would report probes and syncs that did not happen until they are finished`, basis: { kind: 'source', source: SWIM_STUBS.map((s) => `${s.path.split('/').pop()}:${s.line}`).join(', ') } },
    );
  }
  return out;
}

function allRefs(tables: readonly MetricTable[], loss: LossTable): RunRef[] {
  const refs: RunRef[] = [];
  for (const t of tables) for (const o of t.options) for (const n of t.sizes) refs.push(...(figureOf(t.cells[o][n])?.runs ?? []));
  for (const l of loss.levels) for (const c of loss.cells[l]) refs.push(...(figureOf(c)?.runs ?? []));
  const seen = new Map<string, RunRef>();
  for (const r of refs) seen.set(`${r.file}|${r.protocol}|${r.scenario}|${r.n}`, r);
  return [...seen.values()];
}

function dirtyGroups(refs: readonly RunRef[]): DirtyGroup[] {
  const g = new Map<string, DirtyGroup>();
  const seen = new Set<string>();
  for (const r of refs) {
    const id = `${r.file}|${r.protocol}|${r.scenario}|${r.n}`;
    if (r.dirty === false || seen.has(id)) continue;
    seen.add(id);
    const key = `${r.file}|${r.commit}|${r.dirty}`;
    const prev = g.get(key);
    g.set(key, { file: r.file, commit: r.commit, dirty: r.dirty, runs: (prev?.runs ?? 0) + 1 });
  }
  return [...g.values()];
}

export interface FactsInput {
  readonly files: readonly ResultsInput[];
  readonly checker: PropertyTable;
  readonly history: RepoHistory;
  /** Options to judge; default every option with a run. */
  readonly options?: readonly string[];
}

export function decisionFacts(input: FactsInput): DecisionFacts {
  const runs = judgeRuns(input.files);
  const index = new RunIndex(runs);
  const options = [...(input.options ?? index.options())].map(optionName).sort((a, b) => (a === INCUMBENT ? -1 : b === INCUMBENT ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const tables = RULES.map((r) => metricTable(index, options, r));
  const loss = lossTable(index, options);
  const safety = safetyFacts(input.checker, options);
  const verdict = judge({ incumbent: INCUMBENT, figures: ruleFigures(tables, options), safety: safety.counted });
  const focus = focusOf(verdict);
  const ruleRefs = tables.flatMap((t) => t.options.flatMap((o) => t.sizes.flatMap((n) => figureOf(t.cells[o][n])?.runs ?? [])));
  const judgedRuns = { atOrAfter: 0, before: 0, unknown: 0 };
  for (const r of new Map(ruleRefs.map((r) => [`${r.file}|${r.protocol}|${r.scenario}|${r.n}`, r])).values()) {
    const v = r.commit === null ? null : input.history.atOrAfterRules(r.commit);
    if (v === true) judgedRuns.atOrAfter++;
    else if (v === false) judgedRuns.before++;
    else judgedRuns.unknown++;
  }
  const roadmapOption = verdict.decision.kind === 'move' ? verdict.decision.option : INCUMBENT;
  const rowsWhere = (metrics: readonly MetricId[], keep: (n: number) => boolean) =>
    options.flatMap((o) => [...new Set(tables.filter((t) => metrics.includes(t.metric)).flatMap((t) => t.sizes))].sort((a, b) => a - b).filter(keep)
        .filter((n) => tables.some((t) => metrics.includes(t.metric) && (t.cells[o]?.[n]?.kind ?? 'missing') !== 'missing'))
        .map((n) => ({ option: o, n })));
  const roleMetrics: MetricId[] = ['lb-traffic', 'backend-traffic', 'lb-memory', 'backend-memory'];
  const scaleMetrics: MetricId[] = ['routing-crash', 'routing-ready-false', 'routing-join', 'lb-crash', 'false-removals', 'partition-heal', 'lb-traffic', 'lb-memory'];
  const composed: ComposedTable[] = [
    { title: 'Traffic and memory: load balancers against backends', metrics: roleMetrics, rows: rowsWhere(roleMetrics, () => true) },
    { title: `At scale (N ≥ ${SCALE_FROM_N.toLocaleString('en-US')})`, metrics: scaleMetrics, rows: rowsWhere(scaleMetrics, (n) => n >= SCALE_FROM_N) },
  ];
  return {
    question: QUESTION,
    composed,
    incumbent: INCUMBENT,
    options,
    verdict,
    focus,
    headline: headline(verdict, focus),
    tables,
    loss,
    charts: charts(tables, loss),
    safety,
    risks: risks(tables, loss, safety, options, focus),
    roadmap: { option: roadmapOption, steps: ROADMAPS[roadmapOption] ?? [] },
    runs,
    provenance: provenanceOf(input.files),
    // Every valid run's figures appear somewhere (the every-run appendix at least), so all count.
    dirty: dirtyGroups([...allRefs(tables, loss), ...runs.filter((j) => j.validity.valid).map((j) => j.ref)]),
    rules: { commit: input.history.ruleCommit, history: RULE_HISTORY, judgedRuns },
  };
}

