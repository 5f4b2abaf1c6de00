/**
 * A hybrid node (docs/hybrid.md, spec/hybrid.ts) as an XState v5 statechart: SWIM among load
 * balancers, backends registering once with their load balancer and health-checked by it.
 *
 *   booting ──isLoadBalancer──▶ loadBalancer.serving ──crash──▶ loadBalancer.crashed
 *      │                          ├─ SWIM: every SWIM message, SWIM timer and command is a step of the
 *      │                          │        SWIM model (model/swim), held in context as a sub-behaviour
 *      │                          ├─ registrations (spec/inferno-registry.ts `register`)
 *      │                          ├─ proxy loop:   proxyIdle ◀──▶ proxyChecking (as inferno-current)
 *      │                          └─ library loop: libraryLoop (variant hybrid-library-health)
 *      ├──────isBackend─────────▶ backend.running ──leave──▶ backend.left   (crash ▶ backend.crashed)
 *      └────────────────────────▶ governator.running ──crash──▶ governator.crashed
 *   every role ──restart──▶ booting (a fresh process: registrations are in memory only)
 *
 * SWIM is not restated here: the SWIM machine is stepped from the `stepSwim` action through its
 * pure step, as the core steps the unchanged SWIM core. The health loop is model/inferno/health.ts
 * over spec/inferno-health.ts, the variant `shared` is spec/hybrid-shared.ts: one statement of each
 * rule, which the core follows too.
 */
import { type StateValue, enqueueActions, assign, emit, setup } from 'xstate';
import { type HybridConfig, HYBRID_TIMERS as T, type HybridMessage, isHttpMessage } from '../../spec/hybrid.js';
import { NO_SHARED, type Shared, liveLoadBalancers, onBackendsOf, onSwimNotifications, shareOutputs } from '../../spec/hybrid-shared.js';
import { type HealthChecks, IDLE_ROUND, NO_CHECKS, type ProxyRound } from '../../spec/inferno-health.js';
import { EMPTY_REGISTRY, type Registry, register } from '../../spec/inferno-registry.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';
import { type SwimConfig, type SwimMessage, parseTimer } from '../../spec/swim.js';
import type { View } from '../../spec/view.js';
import { type SwimContext, type SwimSnapshot, swimChoices, swimContextView, swimMachine, swimModel } from '../swim/index.js';
import {
  HEALTH_LOOP_STATES,
  type HealthUpdate,
  checkEndsRound,
  isTick,
  isTimeoutOfLibraryCheck,
  libraryAnswered,
  libraryReply,
  libraryRound,
  libraryTimedOut,
  proxyCheckEnded,
  proxyStepOf,
  proxyTicked,
  tickStartsRound,
} from '../inferno/health.js';

export type HybridModelConfig = HybridConfig<SwimConfig>;

type Ev = Input<HybridMessage>;
type Out = Output<HybridMessage>;

/** The health loop's timers under the hybrid's names. */
const HEALTH = { tick: T.healthRound, checkTimeout: T.checkTimeout } as const;

/**
 * The SWIM sub-behaviour's snapshot as plain JSON (its state value and context): a context must be
 * encodable and decodable (model/adapter.ts), which an XState snapshot object is not.
 */
export interface SwimPart {
  readonly value: StateValue;
  readonly context: SwimContext;
}

export interface HybridContext {
  readonly setup: NodeSetup<HybridModelConfig>;
  /** Backends: the `ready` flag its health endpoint answers with (read by the library loop only). */
  readonly ready: boolean;
  /** Load balancers: SWIM among load balancers (null only while booting). */
  readonly swim: SwimPart | null;
  /** Load balancers: the registered backends, the proxy loop's round, the library loop's checks. */
  readonly registry: Registry;
  readonly round: ProxyRound;
  readonly checks: HealthChecks;
  /** Load balancers, variant `shared`: the backend lists other load balancers sent. */
  readonly shared: Shared;
}

const fresh = (s: NodeSetup<HybridModelConfig>): HybridContext => ({
  setup: s,
  ready: true,
  swim: null,
  registry: EMPTY_REGISTRY,
  round: IDLE_ROUND,
  checks: NO_CHECKS,
  shared: NO_SHARED,
});

// Resolving a snapshot from its JSON costs more than the step; a part seen before is resolved once.
const snapshots = new WeakMap<SwimPart, SwimSnapshot>();

export function swimSnapshotOf(part: SwimPart): SwimSnapshot {
  const cached = snapshots.get(part);
  if (cached) return cached;
  const s = swimMachine.resolveState({ value: part.value, context: part.context });
  snapshots.set(part, s);
  return s;
}

function partOf(s: SwimSnapshot): SwimPart {
  const part = { value: s.value, context: s.context };
  snapshots.set(part, s);
  return part;
}

/** The SWIM View a load balancer holds of the other load balancers. */
export function swimViewOf(c: HybridContext): View | null {
  return c.swim ? swimContextView(c.swim.context) : null;
}

const send = (to: NodeId, message: HybridMessage): Out => ({ type: 'send', to, message });
const notify = (event: Extract<Out, { type: 'notify' }>['event']): Out => ({ type: 'notify', event });
const received = (e: Ev): { from: NodeId; message: HybridMessage } | undefined => (e.type === 'receive' ? { from: e.from, message: e.message } : undefined);
const commandOf = (e: Ev) => (e.type === 'command' ? e.command : undefined);
const HTTP_TIMERS: ReadonlySet<string> = new Set(Object.values(T));
const sharing = (c: HybridContext): boolean => c.setup.config.variant === 'shared';

/** A registration its sender makes for itself (Inferno validates the body, not the sender; we check it). */
function ownRegistration(e: Ev): NodeInfo | undefined {
  const r = received(e);
  return r?.message.kind === 'register' && r.message.info.id === r.from ? r.message.info : undefined;
}

const registrationOutcome = (c: HybridContext, e: Ev) => {
  const info = ownRegistration(e);
  return info === undefined ? undefined : register(c.registry, info).outcome;
};

/** SWIM's own inputs at a load balancer: its messages, its timers (never the HTTP side's), every command. */
export function isSwimInput(e: Ev): boolean {
  if (e.type === 'receive') return !isHttpMessage(e.message);
  if (e.type === 'timer') return !HTTP_TIMERS.has(parseTimer(e.timer).base);
  return e.type === 'command';
}

/** Variant `shared`: after the own table changed, every live load balancer is told at once. */
function shareChange(c: HybridContext, registry: Registry): Out[] {
  const swim = swimViewOf(c);
  return sharing(c) && swim ? shareOutputs(c.setup.id, registry, liveLoadBalancers(swim)) : [];
}

/** Where an action puts what it says and what it changes (XState's `enqueue`, narrowed). */
interface Enqueue {
  emit(o: Out): void;
  assign(c: Partial<HybridContext>): void;
}

/** A health-loop step applied; a removal tells the other load balancers too (variant `shared`). */
function applyHealth(c: HybridContext, enqueue: Enqueue, u: HealthUpdate | null): void {
  if (!u) return;
  for (const o of u.outputs) enqueue.emit(o);
  if (u.removed.length > 0) for (const o of shareChange(c, u.part.registry)) enqueue.emit(o);
  enqueue.assign({ registry: u.part.registry, round: u.part.round, checks: u.part.checks });
}

export const hybridMachine = setup({
  types: {
    context: {} as HybridContext,
    input: {} as NodeSetup<HybridModelConfig>,
    events: {} as Ev,
    emitted: {} as Out,
  },
  guards: {
    isLoadBalancer: ({ context }) => context.setup.info.nodeType === 'proxy',
    /** Variant `shared`: a load balancer that pushes its backend list on a timer too. */
    isSharingLoadBalancer: ({ context }) => context.setup.info.nodeType === 'proxy' && sharing(context),
    isBackend: ({ context }) => context.setup.info.nodeType === 'backend',
    isProxyLoop: ({ context }) => context.setup.config.healthLoop === 'proxy',
    /**
     * `register`: an id the table does not hold is added, and one it holds with another record is
     * replaced (the hybrid's departure from registerNew); one guard for both, because no run of the
     * model can replace a record (a backend's record is its setup's, restart included), so a guard of
     * its own would be a transition no suite can fire. test/hybrid/model.test.ts replays it by hand.
     */
    isRegistrationThatChangesTable: ({ context, event }) => {
      const o = registrationOutcome(context, event);
      return o === 'joined' || o === 'updated';
    },
    /** ...and the same record again changes nothing but is answered. */
    isRepeatedRegistration: ({ context, event }) => registrationOutcome(context, event) === 'unchanged',
    /** Variant `shared`: another load balancer's list, sent by itself. */
    isBackendListFromItsLoadBalancer: ({ context, event }) => {
      const r = received(event);
      return sharing(context) && r?.message.kind === 'backendsOf' && r.message.lb === r.from;
    },
    isShareTimerWhileSharing: ({ context, event }) => sharing(context) && event.type === 'timer' && parseTimer(event.timer).base === T.share,
    isSwimInput: ({ event }) => isSwimInput(event),
    isHealthTick: ({ event }) => isTick(event, HEALTH),
    tickStartsRound: ({ context, event }) => tickStartsRound(context, event, HEALTH),
    checkEndsRound: ({ context, event }) => checkEndsRound(context, event, HEALTH),
    checkEndsInRound: ({ context, event }) => proxyStepOf(context, event, HEALTH) !== null,
    isReadyReplyToCheckInFlight: ({ context, event }) => libraryReply(context, event)?.ready === true,
    isNotReadyReplyToCheckInFlight: ({ context, event }) => libraryReply(context, event)?.ready === false,
    isTimeoutOfLibraryCheckInFlight: ({ context, event }) => isTimeoutOfLibraryCheck(context, event, HEALTH),
    isHealthCheck: ({ event }) => received(event)?.message.kind === 'healthCheck',
    isVitalsCommand: ({ event }) => commandOf(event)?.kind === 'vitals',
    isLeaveCommand: ({ event }) => commandOf(event)?.kind === 'leave',
  },
  actions: {
    /** SWIM starts as the SWIM model starts; at a restart, on the restart's clock. */
    startSwim: enqueueActions(({ context, event, enqueue }) => {
      const s = context.setup;
      const now = event.type === 'restart' ? event.now : s.now;
      const r = swimModel.init({ id: s.id, info: s.info, seeds: s.seeds, now, rngSeed: s.rngSeed, config: s.config.swim });
      enqueue.assign({ swim: partOf(r.state) });
      for (const o of r.outputs) enqueue.emit(o);
    }),
    /** The ticker's first tick is immediate over an empty table: the first real round is one interval on. */
    armHealthTicker: emit(({ context }) => ({ type: 'setTimer', timer: T.healthRound, after: context.setup.config.healthIntervalMs }) as Out),
    armShareTimer: emit(({ context }) => ({ type: 'setTimer', timer: T.share, after: context.setup.config.shareIntervalMs }) as Out),
    /** A SWIM step, its outputs passed on; variant `shared` adds what a load balancer's arrival or departure means. */
    stepSwim: enqueueActions(({ context, event, enqueue }) => {
      const part = context.swim as SwimPart;
      const r = swimModel.step(swimSnapshotOf(part), event as Input<SwimMessage>);
      const out: Out[] = [...r.outputs];
      const shared = sharing(context) ? onSwimNotifications(context.shared, context.setup.id, context.registry, r.outputs, out) : context.shared;
      enqueue.assign({ swim: partOf(r.state), shared });
      for (const o of out) enqueue.emit(o);
    }),
    /** The process is gone: SWIM's table stays as a crashed SWIM node keeps it; what it says is lost. */
    crashSwim: assign(({ context, event }) => ({ swim: partOf(swimModel.step(swimSnapshotOf(context.swim as SwimPart), event as Input<SwimMessage>).state) })),
    /** Registrations live in memory only: a crashed load balancer forgets every backend, and every list it was sent. */
    forgetRegistrations: assign({ registry: EMPTY_REGISTRY, round: IDLE_ROUND, checks: NO_CHECKS, shared: NO_SHARED }),
    startFreshProcess: assign(({ context }) => fresh(context.setup)),
    /** A new or changed record is taken, said, answered, and (variant `shared`) told to the other load balancers. */
    registerBackend: enqueueActions(({ context, event, enqueue }) => {
      const info = ownRegistration(event) as NodeInfo;
      const r = register(context.registry, info);
      enqueue.emit(notify(r.outcome === 'joined' ? { kind: 'joined', member: info.id, info } : { kind: 'updated', member: info.id, info }));
      enqueue.emit(send(info.id, { kind: 'registered', known: Object.keys(r.registry).length }));
      for (const o of shareChange(context, r.registry)) enqueue.emit(o);
      enqueue.assign({ registry: r.registry });
    }),
    acknowledgeRegistration: emit(({ context, event }) => send((ownRegistration(event) as NodeInfo).id, { kind: 'registered', known: Object.keys(context.registry).length })),
    takeBackendList: enqueueActions(({ context, event, enqueue }) => {
      const m = (received(event) as { message: Extract<HybridMessage, { kind: 'backendsOf' }> }).message;
      const out: Out[] = [];
      enqueue.assign({ shared: onBackendsOf(context.shared, m.lb, m.backends, out) });
      for (const o of out) enqueue.emit(o);
    }),
    /** Variant `shared`: the periodic push, re-armed first, repairs a list lost in flight. */
    shareBackendList: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'setTimer', timer: T.share, after: context.setup.config.shareIntervalMs });
      for (const o of shareChange(context, context.registry)) enqueue.emit(o);
    }),
    tickProxyLoop: enqueueActions(({ context, enqueue }) => applyHealth(context, enqueue, proxyTicked(context, context.setup.config, HEALTH))),
    endProxyCheck: enqueueActions(({ context, event, enqueue }) => applyHealth(context, enqueue, proxyCheckEnded(context, event, context.setup.config, HEALTH))),
    startLibraryRound: enqueueActions(({ context, enqueue }) => applyHealth(context, enqueue, libraryRound(context, context.setup.config, HEALTH))),
    settleLibraryCheck: enqueueActions(({ context, event, enqueue }) => applyHealth(context, enqueue, libraryAnswered(context, event, HEALTH))),
    removeTimedOutBackend: enqueueActions(({ context, event, enqueue }) => applyHealth(context, enqueue, libraryTimedOut(context, event, HEALTH))),
    /** A backend announces itself and registers once with its load balancer, never again. */
    registerWithLoadBalancer: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(notify({ kind: 'announced', info: context.setup.info, version: 0 }));
      for (const lb of context.setup.seeds) enqueue.emit(send(lb, { kind: 'register', info: context.setup.info }));
    }),
    announceSelf: emit(({ context }) => notify({ kind: 'announced', info: context.setup.info, version: 0 })),
    answerHealthCheck: emit(({ context, event }) => {
      const r = received(event) as { from: NodeId; message: Extract<HybridMessage, { kind: 'healthCheck' }> };
      // The proxy loop's TCP connect is accepted whatever `ready` says; the library loop reads it.
      return send(r.from, { kind: 'healthReply', seq: r.message.seq, ready: context.ready });
    }),
    setReady: assign(({ event }) => {
      const c = commandOf(event);
      return c?.kind === 'vitals' ? { ready: c.vitals.ready } : {};
    }),
  },
}).createMachine({
  id: 'hybridNode',
  initial: 'booting',
  context: ({ input }) => fresh(input),
  states: {
    booting: {
      always: [
        { guard: 'isSharingLoadBalancer', target: 'loadBalancer', actions: ['startSwim', 'armHealthTicker', 'armShareTimer'] },
        { guard: 'isLoadBalancer', target: 'loadBalancer', actions: ['startSwim', 'armHealthTicker'] },
        { guard: 'isBackend', target: 'backend', actions: 'registerWithLoadBalancer' },
        { target: 'governator', actions: 'announceSelf' },
      ],
    },
    loadBalancer: {
      initial: 'serving',
      on: { restart: { target: 'booting', actions: 'startFreshProcess' } },
      states: {
        serving: {
          initial: 'choosingLoop',
          on: {
            receive: [
              { guard: 'isRegistrationThatChangesTable', actions: 'registerBackend' },
              { guard: 'isRepeatedRegistration', actions: 'acknowledgeRegistration' },
              { guard: 'isBackendListFromItsLoadBalancer', actions: 'takeBackendList' },
              { guard: 'isSwimInput', actions: 'stepSwim' },
            ],
            timer: [
              { guard: 'isShareTimerWhileSharing', actions: 'shareBackendList' },
              { guard: 'isSwimInput', actions: 'stepSwim' },
            ],
            // Every operator command is SWIM's: an update or vitals is a new SWIM record, join and leave are SWIM's.
            command: { actions: 'stepSwim' },
            crash: { target: 'crashed', actions: ['crashSwim', 'forgetRegistrations'] },
          },
          states: HEALTH_LOOP_STATES,
        },
        crashed: {},
      },
    },
    backend: {
      initial: 'running',
      on: { restart: { target: 'booting', actions: 'startFreshProcess' } },
      states: {
        running: {
          on: {
            receive: { guard: 'isHealthCheck', actions: 'answerHealthCheck' },
            command: [
              { guard: 'isVitalsCommand', actions: 'setReady' },
              // A leaving process stops answering; its load balancer removes it at the next failed check.
              { guard: 'isLeaveCommand', target: 'left' },
            ],
            crash: { target: 'crashed' },
          },
        },
        left: { on: { crash: { target: 'crashed' } } },
        crashed: {},
      },
    },
    governator: {
      initial: 'running',
      on: { restart: { target: 'booting', actions: 'startFreshProcess' } },
      states: {
        running: { on: { crash: { target: 'crashed' } } },
        crashed: {},
      },
    },
  },
});

/** The choices a SWIM input leaves open at a serving load balancer (probe target, helpers, ...): SWIM's own. */
export function hybridSwimChoices(c: HybridContext, serving: boolean, input: Ev) {
  if (!serving || !c.swim || !isSwimInput(input)) return undefined;
  return swimChoices(swimSnapshotOf(c.swim), input as Input<SwimMessage>);
}
