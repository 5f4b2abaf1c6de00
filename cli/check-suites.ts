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
const bounded = { timing: 'bounded' } as const;
const lossy = (k: number) => ({ faults: ['loss'] as const, faultBudget: 0, maxLosses: k });
/** Breadth-first within a state count: the same verdicts on any machine, whatever its load. */
const within = (maxStates: number) => ({ maxStates, timeLimitSec: 0 });

type Config = SuiteConfiguration;
/** Safety properties only: a walk checks every state it visits; liveness needs the breadth-first runs' fair suffixes. */
const SWIM_SAFETY = ['selfSovereignty', 'noRegression', 'accuracy', 'incarnationMonotonic', 'noSelfDeath', 'noResurrection', 'refutation', 'accusationsTakeHold', 'tableMergesNoDeath', 'leaveIsFinal', 'failedProbeSuspects', 'suspicionTimeoutKills', 'suspicionTimeoutFalls', 'reapDeadlineFixed'];
const MAJORITY_HARDENED_SAFETY = ['selfSovereignty', 'noRegression', 'accuracy', 'orderIndependence', 'staleUpdateIgnored'];
/** The baseline adds the clauses of its resolution rule (the hardened variant resolves by version instead). */
const MAJORITY_SAFETY = [...MAJORITY_HARDENED_SAFETY, 'majorityWins', 'newestWins', 'firstSeenBreaksTies'];
const safetyOf = (protocol: string): string[] => (protocol.startsWith('swim') ? SWIM_SAFETY : protocol.startsWith('majority-hardened') ? MAJORITY_HARDENED_SAFETY : MAJORITY_SAFETY);
/** Seeded random walks (800 of ≤ 60 steps in the full profile), safety properties of the protocol. */
const walk = (label: string, protocol: string, why: string, options: Config['options']): Config =>
  cfg(label, protocol, why, { strategy: 'random', walks: 800, maxDepth: 60, seed: 1, timeLimitSec: 0, maxStates: 0, properties: safetyOf(protocol), ...options });
/** Deeper walks: 200 of ≤ 150 steps (full profile). */
const deep = (label: string, protocol: string, why: string, options: Config['options']): Config => walk(label, protocol, why, { walks: 200, maxDepth: 150, ...options });
const cfg = (label: string, protocol: string, why: string, options: Config['options']): Config => ({ label, protocol, why, options });

/** SWIM (spec/swim.md §Checked configurations). */
function swimSuite(scale: number): Config[] {
  const n = (k: number) => within(Math.round(k * scale));
  return [
    cfg('n3-async-crash-update', 'swim', "the protocol's declared faults, any order of events", { nodes: 3, ...n(40_000) }),
    cfg('n3-bounded', 'swim', 'bounded delay, no faults: accuracy inside its assumptions', { nodes: 3, ...bounded, ...none, ...n(60_000) }),
    cfg('n3-bounded-loss1', 'swim', 'bounded delay, one lost message: the indirect probe and refutation', { nodes: 3, ...bounded, ...lossy(1), ...n(60_000) }),
    cfg('n3-bounded-loss2', 'swim', 'bounded delay, two lost messages: a suspicion that must be refuted', { nodes: 3, ...bounded, ...lossy(2), ...n(80_000) }),
    cfg('n3-bounded-crash-loss1', 'swim', 'a crash and a loss: detection and dissemination of a death', { nodes: 3, ...bounded, faults: ['crash', 'loss'], faultBudget: 1, maxLosses: 1, ...n(60_000) }),
    cfg('n3-async-restart-partition', 'swim', 'crash, restart, partition and heal', { nodes: 3, faults: ['crash', 'restart', 'partition'], faultBudget: 2, ...n(30_000) }),
    // Two nodes: the holder sends its peer every datagram, so the retransmit limit is redundancy
    // against loss that a model checker can judge (boundedDissemination); at n ≥ 3 it is a probability.
    cfg('n2-bounded-update-loss1', 'swim', 'an update and one lost copy of it: the retransmit limit still delivers it', { nodes: 2, ...bounded, faults: ['update', 'loss'], faultBudget: 1, maxLosses: 1, ...n(400_000) }),
    cfg('n4-bounded-loss1', 'swim', 'four nodes: not every node probes every other, so gossip carries news', { nodes: 4, ...bounded, ...lossy(1), ...n(60_000) }),
    cfg('n4-bounded-crash', 'swim', 'four nodes, a crash: a death learnt by gossip', { nodes: 4, ...bounded, faults: ['crash'], faultBudget: 1, ...n(60_000) }),
    cfg('n3-lifeguard-loss2', 'swim-lifeguard', "Lifeguard's suspicion timeout falling with confirmations", { nodes: 3, ...bounded, ...lossy(2), ...n(60_000) }),
    cfg('n3-reap-crash', 'swim-reap', 'reaping dead members, and re-learning them', { nodes: 3, ...bounded, faults: ['crash', 'restart'], faultBudget: 2, ...n(40_000) }),
    cfg('n3-pushpull-loss1', 'swim-pushpull', 'push-pull anti-entropy on: whole-table merges', { nodes: 3, ...bounded, ...lossy(1), ...n(60_000) }),
    cfg('n3-pushpull-crash-update', 'swim-pushpull', 'push-pull on, crash and update, any order', { nodes: 3, ...n(30_000) }),
    // Deep behaviours (a false death, then stale gossip about it) lie beyond what breadth-first reaches
    // at these sizes: seeded random walks reach them, checking the safety properties on every step.
    walk('walk-n3-async-crash-update', 'swim', 'random walks, the declared faults, any order', { nodes: 3 }),
    walk('walk-n3-bounded-loss2', 'swim', 'random walks, bounded delay, two losses', { nodes: 3, ...bounded, ...lossy(2) }),
    walk('walk-n4-bounded-crash-loss1', 'swim', 'random walks, four nodes, a crash and a loss', { nodes: 4, ...bounded, faults: ['crash', 'loss'], faultBudget: 1, maxLosses: 1 }),
    walk('walk-n3-lifeguard-loss2', 'swim-lifeguard', 'random walks, Lifeguard suspicion, two losses', { nodes: 3, ...bounded, ...lossy(2) }),
    walk('walk-n3-reap-crash-restart', 'swim-reap', 'random walks, reaping, crash and restart', { nodes: 3, ...bounded, faults: ['crash', 'restart'], faultBudget: 2 }),
    walk('walk-n3-pushpull-loss1-crash', 'swim-pushpull', 'random walks, push-pull, a crash and a loss', { nodes: 3, ...bounded, faults: ['crash', 'loss'], faultBudget: 1, maxLosses: 1 }),
    // Longer walks (150 steps, a quarter as many) aimed at one rule each: the whole life of a
    // suspicion (probe, timeout, death, its gossip) takes 60-120 steps under bounded timing.
    deep('walk-n4-lifeguard-crash', 'swim-lifeguard', 'four nodes, a crash: independent suspecters confirm, so the Lifeguard timeout moves', { nodes: 4, ...bounded, faults: ['crash'], faultBudget: 1 }),
    deep('walk-n3-pushpull-crash', 'swim-pushpull', 'push-pull after a death: a merged table claims deaths as suspicions', { nodes: 3, ...bounded, faults: ['crash'], faultBudget: 1 }),
    // Any order of events: a death declared before a leave is gossiped to a node that holds the
    // leave (under bounded timing the leave outruns the 2 s suspicion, and its gossip repairs a lost copy).
    walk('walk-n3-async-leave', 'swim', 'a death and a leave of the same incarnation meet', { nodes: 3, faults: ['leave'], faultBudget: 1 }),
    // A node that left is up but no member: accuracy counts it live, so it is judged elsewhere.
    deep('walk-n3-reap-leave', 'swim-reap', 'a leave heard twice, then reaped', { nodes: 3, ...bounded, faults: ['leave'], faultBudget: 1, properties: SWIM_SAFETY.filter((p) => p !== 'accuracy') }),
  ].map((c) => (c.options.strategy === 'random' ? { ...c, options: { ...c.options, walks: Math.max(20, Math.round(c.options.walks! * scale)) } } : c));
}

/**
 * The majority design (spec/majority.md §Checked configurations); `variant` is the baseline
 * (`majority`) or the hardened one (`majority-hardened`), checked in the same configurations.
 */
function majoritySuite(scale: number, variant: 'majority' | 'majority-hardened'): Config[] {
  const n = (k: number) => within(Math.round(k * scale));
  return [
    cfg('n3-async-crash-update', variant, "the protocol's declared faults, any order of events", { nodes: 3, ...n(30_000) }),
    cfg('n3-async-update', variant, 'operator updates only: freshness and agreement inside their assumptions; two updates of one node arrive in either order', { nodes: 3, faults: ['update'], faultBudget: 2, ...n(30_000) }),
    cfg('n3-bounded', variant, 'bounded delay, no faults: accuracy inside its assumptions', { nodes: 3, ...bounded, ...none, ...n(30_000) }),
    cfg('n3-bounded-update', variant, 'bounded delay and an update', { nodes: 3, ...bounded, faults: ['update'], faultBudget: 1, ...n(30_000) }),
    cfg('n4-async-update', variant, 'four nodes: a majority of three responses', { nodes: 4, faults: ['update'], faultBudget: 1, ...n(30_000) }),
    cfg('n3-async-restart-partition', variant, 'crash, restart, partition and heal', { nodes: 3, faults: ['crash', 'restart', 'partition'], faultBudget: 2, ...n(20_000) }),
    walk('walk-n3-async-update', variant, 'random walks, updates, any order: two versions of a record tie at one timestamp', { nodes: 3, faults: ['update'], faultBudget: 2 }),
    walk('walk-n4-bounded-update', variant, 'random walks, four nodes, bounded delay, an update: a 2-1 split of three responses', { nodes: 4, ...bounded, faults: ['update'], faultBudget: 1 }),
    // Every clock reads 0 until time passes, so timestamps tie; a node whose clock runs a second
    // ahead stamps its update newer than the record its peers still hold, during the first round.
    walk('walk-n3-bounded-skew-update', variant, 'random walks, a clock a second ahead stamps an update newer: versions of a record differ in timestamp', { nodes: 3, ...bounded, faults: ['skew', 'update'], faultBudget: 2 }),
  ].map((c) => (c.options.strategy === 'random' ? { ...c, options: { ...c.options, walks: Math.max(20, Math.round(c.options.walks! * scale)) } } : c));
}

/** The ci profile runs every configuration with a quarter of the states: the same coverage of kinds, less depth. */
const SWIM: Suites = { ci: swimSuite(0.25), full: swimSuite(1) };
const MAJORITY: Suites = { ci: majoritySuite(0.25, 'majority'), full: majoritySuite(1, 'majority') };
const MAJORITY_HARDENED: Suites = { ci: majoritySuite(0.25, 'majority-hardened'), full: majoritySuite(1, 'majority-hardened') };

export const SUITES: Readonly<Record<string, Suites>> = { swim: SWIM, majority: MAJORITY, 'majority-hardened': MAJORITY_HARDENED };

export function suiteOf(protocol: string, profile: SuiteProfile): readonly SuiteConfiguration[] {
  const s = SUITES[protocol];
  if (!s) throw new AliceError('USAGE', `no documented suite for '${protocol}'; suites: ${Object.keys(SUITES).join(', ')}`);
  return s[profile];
}

export function runSuite(protocol: string, profile: SuiteProfile, onLine: (line: string) => void = () => {}, failFast = false): SuiteResult {
  return run(protocol, profile, suiteOf(protocol, profile), modelProtocol, (r) => onLine(runLine(r)), failFast);
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
