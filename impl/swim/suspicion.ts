/**
 * Lifeguard suspicion ("dogpile"): a suspicion starts with a long timeout that shrinks
 * logarithmically as independent members confirm it, so one slow observer cannot kill a member
 * quickly, while a member many observers suspect is declared dead fast.
 */
import type { NodeId } from '../../spec/node.js';
import { suspicionTimeout } from '../../spec/swim.js';
import type { SwimConfig } from '../../spec/swim.js';

export interface Suspicion {
  readonly incarnation: number;
  readonly start: number;
  /** Distinct suspecters other than the first; Lifeguard counts only independent confirmations. */
  readonly confirmers: readonly NodeId[];
  readonly firstFrom: NodeId;
}

/** The suspicion timeout floor: multiplier · ⌈log10(n+1)⌉ · probe interval, unless fixed by config. */
export function suspicionFloor(cfg: SwimConfig, clusterSize: number): number {
  if (cfg.suspicionTimeoutMs !== undefined) return cfg.suspicionTimeoutMs;
  return cfg.suspicionMult * Math.max(1, Math.ceil(Math.log10(clusterSize + 1))) * cfg.probeIntervalMs;
}

/** Confirmations wanted before the timeout reaches its floor (memberlist: suspicion mult − 2, below n − 2). */
export function expectedConfirmations(cfg: SwimConfig, clusterSize: number): number {
  return Math.max(0, Math.min(cfg.suspicionMult - 2, clusterSize - 2));
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
