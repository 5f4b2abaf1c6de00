/**
 * An inferno-current node (spec/inferno.ts, docs/inferno-current.md) as an XState v5 statechart.
 *
 *   booting ──isLoadBalancer──▶ loadBalancer.serving ──crash──▶ loadBalancer.crashed
 *      │                          ├─ proxy loop:   proxyIdle ──a tick with backends──▶ proxyChecking
 *      │                          │                proxyChecking ──the round's last check ends──▶ proxyIdle
 *      │                          └─ library loop: libraryLoop (every check of a round at once)
 *      ├──────isBackend─────────▶ backend.running ──leave──▶ backend.left   (crash ▶ backend.crashed)
 *      └────────────────────────▶ governator.running ──crash──▶ governator.crashed
 *   every role ──restart──▶ booting (a fresh process: registrations are in memory only)
 *
 * Every rule is the shared one (spec/inferno-registry.ts, spec/inferno-health.ts): guards ask the
 * rule what it would do, actions apply it, so the model and the core cannot disagree on a rule, only
 * on how its result is said, which is what conformance checks.
 */
import { produce } from 'immer';
import { assign, emit, enqueueActions, setup } from 'xstate';
import { type HealthChecks, IDLE_ROUND, NO_CHECKS, type ProxyRound } from '../../spec/inferno-health.js';
import { EMPTY_REGISTRY, type Registry, registerNew } from '../../spec/inferno-registry.js';
import { INFERNO_TIMERS as T, type InfernoConfig, type InfernoMessage } from '../../spec/inferno.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';
import { parseTimer } from '../../spec/swim.js';
import { HEALTH_LOOP_STATES, type HealthUpdate, checkEndsRound, isTimeoutOfLibraryCheck, libraryAnswered, libraryReply, libraryRound, libraryTimedOut, proxyCheckEnded, proxyStepOf, proxyTicked, tickStartsRound } from './health.js';

type Ev = Input<InfernoMessage>;
type Out = Output<InfernoMessage>;

/** What the proxy loop's `removed` notification says (spec/inferno-health.ts, as the core says it). */
export { PROXY_REMOVAL_REASON } from '../../spec/inferno-health.js';

/** The health loop's timers under inferno-current's names. */
const HEALTH = { tick: T.healthTick, checkTimeout: T.checkTimeout } as const;

export interface InfernoContext {
  readonly setup: NodeSetup<InfernoConfig>;
  /** The node's own record: an operator's update changes it here and nowhere else. */
  readonly info: NodeInfo;
  readonly version: number;
  /**
   * A load balancer told to leave. Inferno's proxy has no leave path, so it goes on registering and
   * checking exactly as before (as the core does); only its View says `left`. A flag, not a state,
   * because every health-loop phase would otherwise be written twice.
   */
  readonly left: boolean;
  /** Backends: the `ready` flag its vitals carry (read by the library loop only). */
  readonly ready: boolean;
  /** Load balancers: the registered backends, the proxy loop's round, the library loop's checks. */
  readonly registry: Registry;
  readonly round: ProxyRound;
  readonly checks: HealthChecks;
}

const fresh = (s: NodeSetup<InfernoConfig>): InfernoContext => ({
  setup: s,
  info: s.info,
  version: 0,
  left: false,
  ready: true,
  registry: EMPTY_REGISTRY,
  round: IDLE_ROUND,
  checks: NO_CHECKS,
});

const send = (to: NodeId, message: InfernoMessage): Out => ({ type: 'send', to, message });
const notify = (event: Extract<Out, { type: 'notify' }>['event']): Out => ({ type: 'notify', event });
const received = (e: Ev): { from: NodeId; message: InfernoMessage } | undefined => (e.type === 'receive' ? { from: e.from, message: e.message } : undefined);
const timerOf = (e: Ev): { base: string; key: string } | undefined => (e.type === 'timer' ? parseTimer(e.timer) : undefined);
const commandOf = (e: Ev) => (e.type === 'command' ? e.command : undefined);

/** A registration its sender makes for itself (a registration for another id is ignored, departure 2). */
function ownRegistration(e: Ev): NodeInfo | undefined {
  const r = received(e);
  return r?.message.kind === 'register' && r.message.info.id === r.from ? r.message.info : undefined;
}

/** Where an action puts what it says and what it changes (XState's `enqueue`, narrowed). */
interface Enqueue {
  emit(o: Out): void;
  assign(c: Partial<InfernoContext>): void;
}

/** A health-loop step applied: its outputs said, its table and progress kept. */
function applyHealth(enqueue: Enqueue, u: HealthUpdate | null): void {
  if (!u) return;
  for (const o of u.outputs) enqueue.emit(o);
  enqueue.assign({ registry: u.part.registry, round: u.part.round, checks: u.part.checks });
}

export const infernoMachine = setup({
  types: {
    context: {} as InfernoContext,
    input: {} as NodeSetup<InfernoConfig>,
    events: {} as Ev,
    emitted: {} as Out,
  },
  guards: {
    isLoadBalancer: ({ context }) => context.setup.info.nodeType === 'proxy',
    isBackend: ({ context }) => context.setup.info.nodeType === 'backend',
    isProxyLoop: ({ context }) => context.setup.config.healthLoop === 'proxy',
    /** Inferno's `register_backend`: an id it does not hold is added... */
    isRegistrationOfNewBackend: ({ context, event }) => {
      const info = ownRegistration(event);
      return info !== undefined && registerNew(context.registry, info).outcome === 'joined';
    },
    /** ...and one it holds is refused, its record kept. */
    isRegistrationOfKnownId: ({ context, event }) => {
      const info = ownRegistration(event);
      return info !== undefined && registerNew(context.registry, info).outcome === 'refused';
    },
    isHealthTick: ({ event }) => timerOf(event)?.base === T.healthTick,
    /** A tick between rounds over a non-empty table starts a round (over an empty one it only re-arms). */
    tickStartsRound: ({ context, event }) => tickStartsRound(context, event, HEALTH),
    /** The check in flight ended (connected or timed out) and it was the round's last, nothing owed after. */
    checkEndsRound: ({ context, event }) => checkEndsRound(context, event, HEALTH),
    /** The check in flight ended and the round goes on (the next backend, or the owed round). */
    checkEndsInRound: ({ context, event }) => proxyStepOf(context, event, HEALTH) !== null,
    isReadyReplyToCheckInFlight: ({ context, event }) => libraryReply(context, event)?.ready === true,
    isNotReadyReplyToCheckInFlight: ({ context, event }) => libraryReply(context, event)?.ready === false,
    isTimeoutOfLibraryCheckInFlight: ({ context, event }) => isTimeoutOfLibraryCheck(context, event, HEALTH),
    isHealthCheck: ({ event }) => received(event)?.message.kind === 'healthCheck',
    isVitalsCommand: ({ event }) => commandOf(event)?.kind === 'vitals',
    isUpdateCommand: ({ event }) => commandOf(event)?.kind === 'update',
    isLeaveCommand: ({ event }) => commandOf(event)?.kind === 'leave',
  },
  actions: {
    /** The ticker's first tick is immediate over an empty table: the first real round is one interval on. */
    armHealthTicker: emit(({ context }) => ({ type: 'setTimer', timer: T.healthTick, after: context.setup.config.healthIntervalMs }) as Out),
    /** A backend announces itself and registers once with every load balancer it lists, never again. */
    registerWithEveryLoadBalancer: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(notify({ kind: 'announced', info: context.setup.info, version: 0 }));
      for (const lb of context.setup.seeds) enqueue.emit(send(lb, { kind: 'register', info: context.setup.info }));
    }),
    announceSelf: emit(({ context }) => notify({ kind: 'announced', info: context.setup.info, version: 0 })),
    startFreshProcess: assign(({ context }) => fresh(context.setup)),
    addBackend: enqueueActions(({ context, event, enqueue }) => {
      const info = ownRegistration(event);
      if (!info) return;
      enqueue.assign({ registry: registerNew(context.registry, info).registry });
      enqueue.emit(notify({ kind: 'joined', member: info.id, info }));
      enqueue.emit(send(info.id, { kind: 'registered' }));
    }),
    refuseKnownId: emit(({ event }) => {
      const info = ownRegistration(event) as NodeInfo;
      return send(info.id, { kind: 'refused', reason: `Backend with ID '${info.id}' already exists` });
    }),
    /** The ticker ticked (it re-arms first): a round starts, or, one being under way, is owed. */
    tickProxyLoop: enqueueActions(({ context, enqueue }) => applyHealth(enqueue, proxyTicked(context, context.setup.config, HEALTH))),
    /** The check in flight connected (its timeout cancelled) or timed out: the round moves on. */
    endProxyCheck: enqueueActions(({ context, event, enqueue }) => applyHealth(enqueue, proxyCheckEnded(context, event, context.setup.config, HEALTH))),
    /** The library loop's round: a check to every registered backend at once, each with its own timeout. */
    startLibraryRound: enqueueActions(({ context, enqueue }) => applyHealth(enqueue, libraryRound(context, context.setup.config, HEALTH))),
    /** An answer settles its check; `ready: false` removes the backend at once. */
    settleLibraryCheck: enqueueActions(({ context, event, enqueue }) => applyHealth(enqueue, libraryAnswered(context, event, HEALTH))),
    /** A check unanswered by its timeout removes the backend at once (one failure is enough). */
    removeTimedOutBackend: enqueueActions(({ context, event, enqueue }) => applyHealth(enqueue, libraryTimedOut(context, event, HEALTH))),
    /** Registrations live in memory only: a crashed load balancer forgets every backend. */
    forgetRegistrations: assign({ registry: EMPTY_REGISTRY, round: IDLE_ROUND, checks: NO_CHECKS, left: false }),
    /** An operator's update changes the node's own record (stamped with its clock) and tells no one. */
    applyOwnUpdate: assign(({ context, event }) =>
      produce(context, (draft) => {
        const c = commandOf(event);
        if (c?.kind !== 'update') return;
        Object.assign(draft.info, c.patch, { id: context.info.id, lastUpdated: event.now });
        draft.version = context.version + 1;
      }),
    ),
    /** Inferno has no update path: the new record is announced (the node's own statement), never sent. */
    announceOwnUpdate: emit(({ context }) => notify({ kind: 'announced', info: context.info, version: context.version })),
    markLeft: assign({ left: true }),
    answerHealthCheck: emit(({ context, event }) => {
      const r = received(event) as { from: NodeId; message: Extract<InfernoMessage, { kind: 'healthCheck' }> };
      // The proxy loop's TCP connect is accepted whatever `ready` says; the library loop reads it.
      return send(r.from, { kind: 'healthReply', seq: r.message.seq, ready: context.ready });
    }),
    setReady: assign(({ event }) => {
      const c = commandOf(event);
      return c?.kind === 'vitals' ? { ready: c.vitals.ready } : {};
    }),
  },
}).createMachine({
  id: 'infernoNode',
  initial: 'booting',
  context: ({ input }) => fresh(input),
  states: {
    booting: {
      always: [
        { guard: 'isLoadBalancer', target: 'loadBalancer', actions: ['announceSelf', 'armHealthTicker'] },
        { guard: 'isBackend', target: 'backend', actions: 'registerWithEveryLoadBalancer' },
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
              { guard: 'isRegistrationOfNewBackend', actions: 'addBackend' },
              { guard: 'isRegistrationOfKnownId', actions: 'refuseKnownId' },
            ],
            command: [
              { guard: 'isUpdateCommand', actions: ['applyOwnUpdate', 'announceOwnUpdate'] },
              { guard: 'isLeaveCommand', actions: 'markLeft' },
            ],
            crash: { target: 'crashed', actions: 'forgetRegistrations' },
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
              { guard: 'isUpdateCommand', actions: ['applyOwnUpdate', 'announceOwnUpdate'] },
              // `deregister` only logs: leaving stops the answers and tells no one.
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
