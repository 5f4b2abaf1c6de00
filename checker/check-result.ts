/**
 * What a check returns (verdicts, statistics, coverage) and how a caller watches it run: the shapes
 * every search strategy, single-threaded or on workers, reports in.
 */
import type { Property } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { CheckOptions } from './options.js';
import type { PorStats } from './por.js';
import type { Trace } from './trace.js';
import { type Coverage, type StopReason, type Verdict, assumptionsOf, unmetAssumption } from './verdicts.js';

export type { Verdict } from './verdicts.js';

export interface Progress {
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  readonly queue: number;
  readonly seconds: number;
}

export interface CheckStats {
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  readonly seconds: number;
  readonly distinctPerSec: number;
  readonly generatedPerSec: number;
  /** Fingerprint table bytes per visited state (the visited set). */
  readonly bytesPerState: number;
  /** Parent index and successor position kept for trace rebuilding, per state. */
  readonly traceBytesPerState: number;
  readonly heapMB: number;
  /** Why exploration stopped: 'exhausted' (every reachable state within maxDepth), or the bound that cut it. */
  readonly stoppedBy: StopReason;
  /** States reached but not expanded when the search stopped. */
  readonly frontier?: number;
  readonly localStates: number;
  /** With --symmetry: the states the visited orbit representatives stand for, and the reduction factor. */
  readonly symmetry?: { readonly represented: number; readonly factor: number };
  /** With --por: how often an ample set was used, and why the other states were expanded in full. */
  readonly por?: PorStats;
  readonly localTransitions: number;
  readonly memoHitRate: number;
  /** Worker threads that explored (absent: one, the calling thread). */
  readonly workers?: number;
}

export interface CheckResult {
  readonly protocol: string;
  readonly options: CheckOptions;
  readonly verdicts: readonly Verdict[];
  readonly stats: CheckStats;
  /** What the search covered: whether every verdict is final, each bound hit, the fault model. */
  readonly coverage: Coverage;
}

/**
 * The verdict of every property from what a search found. A violation outside the property's
 * assumptions carries the unmet one (`expected`); nothing is "holds" unless the search was exhaustive.
 */
export function verdictsOf<S, M, Cfg>(
  protocol: ProtocolDefinition<S, M, Cfg>,
  properties: readonly Property[],
  o: CheckOptions,
  exhausted: boolean,
  found: { readonly violations: ReadonlyMap<string, Trace>; readonly inconclusive: ReadonlyMap<string, Trace>; readonly reached: ReadonlySet<string> },
): Verdict[] {
  return properties.map((p): Verdict => {
    const base = { property: p.name, temporal: p.temporal, meaning: p.meaning };
    if (p.temporal === 'sometimes') return { ...base, status: found.reached.has(p.name) ? 'reached' : 'unreached' };
    const trace = found.violations.get(p.name);
    if (trace) {
      const unmet = unmetAssumption(assumptionsOf(protocol, p), o, protocol.features);
      return unmet === null ? { ...base, status: 'violated', trace } : { ...base, status: 'violated', expected: unmet, trace };
    }
    const open = found.inconclusive.get(p.name);
    if (open) return { ...base, status: 'inconclusive', trace: open };
    return { ...base, status: exhausted ? 'holds' : 'no-violation-found' };
  });
}

export interface CheckHooks {
  readonly onProgress?: (p: Progress) => void;
  /** How often onProgress is called, ms. */
  readonly progressEveryMs?: number;
}
