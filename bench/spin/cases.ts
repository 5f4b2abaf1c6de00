/**
 * The models checked twice, once by SPIN from a Promela file and once by Alice's `check()` from a
 * ProtocolDefinition, with the parameters of each run. How each Promela file's states correspond to
 * the Alice model's is written at the top of the file; what is common to all of them:
 *  - Every Alice step (a timer firing, a delivery, a loss) is one d_step or one receive in Promela:
 *    one transition, no intermediate state (no atomic sequences, so pan's "atomic steps" is 0).
 *  - Processes are `active` from the first state (no init, no run) and never terminate (each sits in
 *    a loop whose head is an end label), so SPIN counts no process-creation or death states.
 *  - Scratch variables are reset to 0 inside the step that used them, so they tell no states apart.
 *  - pan's "transitions (= stored+matched)" is one per step taken plus one for the initial state;
 *    Alice's `generated` counts the initial state and every successor generated, so the two agree.
 */
import { fileURLToPath } from 'node:url';
import { type CheckOptions, type CheckResult, check, countersProtocol } from '../../index.js';
import { alternatingBit } from './abp.js';
import { racyMutex } from './racy-mutex.js';
import { ringElection } from './ring.js';
import { PAN_MAX_DEPTH } from './spin-runner.js';

export interface DiffCase {
  readonly model: string;
  /** The parameters, as the Promela file's -D macros take them. */
  readonly params: Readonly<Record<string, number>>;
  readonly pml: string;
  /** pan's -m (DFS stack depth) when PAN_MAX_DEPTH is not enough: a depth-first path can visit nearly every state. */
  readonly panDepth?: number;
  /** Alice's exhaustive check, counting every reachable state (a model with a bug: without its properties, so the violation does not end the search). */
  readonly aliceCount: () => CheckResult;
  /** A model with a bug: the property both must find violated, and Alice's breadth-first search for it. */
  readonly violation?: { readonly property: string; readonly aliceBfs: () => CheckResult };
}

const pml = (name: string) => fileURLToPath(new URL(`./${name}.pml`, import.meta.url));

/** Exhaustive: no depth, state or time bound; faults only as the model declares them. */
export const EXHAUSTIVE: Partial<CheckOptions> = { maxDepth: 0, maxStates: 0, timeLimitSec: 0 };

const counters = (n: number, k: number): DiffCase => ({
  model: 'counters',
  params: { N: n, K: k },
  pml: pml('counters'),
  // The depth-first search of a torus of K^N states goes nearly K^N deep.
  panDepth: Math.max(PAN_MAX_DEPTH, 2 * k ** n),
  aliceCount: () => check(countersProtocol(k), { ...EXHAUSTIVE, nodes: n }),
});

const ring = (n: number): DiffCase => ({
  model: 'ring election',
  params: { N: n },
  pml: pml('ring'),
  aliceCount: () => check(ringElection(n), { ...EXHAUSTIVE, ordered: true }),
});

const abp = (msgs: number, sends: number): DiffCase => ({
  model: 'alternating bit, lossy',
  params: { MSGS: msgs, SENDS: sends },
  pml: pml('abp'),
  aliceCount: () => check(alternatingBit(msgs, sends), { ...EXHAUSTIVE, ordered: true }),
});

const mutex = (c: number): DiffCase => ({
  model: 'racy mutex',
  params: { C: c },
  pml: pml('mutex'),
  aliceCount: () => check({ ...racyMutex(c), properties: [] }, EXHAUSTIVE),
  violation: { property: 'mutex', aliceBfs: () => check(racyMutex(c), { ...EXHAUSTIVE, strategy: 'bfs', stopAtFirst: true }) },
});

export const CASES: readonly DiffCase[] = [
  counters(3, 4),
  counters(6, 10),
  ring(3),
  ring(4),
  ring(5),
  ring(6),
  ring(7),
  abp(2, 2),
  abp(4, 4),
  abp(10, 8),
  mutex(2),
  mutex(3),
  mutex(4),
];

/** The smallest case of each model, for a quick run (`-- --quick`) and the test. */
export const QUICK: readonly DiffCase[] = CASES.filter((c, i) => CASES.findIndex((d) => d.model === c.model) === i);
