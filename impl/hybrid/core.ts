/**
 * The hybrid core: a pure step function composing, per role,
 *  - load balancer: the unchanged SWIM core (impl/swim) among load balancers, plus Inferno's
 *    registration table and health loop (spec/inferno-registry.ts, impl/inferno/health-loop.ts);
 *  - backend: registers once with its load balancer (its one seed) at process start and answers
 *    health checks with its `ready` flag;
 *  - governator: takes no part (Inferno's hybrid names no role for it).
 * SWIM messages and timers go to the SWIM core untouched; the HTTP side's are handled here.
 */
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeBehaviour, NodeSetup, Notification, Output, StepResult } from '../../spec/step.js';
import { HYBRID_TIMERS as T, type HybridHttpMessage, type HybridMessage, isHttpMessage } from '../../spec/hybrid.js';
import { timerName, parseTimer } from '../../spec/swim.js';
import type { MemberView, View } from '../../spec/view.js';
import { type Role, roleOf } from '../../spec/topology.js';
import { canonicalJson } from '../../spec/canonical.js';
import { register } from '../../spec/inferno-registry.js';
import { type HealthPart, type HealthStep, NO_HEALTH, firstTick, healthAnswered, healthTicked, healthTimedOut } from '../inferno/health-loop.js';
import { type SwimState, encodeSwimState, swimNode, swimView } from '../swim/index.js';
import type { HybridCoreConfig } from './config.js';
import { type Shared, NO_SHARED, liveLoadBalancers, onBackendsOf, onSwimNotifications, shareOutputs } from './shared.js';

export interface LbPart extends HealthPart {
  readonly swim: SwimState;
  /** Variant `shared`: the backend lists other load balancers sent. */
  readonly shared: Shared;
}

const TIMERS = { tick: T.healthRound, checkTimeout: T.checkTimeout } as const;

export interface HybridState {
  readonly setup: NodeSetup<HybridCoreConfig>;
  readonly role: Role;
  readonly phase: 'running' | 'crashed' | 'left';
  /** Load balancers only. */
  readonly lb: LbPart | null;
  /** Backends: the `ready` flag its health endpoint answers with. */
  readonly ready: boolean;
}

type Out = Output<HybridMessage>;
type Result = StepResult<HybridState, HybridMessage>;

const send = (to: NodeId, message: HybridHttpMessage): Out => ({ type: 'send', to, message });
const notify = (event: Notification): Out => ({ type: 'notify', event });

function swimSetup(setup: NodeSetup<HybridCoreConfig>, now: number): NodeSetup<HybridCoreConfig['swim']> {
  return { id: setup.id, info: setup.info, seeds: setup.seeds, now, rngSeed: setup.rngSeed, config: setup.config.swim };
}

/** Process start (first or after a crash): nothing learned survives; a backend registers again. */
function boot(setup: NodeSetup<HybridCoreConfig>, now: number): Result {
  const role = roleOf(setup.info.nodeType);
  if (role === 'loadBalancer') {
    const s = swimNode.init(swimSetup(setup, now));
    const lb: LbPart = { swim: s.state, ...NO_HEALTH, shared: NO_SHARED };
    const outputs: Out[] = [...s.outputs, firstTick(setup.config, TIMERS)];
    if (setup.config.variant === 'shared') outputs.push({ type: 'setTimer', timer: T.share, after: setup.config.shareIntervalMs });
    return { state: { setup, role, phase: 'running', lb, ready: true }, outputs };
  }
  const outputs: Out[] = [notify({ kind: 'announced', info: setup.info, version: 0 })];
  // Inferno's backend registers once, with the load balancers it was configured with; here, its one.
  if (role === 'backend') for (const lb of setup.seeds) outputs.push(send(lb, { kind: 'register', info: setup.info }));
  return { state: { setup, role, phase: 'running', lb: null, ready: true }, outputs };
}

function withLb(state: HybridState, lb: LbPart): HybridState {
  return { ...state, lb };
}

/** The SWIM core's step, its state kept and its outputs passed on (with what the variant adds). */
function swimStep(state: HybridState, lb: LbPart, input: Input<HybridMessage>): Result {
  const r = swimNode.step(lb.swim, input as Input<never>);
  let next: LbPart = { ...lb, swim: r.state };
  const outputs: Out[] = [...r.outputs];
  if (state.setup.config.variant === 'shared') next = { ...next, shared: onSwimNotifications(next.shared, state.setup.id, next.registry, r.outputs, outputs) };
  const result: Result = { state: withLb(state, next), outputs };
  return r.choice ? { ...result, choice: r.choice } : result;
}

/** After the own registry changed: variant `shared` tells every live load balancer at once. */
function afterChange(state: HybridState, lb: LbPart, outputs: Out[]): void {
  if (state.setup.config.variant === 'shared') outputs.push(...shareOutputs(state.setup.id, lb.registry, liveLoadBalancers(lb.swim)));
}

function lbReceive(state: HybridState, lb: LbPart, from: NodeId, m: HybridHttpMessage): Result {
  const outputs: Out[] = [];
  switch (m.kind) {
    case 'register': {
      // The owner only: a registration names its sender (Inferno validates the body, not the sender).
      if (m.info.id !== from) return { state, outputs: [] };
      const r = register(lb.registry, m.info);
      const next = { ...lb, registry: r.registry };
      if (r.outcome !== 'unchanged') outputs.push(notify({ kind: r.outcome, member: m.info.id, info: m.info }));
      outputs.push(send(from, { kind: 'registered', known: Object.keys(next.registry).length }));
      if (r.outcome !== 'unchanged') afterChange(state, next, outputs);
      return { state: withLb(state, next), outputs };
    }
    case 'healthReply':
      return healthResult(state, lb, healthAnswered(lb, state.setup.config, TIMERS, from, m.seq, m.ready));
    case 'backendsOf': {
      if (state.setup.config.variant !== 'shared' || m.lb !== from) return { state, outputs: [] };
      return { state: withLb(state, { ...lb, shared: onBackendsOf(lb.shared, from, m.backends, outputs) }), outputs };
    }
    case 'registered':
    case 'healthCheck':
      return { state, outputs: [] };
  }
}

/** A health-loop step applied; a removal tells the other load balancers too (variant `shared`). */
function healthResult(state: HybridState, lb: LbPart, r: HealthStep | null): Result {
  if (!r) return { state, outputs: [] };
  const next: LbPart = { ...lb, ...r.part };
  const outputs: Out[] = [...r.outputs];
  if (r.removed.length > 0) afterChange(state, next, outputs);
  return { state: withLb(state, next), outputs };
}

function lbTimer(state: HybridState, lb: LbPart, timer: string): Result | null {
  const cfg = state.setup.config;
  const { base, key } = parseTimer(timer);
  if (base === T.healthRound) return healthResult(state, lb, healthTicked(lb, cfg, TIMERS));
  if (base === T.checkTimeout) return healthResult(state, lb, healthTimedOut(lb, cfg, TIMERS, key));
  if (base === T.share) {
    if (cfg.variant !== 'shared') return { state, outputs: [] };
    const outputs: Out[] = [{ type: 'setTimer', timer: T.share, after: cfg.shareIntervalMs }];
    afterChange(state, lb, outputs);
    return { state, outputs };
  }
  return null;
}

function lbStep(state: HybridState, lb: LbPart, input: Input<HybridMessage>): Result {
  if (input.type === 'crash') {
    // The process is gone, its registrations with it (Inferno keeps them in memory only).
    const r = swimNode.step(lb.swim, input as Input<never>);
    return { state: { ...state, phase: 'crashed', lb: { ...lb, swim: r.state, ...NO_HEALTH, shared: NO_SHARED } }, outputs: [] };
  }
  if (input.type === 'receive' && isHttpMessage(input.message)) return lbReceive(state, lb, input.from, input.message);
  if (input.type === 'timer') {
    const r = lbTimer(state, lb, input.timer);
    if (r) return r;
  }
  return swimStep(state, lb, input);
}

function backendStep(state: HybridState, input: Input<HybridMessage>): Result {
  if (input.type === 'crash') return { state: { ...state, phase: 'crashed' }, outputs: [] };
  if (state.phase !== 'running') return { state, outputs: [] };
  if (input.type === 'receive' && input.message.kind === 'healthCheck') {
    return { state, outputs: [send(input.from, { kind: 'healthReply', seq: input.message.seq, ready: state.ready })] };
  }
  if (input.type === 'command') {
    if (input.command.kind === 'vitals') return { state: { ...state, ready: input.command.vitals.ready }, outputs: [] };
    // A leaving process stops answering; its load balancer removes it at the next failed check.
    if (input.command.kind === 'leave') return { state: { ...state, phase: 'left' }, outputs: [] };
  }
  return { state, outputs: [] };
}

function step(state: HybridState, input: Input<HybridMessage>): Result {
  if (input.type === 'restart') return boot(state.setup, input.now);
  if (state.role === 'loadBalancer' && state.lb) {
    if (state.phase === 'crashed') return { state, outputs: [] };
    return lbStep(state, state.lb, input);
  }
  if (state.role === 'backend') return backendStep(state, input);
  return input.type === 'crash' ? { state: { ...state, phase: 'crashed' }, outputs: [] } : { state, outputs: [] };
}

/** A load balancer: the other load balancers (SWIM) and the backends it routes to; others: themselves. */
export function hybridView(state: HybridState): View {
  const members: Record<NodeId, MemberView> = {};
  if (state.lb) {
    Object.assign(members, swimView(state.lb.swim).members);
    for (const list of Object.values(state.lb.shared)) for (const info of list) members[info.id] = { status: 'alive', version: 0, info };
    for (const info of Object.values(state.lb.registry)) members[info.id] = { status: 'alive', version: 0, info };
  } else {
    members[state.setup.id] = { status: state.phase === 'left' ? 'left' : 'alive', version: 0, info: state.setup.info };
  }
  return { self: state.setup.id, members };
}

export function encodeHybridState(state: HybridState): string {
  const { setup, lb, ...rest } = state;
  const lbText = lb ? { swim: JSON.parse(encodeSwimState(lb.swim)) as unknown, registry: lb.registry, round: lb.round, checks: lb.checks, shared: lb.shared } : null;
  return canonicalJson({ ...rest, setup: { ...setup, config: null }, lb: lbText });
}

export const hybridNode: NodeBehaviour<HybridState, HybridMessage, HybridCoreConfig> = {
  protocol: 'hybrid',
  init: (setup) => boot(setup, setup.now),
  step,
  view: hybridView,
  encode: encodeHybridState,
};
