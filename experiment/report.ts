/**
 * The decision report: decision facts (experiment/facts/) → docs/decision.md and SVG charts. This
 * file only formats: which runs count, which figure goes in which cell and what the rules decide are
 * all in the facts; no threshold or validity test lives here.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { type PropertyTable, loadPropertyTable, propertyTableMarkdown } from './checker-verdicts.js';
import { measureCost } from './cost.js';
import { type DecisionFacts, type Headline, METRIC_TITLES, type Risk, decisionFacts } from './facts/decision.js';
import { type RepoHistory, repoHistory } from './facts/git.js';
import { INFERNO_COMMIT, RATE, type RoadmapStep, STILL_CALLED, SWIM_FILES, SWIM_STUBS, daysFor } from './facts/inferno-code.js';
import type { Cell } from './facts/metrics.js';
import type { ResultsInput, RunRef } from './facts/runs.js';
import { bytes, ms, num } from './figures.js';
import { appendices } from './report-appendix.js';
import { mergeResults } from './results.js';
import { RULES, type Rule, SAFETY_RULE } from './rules.js';
import { lineChart } from './svg-chart.js';

export interface ReportOptions {
  /** Where decision.md and charts/ go. */
  readonly outDir: string;
  /** Saved `alice check --json` output for the property table. */
  readonly checkerPath: string;
  /** Repository root, for the cost section, trace links and git history. */
  readonly root: string;
  /** The command that regenerates the report, as the report names it. */
  readonly regenerate: string;
  /** Git history of the rules; default: read from `root`. */
  readonly history?: RepoHistory;
}

export interface Report {
  readonly markdown: string;
  readonly charts: Readonly<Record<string, string>>;
  readonly facts: DecisionFacts;
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeReport(files: readonly ResultsInput[], o: ReportOptions): string[] {
  const report = buildReport(files, o);
  const written: string[] = [];
  for (const [name, svg] of Object.entries(report.charts)) {
    const path = join(o.outDir, 'charts', name);
    writeAtomic(path, svg);
    written.push(path);
  }
  const md = join(o.outDir, 'decision.md');
  writeAtomic(md, report.markdown);
  written.push(md);
  return written;
}

const short = (c: string | null): string => (c === null ? 'unknown' : c.slice(0, 7));

/** A figure in its rule's unit; null is "never". */
export function valueText(unit: Rule['unit'], v: number | null | undefined): string {
  if (v === undefined) return '–';
  if (v === null) return 'never';
  if (unit === 'ms') return ms(v);
  if (unit === 'removals') return num(v);
  if (unit === 'B/node/s') return `${num(v)} B/s`;
  return bytes(v);
}

export function cellText(unit: Rule['unit'], c: Cell | undefined): string {
  if (c === undefined || c.kind === 'missing') return '–';
  if (c.kind === 'invalid') return `not evidence (${c.reason})`;
  const f = c.figure;
  const v = f.value === null && f.note ? 'nobody notices' : valueText(unit, f.value);
  return `${v}${f.converged ? ' (converged start)' : ''}`;
}

function decisionSentence(f: DecisionFacts): string {
  const d = f.verdict.decision;
  if (d.kind === 'move') return `**Move to \`${d.option}\`**${d.fromN !== null ? ` (judged from N = ${num(d.fromN)} on)` : ''}: ${d.why}.`;
  if (d.kind === 'keep') return `**Keep \`${d.option}\`** (Inferno's code as it behaves): ${d.why}.`;
  return `**No single choice**: ${d.options.map((o) => `\`${o}\``).join(', ')} — ${d.why}.`;
}

function headlineRows(h: readonly Headline[], incumbent: string): string[] {
  if (h.length === 0) return ['_No size at which the incumbent and a challenger both have every routing figure: the five numbers are not measured yet._', ''];
  return [
    `| rule | N | ${incumbent} | ${h[0].option} | better |`,
    '|---|---:|---:|---:|---|',
    ...h.map((x) => `| ${x.rule.id}: ${METRIC_TITLES[x.rule.metric]} | ${num(x.n)} | ${valueText(x.rule.unit, x.incumbent)} | ${valueText(x.rule.unit, x.value)} | ${x.result === 'no data' ? 'not measured' : x.result} |`),
    '',
  ];
}

function basisText(r: Risk, link: (p: string) => string): string {
  const b = r.basis;
  if (b.kind === 'run') return `run ${b.runs.map(runName).join(', ')}`;
  if (b.kind === 'checker') return `checker ${b.columns.map((c) => `\`${c}\``).join(', ')}`;
  return b.source.startsWith('experiment/') ? `[\`${b.source}\`](${link(b.source)})` : `Inferno \`${b.source}\` at ${short(INFERNO_COMMIT)}`;
}

export const runName = (r: RunRef): string => `\`${r.protocol} ${r.scenario} N=${r.n}\``;

function effort(s: RoadmapStep, cost: ReturnType<typeof measureCost>): { days: string; basis: string } {
  const b = s.basis;
  if (b.kind === 'assumed-days') return { days: `${b.low}–${b.high}`, basis: `assumed: ${b.what}` };
  const lines = b.kind === 'inferno-lines' ? b.lines : (cost.rooms.find((r) => r.room === b.room)?.code ?? 0);
  const d = daysFor(lines);
  return { days: `${d.low}–${d.high}`, basis: `${num(lines)} lines (${b.kind === 'inferno-lines' ? `Inferno: ${b.what}` : `Alice ${b.room}: ${b.what}`}) at ${RATE.low}–${RATE.high} lines/day` };
}

function roadmapRows(f: DecisionFacts, cost: ReturnType<typeof measureCost>): string[] {
  const swimLines = SWIM_FILES.reduce((a, x) => a + x.lines, 0);
  const L = [
    `Starting point (Inferno at ${short(INFERNO_COMMIT)}): ${SWIM_FILES.length} \`swim*.rs\` files, ${num(swimLines)} lines, not called by the proxy or the backend (${STILL_CALLED.map((s) => `\`${s.path}\`: ${s.what}`).join('; ')}); ${SWIM_STUBS.length} stubs remain: ${SWIM_STUBS.map((s) => `\`${s.path.split('/').pop()}:${s.line}\` ${s.what}`).join('; ')}.`,
    '',
    `Roadmap for \`${f.roadmap.option}\` (effort: lines divided by an assumed ${RATE.low}–${RATE.high} reviewed, tested lines per engineer-day; an estimate, not a measurement):`,
    '',
    '| step | engineer-days | basis |',
    '|---|---:|---|',
  ];
  for (const s of f.roadmap.steps) {
    const e = effort(s, cost);
    L.push(`| ${s.step} | ${e.days} | ${e.basis} |`);
  }
  L.push('');
  return L;
}

function screenOne(f: DecisionFacts, o: ReportOptions, cost: ReturnType<typeof measureCost>): string[] {
  const link = (p: string) => relative(o.outDir, join(o.root, p));
  const L: string[] = ['# Decision: how Inferno\'s cluster nodes share operational data', ''];
  L.push(`> Generated by \`${o.regenerate}\`; do not edit by hand. Sources: ${f.provenance.length} results batch${f.provenance.length === 1 ? '' : 'es'} ([provenance](#appendix-f-provenance)). Options compared: ${f.options.map((x) => `\`${x}\``).join(', ') || 'none'}.`, '');
  if (f.dirty.length > 0) {
    L.push(
      `> **Figures from a tree with uncommitted changes:** ${f.dirty.map((d) => `${d.runs} run${d.runs === 1 ? '' : 's'} of \`${relative(o.root, d.file)}\` (commit ${short(d.commit)}${d.dirty === 'possibly' ? ', batch not recorded: one of its batches was dirty' : ''})`).join('; ')}.`,
      '',
    );
  }
  L.push(`**Question.** ${f.question}`, '');
  L.push(`**Decision.** ${decisionSentence(f)}`, '');
  const rc = f.rules.commit;
  const j = f.rules.judgedRuns;
  L.push(
    `**Rules.** [\`experiment/rules.ts\`](${link('experiment/rules.ts')}) ([prose](${link('docs/rules.md')})), last changed in ${rc ? `commit \`${short(rc.commit)}\` (${rc.date})` : 'no commit yet'}; of the runs behind the rules' figures, ${j.atOrAfter} were made at or after it, ${j.before} before it${j.unknown > 0 ? `, ${j.unknown} from an unknown or unrelated commit` : ''}. ${f.rules.history.length} rule changes are [listed](#rule-history).`,
    '',
  );
  L.push(`**The five numbers that carry it**${f.focus ? ` (\`${f.incumbent}\` against \`${f.focus}\`)` : ''}:`, '');
  L.push(...headlineRows(f.headline, f.incumbent));
  L.push('**Top risks:**', '');
  const top = [...f.risks.filter((r) => r.option === f.focus || r.option === f.roadmap.option), ...f.risks.filter((r) => r.option !== f.focus && r.option !== f.roadmap.option)].slice(0, 5);
  if (top.length === 0) L.push('- none crossed a reporting threshold');
  for (const r of top) L.push(`- **${r.area}, \`${r.option}\`**: ${r.text} (${basisText(r, link)}).`);
  L.push('', '**Roadmap:**', '');
  L.push(...roadmapRows(f, cost));
  return L;
}

function sideBySide(f: DecisionFacts, table: PropertyTable, o: ReportOptions): string[] {
  const L: string[] = ['## The options side by side', ''];
  L.push('Each cell is the figure of the run named in [every run](#appendix-e-every-run); "not evidence" marks a run that stopped before its event or window ended (its figures are not shown); "–" means not run.', '');
  for (const t of f.tables) {
    if (t.sizes.length === 0) continue;
    L.push(`### ${t.title}`, '', `${t.rule.id}: ${t.rule.statement}.`, '');
    L.push(`| option | ${t.sizes.map((n) => `N=${num(n)}`).join(' | ')} |`, `|---|${t.sizes.map(() => '---:').join('|')}|`);
    for (const opt of t.options) L.push(`| ${opt} | ${t.sizes.map((n) => cellText(t.rule.unit, t.cells[opt][n])).join(' | ')} |`);
    L.push('');
  }
  for (const c of f.composed) {
    if (c.rows.length === 0) continue;
    const tabs = c.metrics.map((m) => f.tables.find((t) => t.metric === m)!);
    L.push(`### ${c.title}`, '', `| option | N | ${tabs.map((t) => `${t.rule.id}: ${t.title}`).join(' | ')} |`, `|---|---:|${tabs.map(() => '---:').join('|')}|`);
    for (const r of c.rows) L.push(`| ${r.option} | ${num(r.n)} | ${tabs.map((t) => cellText(t.rule.unit, t.cells[r.option]?.[r.n])).join(' | ')} |`);
    L.push('');
  }
  if (f.loss.columns.length > 0) {
    L.push('### Under loss: false removals per loss level', '', 'Cells: false removals (a load balancer drops a live backend) over the run, counting those a health round had decided and not yet applied at the end; in brackets the longest (ms), how many still stood at the end, and how many were still to come.', '');
    L.push(`| loss | ${f.loss.columns.map((c) => `${c.option} N=${num(c.n)}`).join(' | ')} |`, `|---|${f.loss.columns.map(() => '---:').join('|')}|`);
    for (const l of f.loss.levels) {
      L.push(
        `| ${l} % | ${f.loss.cells[l]
          .map((c) => (c.kind === 'figure' ? `${cellText('removals', c)} (${c.figure.extra?.longestMs == null ? 'none' : ms(c.figure.extra.longestMs)}, ${c.figure.extra?.open ?? '–'} open${c.figure.extra?.pending ? `, ${c.figure.extra.pending} to come` : ''})` : cellText('removals', c)))
          .join(' | ')} |`,
      );
    }
    L.push('');
  }
  L.push('### Safety properties from the model checker', '', `${SAFETY_RULE.id}: ${SAFETY_RULE.statement}.`, '');
  L.push('| option | counted violations | every violation (configurations) |', '|---|---|---|');
  for (const opt of f.options) {
    const c = f.safety.counted[opt];
    const all = f.safety.violations[opt] ?? [];
    L.push(`| ${opt} | ${c === null ? 'not checked' : c.length === 0 ? 'none' : c.join(', ')} | ${all.map((v) => `${v.property} (${v.columns.join(', ')})${v.counted ? '' : ' not counted: outside its timing assumption'}`).join('; ') || '–'} |`);
  }
  L.push('', propertyTableMarkdown(table, (p) => relative(o.outDir, join(o.root, p))), '');
  return L;
}

function rulesSection(f: DecisionFacts): string[] {
  const L: string[] = ['## How the rules decided', ''];
  L.push(`- ${SAFETY_RULE.id}: ${SAFETY_RULE.statement}.`);
  for (const r of RULES) L.push(`- ${r.id} (${r.weight}): ${r.statement}.`);
  L.push('', `Unsafe by ${SAFETY_RULE.id}: ${f.verdict.unsafe.join(', ') || 'none'}; not judged by the checker: ${f.verdict.unchecked.join(', ') || 'none'}.`, '');
  for (const c of f.verdict.challenges) {
    L.push(`### ${c.challenger} against ${f.incumbent}`, '');
    L.push(`Judged at N = ${c.judgedSizes.map((n) => num(n)).join(', ') || 'none (no size with every routing figure for both)'}; qualifies at ${c.qualifiesAt.map((n) => num(n)).join(', ') || 'none'}${c.excludedBySafety ? '; excluded by R0' : ''}.`, '');
    if (c.rows.length === 0) continue;
    L.push(`| rule | N | ${f.incumbent} | ${c.challenger} | better |`, '|---|---:|---:|---:|---|');
    for (const r of c.rows) {
      const rule = RULES.find((x) => x.id === r.rule)!;
      const better = r.result === 'a' ? f.incumbent : r.result === 'b' ? c.challenger : r.result;
      L.push(`| ${r.rule} | ${num(r.n)} | ${valueText(rule.unit, r.a)} | ${valueText(rule.unit, r.b)} | ${better} |`);
    }
    L.push('');
  }
  if (f.verdict.runoff.length > 0) {
    L.push('Runoff between qualifying challengers (routing rows won):', '');
    for (const r of f.verdict.runoff) L.push(`- ${r.a} ${r.aWins} : ${r.bWins} ${r.b}`);
    L.push('');
  }
  L.push('### Rule history', '', '| date | what changed | verdict before | made after results existed |', '|---|---|---|---|');
  for (const h of f.rules.history) L.push(`| ${h.date} | ${h.change} | ${h.verdictBefore} | ${h.afterResults ? 'yes' : 'no'} |`);
  L.push('');
  return L;
}

export function buildReport(files: readonly ResultsInput[], o: ReportOptions): Report {
  const table = loadPropertyTable(o.checkerPath);
  const facts = decisionFacts({ files, checker: table, history: o.history ?? repoHistory(o.root) });
  const cost = measureCost(o.root);
  const charts: Record<string, string> = {};
  for (const c of facts.charts) charts[c.name] = lineChart({ title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, logX: c.logX, logY: c.logY, series: c.series.map((x) => ({ name: x.name, points: x.points.map((pt) => [pt.x, pt.y] as const) })) });
  const L = [...screenOne(facts, o, cost), ...sideBySide(facts, table, o), ...rulesSection(facts)];
  L.push(...appendices(facts, mergeResults(files), { outDir: o.outDir, root: o.root, charts: Object.keys(charts), cost }));
  return { markdown: L.join('\n'), charts, facts };
}
