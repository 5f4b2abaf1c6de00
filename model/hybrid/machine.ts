/**
 * A hybrid node (spec/hybrid.ts, docs/hybrid.md) as an XState v5 statechart.
 *
 *   booting ──isLoadBalancer──▶ loadBalancer.running ──crash──▶ loadBalancer.crashed
 *      ├──────isBackend───────▶ backend.running ──leave──▶ backend.left      (crash ▶ backend.crashed)
 *      └──────────────────────▶ governator.running ──crash──▶ governator.crashed
 *   every role ──restart──▶ booting (a fresh process: nothing learned survives)
 *
 * A load balancer's SWIM is the SWIM model itself (model/swim), stepped inside `stepSwim` with its
 * snapshot kept in the context; everything SWIM does not own (registration, health checks, the
 * shared variant's lists) is a named transition here.
 */
import { emit, enqueueActions, setup } from 'xstate';
import { HYBRID_TIMERS as T, type HybridConfig, type HybridHttpMessage, type HybridMessage, isHttpMessage } from '../../spec/hybrid.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';
import { parseTimer, timerName } from '../../spec/swim.js';
import { swimModel } from '../swim/index.js';
import { swimMachine } from '../swim/machine.js';
import type { SwimContext } from '../swim/table.js';

type Ev = Input<HybridMessage>;
type Out = Output<HybridMessage>;

/** The SWIM model's snapshot as plain data (value and context), so the context stays JSON. */
export interface SwimPart {
  readonly value: unknown;
  readonly context: SwimContext;
}

export interface HybridContext {
  readonly setup: NodeSetup<HybridConfig>;
  /** Clock reading the next boot starts from (setup.now, then each restart's). */
  readonly bootAt: number;
  readonly ready: boolean;
  readonly swim: SwimPart | null;
  /** Registered backends, by id. */
  readonly registry: Readonly<Record<NodeId, NodeInfo>>;
  /** Health checks awaiting an answer: backend → seq. */
  readonly inFlight: Readonly<Record<NodeId, number>>;
  readonly nextSeq: number;
  /** Variant shared: backend lists by the load balancer that sent them. */
  readonly shared: Readonly<Record<NodeId, readonly NodeInfo[]>>;
}

const fresh = (setup: NodeSetup<HybridConfig>, bootAt: number): HybridContext => ({ setup, bootAt, ready: true, swim: null, registry: {}, inFlight: {}, nextSeq: 1, shared: {} });

const http = (e: Ev): HybridHttpMessage | undefined => (e.type === 'receive' && isHttpMessage(e.message) ? e.message : undefined);
const send = (to: NodeId, message: HybridHttpMessage): Out => ({ type: 'send', to, message });
const isShared = (c: HybridContext): boolean => c.setup.config.variant === 'shared';
const byId = (registry: HybridContext['registry']): NodeInfo[] => Object.keys(registry).sort().map((id) => registry[id]);
const timerOf = (e: Ev): { base: string; key: string } | undefined => (e.type === 'timer' ? parseTimer(e.timer) : undefined);

function without<V>(record: Readonly<Record<NodeId, V>>, id: NodeId): Record<NodeId, V> {
  const { [id]: _gone, ...rest } = record;
  return rest;
}

/** Other load balancers the SWIM part holds alive, by id. */
function liveLoadBalancers(c: HybridContext): NodeId[] {
  const s = c.swim?.context;
  if (!s) return [];
  return Object.keys(s.members)
    .filter((id) => id !== s.id && s.members[id].status === 'alive' && s.members[id].info.nodeType === 'proxy')
    .sort();
}

/** Variant shared: the own list to every live load balancer. */
function shareList(c: HybridContext, registry: HybridContext['registry']): Out[] {
  if (!isShared(c)) return [];
  const backends = byId(registry);
  return liveLoadBalancers(c).map((lb) => send(lb, { kind: 'backendsOf', lb: c.setup.id, backends }));
}

function swimSetup(c: HybridContext): NodeSetup<HybridConfig['swim']> {
  const s = c.setup;
  return { id: s.id, info: s.info, seeds: s.seeds, now: c.bootAt, rngSeed: s.rngSeed, config: s.config.swim };
}

const asPart = (snapshot: { value: unknown; context: SwimContext }): SwimPart => ({ value: snapshot.value, context: snapshot.context });

export function swimSnapshotOf(part: SwimPart) {
  return swimMachine.resolveState({ value: part.value, context: part.context } as never);
}

export const hybridMachine = setup({
  types: {
    context: {} as HybridContext,
    input: {} as NodeSetup<HybridConfig>,
    events: {} as Ev,
    emitted: {} as Out,
  },
  guards: {
    isLoadBalancer: ({ context }) => context.setup.info.nodeType === 'proxy',
    isBackend: ({ context }) => context.setup.info.nodeType === 'backend',
    isRegisterFromItsOwner: ({ event }) => {
      const m = http(event);
      return m?.kind === 'register' && event.type === 'receive' && m.info.id === event.from;
    },
    isReadyAnswerToCheck: ({ context, event }) => {
      const m = http(event);
      return m?.kind === 'healthReply' && event.type === 'receive' && context.inFlight[event.from] === m.seq && m.ready;
    },
    isNotReadyAnswerToCheck: ({ context, event }) => {
      const m = http(event);
      return m?.kind === 'healthReply' && event.type === 'receive' && context.inFlight[event.from] === m.seq && !m.ready;
    },
    isListFromItsLoadBalancer: ({ context, event }) => {
      const m = http(event);
      return isShared(context) && m?.kind === 'backendsOf' && event.type === 'receive' && m.lb === event.from;
    },
    isHttpMessage: ({ event }) => http(event) !== undefined,
    isHealthRoundTimer: ({ event }) => timerOf(event)?.base === T.healthRound,
    isTimeoutOfCheckInFlight: ({ context, event }) => {
      const t = timerOf(event);
      return t?.base === T.checkTimeout && context.inFlight[t.key] !== undefined;
    },
    isShareTimerOfSharedVariant: ({ context, event }) => isShared(context) && timerOf(event)?.base === T.share,
    isHybridTimer: ({ event }) => {
      const b = timerOf(event)?.base;
      return b === T.healthRound || b === T.checkTimeout || b === T.share;
    },
    isHealthCheck: ({ event }) => http(event)?.kind === 'healthCheck',
    isVitalsCommand: ({ event }) => event.type === 'command' && event.command.kind === 'vitals',
    isLeaveCommand: ({ event }) => event.type === 'command' && event.command.kind === 'leave',
  },
  actions: {
    /** The SWIM model's init, then the health-check round timer (and the shared variant's push timer). */
    bootLoadBalancer: enqueueActions(({ context, enqueue }) => {
      const r = swimModel.init(swimSetup(context));
      enqueue.assign({ swim: asPart(r.state) });
      for (const o of r.outputs) enqueue.emit(o as Out);
      enqueue.emit({ type: 'setTimer', timer: T.healthRound, after: context.setup.config.healthIntervalMs });
      if (isShared(context)) enqueue.emit({ type: 'setTimer', timer: T.share, after: context.setup.config.shareIntervalMs });
    }),
    /** A backend announces itself and registers once with its load balancer (its seed). */
    bootBackend: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'notify', event: { kind: 'announced', info: context.setup.info, version: 0 } });
      for (const lb of context.setup.seeds) enqueue.emit(send(lb, { kind: 'register', info: context.setup.info }));
    }),
    announceSelf: emit(({ context }) => ({ type: 'notify', event: { kind: 'announced', info: context.setup.info, version: 0 } }) as Out),
    restartProcess: enqueueActions(({ context, event, enqueue }) => {
      enqueue.assign(fresh(context.setup, event.now));
    }),
    /** A registration adds or replaces the backend's record and is answered; a new or changed one is shared. */
    registerBackend: enqueueActions(({ context, event, enqueue }) => {
      const m = http(event);
      if (m?.kind !== 'register' || event.type !== 'receive') return;
      const had = context.registry[m.info.id];
      const unchanged = had !== undefined && JSON.stringify(had) === JSON.stringify(m.info);
      const registry = unchanged ? context.registry : { ...context.registry, [m.info.id]: m.info };
      if (!unchanged) enqueue.emit({ type: 'notify', event: { kind: had ? 'updated' : 'joined', member: m.info.id, info: m.info } });
      enqueue.emit(send(event.from, { kind: 'registered', known: Object.keys(registry).length }));
      if (!unchanged) for (const o of shareList(context, registry)) enqueue.emit(o);
      enqueue.assign({ registry });
    }),
    settleCheck: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'receive') return;
      enqueue.assign({ inFlight: without(context.inFlight, event.from) });
      enqueue.emit({ type: 'cancelTimer', timer: timerName(T.checkTimeout, event.from) });
    }),
    removeNotReady: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'receive') return;
      const registry = without(context.registry, event.from);
      enqueue.assign({ inFlight: without(context.inFlight, event.from), registry });
      enqueue.emit({ type: 'cancelTimer', timer: timerName(T.checkTimeout, event.from) });
      enqueue.emit({ type: 'notify', event: { kind: 'removed', member: event.from, reason: 'health check: ready false' } });
      for (const o of shareList(context, registry)) enqueue.emit(o);
    }),
    startHealthRound: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'setTimer', timer: T.healthRound, after: context.setup.config.healthIntervalMs });
      const ids = Object.keys(context.registry).sort();
      const inFlight: Record<NodeId, number> = { ...context.inFlight };
      ids.forEach((b, i) => {
        const seq = context.nextSeq + i;
        inFlight[b] = seq;
        enqueue.emit(send(b, { kind: 'healthCheck', seq }));
        enqueue.emit({ type: 'setTimer', timer: timerName(T.checkTimeout, b), after: context.setup.config.healthTimeoutMs });
      });
      enqueue.assign({ inFlight, nextSeq: context.nextSeq + ids.length });
    }),
    removeTimedOut: enqueueActions(({ context, event, enqueue }) => {
      const t = timerOf(event);
      if (!t) return;
      const registered = t.key in context.registry;
      const registry = without(context.registry, t.key);
      enqueue.assign({ inFlight: without(context.inFlight, t.key), registry });
      if (!registered) return;
      enqueue.emit({ type: 'notify', event: { kind: 'removed', member: t.key, reason: 'health check: no answer within the timeout' } });
      for (const o of shareList(context, registry)) enqueue.emit(o);
    }),
    pushSharedList: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'setTimer', timer: T.share, after: context.setup.config.shareIntervalMs });
      for (const o of shareList(context, context.registry)) enqueue.emit(o);
    }),
    /** A list from a load balancer replaces the one held; joined/removed say what changed for routing. */
    adoptSharedList: enqueueActions(({ context, event, enqueue }) => {
      const m = http(event);
      if (m?.kind !== 'backendsOf') return;
      const had = context.shared[m.lb] ?? [];
      const same = had.length === m.backends.length && had.every((x, i) => x.id === m.backends[i].id && x.lastUpdated === m.backends[i].lastUpdated);
      if (same) return;
      const before = new Set(had.map((b) => b.id));
      const after = new Set(m.backends.map((b) => b.id));
      for (const b of m.backends) if (!before.has(b.id)) enqueue.emit({ type: 'notify', event: { kind: 'joined', member: b.id, info: b } });
      for (const b of had) if (!after.has(b.id)) enqueue.emit({ type: 'notify', event: { kind: 'removed', member: b.id, reason: `no longer routed by ${m.lb}` } });
      enqueue.assign({ shared: { ...context.shared, [m.lb]: m.backends } });
    }),
    /** Everything SWIM owns goes to the SWIM model; the shared variant reacts to its LB events. */
    stepSwim: enqueueActions(({ context, event, enqueue }) => {
      if (!context.swim) return;
      const r = swimModel.step(swimSnapshotOf(context.swim), event as Input<never>);
      for (const o of r.outputs) enqueue.emit(o as Out);
      let shared = context.shared;
      if (isShared(context)) {
        for (const o of r.outputs) {
          if (o.type !== 'notify') continue;
          const e = o.event;
          if ((e.kind === 'failed' || e.kind === 'left') && shared[e.member] !== undefined) {
            for (const b of shared[e.member]) enqueue.emit({ type: 'notify', event: { kind: 'removed', member: b.id, reason: `its load balancer ${e.member} is gone` } });
            shared = without(shared, e.member);
          } else if (e.kind === 'joined') enqueue.emit(send(e.member, { kind: 'backendsOf', lb: context.setup.id, backends: byId(context.registry) }));
        }
      }
      enqueue.assign({ swim: asPart(r.state), shared });
    }),
    /** The process is gone and its registrations with it; SWIM's table stays for the View, as SWIM's does. */
    crashLoadBalancer: enqueueActions(({ context, event, enqueue }) => {
      const swim = context.swim ? asPart(swimModel.step(swimSnapshotOf(context.swim), event as Input<never>).state) : null;
      enqueue.assign({ swim, registry: {}, inFlight: {}, nextSeq: 1, shared: {} });
    }),
    answerHealthCheck: enqueueActions(({ context, event, enqueue }) => {
      const m = http(event);
      if (m?.kind !== 'healthCheck' || event.type !== 'receive') return;
      enqueue.emit(send(event.from, { kind: 'healthReply', seq: m.seq, ready: context.ready }));
    }),
    setReady: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'command' && event.command.kind === 'vitals') enqueue.assign({ ready: event.command.vitals.ready });
    }),
  },
}).createMachine({
  id: 'hybridNode',
  initial: 'booting',
  context: ({ input }) => fresh(input, input.now),
  states: {
    booting: {
      always: [
        { guard: 'isLoadBalancer', target: 'loadBalancer', actions: 'bootLoadBalancer' },
        { guard: 'isBackend', target: 'backend', actions: 'bootBackend' },
        { target: 'governator', actions: 'announceSelf' },
      ],
    },
    loadBalancer: {
      initial: 'running',
      on: { restart: { target: 'booting', actions: 'restartProcess' } },
      states: {
        running: {
          on: {
            receive: [
              { guard: 'isRegisterFromItsOwner', actions: 'registerBackend' },
              { guard: 'isReadyAnswerToCheck', actions: 'settleCheck' },
              { guard: 'isNotReadyAnswerToCheck', actions: 'removeNotReady' },
              { guard: 'isListFromItsLoadBalancer', actions: 'adoptSharedList' },
              // Spoofed, stale, or not a load balancer's to take: an HTTP message SWIM must not see.
              { guard: 'isHttpMessage' },
              { actions: 'stepSwim' },
            ],
            timer: [
              { guard: 'isHealthRoundTimer', actions: 'startHealthRound' },
              { guard: 'isTimeoutOfCheckInFlight', actions: 'removeTimedOut' },
              { guard: 'isShareTimerOfSharedVariant', actions: 'pushSharedList' },
              // A check already answered, or the share timer outside the variant.
              { guard: 'isHybridTimer' },
              { actions: 'stepSwim' },
            ],
            command: { actions: 'stepSwim' },
            crash: { target: 'crashed', actions: 'crashLoadBalancer' },
          },
        },
        crashed: {},
      },
    },
    backend: {
      initial: 'running',
      on: { restart: { target: 'booting', actions: 'restartProcess' } },
      states: {
        running: {
          on: {
            receive: { guard: 'isHealthCheck', actions: 'answerHealthCheck' },
            command: [
              { guard: 'isVitalsCommand', actions: 'setReady' },
              // A leaving process stops answering; its load balancer removes it at the next check.
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
      on: { restart: { target: 'booting', actions: 'restartProcess' } },
      states: {
        running: { on: { crash: { target: 'crashed' } } },
        crashed: {},
      },
    },
  },
});
