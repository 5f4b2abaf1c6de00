/**
 * Traces generated from the model (model → implementation): a small cluster of model nodes with an
 * asynchronous network, explored breadth-first under a budget of faults and operator actions, and by
 * seeded random walks. Every path is cut into per-node traces, which the harness then replays against
 * the implementation. Breadth-first paths are kept when they fire a machine transition no earlier
 * path fired, so the kept set is a small one that covers what the bound can reach.
 */
import { canonicalJson } from '../spec/canonical.js';
import type { NodeId } from '../spec/node.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { Command, Input, NodeSetup, Output } from '../spec/step.js';
import { TransitionCoverage } from './coverage.js';
import { commandsFor } from './environment.js';
import type { NodeTrace } from './lockstep.js';
import { Rng } from '../spec/prng.js';

/** How much of each kind of event one path may contain (breadth-first search only). */
export interface Budget {
  readonly timers: number;
  readonly commands: number;
  readonly crashes: number;
  /** Deliveries whose sender is forged (another node's message, attributed to a third). */
  readonly spoofs: number;
  /** Deliveries that leave a copy in flight. */
  readonly duplicates: number;
}

interface Flight<M> {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: M;
}

interface World<S, M> {
  readonly states: readonly S[];
  readonly up: readonly boolean[];
  readonly armed: readonly (readonly string[])[];
  readonly inflight: readonly Flight<M>[];
  readonly spent: Budget;
  readonly now: number;
}

/** One environment event: what node `node` receives, before the clock reading is stamped on it. */
interface Move<M> {
  readonly node: number;
  readonly input: Input<M>;
  /** Index of the message it consumes, for deliveries. */
  readonly consume?: number;
  readonly cost?: keyof Budget;
}

interface Stepped<S, M> {
  readonly world: World<S, M>;
  readonly node: number;
  readonly input: Input<M>;
}

const ZERO: Budget = { timers: 0, commands: 0, crashes: 0, spoofs: 0, duplicates: 0 };

export class ModelCluster<S, M> {
  readonly ids: NodeId[];
  readonly setups: NodeSetup<unknown>[];
  private readonly commands: Command[][];

  constructor(
    readonly protocol: ProtocolDefinition<S, M, unknown>,
    n: number,
    readonly start: number,
    private readonly observer?: TransitionCoverage,
  ) {
    this.setups = protocol.cluster(n, { now: start, seed: 1 });
    this.ids = this.setups.map((s) => s.id);
    this.commands = this.ids.map((id) => commandsFor(protocol as ProtocolDefinition<unknown, unknown, unknown>, id, this.ids));
  }

  initial(): World<S, M> {
    const b = this.protocol.behaviour;
    const states: S[] = [];
    const armed: string[][] = [];
    const inflight: Flight<M>[] = [];
    for (const setup of this.setups) {
      const r = b.init(setup);
      this.observer?.init(setup, r.state);
      states.push(r.state);
      armed.push(this.applyOutputs(setup.id, [], r.outputs, inflight));
    }
    return { states, up: states.map(() => true), armed, inflight, spent: ZERO, now: this.start };
  }

  private applyOutputs(from: NodeId, armed: readonly string[], outputs: readonly Output<M>[], inflight: Flight<M>[]): string[] {
    const set = new Set(armed);
    for (const o of outputs) {
      if (o.type === 'send') inflight.push({ from, to: o.to, message: o.message });
      else if (o.type === 'setTimer') set.add(o.timer);
      else if (o.type === 'cancelTimer') set.delete(o.timer);
    }
    return [...set].sort();
  }

  key(w: World<S, M>): string {
    const b = this.protocol.behaviour;
    return canonicalJson({
      s: w.states.map((s) => b.encode(s)),
      u: w.up,
      a: w.armed,
      f: w.inflight.map((f) => canonicalJson(f)).sort(),
      b: w.spent,
    });
  }

  /** Every move the environment can make in `w`, within `budget` (undefined: unbounded). */
  moves(w: World<S, M>, budget?: Budget): Move<M>[] {
    const out: Move<M>[] = [];
    const can = (k: keyof Budget) => budget === undefined || w.spent[k] < budget[k];
    const idx = (id: NodeId) => this.ids.indexOf(id);
    const seen = new Set<string>();
    w.inflight.forEach((f, i) => {
      const to = idx(f.to);
      if (to < 0 || !w.up[to]) return;
      // Identical messages in flight are one move: the network is a multiset.
      const k = canonicalJson(f);
      if (seen.has(k)) return;
      seen.add(k);
      out.push({ node: to, input: { type: 'receive', from: f.from, message: f.message, now: 0 }, consume: i });
      if (can('duplicates')) out.push({ node: to, input: { type: 'receive', from: f.from, message: f.message, now: 0 }, cost: 'duplicates' });
      if (can('spoofs')) {
        // A third node claims to have sent it; in a 2-node cluster the receiver itself is named.
        const forger = this.ids.find((x) => x !== f.from && x !== f.to) ?? f.to;
        if (forger !== f.from) out.push({ node: to, input: { type: 'receive', from: forger, message: f.message, now: 0 }, consume: i, cost: 'spoofs' });
      }
    });
    this.ids.forEach((_, n) => {
      if (!w.up[n]) {
        out.push({ node: n, input: { type: 'restart', now: 0 } });
        return;
      }
      if (can('timers')) for (const t of w.armed[n]) out.push({ node: n, input: { type: 'timer', timer: t, now: 0 }, cost: 'timers' });
      if (can('commands')) for (const c of this.commands[n]) out.push({ node: n, input: { type: 'command', command: c, now: 0 }, cost: 'commands' });
      if (can('crashes')) out.push({ node: n, input: { type: 'crash', now: 0 }, cost: 'crashes' });
    });
    return out;
  }

  /** The steps `move` can lead to: one per choice the model leaves open, else one. */
  apply(w: World<S, M>, move: Move<M>, dt: number): Stepped<S, M>[] {
    const b = this.protocol.behaviour;
    const now = w.now + dt;
    const base = { ...move.input, now } as Input<M>;
    const open = b.choices?.(w.states[move.node], base);
    const inputs = open && open.length > 0 ? open.map((c) => ({ ...base, choice: c }) as Input<M>) : [base];
    return inputs.map((input) => {
      const r = b.step(w.states[move.node], input);
      this.observer?.step(w.states[move.node], input as Input<unknown>);
      const inflight = w.inflight.filter((_, i) => i !== move.consume);
      const states = w.states.slice();
      states[move.node] = r.state;
      const up = w.up.slice();
      const armed = w.armed.slice();
      const id = this.ids[move.node];
      if (input.type === 'crash') {
        up[move.node] = false;
        armed[move.node] = [];
        // A dead process receives nothing: what was on its way to it is lost.
        const kept = inflight.filter((f) => f.to !== id);
        inflight.length = 0;
        inflight.push(...kept);
      } else {
        if (input.type === 'restart') up[move.node] = true;
        const still = input.type === 'timer' ? armed[move.node].filter((t) => t !== input.timer) : armed[move.node];
        armed[move.node] = this.applyOutputs(id, still, r.outputs, inflight);
      }
      const spent = move.cost ? { ...w.spent, [move.cost]: w.spent[move.cost] + 1 } : w.spent;
      return { world: { states, up, armed, inflight, spent, now }, node: move.node, input };
    });
  }

  /** Cuts a path (the inputs each node received, in order) into per-node traces. */
  traces(path: readonly { node: number; input: Input<M> }[], origin: string): NodeTrace<M>[] {
    return this.setups.map((setup, n) => ({
      setup,
      inputs: path.filter((p) => p.node === n).map((p) => p.input),
      origin: `${origin}, node ${setup.id}`,
    }));
  }
}

export interface BfsOptions {
  readonly nodes: number;
  readonly budget: Budget;
  /** States explored at most; the search stops there and reports what it covered. */
  readonly maxStates: number;
  readonly maxDepth: number;
}

export interface BfsResult<M> {
  readonly traces: NodeTrace<M>[];
  readonly states: number;
  readonly depth: number;
  readonly paths: number;
}

/** Breadth-first search over the model cluster; keeps the (shortest) path to each newly fired transition. */
export function bfsTraces<S, M>(protocol: ProtocolDefinition<S, M, unknown>, options: BfsOptions): BfsResult<M> {
  const cov = new TransitionCoverage();
  const cluster = new ModelCluster(protocol, options.nodes, 1_000_000, cov);
  interface Entry {
    readonly world: World<S, M>;
    readonly parent: number;
    readonly node: number;
    readonly input: Input<M> | null;
    readonly depth: number;
  }
  const entries: Entry[] = [{ world: cluster.initial(), parent: -1, node: -1, input: null, depth: 0 }];
  const seen = new Set([cluster.key(entries[0].world)]);
  const kept: number[] = [];
  let covered = cov.distinct();
  let maxDepth = 0;
  for (let head = 0; head < entries.length && entries.length < options.maxStates; head++) {
    const e = entries[head];
    if (e.depth >= options.maxDepth) continue;
    for (const move of cluster.moves(e.world, options.budget)) {
      for (const s of cluster.apply(e.world, move, 1_000)) {
        const k = cluster.key(s.world);
        const fresh = cov.distinct();
        const newTransition = fresh > covered;
        covered = fresh;
        if (seen.has(k) && !newTransition) continue;
        seen.add(k);
        entries.push({ world: s.world, parent: head, node: s.node, input: s.input, depth: e.depth + 1 });
        maxDepth = Math.max(maxDepth, e.depth + 1);
        if (newTransition) kept.push(entries.length - 1);
      }
    }
  }
  const traces: NodeTrace<M>[] = [];
  const unique = new Set<string>();
  const loneTraces = options.nodes > 1 ? bfsTraces(protocol, { ...options, nodes: 1, maxStates: Math.min(options.maxStates, 300) }).traces : [];
  for (const leaf of kept) {
    const path: { node: number; input: Input<M> }[] = [];
    for (let i = leaf; entries[i].parent >= 0; i = entries[i].parent) path.unshift({ node: entries[i].node, input: entries[i].input as Input<M> });
    for (const t of cluster.traces(path, `bfs path to state ${leaf} (depth ${path.length})`)) {
      const k = canonicalJson([t.setup.id, t.inputs]);
      if (t.inputs.length === 0 || unique.has(k)) continue;
      unique.add(k);
      traces.push(t);
    }
  }
  // Init alone is a check too: every node's start must match.
  for (const setup of cluster.setups) traces.push({ setup, inputs: [], origin: `init of ${setup.id}` });
  // A node started with no peers takes paths a cluster member never does (nothing to register with).
  traces.push(...loneTraces.map((t) => ({ ...t, origin: `lone node: ${t.origin}` })));
  return { traces, states: entries.length, depth: maxDepth, paths: kept.length };
}

export interface WalkOptions {
  readonly nodes: number;
  readonly walks: number;
  readonly length: number;
  readonly seed: number;
  /** Share of moves that are faults (crash, forged sender, duplicate) rather than deliveries and timers. */
  readonly faultRate: number;
}

const DT = [0, 1, 250, 1_000, 3_000];

/** Seeded random walks with faults over the model cluster, cut into per-node traces. */
export function walkTraces<S, M>(protocol: ProtocolDefinition<S, M, unknown>, options: WalkOptions): NodeTrace<M>[] {
  const traces: NodeTrace<M>[] = [];
  for (let w = 0; w < options.walks; w++) {
    const seed = options.seed + w;
    const rng = new Rng(seed);
    const cluster = new ModelCluster(protocol, options.nodes, 1_000_000);
    let world = cluster.initial();
    const path: { node: number; input: Input<M> }[] = [];
    for (let i = 0; i < options.length; i++) {
      const moves = cluster.moves(world);
      const faults = moves.filter((m) => m.cost === 'crashes' || m.cost === 'spoofs' || m.cost === 'duplicates');
      const commands = moves.filter((m) => m.cost === 'commands');
      const normal = moves.filter((m) => m.cost === undefined || m.cost === 'timers');
      const roll = rng.next();
      const pool = roll < options.faultRate && faults.length > 0 ? faults : roll < options.faultRate + 0.08 && commands.length > 0 ? commands : normal.length > 0 ? normal : moves;
      if (pool.length === 0) break;
      const successors = cluster.apply(world, rng.pick(pool), rng.pick(DT));
      const s = rng.pick(successors);
      world = s.world;
      path.push({ node: s.node, input: s.input });
    }
    traces.push(...cluster.traces(path, `random walk seed ${seed}`));
  }
  return traces;
}

/** What model runs said and did: the messages, timers and senders a fuzzer can draw inputs from. */
export interface Corpus<M> {
  readonly messages: readonly { readonly from: NodeId; readonly message: M }[];
  readonly timers: readonly string[];
}

export function corpusOf<M>(traces: readonly NodeTrace<M>[]): Corpus<M> {
  const messages = new Map<string, { from: NodeId; message: M }>();
  const timers = new Set<string>();
  for (const t of traces) {
    for (const input of t.inputs) {
      if (input.type === 'receive') messages.set(canonicalJson([input.from, input.message]), { from: input.from, message: input.message });
      if (input.type === 'timer') timers.add(input.timer);
    }
  }
  return { messages: [...messages.values()], timers: [...timers].sort() };
}
