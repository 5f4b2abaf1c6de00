/**
 * The inferno-current core: a pure step function per role, as Inferno's binaries behave (spec/inferno.ts
 * gives the facts and their files; docs/inferno-current.md the departures).
 *  - load balancer: a table of registered backends and one of Inferno's two health loops over it;
 *  - backend: registers with every load balancer at process start, answers health checks, and
 *    otherwise says nothing (no update, no deregistration, no retry);
 *  - governator: takes no part.
 */
import { canonicalJson } from '../../spec/canonical.js';
import { type HealthChecks, NO_CHECKS, onReply, onTimeout, startRound } from '../../spec/inferno-health.js';
import { IDLE_ROUND, PROXY_REMOVAL_REASON, type ProxyRound, type ProxyRoundStep, proxyAnswer, proxyTick, proxyTimeout } from '../../spec/inferno-health.js';
import { EMPTY_REGISTRY, type Registry, registerNew } from '../../spec/inferno-registry.js';
import { INFERNO_TIMERS as T, type InfernoConfig, type InfernoMessage } from '../../spec/inferno.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeBehaviour, NodeInfoPatch, NodeSetup, Notification, Output, StepResult } from '../../spec/step.js';
import { parseTimer, timerName } from '../../spec/swim.js';
import type { MemberView, View } from '../../spec/view.js';

export type InfernoRole = 'loadBalancer' | 'backend' | 'governator';

export function infernoRoleOf(info: NodeInfo): InfernoRole {
  return info.nodeType === 'proxy' ? 'loadBalancer' : info.nodeType === 'backend' ? 'backend' : 'governator';
}

export interface InfernoLb {
  readonly registry: Registry;
  /** The proxy loop's round (config healthLoop 'proxy'). */
  readonly round: ProxyRound;
  /** The library loop's checks in flight (config healthLoop 'library'). */
  readonly checks: HealthChecks;
}

export interface InfernoState {
  readonly setup: NodeSetup<InfernoConfig>;
  readonly role: InfernoRole;
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
export const INFERNO_REMOVAL = {
  proxy: PROXY_REMOVAL_REASON,
  notReady: 'health check: ready false',
  timedOut: 'health check: no answer within the timeout',
} as const;

/** Process start (first or after a crash): nothing survives but the setup; a backend registers again. */
function boot(setup: NodeSetup<InfernoConfig>, now: number): Result {
  const role = infernoRoleOf(setup.info);
  const base = { setup, role, phase: 'running' as const, info: setup.info, version: 0, ready: true };
  if (role === 'loadBalancer') {
    // The ticker's first tick is immediate, over an empty table: the first round that checks anyone is one interval on.
    const lb: InfernoLb = { registry: EMPTY_REGISTRY, round: IDLE_ROUND, checks: NO_CHECKS };
    return { state: { ...base, lb }, outputs: [notify({ kind: 'announced', info: setup.info, version: 0 }), { type: 'setTimer', timer: T.healthTick, after: setup.config.healthIntervalMs }] };
  }
  const outputs: Out[] = [notify({ kind: 'announced', info: setup.info, version: 0 })];
  if (role === 'backend') for (const lb of setup.seeds) outputs.push(send(lb, { kind: 'register', info: setup.info }));
  return { state: { ...base, lb: null }, outputs };
}

function withLb(state: InfernoState, lb: InfernoLb): InfernoState {
  return { ...state, lb };
}

/** The outputs of one proxy-loop step: the next check and its timeout, and the removals. */
function proxyOutputs(r: ProxyRoundStep, timeoutMs: number, outputs: Out[]): void {
  for (const member of r.removed) outputs.push(notify({ kind: 'removed', member, reason: INFERNO_REMOVAL.proxy }));
  if (r.check) {
    outputs.push(send(r.check.backend, { kind: 'healthCheck', seq: r.check.seq }));
    outputs.push({ type: 'setTimer', timer: timerName(T.checkTimeout, r.check.seq), after: timeoutMs });
  }
}

function proxyResult(state: InfernoState, lb: InfernoLb, r: ProxyRoundStep, cancel?: string): Result {
  const outputs: Out[] = cancel ? [{ type: 'cancelTimer', timer: cancel }] : [];
  proxyOutputs(r, state.setup.config.healthTimeoutMs, outputs);
  return { state: withLb(state, { ...lb, registry: r.registry, round: r.round }), outputs };
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
    case 'healthReply': {
      if (state.setup.config.healthLoop === 'proxy') {
        const r = proxyAnswer(lb.registry, lb.round, from, m.seq);
        return r ? proxyResult(state, lb, r, timerName(T.checkTimeout, m.seq)) : idle(state);
      }
      const v = onReply(lb.registry, lb.checks, from, m.seq, m.ready);
      if (!v.settled) return idle(state);
      const outputs: Out[] = [{ type: 'cancelTimer', timer: timerName(T.checkTimeout, from) }];
      if (v.removed !== undefined) outputs.push(notify({ kind: 'removed', member: from, reason: INFERNO_REMOVAL.notReady }));
      return { state: withLb(state, { ...lb, registry: v.registry, checks: v.checks }), outputs };
    }
    case 'registered':
    case 'refused':
    case 'healthCheck':
      return idle(state);
  }
}

function lbTimer(state: InfernoState, lb: InfernoLb, timer: string): Result {
  const cfg = state.setup.config;
  const { base, key } = parseTimer(timer);
  if (base === T.healthTick) {
    const rearm: Out = { type: 'setTimer', timer: T.healthTick, after: cfg.healthIntervalMs };
    if (cfg.healthLoop === 'proxy') {
      const r = proxyResult(state, lb, proxyTick(lb.registry, lb.round));
      return { ...r, outputs: [rearm, ...r.outputs] };
    }
    const r = startRound(lb.registry, lb.checks);
    const outputs: Out[] = [rearm];
    for (const c of r.sent) {
      outputs.push(send(c.backend, { kind: 'healthCheck', seq: c.seq }));
      outputs.push({ type: 'setTimer', timer: timerName(T.checkTimeout, c.backend), after: cfg.healthTimeoutMs });
    }
    return { state: withLb(state, { ...lb, checks: r.checks }), outputs };
  }
  if (base === T.checkTimeout) {
    if (cfg.healthLoop === 'proxy') {
      const r = proxyTimeout(lb.registry, lb.round, Number(key));
      return r ? proxyResult(state, lb, r) : idle(state);
    }
    const v = onTimeout(lb.registry, lb.checks, key);
    if (!v.settled) return idle(state);
    const outputs: Out[] = v.removed !== undefined ? [notify({ kind: 'removed', member: key, reason: INFERNO_REMOVAL.timedOut })] : [];
    return { state: withLb(state, { ...lb, registry: v.registry, checks: v.checks }), outputs };
  }
  return idle(state);
}

function lbStep(state: InfernoState, lb: InfernoLb, input: Input<InfernoMessage>): Result {
  switch (input.type) {
    case 'crash':
      // Registrations live in memory only: a crashed load balancer forgets every backend.
      return { state: { ...state, phase: 'crashed', lb: { registry: EMPTY_REGISTRY, round: IDLE_ROUND, checks: NO_CHECKS } }, outputs: [] };
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
