/**
 * How hard the suites look, in one config object per profile. `ci` fits the project's test budget
 * (about 90 s for every conformance suite of every protocol on a loaded 2-core machine); `long` is the
 * nightly run (`npm run conformance:long`): more seeds, deeper paths, bigger clusters.
 */
import { ConformanceError } from './errors.js';
import type { BfsOptions, WalkOptions } from './explore.js';
import type { FuzzOptions } from './fuzz.js';
import type { SimOptions } from './simulate.js';

export interface Profile {
  readonly name: 'ci' | 'long';
  /** Breadth-first model paths. 2 nodes in CI: every transition of both machines is reachable with two. */
  readonly bfs: BfsOptions;
  /** Seeded random walks over the model cluster, with faults. */
  readonly walks: Omit<WalkOptions, 'seed'>;
  /** fast-check random input sequences. */
  readonly fuzz: Omit<FuzzOptions, 'seed'>;
  /** Simulator runs of the implementation (each run has its own seed). */
  readonly sims: { readonly runs: number } & Omit<SimOptions, 'seed'>;
  /** Replays allowed to shrink one divergence. */
  readonly shrinkChecks: number;
  /**
   * Random walks and simulator runs under each configuration variant of a pair (registry.ts), taken
   * out of the ones above (a pair without variants runs them all under its model's configuration).
   * Default when absent: half the walks and half the simulator runs, rounded up.
   */
  readonly variants?: { readonly walks: number; readonly sims: number };
}

/** How many walks and simulator runs one configuration variant gets under `p`. */
export function variantShare(p: Profile): { walks: number; sims: number } {
  return p.variants ?? { walks: Math.ceil(p.walks.walks / 2), sims: Math.ceil(p.sims.runs / 2) };
}

export const PROFILES: Readonly<Record<Profile['name'], Profile>> = {
  ci: {
    name: 'ci',
    // 3000 states: the model steps at ~20 µs each and branches ~15 ways, so ~1 s per protocol.
    bfs: { nodes: 2, maxStates: 3_000, maxDepth: 12, budget: { timers: 3, commands: 2, crashes: 1, spoofs: 1, duplicates: 1 } },
    // 3 nodes, so a majority of replies is a real majority; 60 moves reach re-announcement and retries.
    walks: { nodes: 3, walks: 40, length: 60, faultRate: 0.1 },
    fuzz: { nodes: 3, runs: 150, maxLength: 40 },
    sims: { runs: 6, nodes: 4, durationMs: 120_000, maxLatencyMs: 30, lossRate: 0.05, duplicateRate: 0.02, faultEveryMs: 4_000 },
    shrinkChecks: 300,
    // Enough for SWIM's full variant to deliver push-pull requests, reap, confirm suspicions and count
    // nacks (two 4-node simulator runs reap ~20 times), leaving 25 walks and 4 runs to the model's own.
    variants: { walks: 15, sims: 1 },
  },
  long: {
    name: 'long',
    bfs: { nodes: 3, maxStates: 60_000, maxDepth: 30, budget: { timers: 4, commands: 3, crashes: 2, spoofs: 1, duplicates: 2 } },
    walks: { nodes: 4, walks: 600, length: 150, faultRate: 0.1 },
    fuzz: { nodes: 4, runs: 3_000, maxLength: 80 },
    sims: { runs: 40, nodes: 6, durationMs: 180_000, maxLatencyMs: 60, lossRate: 0.05, duplicateRate: 0.02, faultEveryMs: 5_000 },
    shrinkChecks: 1_000,
    variants: { walks: 300, sims: 20 },
  },
};

export function profile(name: string): Profile {
  if (name === 'ci' || name === 'long') return PROFILES[name];
  throw new ConformanceError(`unknown profile '${name}': use ci (the CI budget) or long (nightly)`);
}
