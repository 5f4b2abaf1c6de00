/**
 * What a check explores and how. Every knob has a default chosen so that `alice check majority`
 * finishes in seconds on a 2-core machine and still reaches the behaviours worth finding.
 */
import { AliceError } from '../spec/errors.js';

export class CheckerError extends AliceError {
  constructor(message: string) {
    super('CHECKER', message);
  }
}

export const FAULT_KINDS = ['crash', 'restart', 'loss', 'dup', 'partition', 'update', 'leave', 'skew'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type Strategy = 'bfs' | 'dfs' | 'random';
export type Timing = 'async' | 'bounded';

export interface CheckOptions {
  /** Cluster size. 3 by default: the smallest cluster in which a majority can disagree with a node. */
  readonly nodes: number;
  /** bfs finds shortest counterexamples; dfs reaches deep states with little memory; random is a seeded swarm. */
  readonly strategy: Strategy;
  /** async: any enabled event in any order. bounded: a discrete clock, timers at their deadline. */
  readonly timing: Timing;
  /** Faults the environment may inject. `restart` implies crashes can be undone; `loss` is free, the rest spend the budget. */
  readonly faults: readonly FaultKind[];
  /** How many budgeted faults (crash, restart, dup, partition, heal, update, leave, skew) one run may take. 2 by default. */
  readonly faultBudget: number;
  /** Longest path explored. 30 by default: deep enough for registration, an update and a resolution at N=3. */
  readonly maxDepth: number;
  /** Stop after this many distinct states (0: no bound). 2,000,000 by default, about 40 MB. */
  readonly maxStates: number;
  /** Wall-clock limit, seconds (0: none). 60 by default. */
  readonly timeLimitSec: number;
  readonly seed: number;
  /** Random walks in the swarm (strategy random). */
  readonly walks: number;
  /** Reduce interchangeable node ids (only for protocols that declare symmetry). */
  readonly symmetry: boolean;
  /**
   * Messages on one channel (sender → receiver) arrive in the order they were sent, as over one TCP
   * connection. Off by default: Inferno sends each message as its own HTTP request, so later ones may
   * overtake earlier ones, and reordering is the weaker assumption (it finds more).
   */
  readonly ordered: boolean;
  /** bounded timing: a message is delivered within this many ms of being sent (or lost, if loss is on). */
  readonly maxDelayMs: number;
  /** Fair steps (deliveries and timers) an `eventually` property gets to come true once faults are spent. */
  readonly eventuallyBound: number;
  /** Only these properties (by name); empty: all of the protocol's. */
  readonly properties: readonly string[];
  /** Stop at the first violation (true), or go on and report every property's verdict. */
  readonly stopAtFirst: boolean;
  /**
   * Worker threads for breadth-first search (see checker/parallel.ts). 1 by default: a second worker
   * pays for handing states across threads and only wins on large state spaces when a core is free;
   * the machines this runs on have 2 cores, shared.
   */
  readonly workers: number;
}

export const CHECK_DEFAULTS: CheckOptions = {
  nodes: 3,
  strategy: 'bfs',
  timing: 'async',
  faults: ['crash', 'update'],
  faultBudget: 2,
  maxDepth: 30,
  maxStates: 2_000_000,
  timeLimitSec: 60,
  seed: 1,
  walks: 2_000,
  symmetry: false,
  ordered: false,
  maxDelayMs: 10,
  eventuallyBound: 200,
  properties: [],
  stopAtFirst: false,
  workers: 1,
};

export function checkOptions(overrides: Partial<CheckOptions> = {}): CheckOptions {
  const o = { ...CHECK_DEFAULTS, ...overrides };
  const whole = (name: keyof CheckOptions, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new CheckerError(`--${kebab(name)} must be a whole number in ${min}..${max}, got ${String(v)}`);
    }
  };
  whole('nodes', 1, 8);
  whole('faultBudget', 0, 20);
  whole('maxDepth', 1);
  whole('maxStates', 0);
  whole('timeLimitSec', 0);
  whole('seed', 0);
  whole('walks', 1);
  whole('maxDelayMs', 1);
  whole('eventuallyBound', 1);
  whole('workers', 1, 64);
  for (const flag of ['symmetry', 'ordered', 'stopAtFirst'] as const) {
    if (typeof o[flag] !== 'boolean') throw new CheckerError(`${kebab(flag)} must be true or false, got ${String(o[flag])}`);
  }
  if (!['bfs', 'dfs', 'random'].includes(o.strategy)) throw new CheckerError(`--strategy must be bfs, dfs or random, got ${String(o.strategy)}`);
  if (!['async', 'bounded'].includes(o.timing)) throw new CheckerError(`--timing must be async or bounded, got ${String(o.timing)}`);
  for (const f of o.faults) if (!(FAULT_KINDS as readonly string[]).includes(f)) throw new CheckerError(`--faults: unknown fault '${f}'; known: ${FAULT_KINDS.join(', ')}`);
  return o;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
