/**
 * A suite: several checks of one protocol, each a documented configuration (size, timing, faults,
 * loss budget, push-pull), judged together. The suite fails when any configuration has a property
 * that fails inside its assumptions; a violation outside them is expected, and a configuration that
 * stops at its documented bounds is reported with them ("no violation found within …"), not as a
 * failure. Typed facts only; the CLI formats them.
 */
import type { ProtocolDefinition } from '../spec/protocol.js';
import { Checker } from './explore.js';
import type { CheckOptions } from './options.js';
import { type Coverage, type VerdictStatus, failing } from './verdicts.js';

export interface SuiteConfiguration {
  /** Short name, unique in its suite: "n4-async-crash". */
  readonly label: string;
  /** The protocol (variant) it checks, by the name the caller's registry knows. */
  readonly protocol: string;
  /** What it covers that the others do not. */
  readonly why: string;
  readonly options: Partial<CheckOptions>;
}

export interface SuiteVerdict {
  readonly property: string;
  readonly status: VerdictStatus;
  /** The unmet assumption, when a violation is expected. */
  readonly unmetAssumption?: string;
  /** Transitions in the trace (violations and inconclusive runs). */
  readonly steps?: number;
  readonly detail?: string;
}

export interface SuiteRun {
  readonly label: string;
  readonly protocol: string;
  readonly why: string;
  readonly options: CheckOptions;
  readonly coverage: Coverage;
  readonly distinct: number;
  readonly seconds: number;
  readonly verdicts: readonly SuiteVerdict[];
  /** Properties that fail inside their assumptions. */
  readonly failures: readonly string[];
}

export interface SuiteResult {
  readonly protocol: string;
  readonly profile: string;
  readonly runs: readonly SuiteRun[];
  readonly failed: boolean;
  readonly seconds: number;
}

export function runSuite(
  protocol: string,
  profile: string,
  configurations: readonly SuiteConfiguration[],
  load: (name: string) => ProtocolDefinition<unknown, unknown, unknown>,
  onRun: (run: SuiteRun) => void = () => {},
  /** Stop after the first configuration that fails (a mutant needs one counterexample, not all). */
  failFast = false,
): SuiteResult {
  const started = performance.now();
  const runs: SuiteRun[] = [];
  for (const c of configurations) {
    const t0 = performance.now();
    const r = new Checker(load(c.protocol), c.options).run();
    const run: SuiteRun = {
      label: c.label,
      protocol: c.protocol,
      why: c.why,
      options: r.options,
      coverage: r.coverage,
      distinct: r.stats.distinct,
      seconds: (performance.now() - t0) / 1000,
      verdicts: r.verdicts.map((v) => ({
        property: v.property,
        status: v.status,
        ...(v.expected !== undefined ? { unmetAssumption: v.expected } : {}),
        ...(v.trace ? { steps: v.trace.steps.length - 1, detail: v.trace.violation.detail } : {}),
      })),
      failures: failing(r.verdicts, r.coverage).map((v) => v.property),
    };
    runs.push(run);
    onRun(run);
    if (failFast && run.failures.length > 0) break;
  }
  return { protocol, profile, runs, failed: runs.some((r) => r.failures.length > 0), seconds: (performance.now() - started) / 1000 };
}
