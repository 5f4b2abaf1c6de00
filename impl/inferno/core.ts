/**
 * The inferno-current core: a pure step function per role, as Inferno's binaries behave (spec/inferno.ts
 * gives the facts and their files; docs/inferno-current.md the departures).
 *  - load balancer: a table of registered backends and one of Inferno's two health loops over it;
 *  - backend: registers with every load balancer at process start, answers health checks, and
 *    otherwise says nothing (no update, no deregistration, no retry);
 *  - governator: takes no part.
 */
import { canonicalJson } from '../../spec/canonical.js';
import { registerNew } from '../../spec/inferno-registry.js';
import { INFERNO_TIMERS as T, type InfernoConfig, type InfernoMessage } from '../../spec/inferno.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeBehaviour, NodeInfoPatch, NodeSetup, Notification, Output, StepResult } from '../../spec/step.js';
import { parseTimer } from '../../spec/swim.js';
import type { MemberView, View } from '../../spec/view.js';
import { type Role, roleOf } from '../../spec/topology.js';
import { HEALTH_REMOVAL, type HealthPart, type HealthStep, NO_HEALTH, firstTick, healthAnswered, healthTicked, healthTimedOut } from './health-loop.js';

/** A load balancer: its table of registered backends and its health loop over them. */
export type InfernoLb = HealthPart;

const TIMERS = { tick: T.healthTick, checkTimeout: T.checkTimeout } as const;

export interface InfernoState {
  readonly setup: NodeSetup<InfernoConfig>;
  readonly role: Role;
  readonly phase: 'running' | 'crashed' | 'left';
  /** Load balancers only. */
  readonly lb: InfernoLb | null;
  /** The node's own record: an operator's update changes it here and nowhere else. */
  readonly info: NodeInfo;
  /** How many operator updates `info` has had: the version the node announces it with. */
  readonly version: number;
  /** Backends: the `ready` flag its vitals carry. */
  readonly ready: boolean;
}

type Out = Output<InfernoMessage>;
type Result = StepResult<InfernoState, InfernoMessage>;

const send = (to: NodeId, message: InfernoMessage): Out => ({ type: 'send', to, message });
const notify = (event: Notification): Out => ({ type: 'notify', event });
const idle = (state: InfernoState): Result => ({ state, outputs: [] });

/** An operator's update applied to the node's own record (stamped with its own clock). */
function updated(state: InfernoState, patch: NodeInfoPatch, now: number): InfernoState {
  return { ...state, info: { ...state.info, ...patch, id: state.info.id, lastUpdated: now }, version: state.version + 1 };
}

/** Why a health check removed a backend, as the `removed` notification says it. */
export const INFERNO_REMOVAL = HEALTH_REMOVAL;

/** Process start (first or after a crash): nothing survives but the setup; a backend registers again. */
function boot(setup: NodeSetup<InfernoConfig>, now: number): Result {
  const role = roleOf(setup.info.nodeType);
  const base = { setup, role, phase: 'running' as const, info: setup.info, version: 0, ready: true };
  if (role === 'loadBalancer') {
    // The ticker's first tick is immediate, over an empty table: the first round that checks anyone is one interval on.
    return { state: { ...base, lb: NO_HEALTH }, outputs: [notify({ kind: 'announced', info: setup.info, version: 0 }), firstTick(setup.config, TIMERS)] };
  }
  const outputs: Out[] = [notify({ kind: 'announced', info: setup.info, version: 0 })];
  if (role === 'backend') for (const lb of setup.seeds) outputs.push(send(lb, { kind: 'register', info: setup.info }));
  return { state: { ...base, lb: null }, outputs };
}

function withLb(state: InfernoState, lb: InfernoLb): InfernoState {
  return { ...state, lb };
}

function healthResult(state: InfernoState, r: HealthStep | null): Result {
  return r ? { state: withLb(state, r.part), outputs: [...r.outputs] } : idle(state);
}

function lbReceive(state: InfernoState, lb: InfernoLb, from: NodeId, m: InfernoMessage): Result {
  switch (m.kind) {
    case 'register': {
      // The owner only: Inferno validates the body, not the sender (a departure, docs/inferno-current.md).
      if (m.info.id !== from) return idle(state);
      const r = registerNew(lb.registry, m.info);
      if (r.outcome === 'refused') return { state, outputs: [send(from, { kind: 'refused', reason: `Backend with ID '${m.info.id}' already exists` })] };
      return {
        state: withLb(state, { ...lb, registry: r.registry }),
        outputs: [notify({ kind: 'joined', member: m.info.id, info: m.info }), send(from, { kind: 'registered' })],
      };
    }
    case 'healthReply':
      return healthResult(state, healthAnswered(lb, state.setup.config, TIMERS, from, m.seq, m.ready));
    case 'registered':
    case 'refused':
    case 'healthCheck':
      return idle(state);
  }
}

function lbTimer(state: InfernoState, lb: InfernoLb, timer: string): Result {
  const { base, key } = parseTimer(timer);
  if (base === T.healthTick) return healthResult(state, healthTicked(lb, state.setup.config, TIMERS));
  if (base === T.checkTimeout) return healthResult(state, healthTimedOut(lb, state.setup.config, TIMERS, key));
  return idle(state);
}

function lbStep(state: InfernoState, lb: InfernoLb, input: Input<InfernoMessage>): Result {
  switch (input.type) {
    case 'crash':
      // Registrations live in memory only: a crashed load balancer forgets every backend.
      return { state: { ...state, phase: 'crashed', lb: NO_HEALTH }, outputs: [] };
    case 'receive':
      return lbReceive(state, lb, input.from, input.message);
    case 'timer':
      return lbTimer(state, lb, input.timer);
    case 'command':
      // A load balancer's own record is not shared with anyone: an update changes only itself.
      if (input.command.kind === 'update') {
        const next = updated(state, input.command.patch, input.now);
        return { state: next, outputs: [notify({ kind: 'announced', info: next.info, version: next.version })] };
      }
      if (input.command.kind === 'leave') return idle({ ...state, phase: 'left' });
      return idle(state);
    case 'restart':
      return boot(state.setup, input.now);
  }
}

function backendStep(state: InfernoState, input: Input<InfernoMessage>): Result {
  if (input.type === 'crash') return idle({ ...state, phase: 'crashed' });
  if (state.phase !== 'running') return idle(state);
  if (input.type === 'receive' && input.message.kind === 'healthCheck') {
    // The proxy loop's TCP connect is accepted whatever `ready` says; the library loop reads it.
    return { state, outputs: [send(input.from, { kind: 'healthReply', seq: input.message.seq, ready: state.ready })] };
  }
  if (input.type === 'command') {
    const c = input.command;
    if (c.kind === 'vitals') return idle({ ...state, ready: c.vitals.ready });
    // The backend binary has no update path: the new record stays with the node (announced, never sent).
    if (c.kind === 'update') {
      const next = updated(state, c.patch, input.now);
      return { state: next, outputs: [notify({ kind: 'announced', info: next.info, version: next.version })] };
    }
    // `deregister` is a placeholder that only logs: leaving stops the answers and tells no one.
    if (c.kind === 'leave') return idle({ ...state, phase: 'left' });
  }
  return idle(state);
}

function step(state: InfernoState, input: Input<InfernoMessage>): Result {
  if (input.type === 'restart') return boot(state.setup, input.now);
  if (state.phase === 'crashed') return idle(state);
  if (state.role === 'loadBalancer' && state.lb) return lbStep(state, state.lb, input);
  if (state.role === 'backend') return backendStep(state, input);
  return input.type === 'crash' ? idle({ ...state, phase: 'crashed' }) : idle(state);
}

/** A load balancer: itself and the backends it holds; anyone else: itself. */
export function infernoView(state: InfernoState): View {
  const members: Record<NodeId, MemberView> = {
    [state.setup.id]: { status: state.phase === 'left' ? 'left' : 'alive', version: state.version, info: state.info },
  };
  if (state.lb) for (const info of Object.values(state.lb.registry)) members[info.id] = { status: 'alive', version: 0, info };
  return { self: state.setup.id, members };
}

export function encodeInfernoState(state: InfernoState): string {
  const { setup, ...rest } = state;
  return canonicalJson({ ...rest, setup: { ...setup, config: null } });
}

export const infernoNode: NodeBehaviour<InfernoState, InfernoMessage, InfernoConfig> = {
  protocol: 'inferno-current',
  init: (setup) => boot(setup, setup.now),
  step,
  view: infernoView,
  encode: encodeInfernoState,
};
