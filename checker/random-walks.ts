/**
 * Seeded random walks (`--strategy random`, a swarm): each walk picks uniformly among the successors
 * of its state, up to a depth; a violation a walk finds is shrunk by delta debugging before it is
 * recorded, so the trace shown is short though not necessarily shortest.
 */
import type { Observation } from '../spec/properties.js';
import { Rng } from '../spec/prng.js';
import type { FingerprintSet } from './fingerprint.js';
import { ModelStepError } from './model-error.js';
import { type CheckOptions, walkLength } from './options.js';
import type { Action, Packed, System } from './system.js';
import type { Path } from './trace-index.js';
import type { StopReason } from './verdicts.js';

/** What the walks need of the checker they run for: its properties, its records and its options. */
export interface WalkHost {
  readonly options: CheckOptions;
  readonly needsBefore: boolean;
  readonly violations: ReadonlyMap<string, unknown>;
  onNewState(state: Packed, before: Observation | undefined, path: () => Path): void;
  allViolated(): boolean;
  /** Some always-property fails on `obs` (`before`: the state before, for step properties). */
  violatesAlways(obs: Observation, before: Observation | undefined): boolean;
  /** The fault budget is spent at `state` and some eventually-property never holds on the fair run from it. */
  failsEventually(state: Packed): boolean;
  /** The walk being taken, for a step that throws: its trace is the walk so far. */
  expanding(path: () => Path): void;
}

export class RandomWalks<S, M, Cfg> {
  /** `fp` is the caller's scratch for fingerprints, shared rather than copied. */
  constructor(
    private readonly system: System<S, M, Cfg>,
    private readonly host: WalkHost,
    private readonly fp: Uint32Array,
  ) {}

  /** Every successor of s, in the fixed order traces refer to. */
  private successors(s: Packed): { state: Packed; action: Action }[] {
    const out: { state: Packed; action: Action }[] = [];
    for (const action of this.system.actions(s)) for (const r of this.system.apply(s, action)) out.push({ state: this.system.canonical(r.state), action });
    return out;
  }

  /** Seeded random walks; a violation found by a walk is shrunk before it is recorded. */
  run(visited: FingerprintSet, deadline: number, count: () => void, depthSeen: (d: number) => void): StopReason {
    const o = this.host.options;
    for (let w = 0; w < o.walks; w++) {
      const walkRng = Rng.seeded(o.seed * 1_000_003 + w);
      const random = () => walkRng.next();
      let cur = this.system.initial;
      const path: Path = [];
      this.host.expanding(() => path.slice());
      for (let d = 0; d < walkLength(o); d++) {
        const succ = this.successors(cur);
        if (succ.length === 0) break;
        const pick = Math.floor(random() * succ.length);
        const before = this.host.needsBefore ? this.system.observe(cur) : undefined;
        cur = succ[pick].state;
        path.push(pick);
        count();
        depthSeen(d + 1);
        this.system.fingerprint(cur, this.fp);
        visited.add(this.fp[0], this.fp[1]);
        const had = new Set(this.host.violations.keys());
        this.host.onNewState(cur, before, () => this.shrink(path.slice()));
        if (this.host.violations.size > had.size && (o.stopAtFirst || this.host.allViolated())) return 'violation';
        if (o.maxStates > 0 && visited.size >= o.maxStates) return 'states';
        if (performance.now() > deadline) return 'time';
      }
    }
    return 'walks';
  }

  /**
   * Delta debugging over a walk: drop chunks of steps (halving the chunk size down to one step) as
   * long as re-executing what remains still violates some property that the full walk violated.
   * Steps are matched by their action label and input, not their position, so removing a step
   * leaves the rest meaningful.
   */
  private shrink(path: Path): Path {
    // Shrinking steps through states the walk did not visit; one that throws there keeps the walk as found.
    try {
      return this.shrinkUnguarded(path);
    } catch (e) {
      if (e instanceof ModelStepError) return path;
      throw e;
    }
  }

  private shrinkUnguarded(path: Path): Path {
    const labels = this.replayLabels(path);
    const violatesAt = (keys: string[]): Path | null => {
      let cur = this.system.initial;
      const out: Path = [];
      for (const key of keys) {
        const succ = this.successorKeys(cur);
        const i = succ.findIndex((s) => s.key === key);
        if (i < 0) continue;
        const before = this.host.needsBefore ? this.system.observe(cur) : undefined;
        cur = succ[i].state;
        out.push(i);
        const obs = this.system.observe(cur);
        if (this.host.violatesAlways(obs, before)) return out;
      }
      if (this.host.failsEventually(cur)) return out;
      return null;
    };
    let keys = labels;
    let best = violatesAt(keys) ?? path;
    for (let chunk = Math.max(1, keys.length >> 1); chunk >= 1; chunk >>= 1) {
      for (let i = 0; i + chunk <= keys.length; ) {
        const candidate = [...keys.slice(0, i), ...keys.slice(i + chunk)];
        const found = violatesAt(candidate);
        if (found) {
          keys = candidate;
          best = found;
        } else i += chunk;
      }
      if (chunk === 1) break;
    }
    return best;
  }

  private successorKeys(s: Packed): { state: Packed; key: string }[] {
    const out: { state: Packed; key: string }[] = [];
    for (const action of this.system.actions(s)) {
      for (const r of this.system.apply(s, action, true)) out.push({ state: this.system.canonical(r.state), key: `${r.info!.actor}|${r.info!.label}|${JSON.stringify(r.info!.input ?? null)}` });
    }
    return out;
  }

  private replayLabels(path: Path): string[] {
    let cur = this.system.initial;
    const keys: string[] = [];
    for (const p of path) {
      const succ = this.successorKeys(cur);
      keys.push(succ[p].key);
      cur = succ[p].state;
    }
    return keys;
  }
}
