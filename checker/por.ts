/**
 * Partial-order reduction for safety (`--por`): in a state, the exhaustive search expands only an
 * ample subset of the enabled steps when that provably loses no reachable violation of an `always`
 * property, no reachable `sometimes` state and no deadlock. The argument is docs/checker.md's
 * "Partial-order reduction" section; in short, an ample set is all the enabled steps of one node k
 * (its timers, the deliveries to it, the losses of messages to it) and is used only when
 *  C0  it is not empty (a state with a step keeps one);
 *  C1  nothing outside it can, before k moves, do a step dependent on it: no budgeted fault can still
 *      happen (they share one budget and touch nodes), and no other node that can become active
 *      without k moving may send to k (the protocol's `independence.sendsTo`, else: anyone);
 *  C2  it is the whole enabled set, or every step in it is invisible: it leaves k's local state and
 *      announcement history as they were and resolves nothing (so no Observation changes);
 *  C3  (the search's part) breadth-first, every ample successor is new or first reached at this
 *      level; depth-first, every one is new: else the state is expanded in full.
 * A delivery to a crashed node that can never restart only removes the message: it is independent of
 * every step but those on the same message, and needs no senders check.
 */
import type { NodeId } from '../spec/node.js';
import type { Observation, Property } from '../spec/properties.js';
import type { Independence, ProtocolDefinition } from '../spec/protocol.js';
import { type NodeBehaviour, behaviourMembers } from '../spec/step.js';
import { ActionKind } from './actions.js';
import { FingerprintSet } from './fingerprint.js';
import { type CheckOptions, CheckerError, type PorUnsoundVariant } from './options.js';
import type { Packed, System } from './system.js';
import { checkGuarded } from './model-error.js';

/** Why an expanded state got no ample set (each counted once per state). */
export interface PorFallbacks {
  /** One enabled step, or all of them belong to one node: nothing to leave out. */
  readonly oneNode: number;
  /** A budgeted fault (crash, restart, update, leave, dup, partition, or a bounded loss) can still happen. */
  readonly faults: number;
  /** For every node with steps, another node that can become active may send to it (C1). */
  readonly senders: number;
  /** A node passed C1, but one of its steps changes what a property can read (C2). */
  readonly visible: number;
  /** An ample set was chosen, but a successor closed a cycle onto the explored part (C3). */
  readonly proviso: number;
}

export interface PorStats {
  readonly enabled: true;
  /** Distinct states of the reduced search (the run's `distinct`). */
  readonly reducedStates: number;
  /** States expanded, and those expanded with an ample set (not in full). */
  readonly expanded: number;
  readonly ample: number;
  readonly fallbacks: PorFallbacks;
  /** The deliberately unsound variant, when one ran (tests only). */
  readonly unsound?: PorUnsoundVariant;
}

const BUDGETED = ['crash', 'restart', 'update', 'leave', 'partition', 'dup', 'skew'] as const;

export class PartialOrder {
  /** The codes of the last state chosen, ample first (valid when choose returned less than the count). */
  order = new Int32Array(64);
  /** Per code of the last state: its first successor's position among all the state's successors. */
  start = new Int32Array(64);
  /** Set by the search when an ample successor breaks the cycle proviso. */
  provisoFailed = false;
  private group = new Int32Array(64);
  private readonly size: Int32Array;
  private readonly sendsTo: Int32Array;
  private readonly budgeted: boolean;
  private readonly lossBudgeted: boolean;
  /** Every node step counts as visible: a property reads the step or the timers. */
  private readonly allVisible: boolean;
  private readonly bfs: boolean;
  private readonly variant: PorUnsoundVariant | undefined;
  /** BFS: fingerprints first reached at depth levelDepth (the level being discovered). */
  private level = new FingerprintSet(1 << 10);
  private levelDepth = -1;
  private counts = { expanded: 0, ample: 0, oneNode: 0, faults: 0, senders: 0, visible: 0, proviso: 0 };

  constructor(
    private readonly sys: System<unknown, unknown, unknown>,
    options: CheckOptions,
    independence: Independence | undefined,
  ) {
    const n = sys.n;
    this.size = new Int32Array(n);
    this.sendsTo = new Int32Array(n);
    const all = (1 << n) - 1;
    for (let k = 0; k < n; k++) {
      if (!independence) this.sendsTo[k] = all & ~(1 << k);
      else for (const to of independence.sendsTo(sys.ids[k])) if (sys.ids.includes(to)) this.sendsTo[k] |= 1 << sys.ids.indexOf(to);
    }
    this.budgeted = options.faultBudget > 0 && BUDGETED.some((f) => options.faults.includes(f));
    this.lossBudgeted = options.faults.includes('loss') && options.maxLosses !== null;
    this.allVisible = sys.properties.some((p) => p.needs?.step || p.needs?.timers || p.needs?.messages);
    this.bfs = options.strategy === 'bfs';
    this.variant = options.porUnsound;
  }

  stats(reducedStates: number): PorStats {
    const { expanded, ample, ...fallbacks } = this.counts;
    return { enabled: true, reducedStates, expanded, ample, fallbacks, ...(this.variant ? { unsound: this.variant } : {}) };
  }

  /**
   * Chooses the steps to expand in `s` (its `count` action codes). Returns how many to expand first:
   * `count` for all of them (in their order), or the ample set's size, whose codes are then the first
   * entries of `order` (the rest follow, for a fall-back), with each code's successor position in `start`.
   */
  choose(s: Packed, codes: readonly number[], count: number): number {
    this.counts.expanded++;
    this.provisoFailed = false;
    if (count <= 1) return this.counts.oneNode++, count;
    const L = this.sys.layout;
    if ((this.budgeted && L.budget(s) > 0) || (this.lossBudgeted && L.lossesLeft(s) > 0)) return this.counts.faults++, count;
    const n = this.sys.n;
    if (this.group.length < count) this.grow(count);
    const size = this.size.fill(0);
    let groups = 0;
    for (let c = 0; c < count; c++) {
      const kind = codes[c * 4];
      let g: number;
      if (kind === ActionKind.Deliver || kind === ActionKind.Drop) g = L.envelopeTo[s[codes[c * 4 + 3]]];
      else if (kind === ActionKind.Timer) g = codes[c * 4 + 1];
      else return this.counts.faults++, count; // a fault step: only enabled with budget left, checked above
      this.group[c] = g;
      if (size[g]++ === 0) groups++;
    }
    if (groups === 1) return this.counts.oneNode++, count;
    const up = s[L.upAt];
    const active = this.active(s, up);
    let best = -1;
    let sawVisible = false;
    for (let k = 0; k < n; k++) {
      if (size[k] === 0 || (best >= 0 && size[k] >= size[best])) continue;
      // A crashed node never restarts here (no budget): a delivery to it only removes the message.
      if ((up >> k) & 1) {
        if (this.variant !== 'no-senders' && !this.quietTowards(k, active, up)) continue;
        if (this.variant !== 'no-visibility' && !this.invisible(s, k, codes, count)) {
          sawVisible = true;
          continue;
        }
      } else if (this.allVisible && this.variant !== 'no-visibility') {
        // Removing a message is still a change a property that reads the network (or the step) sees.
        sawVisible = true;
        continue;
      }
      best = k;
    }
    if (best < 0) return sawVisible ? this.counts.visible++ : this.counts.senders++, count;
    this.arrange(s, codes, count, best);
    this.counts.ample++;
    return size[best];
  }

  /** C3, told by the search: an ample successor was already visited. */
  seen(hi: number, lo: number, depth: number): void {
    if (this.provisoFailed || this.variant === 'no-cycle-proviso') return;
    // Breadth-first, a state first reached at this level (depth + 1) closes no cycle; anything else may.
    if (!this.bfs || this.levelDepth !== depth + 1 || !this.level.has(hi, lo)) this.provisoFailed = true;
  }

  /** The search expands the rest of a state whose ample set broke the proviso. */
  fellBack(): void {
    this.counts.ample--;
    this.counts.proviso++;
  }

  /** Every state the search admits, with its depth: breadth-first, the level being discovered. */
  admitted(hi: number, lo: number, depth: number): void {
    if (!this.bfs) return;
    if (depth !== this.levelDepth) {
      this.levelDepth = depth;
      this.level = new FingerprintSet(1 << 10);
    }
    this.level.add(hi, lo);
  }

  /** Nodes that can step now: up, with a timer armed or a message in flight to them. */
  private active(s: Packed, up: number): number {
    const L = this.sys.layout;
    const w = L.width;
    let active = 0;
    let t = L.timersStart;
    for (let k = 0; k < this.sys.n; k++) {
      if (s[t] > 0) active |= 1 << k;
      t += 1 + s[t] * w;
    }
    const m = s[t];
    for (let i = 0; i < m; i++) active |= 1 << L.envelopeTo[s[t + 1 + i * w]];
    return active & up;
  }

  /**
   * C1's senders check: no node that can become active while k does nothing (active now, or sent to
   * by one that can) may send to k. A crashed node stays crashed (no budget is left).
   */
  private quietTowards(k: number, active: number, up: number): boolean {
    const self = 1 << k;
    let reach = active & ~self;
    let todo = reach;
    while (todo !== 0) {
      const j = 31 - Math.clz32(todo);
      todo &= ~(1 << j);
      if ((this.sendsTo[j] & self) !== 0) return false;
      const more = this.sendsTo[j] & up & ~self & ~reach;
      reach |= more;
      todo |= more;
    }
    return true;
  }

  /**
   * C2: every step of node k enabled in s, on every open choice, leaves k's local state and history
   * as they are and resolves nothing. Its outcome depends on k's local state and its input alone, and
   * no step outside the ample set changes k's local state, so this holds wherever the search could
   * postpone the step to, not only in s.
   */
  private invisible(s: Packed, k: number, codes: readonly number[], count: number): boolean {
    if (this.allVisible) return false;
    const steps = this.sys.steps;
    const local = s[k];
    for (let c = 0; c < count; c++) {
      if (this.group[c] !== k) continue;
      const kind = codes[c * 4];
      if (kind === ActionKind.Drop) continue;
      for (const id of this.inputsOf(s, codes, c, local)) {
        const t = steps.transition(k, local, id);
        if (t.next !== local || t.announced !== null || t.resolutions.length > 0) return false;
      }
    }
    return true;
  }

  /** Node `best`'s codes first in `order`, then the rest; each code's first successor position in `start`. */
  private arrange(s: Packed, codes: readonly number[], count: number, best: number): void {
    const L = this.sys.layout;
    let at = 0;
    for (let c = 0; c < count; c++) if (this.group[c] === best) this.order[at++] = c;
    for (let c = 0; c < count; c++) if (this.group[c] !== best) this.order[at++] = c;
    let position = 0;
    for (let c = 0; c < count; c++) {
      this.start[c] = position;
      const kind = codes[c * 4];
      const node = this.group[c];
      if (kind === ActionKind.Drop || !L.isUp(s, node)) position += 1;
      else position += this.inputsOf(s, codes, c, s[node]).length;
    }
  }

  /**
   * The concrete inputs (one per open choice) of delivery or timer step c to a node in local state
   * `local`: one successor each, in the search's order.
   */
  private inputsOf(s: Packed, codes: readonly number[], c: number, local: number): readonly number[] {
    const steps = this.sys.steps;
    const entry = s[codes[c * 4 + 3]];
    return steps.expand(local, codes[c * 4] === ActionKind.Deliver ? steps.receiveInput(entry, 0) : steps.timerInput(entry, 0));
  }

  private grow(count: number): void {
    const room = count * 2;
    this.order = new Int32Array(room);
    this.start = new Int32Array(room);
    this.group = new Int32Array(room);
  }
}

/**
 * The conditions POR puts on a protocol before it starts: safety only. An eventually property is
 * judged by a fair run from every reached state whose faults are spent, and a reduced search reaches
 * fewer of them: a violation seen only from a left-out state would be lost.
 */
export function porRefusal(protocol: Pick<ProtocolDefinition<unknown, unknown>, 'name'>, properties: readonly Property[]): string | null {
  const eventually = properties.filter((p) => p.temporal === 'eventually').map((p) => p.name);
  if (eventually.length === 0) return null;
  return (
    `--por preserves safety verdicts only (always, sometimes, deadlock), not eventually: ${eventually.join(', ')} of ${protocol.name} ` +
    `would be judged from fewer reached states; name the safety properties with --property`
  );
}

/**
 * C2 treats the resolutions of the last step as a label of the step, not of the state, so an
 * invisible step (which resolves nothing) may be taken in another place than in the full search.
 * That is sound if leaving a state's resolutions out never makes an `always` property fail there (or
 * a `sometimes` one hold), and if a step property holds on a step that changes nothing it reads. Both are checked on every state
 * the reduced search reaches (not trusted), for every property not yet violated (or reached); a
 * property that fails them stops the check with a CheckerError naming it.
 */
export function auditStutter(properties: readonly Property[], obs: Observation, decided: (p: Property) => boolean): void {
  const quiet: Observation = obs.resolutions && obs.resolutions.length > 0 ? { ...obs, resolutions: [] } : obs;
  for (const p of properties) {
    // Once violated (or reached), another place where it would be is no different verdict.
    if (p.temporal === 'eventually' || decided(p)) continue;
    const stepProperty = p.check.length >= 2;
    if (stepProperty) {
      if (checkGuarded(p, quiet, obs) !== null) {
        throw new CheckerError(`--por: step property ${p.name} fails on a step that changes nothing it reads (a stuttering step); POR may take such steps elsewhere than the full search, so it cannot judge ${p.name}: check it without --por`);
      }
    } else if (quiet !== obs) {
      // A violation (or a reached sometimes) on the resolving step itself is that visible step's,
      // which POR keeps; what it cannot keep is one that shows only once the resolutions are gone.
      const quietFails = checkGuarded(p, quiet) !== null;
      const fails = checkGuarded(p, obs) !== null;
      if (p.temporal === 'always' ? quietFails && !fails : !quietFails && fails) {
        throw new CheckerError(`--por: ${p.name}'s verdict on a state changes when the resolutions of the step into it are left out; POR may reach the state by a step that resolves nothing, so it cannot judge ${p.name}: check it without --por`);
      }
    }
  }
}

/**
 * The protocol with its independence declaration held to account: every local step the checker
 * computes (init included) may send only where `sendsTo` allows, else it throws, which the checker
 * reports as a modelStep violation with the trace to it. The sender is known by its View's `self`.
 */
export function withCheckedIndependence<S, M, Cfg>(protocol: ProtocolDefinition<S, M, Cfg>): ProtocolDefinition<S, M, Cfg> {
  const decl = protocol.independence;
  if (!decl) return protocol;
  const allowed = new Map<NodeId, ReadonlySet<NodeId>>();
  const check = (from: NodeId, outputs: readonly { type: string; to?: NodeId }[]) => {
    let set = allowed.get(from);
    if (!set) allowed.set(from, (set = new Set(decl.sendsTo(from))));
    for (const o of outputs) {
      if (o.type === 'send' && o.to !== undefined && !set.has(o.to)) {
        throw new CheckerError(`${from} sent to ${o.to}, which ${protocol.name}'s independence.sendsTo('${from}') does not list ([${[...set].join(', ')}]); --por relies on that declaration`);
      }
    }
  };
  const inner = protocol.behaviour;
  const behaviour: NodeBehaviour<S, M, Cfg> = {
    ...behaviourMembers(inner),
    init: (setup) => {
      const r = inner.init(setup);
      check(setup.id, r.outputs);
      return r;
    },
    step: (state, input) => {
      const r = inner.step(state, input);
      check(inner.view(state).self, r.outputs);
      return r;
    },
  };
  return { ...protocol, behaviour };
}
