/**
 * Transition coverage of XState machines, measured. The machine's own structure is read (every state
 * node's transitions and eventless transitions: source state, event, guard, target), and every model
 * step the suites take is matched to the transitions it fired, so the table says what was exercised,
 * not what was meant to be.
 */
import { type AnyStateMachine, getInitialMicrosteps, getMicrosteps } from 'xstate';
import type { Input, NodeSetup } from '../spec/step.js';
import type { ModelObserver } from './lockstep.js';

export interface MachineTransition {
  /** Stable key: source state, event, position in the source's list for that event. */
  readonly key: string;
  readonly machine: string;
  readonly source: string;
  /** The event type, or `always` for an eventless transition. */
  readonly event: string;
  readonly guard: string;
  readonly target: string;
}

interface GuardLike {
  readonly type?: string;
  readonly params?: unknown;
}

interface TransitionDef {
  readonly source: StateNodeLike;
  readonly eventType: string;
  readonly guard?: string | GuardLike | ((...args: unknown[]) => boolean);
  readonly target?: readonly StateNodeLike[];
}

interface StateNodeLike {
  readonly id: string;
  readonly path: readonly string[];
  readonly states: Readonly<Record<string, StateNodeLike>>;
  readonly transitions: ReadonlyMap<string, readonly TransitionDef[]>;
  readonly always?: readonly TransitionDef[];
}

interface SnapshotLike {
  readonly machine: AnyStateMachine;
  readonly context: unknown;
  readonly _nodes: readonly StateNodeLike[];
}

function guardName(g: TransitionDef['guard']): string {
  if (g === undefined) return '—';
  if (typeof g === 'string') return g;
  if (typeof g === 'function') return g.name ? `inline ${g.name}` : 'inline';
  return g.type ?? 'guard';
}

const stateName = (n: StateNodeLike): string => (n.path.length === 0 ? '(root)' : n.path.join('.'));

function* stateNodes(node: StateNodeLike): Generator<StateNodeLike> {
  yield node;
  for (const child of Object.values(node.states)) yield* stateNodes(child);
}

function isSnapshot(state: unknown): state is SnapshotLike {
  return typeof state === 'object' && state !== null && 'machine' in state && '_nodes' in state;
}

/** Every transition of `machine`, in document order. */
export function machineTransitions(machine: AnyStateMachine): MachineTransition[] {
  return [...indexTransitions(machine).values()];
}

function indexTransitions(machine: AnyStateMachine): Map<TransitionDef, MachineTransition> {
  const index = new Map<TransitionDef, MachineTransition>();
  const root = machine.root as unknown as StateNodeLike;
  for (const node of stateNodes(root)) {
    const lists: [string, readonly TransitionDef[]][] = [...node.transitions.entries()];
    if (node.always) lists.push(['always', node.always]);
    for (const [event, defs] of lists) {
      defs.forEach((t, i) => {
        index.set(t, {
          key: `${machine.id}:${node.id}:${event}:${i}`,
          machine: machine.id,
          source: stateName(node),
          event,
          guard: guardName(t.guard),
          target: t.target && t.target.length > 0 ? t.target.map(stateName).join(', ') : '(stays)',
        });
      });
    }
  }
  return index;
}

/** Evaluates a transition's guard the way XState does for named and inline guards. */
function guardHolds(machine: AnyStateMachine, t: TransitionDef, context: unknown, event: unknown): boolean {
  const g = t.guard;
  if (g === undefined) return true;
  const args = { context, event };
  if (typeof g === 'function') return g(args, undefined);
  const name = typeof g === 'string' ? g : g.type;
  const impl = name ? (machine.implementations.guards as Record<string, unknown>)[name] : undefined;
  if (typeof impl !== 'function') return false;
  return (impl as (a: unknown, p: unknown) => boolean)(args, typeof g === 'string' ? undefined : g.params);
}

/** The eventless transitions XState would select in `snapshot` (first enabled per atomic state, innermost first). */
function eventlessTaken(snap: SnapshotLike, event: unknown): TransitionDef[] {
  const taken: TransitionDef[] = [];
  const atomic = snap._nodes.filter((n) => Object.keys(n.states).length === 0);
  for (const leaf of atomic) {
    const chain: StateNodeLike[] = [];
    for (const n of snap._nodes) if (leaf.id === n.id || leaf.id.startsWith(`${n.id}.`)) chain.push(n);
    chain.sort((a, b) => b.path.length - a.path.length);
    outer: for (const n of chain) {
      for (const t of n.always ?? []) {
        if (guardHolds(snap.machine, t, snap.context, event)) {
          taken.push(t);
          break outer;
        }
      }
    }
  }
  return taken;
}

export interface CoverageRow extends MachineTransition {
  readonly hits: number;
}

/** Counts the transitions fired by the model steps it observes; feed it to the harness as its observer. */
export class TransitionCoverage implements ModelObserver {
  private readonly machines = new Map<string, { machine: AnyStateMachine; index: Map<TransitionDef, MachineTransition>; hasAlways: boolean }>();
  private readonly hits = new Map<string, number>();

  /** Registers a machine so its never-fired transitions show in the table too. */
  register(machine: AnyStateMachine): void {
    if (this.machines.has(machine.id)) return;
    const index = indexTransitions(machine);
    const hasAlways = [...index.values()].some((t) => t.event === 'always');
    this.machines.set(machine.id, { machine, index, hasAlways });
  }

  private hit(machine: AnyStateMachine, t: TransitionDef): void {
    const info = this.machines.get(machine.id)?.index.get(t);
    if (info) this.hits.set(info.key, (this.hits.get(info.key) ?? 0) + 1);
  }

  init(setup: NodeSetup<unknown>, state: unknown): void {
    if (!isSnapshot(state)) return;
    const machine = state.machine;
    this.register(machine);
    if (!this.machines.get(machine.id)?.hasAlways) return;
    const steps = getInitialMicrosteps(machine, setup as never).map(([s]) => s as unknown as SnapshotLike);
    const initEvent = { type: 'xstate.init', input: setup };
    for (let i = 0; i < steps.length - 1; i++) for (const t of eventlessTaken(steps[i], initEvent)) this.hit(machine, t);
  }

  step(before: unknown, input: Input<unknown>): void {
    if (!isSnapshot(before)) return;
    const machine = before.machine;
    this.register(machine);
    const selected = machine.getTransitionData(before as never, input as never) as unknown as TransitionDef[];
    for (const t of selected) this.hit(machine, t);
    const entry = this.machines.get(machine.id);
    // Replaying microsteps costs a second transition; only steps that enter a state can fire an eventless one.
    if (!entry?.hasAlways || !selected.some((t) => t.target && t.target.length > 0)) return;
    const steps = getMicrosteps(machine, before as never, input as never).map(([s]) => s as unknown as SnapshotLike);
    for (let i = 0; i < steps.length - 1; i++) for (const t of eventlessTaken(steps[i], input)) this.hit(machine, t);
  }

  /** How many distinct transitions have fired so far. */
  distinct(): number {
    return this.hits.size;
  }

  rows(): CoverageRow[] {
    const rows: CoverageRow[] = [];
    for (const { index } of this.machines.values()) for (const t of index.values()) rows.push({ ...t, hits: this.hits.get(t.key) ?? 0 });
    return rows;
  }

  /** Adds another recorder's counts (e.g. from another suite) to this one. */
  merge(other: TransitionCoverage): void {
    for (const m of other.machines.values()) this.register(m.machine);
    for (const [k, v] of other.hits) this.hits.set(k, (this.hits.get(k) ?? 0) + v);
  }

  summary(): { machine: string; covered: number; total: number }[] {
    const by = new Map<string, { covered: number; total: number }>();
    for (const r of this.rows()) {
      const s = by.get(r.machine) ?? { covered: 0, total: 0 };
      s.total++;
      if (r.hits > 0) s.covered++;
      by.set(r.machine, s);
    }
    return [...by.entries()].map(([machine, s]) => ({ machine, ...s }));
  }
}

/** The coverage table as Markdown, one section per machine (what `alice conformance --coverage` prints). */
export function coverageTable(cov: TransitionCoverage): string {
  const out: string[] = [];
  for (const s of cov.summary()) {
    const pct = s.total === 0 ? 100 : (100 * s.covered) / s.total;
    out.push(`machine ${s.machine}: ${s.covered}/${s.total} transitions exercised (${pct.toFixed(1)}%)`, '');
    out.push('| source | event | guard | target | hits |', '| --- | --- | --- | --- | ---: |');
    for (const r of cov.rows().filter((r) => r.machine === s.machine)) {
      out.push(`| ${r.source} | ${r.event} | ${r.guard} | ${r.target} | ${r.hits === 0 ? '**0**' : r.hits} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
