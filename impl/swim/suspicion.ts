/**
 * Lifeguard suspicion ("dogpile"): a suspicion starts with a long timeout that shrinks
 * logarithmically as independent members confirm it, so one slow observer cannot kill a member
 * quickly, while a member many observers suspect is declared dead fast.
 */
import type { NodeId } from '../../spec/node.js';
import { suspicionConfirmations, suspicionMinMs, suspicionTimeout } from '../../spec/swim.js';
import type { SwimConfig } from '../../spec/swim.js';
import { bucketOf } from './membership.js';

export interface Suspicion {
  readonly incarnation: number;
  readonly start: number;
  /** Distinct suspecters other than the first; Lifeguard counts only independent confirmations. */
  readonly confirmers: readonly NodeId[];
  readonly firstFrom: NodeId;
}

/** The suspicion timeout floor (spec's suspicionMinMs), unless fixed by config. */
export function suspicionFloor(cfg: SwimConfig, clusterSize: number): number {
  if (cfg.suspicionTimeoutMs !== undefined) return cfg.suspicionTimeoutMs;
  return suspicionMinMs(cfg.suspicionMult, clusterSize, cfg.probeIntervalMs);
}

/** Confirmations wanted before the timeout reaches its floor (spec's suspicionConfirmations). */
export function expectedConfirmations(cfg: SwimConfig, clusterSize: number): number {
  return suspicionConfirmations(cfg.suspicionMult, clusterSize);
}

/** The total timeout (from `start`) of a suspicion with its current confirmations. */
export function suspicionDeadline(cfg: SwimConfig, clusterSize: number, s: Suspicion): number {
  const min = suspicionFloor(cfg, clusterSize);
  const max = cfg.dogpile ? min * cfg.suspicionMaxTimeoutMult : min;
  return s.start + suspicionTimeout(min, max, s.confirmers.length, expectedConfirmations(cfg, clusterSize));
}

/** Adds a confirmation from `from` if it is new and independent; returns undefined when it adds nothing. */
export function confirm(s: Suspicion, from: NodeId): Suspicion | undefined {
  if (from === s.firstFrom || s.confirmers.includes(from)) return undefined;
  return { ...s, confirmers: [...s.confirmers, from] };
}

/**
 * The suspicions a node holds, persistent: 64 buckets by id hash, each a small record. A write copies
 * the bucket array once per step and a bucket at most once per step, never the whole set: while a
 * partition holds half the cluster suspect, one datagram starts, confirms or ends a suspicion per
 * update it carries, and copying the whole set for each (then once per step) was a third, then a
 * fifth, of the simulator's time in a 300-node partition. Empty buckets are undefined, so the value
 * is the same whichever way a set of suspicions was reached.
 */
export type Suspicions = readonly (Readonly<Record<NodeId, Suspicion>> | undefined)[];

const FAN = 64;

export const NO_SUSPICIONS: Suspicions = Object.freeze(new Array<undefined>(FAN).fill(undefined));

/** bucketOf's 4,096 member-table buckets are a multiple of 64, so this is the id hash mod 64. */
const slotOf = (id: NodeId): number => bucketOf(id) % FAN;

export function suspicionOf(t: Suspicions, id: NodeId): Suspicion | undefined {
  return t[slotOf(id)]?.[id];
}

/** Every suspicion in one record: the canonical text writes this, so it matches a plain record's. */
export function suspicionRecord(t: Suspicions): Record<NodeId, Suspicion> {
  const out: Record<NodeId, Suspicion> = {};
  for (const b of t) if (b) Object.assign(out, b);
  return out;
}

/** One step's writes to a Suspicions value (copy on first write, per bucket). */
export class SuspicionsWriter {
  readonly table: (Record<NodeId, Suspicion> | undefined)[];
  private readonly owned = new Uint8Array(FAN);
  constructor(base: Suspicions) {
    this.table = base.slice();
  }
  set(id: NodeId, s: Suspicion): void {
    this.own(slotOf(id))[id] = s;
  }
  delete(id: NodeId): void {
    const k = slotOf(id);
    const b = this.table[k];
    if (!b || !(id in b)) return;
    const mine = this.own(k);
    delete mine[id];
    for (const _ in mine) return;
    this.table[k] = undefined;
    this.owned[k] = 0;
  }
  private own(k: number): Record<NodeId, Suspicion> {
    if (this.owned[k] === 0) {
      this.table[k] = { ...this.table[k] };
      this.owned[k] = 1;
    }
    return this.table[k]!;
  }
}
