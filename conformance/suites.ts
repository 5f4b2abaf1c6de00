/**
 * The conformance suites of one protocol, run in order: model → implementation (breadth-first paths,
 * random walks with faults), then implementation → model (fast-check random inputs, simulator runs).
 * Each suite stops at its first divergence, shrinks it and reports it; coverage is recorded from
 * every model step the suites take in lockstep.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromItf } from '../checker/trace.js';
import { formatImplReplay, implExplanation, implForReplay, replayOnImpl } from './counterexample.js';
import { TransitionCoverage } from './coverage.js';
import { bfsTraces, corpusOf, walkTraces } from './explore.js';
import { fuzz } from './fuzz.js';
import { type Divergence, type NodeTrace, checkTrace } from './lockstep.js';
import type { NodeSource } from './node-under-test.js';
import { type Profile, variantShare } from './profiles.js';
import type { ConformancePair } from './registry.js';
import { formatDivergence } from './report.js';
import { shrinkTrace } from './shrink.js';
import { simulate } from './simulate.js';

export interface SuiteResult {
  readonly suite: 'model→impl: bfs paths' | 'model→impl: random walks' | 'impl→model: fast-check' | 'impl→model: simulator runs' | 'counterexample fixtures';
  /** Traces replayed, fast-check runs, or simulator runs. */
  readonly checks: number;
  /** Steps each side took, where counted. */
  readonly steps: number;
  readonly ms: number;
  readonly note: string;
  readonly divergence: Divergence<unknown> | null;
  /** A failure that is not a step divergence: a fixture the implementation departs from, unexplained. */
  readonly failure?: string;
}

export interface ConformanceRun {
  readonly protocol: string;
  readonly implementation: string;
  readonly suites: readonly SuiteResult[];
  readonly coverage: TransitionCoverage;
  readonly passed: boolean;
}

async function replayAll(pair: ConformancePair, source: NodeSource<unknown>, traces: readonly NodeTrace<unknown>[], cov: TransitionCoverage, shrinkChecks: number) {
  const model = pair.model.behaviour;
  let steps = 0;
  let checked = 0;
  for (const t of traces) {
    checked++;
    const d = await checkTrace(model, source, t, cov);
    if (d) return { checked, steps: steps + d.step, divergence: await shrinkTrace(t, d, (c) => checkTrace(model, source, c), { maxChecks: shrinkChecks }) };
    steps += t.inputs.length + 1;
  }
  return { checked, steps, divergence: null };
}

export interface SuiteOptions {
  /** Directory of checker counterexamples (ITF JSON) to replay on the in-process implementation. */
  readonly fixtures?: string;
}

/** Every fixture of this protocol in `dir`, replayed on the implementation with the checker's replay. */
function fixtureSuite(pair: ConformancePair, dir: string): Omit<SuiteResult, 'suite' | 'ms'> {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  const failures: string[] = [];
  let checks = 0;
  let steps = 0;
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const trace = fromItf(text);
    if (trace.protocol !== pair.name) continue;
    checks++;
    const r = replayOnImpl(implForReplay(pair), trace, implExplanation(text));
    steps += r.steps;
    if (r.verdict === 'differs') failures.push(formatImplReplay(r, f));
  }
  return {
    checks,
    steps,
    divergence: null,
    failure: failures.length > 0 ? failures.join('\n') : undefined,
    note: checks === 0 ? `no ${pair.name} fixtures in ${dir}` : `${checks} traces from ${dir}, replayed with the checker's replay on the implementation`,
  };
}

/*
 * Every suite sets nodes up with the MODEL's cluster (pair.model.cluster): its configuration is the
 * envelope in which the model claims to describe the implementation. A model may abstract a feature
 * away (SWIM's model omits metadata rate limiting and byte budgets) and then runs with it switched off;
 * running the implementation's production preset against it would only report that abstraction.
 * A pair's variants (registry.ts) are further model configurations, with features the checking
 * configuration leaves off switched on; random walks and simulator runs explore them too.
 */
export async function runSuites(pair: ConformancePair, source: NodeSource<unknown>, profile: Profile, seed: number, options: SuiteOptions = {}): Promise<ConformanceRun> {
  const cov = new TransitionCoverage();
  const suites: SuiteResult[] = [];
  const model = pair.model.behaviour;
  const timed = async (suite: SuiteResult['suite'], body: () => Promise<Omit<SuiteResult, 'suite' | 'ms'>>) => {
    const t0 = performance.now();
    const r = await body();
    suites.push({ suite, ms: performance.now() - t0, ...r });
  };

  const share = variantShare(profile);
  const variants = pair.variants ?? [];
  // Variants share the profile's budget: a pair with variants spends part of its walks and simulator
  // runs under them rather than on top, so adding a variant does not lengthen CI.
  const baseWalks = Math.max(0, profile.walks.walks - variants.length * share.walks);
  const baseSims = Math.max(0, profile.sims.runs - variants.length * share.sims);
  const walks = walkTraces(pair.model, { ...profile.walks, walks: baseWalks, seed });
  // Variant walks are labelled with the variant, so a divergence names the configuration it ran under.
  const variantWalks = variants.flatMap((v) =>
    walkTraces(v.model, { ...profile.walks, walks: share.walks, seed: seed + 500_000 }).map((t) => ({ ...t, origin: `${v.name} config: ${t.origin ?? ''}` })),
  );
  const alsoUnder = (n: number, what: string) => (variants.length === 0 ? '' : `; + ${n} ${what} under ${variants.map((v) => v.name).join(', ')}`);
  await timed('model→impl: bfs paths', async () => {
    const bfs = bfsTraces(pair.model, profile.bfs);
    const r = await replayAll(pair, source, bfs.traces, cov, profile.shrinkChecks);
    return { checks: r.checked, steps: r.steps, divergence: r.divergence, note: `${bfs.states} model states, depth ${bfs.depth}, ${bfs.paths} transition-covering paths` };
  });
  await timed('model→impl: random walks', async () => {
    const r = await replayAll(pair, source, [...walks, ...variantWalks], cov, profile.shrinkChecks);
    return { checks: r.checked, steps: r.steps, divergence: r.divergence, note: `${baseWalks} walks × ${profile.walks.length} moves on ${profile.walks.nodes} nodes${alsoUnder(share.walks, 'walks')}` };
  });
  await timed('impl→model: fast-check', async () => {
    // Timers the implementation arms under its own production preset too: a node must take any timer
    // input, including one its model configuration never arms (SWIM's model runs without gossip).
    const implTimers = pair.impl.cluster(profile.fuzz.nodes).flatMap((setup) => pair.impl.behaviour.init(setup).outputs.flatMap((o) => (o.type === 'setTimer' ? [o.timer] : [])));
    // Messages from the variant walks too: a node must take a push-pull request whatever its own config.
    const walked = corpusOf([...walks, ...variantWalks]);
    const corpus = { ...walked, timers: [...new Set([...walked.timers, ...implTimers])].sort() };
    const r = await fuzz(model, pair.model, source, corpus, { ...profile.fuzz, seed }, cov);
    return { checks: r.runs, steps: r.steps, divergence: r.divergence, note: `inputs drawn from ${corpus.messages.length} messages and ${corpus.timers.length} timers the model emitted` };
  });
  await timed('impl→model: simulator runs', async () => {
    let steps = 0;
    let runs = 0;
    const configs = [
      ...Array.from({ length: baseSims }, () => ({ label: '', model: pair.model })),
      ...variants.flatMap((v) => Array.from({ length: share.sims }, () => ({ label: `${v.name} config: `, model: v.model }))),
    ];
    for (let i = 0; i < configs.length; i++) {
      runs++;
      const r = await simulate(model, configs[i].model, source, { ...profile.sims, seed: seed + 1_000 * i }, cov);
      steps += r.steps;
      if (r.divergence) {
        const d = r.divergence;
        const trace = { setup: d.setup, inputs: d.prefix, origin: `${configs[i].label}${d.origin ?? ''}` };
        const shrunk = await shrinkTrace(trace, d, (c) => checkTrace(model, source, c), { maxChecks: profile.shrinkChecks });
        return { checks: runs, steps, divergence: shrunk, note: `${profile.sims.nodes} nodes, ${profile.sims.durationMs / 1000} s virtual time each` };
      }
    }
    return { checks: runs, steps, divergence: null, note: `${profile.sims.nodes} nodes, ${profile.sims.durationMs / 1000} s virtual time each, loss ${profile.sims.lossRate}${alsoUnder(share.sims, 'runs')}` };
  });
  const fixtures = options.fixtures;
  if (fixtures !== undefined) await timed('counterexample fixtures', async () => fixtureSuite(pair, fixtures));
  return { protocol: pair.name, implementation: source.label, suites, coverage: cov, passed: suites.every((s) => s.divergence === null && s.failure === undefined) };
}

export function formatRun(run: ConformanceRun): string {
  const lines = [`conformance: ${run.protocol} (${run.implementation}) — ${run.passed ? 'refines the model' : 'DIVERGES from the model'}`];
  for (const s of run.suites) {
    const verdict = s.divergence ? 'DIVERGED' : s.failure ? 'FAILED' : 'ok';
    lines.push(`  ${s.suite.padEnd(28)} ${verdict.padEnd(8)} ${String(s.checks).padStart(5)} checks ${String(s.steps).padStart(7)} steps ${(s.ms / 1000).toFixed(1).padStart(6)} s  ${s.note}`);
  }
  for (const s of run.suites) if (s.divergence) lines.push('', formatDivergence(s.divergence, run.protocol));
  for (const s of run.suites) if (s.failure) lines.push('', s.failure);
  for (const c of run.coverage.summary()) lines.push(`  coverage ${c.machine}: ${c.covered}/${c.total} transitions`);
  return lines.join('\n');
}
