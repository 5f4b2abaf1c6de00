/**
 * How a worker thread gets the protocol it checks (a protocol object cannot cross threads: it holds
 * functions), and what the coordinator and its workers say to each other (see parallel.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import type { Violation } from '../spec/properties.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import { type CheckOptions, CheckerError } from './options.js';

/** Where a worker thread finds the protocol: a module and an export (a definition, or a function returning one). */
export interface ProtocolSource {
  /** A file: URL or package name that the worker can import. */
  readonly module: string;
  readonly exportName: string;
  /** Arguments when the export is a function (JSON values). */
  readonly args?: readonly unknown[];
}

export async function loadProtocol(source: ProtocolSource): Promise<ProtocolDefinition<unknown, unknown, unknown>> {
  const mod = (await import(source.module)) as Record<string, unknown>;
  const x = mod[source.exportName];
  if (x === undefined) throw new CheckerError(`${source.module} has no export '${source.exportName}'`);
  return (typeof x === 'function' ? (x as (...a: unknown[]) => unknown)(...(source.args ?? [])) : x) as ProtocolDefinition<unknown, unknown, unknown>;
}

/**
 * Shared control words (an Int32Array over `WorkerInit.ctl`): [0] a word nobody notifies (naps
 * wait on it), states admitted, why to stop, fingerprints in the shared table, and the growth
 * handshake (asked for, workers arrived, workers done rehashing, growth rounds finished).
 */
export const CTL_NAP = 0;
export const CTL_ADMITTED = 1;
export const CTL_STOP = 2;
export const CTL_COUNT = 3;
export const CTL_GROW = 4;
export const CTL_ARRIVED = 5;
export const CTL_REHASHED = 6;
export const CTL_GROWN = 7;
/** Entries of the shared memo of converged fair runs. */
export const CTL_CONVERGED = 8;
/**
 * From here, one word per worker that it bumps while it works or waits: a worker killed outright
 * (out of memory, a native crash) reports nothing, and a beat that stops is how the coordinator,
 * itself in a synchronous loop that hears no 'exit' event, finds out.
 */
export const CTL_BEATS = 9;
/** Control words for `workers` workers. */
export const ctlWords = (workers: number): number => CTL_BEATS + workers;
export const STOP_STATES = 1;
export const STOP_TIME = 2;

export interface WorkerInit {
  readonly source: ProtocolSource;
  readonly options: CheckOptions;
  readonly index: number;
  readonly count: number;
  /** A port to every other worker (null at this worker's own index), for rebalancing frontiers. */
  readonly peers: readonly (MessagePort | null)[];
  readonly control: MessagePort;
  readonly ctl: SharedArrayBuffer;
  /** The shared visited table when the worker starts (a bigger one arrives as a `table` message). */
  readonly table: SharedArrayBuffer;
  /** The shared memo of converged fair runs (shared-table.ts SharedMemo). */
  readonly converged: SharedArrayBuffer;
  readonly deadline: number;
}

export type ToWorker =
  | { t: 'level' }
  | { t: 'give'; to: number; count: number }
  | { t: 'take'; from: number; batches: number }
  | { t: 'table'; buffer: SharedArrayBuffer }
  | { t: 'stop' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'error'; message: string }
  | { t: 'leveled'; distinct: number; generated: number; frontier: number; violations: [string, Violation][]; reached: string[] }
  | { t: 'gave'; batches: number }
  | { t: 'took' }
  | { t: 'final'; localStates: number; transitions: number; lookups: number };

/** States moved between workers: words in the sender's ids, and the keys of ids new to the receiver. */
export interface Batch {
  readonly words: Int32Array;
  readonly dict: (number | string)[];
}

/** Sleeps the calling thread up to `ms` (Atomics.wait on a word nobody notifies). */
export function nap(ctl: Int32Array, ms: number): void {
  Atomics.wait(ctl, CTL_NAP, 0, ms);
}
