/**
 * What a check explores and how. Every knob has a default chosen so that `alice check majority`
 * finishes in seconds on a 2-core machine and still reaches the behaviours worth finding.
 */
import { AliceError } from '../spec/errors.js';
import { FAULT_KINDS, type FaultKind, type ProtocolDefinition } from '../spec/protocol.js';

export { FAULT_KINDS, type FaultKind };

export class CheckerError extends AliceError {
  constructor(message: string) {
    super('CHECKER', message);
  }
}

export type Strategy = 'bfs' | 'dfs' | 'random';
export type Timing = 'async' | 'bounded';

export interface CheckOptions {
  /** Cluster size. 3 by default: the smallest cluster in which a majority can disagree with a node. */
  readonly nodes: number;
  /** bfs finds shortest counterexamples; dfs reaches deep states with little memory; random is a seeded swarm. */
  readonly strategy: Strategy;
  /** async: any enabled event in any order. bounded: a discrete clock, timers at their deadline. */
  readonly timing: Timing;
  /**
   * Faults the environment may inject. `restart` implies crashes can be undone. None by default: a
   * check runs under the protocol's own declaration (ProtocolDefinition.faults) or what the user
   * asks for, never a fault the checker chose.
   */
  readonly faults: readonly FaultKind[];
  /** How many budgeted faults (crash, restart, dup, partition, heal, update, leave, skew) one run may take. */
  readonly faultBudget: number;
  /**
   * Messages one run may lose (with `loss` among the faults); null: any number. A bounded count is
   * what SWIM's accuracy claim assumes ("at most k losses"); unlimited loss refutes it trivially.
   */
  readonly maxLosses: number | null;
  /**
   * Longest path explored; 0: unbounded (the default), so that a finished search is exhaustive.
   * Random walks need a length and take 30 steps when this is 0.
   */
  readonly maxDepth: number;
  /** Stop after this many distinct states (0: no bound). 2,000,000 by default, about 40 MB. */
  readonly maxStates: number;
  /** Wall-clock limit, seconds (0: none). 60 by default. */
  readonly timeLimitSec: number;
  /** Stop when the JS heap exceeds this many MB (0: no bound, the default). */
  readonly maxHeapMB: number;
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
  /**
   * Report a reachable state with no enabled step that the protocol does not declare final
   * (ProtocolDefinition.isFinal) as a violation named 'deadlock' (bfs and dfs; see checker/deadlock.ts).
   */
  readonly deadlock: boolean;
  /** Stop at the first violation (true), or go on and report every property's verdict. */
  readonly stopAtFirst: boolean;
  /**
   * Worker threads for breadth-first search (see checker/parallel.ts). 1 by default: a second worker
   * pays for handing states across threads and only wins on large state spaces when a core is free;
   * the machines this runs on have 2 cores, shared.
   */
  readonly workers: number;
  /**
   * With workers: a worker that shows no sign of progress for this many seconds ends the check with
   * a CheckerError. 120 by default: a worker beats every 256 states it expands and every millisecond
   * it waits, so only a thread that was killed outright (out of memory, a native crash: neither can
   * report itself) or a model step that runs for minutes goes that long without one.
   */
  readonly workerStallSec: number;
  /**
   * Partial-order reduction (checker/por.ts): in a state, expand only an ample subset of the enabled
   * steps when that provably loses no violation of a safety property and no deadlock. Exhaustive
   * search only (bfs, dfs), async timing, one thread, no symmetry, no eventually properties.
   */
  readonly por: boolean;
  /**
   * For tests only: a deliberately unsound reduction that drops one of POR's conditions, kept so
   * that "POR preserves verdicts" is a claim a test can refute (see test/checker/por-broken.test.ts).
   */
  readonly porUnsound?: PorUnsoundVariant;
}

/** POR with one condition dropped: the cycle proviso (C3), invisibility (C2), or the senders check of C1. */
export const POR_UNSOUND_VARIANTS = ['no-cycle-proviso', 'no-visibility', 'no-senders'] as const;
export type PorUnsoundVariant = (typeof POR_UNSOUND_VARIANTS)[number];

export const CHECK_DEFAULTS: CheckOptions = {
  nodes: 3,
  strategy: 'bfs',
  timing: 'async',
  faults: [],
  faultBudget: 0,
  maxLosses: null,
  maxDepth: 0,
  maxStates: 2_000_000,
  timeLimitSec: 60,
  maxHeapMB: 0,
  seed: 1,
  walks: 2_000,
  symmetry: false,
  ordered: false,
  maxDelayMs: 10,
  eventuallyBound: 200,
  properties: [],
  stopAtFirst: false,
  deadlock: true,
  workers: 1,
  workerStallSec: 120,
  por: false,
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
  whole('maxDepth', 0);
  if (o.maxLosses !== null) whole('maxLosses', 0, 20);
  whole('maxStates', 0);
  whole('timeLimitSec', 0);
  whole('maxHeapMB', 0);
  whole('seed', 0);
  whole('walks', 1);
  whole('maxDelayMs', 1);
  whole('eventuallyBound', 1);
  whole('workers', 1, 64);
  whole('workerStallSec', 1);
  for (const flag of ['symmetry', 'ordered', 'stopAtFirst', 'deadlock', 'por'] as const) {
    if (typeof o[flag] !== 'boolean') throw new CheckerError(`${kebab(flag)} must be true or false, got ${String(o[flag])}`);
  }
  if (!['bfs', 'dfs', 'random'].includes(o.strategy)) throw new CheckerError(`--strategy must be bfs, dfs or random, got ${String(o.strategy)}`);
  if (!['async', 'bounded'].includes(o.timing)) throw new CheckerError(`--timing must be async or bounded, got ${String(o.timing)}`);
  for (const f of o.faults) if (!(FAULT_KINDS as readonly string[]).includes(f)) throw new CheckerError(`--faults: unknown fault '${f}'; known: ${FAULT_KINDS.join(', ')}`);
  if (o.por) porCompatible(o);
  else if (o.porUnsound !== undefined) throw new CheckerError(`porUnsound: '${o.porUnsound}' is a variant of --por; it needs por: true`);
  return o;
}

/** What --por cannot be combined with, each refused with the reason (checker/por.ts argues them). */
function porCompatible(o: CheckOptions): void {
  if (o.porUnsound !== undefined && !(POR_UNSOUND_VARIANTS as readonly string[]).includes(o.porUnsound)) {
    throw new CheckerError(`porUnsound must be one of ${POR_UNSOUND_VARIANTS.join(', ')}, got ${String(o.porUnsound)}`);
  }
  if (o.strategy === 'random') throw new CheckerError('--por reduces an exhaustive search (bfs or dfs); random walks sample paths and have nothing to reduce');
  if (o.timing === 'bounded') {
    throw new CheckerError('--por needs async timing: under bounded timing every step reads the global clock that the tick step moves, so no two steps are independent');
  }
  if (o.workers > 1) throw new CheckerError('--por runs on one thread: its cycle proviso asks whether a successor was first reached at this level, which worker threads do not share; drop --workers');
  if (o.symmetry) {
    throw new CheckerError('--por with --symmetry is not supported: an ample set chosen in an orbit representative need not be one in the states it stands for, and this checker does not prove the combination sound; use one of them');
  }
}

/** Walk length of a random walk when the depth is unbounded. */
export const RANDOM_WALK_DEPTH = 30;

/** How many steps one random walk takes: the depth bound, or RANDOM_WALK_DEPTH when the depth is unbounded. */
export function walkLength(o: Pick<CheckOptions, 'maxDepth'>): number {
  return o.maxDepth || RANDOM_WALK_DEPTH;
}

/**
 * The options a check of `protocol` runs under: the user's, over the protocol's fault declaration
 * (when the user names no faults), over the defaults. A protocol that declares none gets none.
 */
export function optionsFor(protocol: Pick<ProtocolDefinition<unknown, unknown>, 'faults' | 'nodes'>, overrides: Partial<CheckOptions> = {}): CheckOptions {
  const declared = protocol.faults;
  const fromProtocol: Partial<CheckOptions> =
    overrides.faults === undefined && declared ? { faults: declared.kinds, faultBudget: declared.budget, maxLosses: declared.maxLosses ?? null } : {};
  // A model written for a fixed size (two nodes, say) says so once, instead of every command saying --nodes.
  if (protocol.nodes !== undefined) (fromProtocol as { nodes?: number }).nodes = protocol.nodes;
  return checkOptions({ ...fromProtocol, ...stripUndefined(overrides) });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The fault model a check ran under, as every verdict prints it. */
export function faultModelText(o: Pick<CheckOptions, 'faults' | 'faultBudget' | 'maxLosses'>): string {
  if (o.faults.length === 0) return 'faults none';
  const budgeted = o.faults.filter((f) => f !== 'loss');
  const parts: string[] = [];
  if (budgeted.length > 0) parts.push(`${budgeted.join(',')} (budget ${o.faultBudget})`);
  // (Traces written before losses were budgeted carry no maxLosses: their loss was unlimited.)
  const losses = o.maxLosses ?? null;
  if (o.faults.includes('loss')) parts.push(losses === null ? 'loss (unlimited)' : `loss (≤ ${losses} messages)`);
  return `faults ${parts.join(', ')}`;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
