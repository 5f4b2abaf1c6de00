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
import { type HealthChecks, NO_CHECKS, REMOVAL_REASONS, onReply, onTimeout, startRound } from '../../spec/inferno-health.js';
import { IDLE_ROUND, type ProxyRound, type ProxyRoundStep, proxyAnswer, proxyTick, proxyTimeout } from '../../spec/inferno-health.js';
import { EMPTY_REGISTRY, type Registry, registerNew } from '../../spec/inferno-registry.js';
import { INFERNO_TIMERS as T, type InfernoConfig, type InfernoMessage } from '../../spec/inferno.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';
import { parseTimer, timerName } from '../../spec/swim.js';

type Ev = Input<InfernoMessage>;
type Out = Output<InfernoMessage>;

/**
 * What the proxy loop's `removed` notification says. The core states the same words
 * (impl/inferno/core.ts INFERNO_REMOVAL.proxy); spec/inferno-health.ts REMOVAL_REASONS has only the
 * library loop's two, so the model cannot take this one from spec (reported to the lead).
 */
export { PROXY_REMOVAL_REASON } from '../../spec/inferno-health.js';
import { PROXY_REMOVAL_REASON } from '../../spec/inferno-health.js';

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

/** The proxy loop's step for this event, per spec/inferno-health.ts, or null when it changes nothing. */
function proxyStepOf(c: InfernoContext, e: Ev): ProxyRoundStep | null {
  const r = received(e);
  if (r?.message.kind === 'healthReply') return proxyAnswer(c.registry, c.round, r.from, r.message.seq);
  const t = timerOf(e);
  if (t?.base === T.checkTimeout) return proxyTimeout(c.registry, c.round, Number(t.key));
  return null;
}

const endsRound = (r: ProxyRoundStep | null): boolean => r !== null && r.round.current === null;

/** A library-loop answer to the check in flight, with the `ready` it carries. */
function libraryReply(c: InfernoContext, e: Ev): { from: NodeId; seq: number; ready: boolean } | undefined {
  const r = received(e);
  if (r?.message.kind !== 'healthReply' || c.checks.inFlight[r.from] !== r.message.seq) return undefined;
  return { from: r.from, seq: r.message.seq, ready: r.message.ready };
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
    tickStartsRound: ({ context, event }) => timerOf(event)?.base === T.healthTick && proxyTick(context.registry, context.round).check !== undefined,
    /** The check in flight ended (connected or timed out) and it was the round's last, nothing owed after. */
    checkEndsRound: ({ context, event }) => endsRound(proxyStepOf(context, event)),
    /** The check in flight ended and the round goes on (the next backend, or the owed round). */
    checkEndsInRound: ({ context, event }) => proxyStepOf(context, event) !== null,
    isReadyReplyToCheckInFlight: ({ context, event }) => libraryReply(context, event)?.ready === true,
    isNotReadyReplyToCheckInFlight: ({ context, event }) => libraryReply(context, event)?.ready === false,
    isTimeoutOfLibraryCheckInFlight: ({ context, event }) => {
      const t = timerOf(event);
      return t?.base === T.checkTimeout && onTimeout(context.registry, context.checks, t.key).settled;
    },
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
    tickProxyLoop: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'setTimer', timer: T.healthTick, after: context.setup.config.healthIntervalMs });
      const r = proxyTick(context.registry, context.round);
      for (const o of proxyOutputs(context, r, undefined)) enqueue.emit(o);
      enqueue.assign({ registry: r.registry, round: r.round });
    }),
    /** The check in flight connected (its timeout cancelled) or timed out: the round moves on. */
    endProxyCheck: enqueueActions(({ context, event, enqueue }) => {
      const r = proxyStepOf(context, event);
      if (!r) return;
      const m = received(event)?.message;
      for (const o of proxyOutputs(context, r, m?.kind === 'healthReply' ? timerName(T.checkTimeout, m.seq) : undefined)) enqueue.emit(o);
      enqueue.assign({ registry: r.registry, round: r.round });
    }),
    /** The library loop's round: a check to every registered backend at once, each with its own timeout. */
    startLibraryRound: enqueueActions(({ context, enqueue }) => {
      const cfg = context.setup.config;
      enqueue.emit({ type: 'setTimer', timer: T.healthTick, after: cfg.healthIntervalMs });
      const r = startRound(context.registry, context.checks);
      for (const c of r.sent) {
        enqueue.emit(send(c.backend, { kind: 'healthCheck', seq: c.seq }));
        enqueue.emit({ type: 'setTimer', timer: timerName(T.checkTimeout, c.backend), after: cfg.healthTimeoutMs });
      }
      enqueue.assign({ checks: r.checks });
    }),
    /** An answer settles its check; `ready: false` removes the backend at once. */
    settleLibraryCheck: enqueueActions(({ context, event, enqueue }) => {
      const reply = libraryReply(context, event);
      if (!reply) return;
      const v = onReply(context.registry, context.checks, reply.from, reply.seq, reply.ready);
      enqueue.emit({ type: 'cancelTimer', timer: timerName(T.checkTimeout, reply.from) });
      if (v.removed !== undefined) enqueue.emit(notify({ kind: 'removed', member: reply.from, reason: REMOVAL_REASONS.notReady }));
      enqueue.assign({ registry: v.registry, checks: v.checks });
    }),
    /** A check unanswered by its timeout removes the backend at once (one failure is enough). */
    removeTimedOutBackend: enqueueActions(({ context, event, enqueue }) => {
      const t = timerOf(event);
      if (!t) return;
      const v = onTimeout(context.registry, context.checks, t.key);
      if (v.removed !== undefined) enqueue.emit(notify({ kind: 'removed', member: t.key, reason: REMOVAL_REASONS.timedOut }));
      enqueue.assign({ registry: v.registry, checks: v.checks });
    }),
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
          states: {
            choosingLoop: {
              always: [{ guard: 'isProxyLoop', target: 'proxyIdle' }, { target: 'libraryLoop' }],
            },
            /** Proxy loop, between rounds. */
            proxyIdle: {
              on: {
                timer: [
                  { guard: 'tickStartsRound', target: 'proxyChecking', actions: 'tickProxyLoop' },
                  { guard: 'isHealthTick', actions: 'tickProxyLoop' },
                ],
              },
            },
            /** Proxy loop, one TCP connect in flight; the failed ones wait for the round's end. */
            proxyChecking: {
              on: {
                timer: [
                  // A tick during a round is owed a round of its own (tokio's burst behaviour).
                  { guard: 'isHealthTick', actions: 'tickProxyLoop' },
                  { guard: 'checkEndsRound', target: 'proxyIdle', actions: 'endProxyCheck' },
                  { guard: 'checkEndsInRound', actions: 'endProxyCheck' },
                ],
                receive: [
                  { guard: 'checkEndsRound', target: 'proxyIdle', actions: 'endProxyCheck' },
                  { guard: 'checkEndsInRound', actions: 'endProxyCheck' },
                ],
              },
            },
            /** Library loop: every check of a round in flight at once, each settled on its own. */
            libraryLoop: {
              on: {
                timer: [
                  { guard: 'isHealthTick', actions: 'startLibraryRound' },
                  { guard: 'isTimeoutOfLibraryCheckInFlight', actions: 'removeTimedOutBackend' },
                ],
                receive: [
                  { guard: 'isReadyReplyToCheckInFlight', actions: 'settleLibraryCheck' },
                  { guard: 'isNotReadyReplyToCheckInFlight', actions: 'settleLibraryCheck' },
                ],
              },
            },
          },
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

/** One proxy-loop step said as the core says it: the cancelled timeout, the removals, the next check. */
function proxyOutputs(context: InfernoContext, r: ProxyRoundStep, cancel: string | undefined): Out[] {
  const out: Out[] = cancel ? [{ type: 'cancelTimer', timer: cancel }] : [];
  for (const member of r.removed) out.push(notify({ kind: 'removed', member, reason: PROXY_REMOVAL_REASON }));
  if (r.check) {
    out.push(send(r.check.backend, { kind: 'healthCheck', seq: r.check.seq }));
    out.push({ type: 'setTimer', timer: timerName(T.checkTimeout, r.check.seq), after: context.setup.config.healthTimeoutMs });
  }
  return out;
}
