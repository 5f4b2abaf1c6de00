/**
 * One row of the SPIN cross-check from what each side reported, the differences that make it fail,
 * and the table printed and pasted into docs/checker.md. Pure: the runs happen in bench/spin-diff.ts.
 */
import type { PanReport } from './pan-output.js';

export interface SpinSide {
  readonly report: PanReport;
  readonly seconds: number;
}

export interface AliceSide {
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly seconds: number;
}

export interface CounterexampleSides {
  readonly property: string;
  /** Steps of SPIN's breadth-first trail (spin -t), or null when pan found no error. */
  readonly spinSteps: number | null;
  readonly spinError: string | null;
  /** Transitions of Alice's shortest trace (step 0, the initial state, is not one), or null when none. */
  readonly aliceSteps: number | null;
}

export interface DiffRow {
  readonly model: string;
  readonly params: string;
  /** -DNOREDUCE: the full state space, the one compared with Alice's. */
  readonly spin: SpinSide;
  /** SPIN's default build, partial-order reduction on. */
  readonly spinPor: SpinSide;
  readonly alice: AliceSide;
  readonly counterexample?: CounterexampleSides;
  /** What differs, or what made a side's figures unusable; empty when the row agrees. */
  readonly problems: readonly string[];
}

export function paramsText(params: Readonly<Record<string, number>>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
}

function searchProblems(side: string, r: PanReport): string[] {
  const p: string[] = [];
  if (!r.completed && !r.depthTooSmall) p.push(`${side}: search not completed${r.firstError ? ` (${r.firstError.text})` : ''}`);
  if (r.depthTooSmall) p.push(`${side}: max search depth too small`);
  if (r.errors > 0) p.push(`${side}: ${r.errors} error(s)${r.firstError ? `, first: ${r.firstError.text}` : ''}`);
  // Every step of these models is one d_step: an atomic step would be a state SPIN does not store.
  if (r.atomicSteps > 0) p.push(`${side}: ${r.atomicSteps} atomic steps (the encoding assumes none)`);
  return p;
}

export function compareRow(model: string, params: Readonly<Record<string, number>>, spin: SpinSide, spinPor: SpinSide, alice: AliceSide, counterexample?: CounterexampleSides): DiffRow {
  const problems = [...searchProblems('SPIN -DNOREDUCE', spin.report), ...searchProblems('SPIN (POR)', spinPor.report)];
  if (!alice.complete) problems.push('Alice: search incomplete (a bound was hit)');
  if (spin.report.stored !== alice.distinct) problems.push(`states: SPIN stored ${spin.report.stored}, Alice distinct ${alice.distinct}`);
  if (spin.report.transitions !== alice.generated) problems.push(`transitions: SPIN ${spin.report.transitions}, Alice generated ${alice.generated}`);
  if (counterexample) {
    const { property, spinSteps, aliceSteps } = counterexample;
    if (spinSteps === null) problems.push(`${property}: SPIN -DBFS found no violation`);
    if (aliceSteps === null) problems.push(`${property}: Alice found no violation`);
    if (spinSteps !== null && aliceSteps !== null && spinSteps !== aliceSteps) problems.push(`${property}: shortest counterexample, SPIN ${spinSteps} steps, Alice ${aliceSteps} transitions`);
  }
  return { model, params: paramsText(params), spin, spinPor, alice, ...(counterexample ? { counterexample } : {}), problems };
}

/** pan's own elapsed time (the search, without allocating its tables), else the wall time of ./pan. */
export const searchSeconds = (s: SpinSide): number => s.report.elapsedSec ?? s.seconds;

const n = (x: number) => x.toLocaleString('en-US');
const sec = (x: number) => x.toFixed(2);

export function markdownTable(rows: readonly DiffRow[]): string {
  const head = [
    'model', 'parameters', 'SPIN stored', 'SPIN transitions', 'Alice distinct', 'Alice generated', 'equal',
    'SPIN POR stored', 'POR / full', 'shortest violation (SPIN -DBFS / Alice BFS)', 'SPIN s', 'Alice s',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cx = r.counterexample ? `${r.counterexample.property}: ${r.counterexample.spinSteps ?? 'none'} / ${r.counterexample.aliceSteps ?? 'none'}` : '—';
    lines.push(
      `| ${[
        r.model, r.params, n(r.spin.report.stored), n(r.spin.report.transitions), n(r.alice.distinct), n(r.alice.generated),
        r.problems.length === 0 ? 'yes' : '**NO**', n(r.spinPor.report.stored), (r.spinPor.report.stored / r.spin.report.stored).toFixed(3), cx,
        sec(searchSeconds(r.spin)), sec(r.alice.seconds),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
