/**
 * The report's appendices: scenario descriptions (written once), charts, scale, every run with its
 * validity, provenance one line per results batch, and the code sizes the roadmap reads. Formatting
 * only: validity and figures come from the facts.
 */
import { relative } from 'node:path';
import type { CostReport } from './cost.js';
import type { DecisionFacts } from './facts/decision.js';
import { byRoleOf } from './facts/metrics.js';
import { bytes, ms, num } from './figures.js';
import type { MergedResults } from './results.js';
import { scaleSection } from './report-scale.js';
import { SCENARIOS } from './scenarios.js';

export interface AppendixOptions {
  readonly outDir: string;
  readonly root: string;
  readonly charts: readonly string[];
  readonly cost: CostReport;
}

/** Scenario names without the converged-start prefix, each described once. */
function scenarioRows(f: DecisionFacts): string[] {
  const names = [...new Set(f.runs.map((r) => r.run.scenario.replace(/^warm-/, '')))].sort();
  const L = ['## Appendix A: scenarios', '', 'A `warm-` prefix runs the same scenario from a converged start (every node restored from one member snapshot, no join storm, at least 100 protocol periods).', ''];
  L.push('| scenario | what happens |', '|---|---|');
  for (const n of names) L.push(`| ${n} | ${SCENARIOS.find((s) => s.name === n)?.summary ?? 'not described on this branch'} |`);
  L.push('');
  return L;
}

function everyRun(f: DecisionFacts, root: string): string[] {
  const L = ['## Appendix E: every run', '', 'Newest run per option, scenario and N over every results file. Figures are shown only for valid runs (finished, past the event and its observation window); a run that is not evidence shows why.', ''];
  L.push('| file | protocol | scenario | N | validity | first watch: all observers | false removals | LB B/s | backend B/s | LB state | backend state | wall |');
  L.push('|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  const sorted = [...f.runs].sort((a, b) => a.run.protocol.localeCompare(b.run.protocol) || a.run.scenario.localeCompare(b.run.scenario) || a.run.n - b.run.n);
  for (const j of sorted) {
    const r = j.run;
    const head = `| ${relative(root, j.ref.file)} | ${r.protocol} | ${r.scenario} | ${num(r.n)} |`;
    const wall = `${num(r.runtime.wallMs / 1000, 1)} s`;
    if (!j.validity.valid) {
      L.push(`${head} not evidence: ${j.validity.reason} | – | – | – | – | – | – | ${wall} |`);
      continue;
    }
    const w = r.sim.watches[0];
    const role = byRoleOf(r);
    L.push(
      `${head} valid | ${w ? `${w.label} ${ms(w.allMs)} (${w.reflected}/${w.observers})` : '–'} | ${r.sim.falsePositives.declarations} | ${role ? num(role.loadBalancer.steady.bytesPerNodePerSec) : '–'} | ${role ? num(role.backend.steady.bytesPerNodePerSec) : '–'} | ${role ? bytes(role.loadBalancer.stateBytes.mean) : '–'} | ${role ? bytes(role.backend.stateBytes.mean) : '–'} | ${wall} |`,
    );
  }
  L.push('');
  return L;
}

function provenance(f: DecisionFacts, root: string): string[] {
  const L = ['## Appendix F: provenance', ''];
  for (const p of f.provenance) L.push(`- \`${relative(root, p.file)}\`: \`${p.command}\`, commit \`${p.commit?.slice(0, 7) ?? 'unknown'}\`, ${p.dirty ? '**dirty**' : 'clean'}, seed ${p.seed}`);
  L.push('');
  return L;
}

function costRows(cost: CostReport): string[] {
  const L = ['## Appendix D: code sizes the roadmap reads', '', 'Measured from this repository when the report was generated (`experiment/cost.ts`: code lines exclude blanks and comments).', ''];
  L.push('| room | files | code lines |', '|---|---:|---:|');
  for (const r of cost.rooms) L.push(`| ${r.room} | ${r.files} | ${num(r.code)} |`);
  L.push('');
  return L;
}

export function appendices(f: DecisionFacts, merged: MergedResults, o: AppendixOptions): string[] {
  const L = [...scenarioRows(f)];
  L.push('## Appendix B: charts', '');
  for (const c of o.charts) L.push(`![${c}](charts/${c})`, '');
  if (o.charts.length === 0) L.push('_No chart has a valid figure yet._', '');
  L.push('## Appendix C: scale', '');
  L.push(...scaleSection(merged, merged.protocols));
  L.push(...costRows(o.cost));
  L.push(...everyRun(f, o.root));
  L.push(...provenance(f, o.root));
  return L;
}
