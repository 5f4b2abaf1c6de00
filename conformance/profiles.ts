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

/**
 * What tells one profile from another: how far each suite looks. The rest is the same in every
 * profile and set once in `sizedProfile`: random walks and fast-check runs use one node more than the
 * breadth-first paths (with 2 nodes every transition is reachable, a third makes a majority of replies
 * a real majority), a tenth of a walk's moves are faults, each breadth-first path may forge one sender,
 * and simulator runs lose 5 % and duplicate 2 % of messages.
 */
export interface ProfileSize {
  readonly bfs: { readonly nodes: number; readonly maxStates: number; readonly maxDepth: number; readonly timers: number; readonly commands: number; readonly crashes: number; readonly duplicates: number };
  readonly walks: { readonly walks: number; readonly length: number };
  readonly fuzz: { readonly runs: number; readonly maxLength: number };
  readonly sims: { readonly runs: number; readonly nodes: number; readonly durationMs: number; readonly maxLatencyMs: number; readonly faultEveryMs: number };
  readonly shrinkChecks: number;
  readonly variants?: Profile['variants'];
}

/** A profile from its sizes. */
export function sizedProfile(name: Profile['name'], size: ProfileSize): Profile {
  const { nodes, maxStates, maxDepth, ...budget } = size.bfs;
  const walkNodes = nodes + 1;
  return {
    name,
    bfs: { nodes, maxStates, maxDepth, budget: { ...budget, spoofs: 1 } },
    walks: { nodes: walkNodes, ...size.walks, faultRate: 0.1 },
    fuzz: { nodes: walkNodes, ...size.fuzz },
    sims: { ...size.sims, lossRate: 0.05, duplicateRate: 0.02 },
    shrinkChecks: size.shrinkChecks,
    ...(size.variants ? { variants: size.variants } : {}),
  };
}

/**
 * `base` with every count cut to `fraction` of it (states, walks, fast-check runs, simulator runs and
 * their virtual time; at least one of each), and the depths, lengths, node counts, fault budgets,
 * rates and shrink budget kept: the same kinds of paths, fewer of them. For the harness's own tests
 * and quick tries, where the CI budget is more than the question needs.
 */
export function scaledProfile(base: Profile, fraction: number): Profile {
  if (!(fraction > 0 && fraction <= 1)) throw new ConformanceError(`a profile scales by a fraction in (0, 1], got ${fraction}`);
  const cut = (n: number) => Math.max(1, Math.round(n * fraction));
  return {
    ...base,
    bfs: { ...base.bfs, maxStates: cut(base.bfs.maxStates) },
    walks: { ...base.walks, walks: cut(base.walks.walks) },
    fuzz: { ...base.fuzz, runs: cut(base.fuzz.runs) },
    sims: { ...base.sims, runs: cut(base.sims.runs), durationMs: cut(base.sims.durationMs) },
    ...(base.variants ? { variants: { walks: cut(base.variants.walks), sims: cut(base.variants.sims) } } : {}),
  };
}

export const PROFILES: Readonly<Record<Profile['name'], Profile>> = {
  ci: sizedProfile('ci', {
    // 3000 states: the model steps at ~20 µs each and branches ~15 ways, so ~1 s per protocol.
    bfs: { nodes: 2, maxStates: 3_000, maxDepth: 12, timers: 3, commands: 2, crashes: 1, duplicates: 1 },
    // 60 moves reach re-announcement and retries.
    walks: { walks: 40, length: 60 },
    fuzz: { runs: 150, maxLength: 40 },
    sims: { runs: 6, nodes: 4, durationMs: 120_000, maxLatencyMs: 30, faultEveryMs: 4_000 },
    shrinkChecks: 300,
    // Enough for SWIM's full variant to deliver push-pull requests, reap, confirm suspicions and count
    // nacks (two 4-node simulator runs reap ~20 times), leaving 25 walks and 4 runs to the model's own.
    variants: { walks: 15, sims: 1 },
  }),
  long: sizedProfile('long', {
    bfs: { nodes: 3, maxStates: 60_000, maxDepth: 30, timers: 4, commands: 3, crashes: 2, duplicates: 2 },
    walks: { walks: 600, length: 150 },
    fuzz: { runs: 3_000, maxLength: 80 },
    sims: { runs: 40, nodes: 6, durationMs: 180_000, maxLatencyMs: 60, faultEveryMs: 5_000 },
    shrinkChecks: 1_000,
    variants: { walks: 300, sims: 20 },
  }),
};

export function profile(name: string): Profile {
  if (name === 'ci' || name === 'long') return PROFILES[name];
  throw new ConformanceError(`unknown profile '${name}': use ci (the CI budget) or long (nightly)`);
}
