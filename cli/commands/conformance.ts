/**
 * `alice conformance`: does each production implementation refine its model? Runs the conformance
 * suites (model → implementation, implementation → model) against the in-process core, or against
 * node processes speaking the stdio step protocol (`--exec`), and prints each suite's verdict, any
 * divergence (shrunk), and with `--coverage` the transition coverage table.
 */
import type { Command } from 'commander';
import { coverageTable } from '../../conformance/coverage.js';
import { ConformanceError } from '../../conformance/errors.js';
import { type NodeSource, inProcessSource } from '../../conformance/node-under-test.js';
import { profile as profileNamed } from '../../conformance/profiles.js';
import { type ConformancePair, PRODUCTION_PAIRS, pair } from '../../conformance/registry.js';
import { execSource } from '../../conformance/stdio/exec-node.js';
import { formatRun, runSuites } from '../../conformance/suites.js';

/** Where the checker's kept counterexamples live (ITF JSON, one trace per file). */
export const FIXTURES = 'test/fixtures/traces';

export interface ConformanceCliOptions {
  readonly protocol?: string;
  readonly exec?: string;
  readonly coverage?: boolean;
  readonly profile: string;
  readonly seed: string;
}

/** Runs the suites; returns whether every protocol refined its model. */
export async function runConformanceCommand(options: ConformanceCliOptions, write: (s: string) => void): Promise<boolean> {
  const seed = Number(options.seed);
  if (!Number.isSafeInteger(seed)) throw new ConformanceError(`--seed must be a whole number, got '${options.seed}'`);
  const prof = profileNamed(options.profile);
  if (options.exec !== undefined && options.protocol === undefined) {
    throw new ConformanceError('--exec needs --protocol: a node process speaks one protocol (e.g. --protocol majority)');
  }
  if (options.exec !== undefined && options.exec.trim() === '') throw new ConformanceError('--exec needs a command, e.g. --exec "./inferno-node --stdio"');
  const pairs: readonly ConformancePair[] = options.protocol ? [pair(options.protocol)] : PRODUCTION_PAIRS;
  let passed = true;
  for (const p of pairs) {
    const source: NodeSource<unknown> = options.exec ? execSource(options.exec, { protocol: p.impl.name }) : inProcessSource(p.impl.behaviour);
    try {
      // Counterexample fixtures replay through the checker, which steps cores in-process.
      const run = await runSuites(p, source, prof, seed, options.exec ? {} : { fixtures: FIXTURES });
      passed &&= run.passed;
      write(`${formatRun(run)}\n`);
      if (options.coverage) write(`\n${coverageTable(run.coverage)}\n`);
    } finally {
      await source.close();
    }
  }
  write(`\nprofile ${prof.name}, seed ${seed}: ${passed ? 'every implementation refines its model' : 'DIVERGENCE found (see above)'}\n`);
  return passed;
}

export function register(program: Command): void {
  program
    .command('conformance')
    .description('check that each implementation refines its model: trace-driven and property-based suites, with shrunk divergence reports')
    .option('--protocol <name>', `protocol to check: ${PRODUCTION_PAIRS.map((p) => p.name).join(' | ')} (default: all)`)
    .option('--exec <command>', 'run the implementation as node processes speaking the stdio step protocol (spec/stdio-protocol.md), one per node')
    .option('--coverage', 'print which machine transitions (source state, event, guard) the suites exercised')
    .option('--profile <name>', 'ci (the CI budget) or long (nightly: more seeds, deeper paths)', 'ci')
    .option('--seed <n>', 'seed of the random walks, fast-check and simulator runs', '1')
    .action(async (options: ConformanceCliOptions) => {
      const ok = await runConformanceCommand(options, (s) => process.stdout.write(s));
      if (!ok) process.exitCode = 1;
    });
}
