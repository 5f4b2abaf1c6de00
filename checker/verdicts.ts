/**
 * What a check may claim, decided from what the search did. "holds" is claimed only when the
 * reachable state space (under the stated faults and fairness) was exhausted; a search that stopped
 * at a bound says "no violation found within …" and names every bound it hit. A violation found
 * outside the property's assumptions is *expected* and fails nothing; an `eventually` property that
 * did not come true within the fair-step bound is *inconclusive*, never violated (that needs a lasso).
 * This module decides; cli/commands/check.ts only formats.
 */
import type { Assumptions, Property } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { type CheckOptions, faultModelText, walkLength } from './options.js';
import type { Trace } from './trace.js';

export type VerdictStatus = 'holds' | 'no-violation-found' | 'violated' | 'inconclusive' | 'reached' | 'unreached';

export interface Verdict {
  readonly property: string;
  readonly temporal: Property['temporal'];
  readonly meaning: string;
  /**
   * holds: the state space was exhausted without a violation; no-violation-found: the search stopped
   * at a bound first; violated: a trace shows it (for `eventually`, a fair cycle or a stuck fair run);
   * inconclusive: an `eventually` property did not come true within the fair-step bound;
   * reached/unreached: for `sometimes` (unreached is final only after an exhaustive search).
   */
  readonly status: VerdictStatus;
  /** On a violation: the assumption of the property this check did not meet (the violation is then expected and fails nothing). */
  readonly expected?: string;
  readonly trace?: Trace;
}

/** Why a search stopped short of exhausting the state space. */
export type BoundKind = 'depth' | 'states' | 'time' | 'memory' | 'violation' | 'eventually';
export interface BoundHit {
  readonly bound: BoundKind;
  /** The limit, as the user set it: "depth 30", "2,000,000 states", "60 s", "200 fair steps". */
  readonly limit: string;
}

/** What a check covered: printed with every verdict, in text and JSON. */
export interface Coverage {
  /** Every verdict is final: the state space was exhausted and no eventually-run ran out of fair steps. */
  readonly complete: boolean;
  readonly boundsHit: readonly BoundHit[];
  /** Longest path explored, in transitions (the initial state is step 0). */
  readonly depthReached: number;
  /** States reached but not expanded when the search stopped (0 once exhausted). */
  readonly frontier: number;
  /** The fault model the search ran under, exactly as it ran ("faults crash (budget 1), loss (≤ 2 messages)"). */
  readonly faultModel: string;
}

export type StopReason = 'exhausted' | 'depth' | 'states' | 'time' | 'memory' | 'walks' | 'violation';

/** The bounds a search hit, from why it stopped and whether a depth cut happened on the way. */
export function boundsHit(o: CheckOptions, stoppedBy: StopReason, depthCut: boolean, inconclusive: number): BoundHit[] {
  const hits: BoundHit[] = [];
  const depthLimit = `depth ${o.maxDepth}`;
  if (stoppedBy === 'depth' || depthCut || stoppedBy === 'walks') hits.push({ bound: 'depth', limit: stoppedBy === 'walks' ? `${o.walks} random walks of ≤ ${walkLength(o)} steps` : depthLimit });
  if (stoppedBy === 'states') hits.push({ bound: 'states', limit: `${o.maxStates.toLocaleString('en')} states` });
  if (stoppedBy === 'time') hits.push({ bound: 'time', limit: `${o.timeLimitSec} s` });
  if (stoppedBy === 'memory') hits.push({ bound: 'memory', limit: `${o.maxHeapMB} MB heap` });
  if (stoppedBy === 'violation') hits.push({ bound: 'violation', limit: o.stopAtFirst ? 'stopped at the first violation' : 'stopped once every property was decided' });
  if (inconclusive > 0) hits.push({ bound: 'eventually', limit: `${o.eventuallyBound} fair steps` });
  return hits;
}

export function coverage(o: CheckOptions, stoppedBy: StopReason, depthCut: boolean, depthReached: number, frontier: number, verdicts: readonly Verdict[]): Coverage {
  const hits = boundsHit(o, stoppedBy, depthCut, verdicts.filter((v) => v.status === 'inconclusive').length);
  return { complete: hits.length === 0, boundsHit: hits, depthReached, frontier, faultModel: faultModelText(o) };
}

/** What the checked protocol offers beyond its messages: what assumptions may ask for. */
export type Features = NonNullable<ProtocolDefinition<unknown, unknown>['features']>;

/**
 * The first assumption of `a` this check does not meet, in words, or null when the check is inside
 * them (a violation then fails the run).
 */
export function unmetAssumption(a: Assumptions, o: CheckOptions, features: Features = {}): string | null {
  if (a.never) return `not guaranteed by this protocol: ${a.never}`;
  if (a.timing === 'bounded' && o.timing === 'async') return 'needs bounded timing (--timing bounded)';
  const has = (f: string) => (o.faults as readonly string[]).includes(f);
  if (has('loss')) {
    if (!a.tolerates.loss) return 'needs no message loss';
    if (a.maxLosses !== undefined && (o.maxLosses === null || o.maxLosses > a.maxLosses)) return `needs at most ${a.maxLosses} lost messages (ran with ${o.maxLosses === null ? 'unlimited loss' : `≤ ${o.maxLosses}`})`;
  }
  if ((has('partition') || has('skew')) && !a.tolerates.partitions) return 'needs no partitions';
  if ((has('crash') || has('leave')) && !a.tolerates.crashes) return 'needs no crashes';
  if (a.pushPull === true && !features.pushPull) return 'needs push-pull anti-entropy on';
  if (a.minNodes !== undefined && o.nodes < a.minNodes) return `needs at least ${a.minNodes} nodes`;
  if (a.maxNodes !== undefined && o.nodes > a.maxNodes) return `needs at most ${a.maxNodes} nodes`;
  return null;
}

/** A property's assumptions as the protocol states them (its own override, else the property's). */
export function assumptionsOf(protocol: Pick<ProtocolDefinition<unknown, unknown>, 'assumptions'>, p: Property): Assumptions {
  return protocol.assumptions?.[p.name] ?? p.assumptions;
}

/** The verdicts a run fails on: violations inside their assumptions, and `sometimes` unreached after an exhaustive search. */
export function failing(verdicts: readonly Verdict[], cov: Coverage): Verdict[] {
  return verdicts.filter((v) => (v.status === 'violated' && v.expected === undefined) || (v.status === 'unreached' && cov.complete));
}

/**
 * The exit code of `alice check`: 1 when a property fails inside its assumptions, else 3 when a
 * verdict is not final (a bound was hit), else 0. (2 is bad usage, set by the CLI.)
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, incomplete: 3 } as const;
export function exitCode(verdicts: readonly Verdict[], cov: Coverage): number {
  if (failing(verdicts, cov).length > 0) return EXIT.failed;
  return cov.complete ? EXIT.ok : EXIT.incomplete;
}
