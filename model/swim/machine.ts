/**
 * A SWIM node (spec/swim.md) as an XState v5 statechart. The probe cycle is the chart; membership,
 * dissemination and refutation are the shared table functions (./table.ts) over the same precedence
 * rules as the implementation.
 *
 *   running.idle ──probe──▶ awaitingAck ──ackTimeout──▶ awaitingIndirect
 *        ▲                     │  ack                     │ ack / nack counted
 *        └─────────────────────┴──────────────────────────┘
 *   awaitingAck, awaitingIndirect ──probe (period over, no ack)──▶ suspect the target, probe the next
 *   running ──leave──▶ left        running ──crash──▶ crashed ──restart──▶ running
 *
 * Choices (probe target, helpers, gossip targets, push-pull peer) come in as input.choice; the model
 * never draws them. It omits byte budgets, metadata rate limiting and the reaping clock's wall time.
 */
import { enqueueActions, setup } from 'xstate';
import type { Input, NodeSetup } from '../../spec/step.js';
import { DEFAULT_HEALTH, SWIM_TIMERS as T, type SwimConfig, type SwimMessage, healthSummary, nextProbeAfterAck, parseTimer, pushPullPeriod, sameHealth, timerName } from '../../spec/swim.js';
import {
  type Out,
  type SwimContext,
  activeOthers,
  announce,
  applyCarried,
  applyUpdate,
  fullState,
  isActiveStatus,
  mergeState,
  scaledMs,
  takePiggyback,
  withAwareness,
} from './table.js';

type Ev = Input<SwimMessage>;
type Msg<K extends SwimMessage['kind']> = Extract<SwimMessage, { kind: K }>;

const isMsg = <K extends SwimMessage['kind']>(e: Ev, kind: K): e is Ev & { type: 'receive'; message: Msg<K> } => e.type === 'receive' && e.message.kind === kind;
const timerOf = (e: Ev): { base: string; key: string } | undefined => (e.type === 'timer' ? parseTimer(e.timer) : undefined);
const isTimer = (e: Ev, base: string): boolean => timerOf(e)?.base === base;
const given = (e: Ev): readonly string[] => e.choice ?? [];

function initialContext(s: NodeSetup<SwimConfig>): SwimContext {
  return {
    id: s.id,
    setupSeeds: s.seeds,
    seeds: [],
    cfg: s.config,
    setupInfo: s.info,
    incarnation: 0,
    info: s.info,
    health: DEFAULT_HEALTH,
    members: {},
    queue: [],
    nextOrder: 0,
    seq: 0,
    probe: null,
    relays: {},
    suspicions: {},
    awareness: 0,
    joined: true,
    joinAttempts: 0,
  };
}

/** Start-up: own record, periodic timers, then join through `seeds` (none: this node starts a cluster). */
function started(ctx: SwimContext, seeds: readonly string[], out: Out[]): SwimContext {
  const c = announce(ctx, out);
  out.push({ type: 'setTimer', timer: T.probe, after: c.cfg.probeIntervalMs });
  if (c.cfg.gossipIntervalMs > 0) out.push({ type: 'setTimer', timer: T.gossip, after: c.cfg.gossipIntervalMs });
  if (c.cfg.pushPullIntervalMs > 0) out.push({ type: 'setTimer', timer: T.pushPull, after: pushPullPeriod(c.cfg.pushPullIntervalMs, Object.keys(c.members).length) });
  if (c.cfg.reconnectIntervalMs > 0) out.push({ type: 'setTimer', timer: T.reconnect, after: c.cfg.reconnectIntervalMs });
  return startJoin(c, seeds, out);
}

function startJoin(ctx: SwimContext, seeds: readonly string[], out: Out[]): SwimContext {
  const others = seeds.filter((x) => x !== ctx.id);
  const c = { ...ctx, seeds: others, joinAttempts: 0, joined: others.length === 0 };
  if (!c.joined) sendJoin(c, out);
  return c;
}

/** One attempt: every seed at once. */
function sendJoin(ctx: SwimContext, out: Out[]): void {
  const m = ctx.members[ctx.id];
  const self = { member: ctx.id, status: 'alive' as const, incarnation: ctx.incarnation, info: m.info, health: m.health };
  for (const seed of ctx.seeds) out.push({ type: 'send', to: seed, message: { kind: 'join', self } });
  out.push({ type: 'setTimer', timer: T.join, after: ctx.cfg.joinRetryMs });
}

/** The period ended with no ack: Lifeguard health penalty, suspect the target, probe again now. */
function failProbe(ctx: SwimContext, now: number, out: Out[]): SwimContext {
  const p = ctx.probe!;
  let c: SwimContext = { ...ctx, probe: null };
  if (!p.indirect) out.push({ type: 'cancelTimer', timer: timerName(T.ackTimeout, p.seq) });
  c = withAwareness(c, p.expectedNacks > 0 ? p.expectedNacks - p.nacks : 1);
  const m = c.members[p.target];
  if (m && isActiveStatus(m.status)) c = applyUpdate(c, { kind: 'suspect', member: p.target, incarnation: m.incarnation, from: c.id }, now, out);
  out.push({ type: 'setTimer', timer: T.probe, after: 0 });
  return c;
}

function startProbe(ctx: SwimContext, target: string, now: number, out: Out[]): SwimContext {
  const seq = ctx.seq + 1;
  const period = scaledMs(ctx, ctx.cfg.probeIntervalMs);
  const m = ctx.members[target];
  const buddy = m.status === 'suspect' ? [{ kind: 'suspect' as const, member: target, incarnation: m.incarnation, from: ctx.id }] : [];
  const [updates, c] = takePiggyback({ ...ctx, seq, probe: { seq, target, start: now, end: now + period, indirect: false, expectedNacks: 0, nacks: 0 } });
  out.push({ type: 'send', to: target, message: { kind: 'ping', seq, updates: [...buddy, ...updates] } });
  out.push({ type: 'setTimer', timer: timerName(T.ackTimeout, seq), after: scaledMs(c, c.cfg.probeTimeoutMs) });
  out.push({ type: 'setTimer', timer: timerName(T.probeEnd, seq), after: period });
  return c;
}

function sendWithUpdates(ctx: SwimContext, to: string, make: (u: ReturnType<typeof takePiggyback>[0]) => SwimMessage, out: Out[]): SwimContext {
  const [updates, c] = takePiggyback(ctx);
  out.push({ type: 'send', to, message: make(updates) });
  return c;
}

export const swimMachine = setup({
  types: {
    context: {} as SwimContext,
    input: {} as NodeSetup<SwimConfig>,
    events: {} as Ev,
    emitted: {} as Out,
  },
  guards: {
    isProbeTimer: ({ event }) => isTimer(event, T.probe),
    hasProbeTarget: ({ context, event }) => {
      if (!isTimer(event, T.probe)) return false;
      const t = given(event)[0];
      return t !== undefined && activeOthers(context).includes(t);
    },
    isOwnAckTimeout: ({ context, event }) => isTimer(event, T.ackTimeout) && context.probe !== null && Number(timerOf(event)!.key) === context.probe.seq,
    isOwnProbeEnd: ({ context, event }) => isTimer(event, T.probeEnd) && context.probe !== null && Number(timerOf(event)!.key) === context.probe.seq,
    isAckOfProbe: ({ context, event }) => isMsg(event, 'ack') && context.probe !== null && event.message.seq === context.probe.seq,
    isNackOfProbe: ({ context, event }) => isMsg(event, 'nack') && context.probe !== null && event.message.seq === context.probe.seq,
    isPing: ({ event }) => isMsg(event, 'ping'),
    isAck: ({ event }) => isMsg(event, 'ack'),
    isPingReq: ({ event }) => isMsg(event, 'pingReq'),
    isNack: ({ event }) => isMsg(event, 'nack'),
    isGossip: ({ event }) => isMsg(event, 'gossip'),
    isJoin: ({ event }) => isMsg(event, 'join'),
    isSync: ({ event }) => isMsg(event, 'sync'),
    isSyncReply: ({ event }) => isMsg(event, 'syncReply'),
    isRelayTimer: ({ context, event }) => isTimer(event, T.relay) && timerOf(event)!.key in context.relays,
    isSuspicionTimer: ({ event }) => isTimer(event, T.suspicion),
    isGossipTimer: ({ event }) => isTimer(event, T.gossip),
    isPushPullTimer: ({ event }) => isTimer(event, T.pushPull),
    isReconnectTimer: ({ event }) => isTimer(event, T.reconnect),
    isJoinTimerWhileJoining: ({ context, event }) => isTimer(event, T.join) && !context.joined,
    isJoinFromItself: ({ event }) => isMsg(event, 'join') && event.message.self.member === event.from && event.message.self.status === 'alive',
    isReapTimer: ({ event }) => isTimer(event, T.reap),
    isUpdateCommand: ({ event }) => event.type === 'command' && event.command.kind === 'update',
    isVitalsCommand: ({ event }) => event.type === 'command' && event.command.kind === 'vitals',
    isJoinCommand: ({ event }) => event.type === 'command' && event.command.kind === 'join',
    isLeaveCommand: ({ event }) => event.type === 'command' && event.command.kind === 'leave',
  },
  actions: {
    start: enqueueActions(({ context, enqueue }) => {
      const out: Out[] = [];
      enqueue.assign(started(context, context.setupSeeds, out));
      for (const o of out) enqueue.emit(o);
    }),
    restartFromSetup: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const fresh = initialContext({ id: context.id, info: context.setupInfo, seeds: context.setupSeeds, config: context.cfg, now: event.now, rngSeed: 0 });
      enqueue.assign(started(fresh, context.setupSeeds, out));
      for (const o of out) enqueue.emit(o);
    }),
    /** Probe timer: probe the chosen member, or wait another period when there is none. */
    runPeriod: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const t = given(event)[0];
      const c = t !== undefined && activeOthers(context).includes(t) ? startProbe(context, t, event.now, out) : context;
      if (c === context) out.push({ type: 'setTimer', timer: T.probe, after: scaledMs(context, context.cfg.probeIntervalMs) });
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    endFailedProbe: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      enqueue.assign(failProbe(context, event.now, out));
      for (const o of out) enqueue.emit(o);
    }),
    askHelpers: enqueueActions(({ context, event, enqueue }) => {
      const p = context.probe!;
      const helpers = given(event).filter((h) => activeOthers(context, p.target).includes(h));
      let c: SwimContext = { ...context, probe: { ...p, indirect: true, expectedNacks: helpers.length } };
      const out: Out[] = [];
      for (const h of helpers) c = sendWithUpdates(c, h, (updates) => ({ kind: 'pingReq', seq: p.seq, target: p.target, updates }), out);
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    ackProbe: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'ack'> };
      let c = applyCarried(context, e.from, e.message.updates, e.now, out);
      const p = c.probe!;
      if (!p.indirect) out.push({ type: 'cancelTimer', timer: timerName(T.ackTimeout, p.seq) });
      out.push({ type: 'cancelTimer', timer: timerName(T.probeEnd, p.seq) });
      c = withAwareness({ ...c, probe: null }, -1);
      out.push({ type: 'setTimer', timer: T.probe, after: nextProbeAfterAck(p.start, event.now, c.cfg.probeIntervalMs) });
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    countNack: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'nack'> };
      const c = applyCarried(context, e.from, e.message.updates, e.now, out);
      enqueue.assign({ ...c, probe: c.probe ? { ...c.probe, nacks: c.probe.nacks + 1 } : null });
      for (const o of out) enqueue.emit(o);
    }),
    answerPing: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'ping'> };
      let c = applyCarried(context, e.from, e.message.updates, e.now, out);
      c = sendWithUpdates(c, e.from, (updates) => ({ kind: 'ack', seq: e.message.seq, updates }), out);
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    relayAck: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'ack'> };
      let c = applyCarried(context, e.from, e.message.updates, e.now, out);
      const relay = c.relays[String(e.message.seq)];
      if (relay) {
        const { [String(e.message.seq)]: _gone, ...rest } = c.relays;
        c = { ...c, relays: rest };
        out.push({ type: 'cancelTimer', timer: timerName(T.relay, e.message.seq) });
        c = sendWithUpdates(c, relay.origin, (updates) => ({ kind: 'ack', seq: relay.seq, updates }), out);
      }
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    probeForRequester: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'pingReq'> };
      let c = applyCarried(context, e.from, e.message.updates, e.now, out);
      const seq = c.seq + 1;
      c = { ...c, seq, relays: { ...c.relays, [String(seq)]: { origin: e.from, seq: e.message.seq } } };
      c = sendWithUpdates(c, e.message.target, (updates) => ({ kind: 'ping', seq, updates }), out);
      out.push({ type: 'setTimer', timer: timerName(T.relay, seq), after: c.cfg.probeTimeoutMs });
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    applyCarried: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'nack'> | Msg<'gossip'> };
      enqueue.assign(applyCarried(context, e.from, e.message.updates, e.now, out));
      for (const o of out) enqueue.emit(o);
    }),
    sendNack: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const key = timerOf(event)!.key;
      const relay = context.relays[key];
      const { [key]: _gone, ...rest } = context.relays;
      const c = sendWithUpdates({ ...context, relays: rest }, relay.origin, (updates) => ({ kind: 'nack', seq: relay.seq, updates }), out);
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    declareDead: enqueueActions(({ context, event, enqueue }) => {
      const member = timerOf(event)!.key;
      const s = context.suspicions[member];
      const m = context.members[member];
      if (!s || !m || m.status !== 'suspect' || m.incarnation !== s.incarnation) return;
      const out: Out[] = [];
      enqueue.assign(applyUpdate(context, { kind: 'dead', member, incarnation: m.incarnation, from: context.id }, event.now, out));
      for (const o of out) enqueue.emit(o);
    }),
    gossip: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      if (context.cfg.gossipIntervalMs > 0) out.push({ type: 'setTimer', timer: T.gossip, after: context.cfg.gossipIntervalMs });
      let c = context;
      if (c.queue.length > 0) {
        for (const to of given(event).filter((id) => activeOthers(context).includes(id))) {
          if (c.queue.length === 0) break;
          c = sendWithUpdates(c, to, (updates) => ({ kind: 'gossip', updates }), out);
        }
      }
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    pushPull: enqueueActions(({ context, event, enqueue }) => {
      if (context.cfg.pushPullIntervalMs > 0) enqueue.emit({ type: 'setTimer', timer: T.pushPull, after: pushPullPeriod(context.cfg.pushPullIntervalMs, Object.keys(context.members).length) });
      const peer = given(event)[0];
      if (peer !== undefined && activeOthers(context).includes(peer)) enqueue.emit({ type: 'send', to: peer, message: { kind: 'sync', members: fullState(context) } });
    }),
    /** Reconnect: the chosen member, when it is dead (never left), gets this node's table (partition heal). */
    reconnect: enqueueActions(({ context, event, enqueue }) => {
      if (context.cfg.reconnectIntervalMs > 0) enqueue.emit({ type: 'setTimer', timer: T.reconnect, after: context.cfg.reconnectIntervalMs });
      const peer = given(event)[0];
      if (peer !== undefined && peer !== context.id && context.members[peer]?.status === 'dead') enqueue.emit({ type: 'send', to: peer, message: { kind: 'sync', members: fullState(context) } });
    }),
    mergeAndReply: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'sync'> | Msg<'join'> };
      const records = e.message.kind === 'sync' ? e.message.members : [e.message.self];
      const c = mergeState(context, e.from, records, e.now, out);
      out.push({ type: 'send', to: e.from, message: { kind: 'syncReply', members: fullState(c) } });
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    replyWithState: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'receive') enqueue.emit({ type: 'send', to: event.from, message: { kind: 'syncReply', members: fullState(context) } });
    }),
    mergeReply: enqueueActions(({ context, event, enqueue }) => {
      const out: Out[] = [];
      const e = event as Ev & { type: 'receive'; message: Msg<'syncReply'> };
      let c = context;
      const joining = !c.joined;
      if (joining) {
        c = { ...c, joined: true };
        out.push({ type: 'cancelTimer', timer: T.join });
      }
      c = mergeState(c, e.from, e.message.members, e.now, out);
      // Now the cluster's size is known: anti-entropy is timed by it.
      if (joining && c.cfg.pushPullIntervalMs > 0) out.push({ type: 'setTimer', timer: T.pushPull, after: pushPullPeriod(c.cfg.pushPullIntervalMs, Object.keys(c.members).length) });
      enqueue.assign(c);
      for (const o of out) enqueue.emit(o);
    }),
    retryJoin: enqueueActions(({ context, enqueue }) => {
      const attempts = context.joinAttempts + 1;
      if (attempts < context.cfg.joinMaxAttempts) {
        const out: Out[] = [];
        const c = { ...context, joinAttempts: attempts };
        sendJoin(c, out);
        enqueue.assign(c);
        for (const o of out) enqueue.emit(o);
        return;
      }
      enqueue.assign({ ...context, joinAttempts: attempts, joined: true });
      enqueue.emit({
        type: 'notify',
        event: { kind: 'rejected', code: 'JOIN_FAILED', reason: `no seed of ${context.seeds.join(', ')} answered after ${attempts} attempts; check that a seed is up and reachable, then join again` },
      });
    }),
    reap: enqueueActions(({ context, event, enqueue }) => {
      const member = timerOf(event)!.key;
      const m = context.members[member];
      if (!m || (m.status !== 'dead' && m.status !== 'left')) return;
      const { [member]: _gone, ...rest } = context.members;
      // Forgotten entirely: a still-queued update about it is not gossiped any more either.
      enqueue.assign({ ...context, members: rest, queue: context.queue.filter((e) => e.update.member !== member) });
      enqueue.emit({ type: 'notify', event: { kind: 'removed', member, reason: `reaped ${context.cfg.reapAfterMs} ms after it was marked ${m.status}` } });
    }),
    updateOwnRecord: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'command' || event.command.kind !== 'update') return;
      const patch = event.command.patch;
      const info = {
        ...context.info,
        ...(patch.address !== undefined ? { address: patch.address } : {}),
        ...(patch.metricsPort !== undefined ? { metricsPort: patch.metricsPort } : {}),
        ...(patch.nodeType !== undefined ? { nodeType: patch.nodeType } : {}),
        ...(patch.isLoadBalancer !== undefined ? { isLoadBalancer: patch.isLoadBalancer } : {}),
        ...(patch.capabilities !== undefined ? { capabilities: [...patch.capabilities] } : {}),
        lastUpdated: event.now,
      };
      const out: Out[] = [];
      enqueue.assign(announce({ ...context, info, incarnation: context.incarnation + 1 }, out));
      for (const o of out) enqueue.emit(o);
    }),
    /** Rate limiting is omitted in the model: a changed summary is a new record at once. */
    updateHealth: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'command' || event.command.kind !== 'vitals') return;
      const health = healthSummary(event.command.vitals);
      if (sameHealth(health, context.health)) return;
      const out: Out[] = [];
      enqueue.assign(announce({ ...context, health, incarnation: context.incarnation + 1 }, out));
      for (const o of out) enqueue.emit(o);
    }),
    joinThrough: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'command' || event.command.kind !== 'join') return;
      const out: Out[] = [];
      enqueue.assign(startJoin(context, event.command.seeds, out));
      for (const o of out) enqueue.emit(o);
    }),
    rejoin: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'command' || event.command.kind !== 'join') return;
      const out: Out[] = [];
      enqueue.assign(started({ ...context, incarnation: context.incarnation + 1 }, event.command.seeds, out));
      for (const o of out) enqueue.emit(o);
    }),
    leaveGracefully: enqueueActions(({ context, enqueue }) => {
      const left = { kind: 'left' as const, member: context.id, incarnation: context.incarnation };
      for (const id of activeOthers(context)) enqueue.emit({ type: 'send', to: id, message: { kind: 'gossip', updates: [left] } });
      enqueue.emit({ type: 'cancelTimer', timer: T.probe });
      if (context.cfg.gossipIntervalMs > 0) enqueue.emit({ type: 'cancelTimer', timer: T.gossip });
      if (context.cfg.pushPullIntervalMs > 0) enqueue.emit({ type: 'cancelTimer', timer: T.pushPull });
      if (context.cfg.reconnectIntervalMs > 0) enqueue.emit({ type: 'cancelTimer', timer: T.reconnect });
      if (!context.joined) enqueue.emit({ type: 'cancelTimer', timer: T.join });
      const self = { ...context.members[context.id], status: 'left' as const };
      enqueue.assign({ ...context, joined: true, probe: null, relays: {}, suspicions: {}, queue: [], members: { ...context.members, [context.id]: self } });
    }),
    forgetVolatile: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ ...context, probe: null, relays: {}, suspicions: {} });
    }),
  },
}).createMachine({
  id: 'swimNode',
  context: ({ input }) => initialContext(input),
  initial: 'running',
  entry: 'start',
  states: {
    running: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            timer: [
              { guard: 'hasProbeTarget', target: 'awaitingAck', actions: 'runPeriod' },
              { guard: 'isProbeTimer', actions: 'runPeriod' },
            ],
          },
        },
        awaitingAck: {
          on: {
            timer: [
              { guard: 'isOwnAckTimeout', target: 'awaitingIndirect', actions: 'askHelpers' },
              { guard: 'isOwnProbeEnd', target: 'idle', actions: 'endFailedProbe' },
            ],
            receive: [{ guard: 'isAckOfProbe', target: 'idle', actions: 'ackProbe' }],
          },
        },
        awaitingIndirect: {
          on: {
            timer: [{ guard: 'isOwnProbeEnd', target: 'idle', actions: 'endFailedProbe' }],
            receive: [
              { guard: 'isAckOfProbe', target: 'idle', actions: 'ackProbe' },
              { guard: 'isNackOfProbe', actions: 'countNack' },
            ],
          },
        },
      },
      on: {
        timer: [
          { guard: 'isRelayTimer', actions: 'sendNack' },
          { guard: 'isSuspicionTimer', actions: 'declareDead' },
          { guard: 'isGossipTimer', actions: 'gossip' },
          { guard: 'isPushPullTimer', actions: 'pushPull' },
          { guard: 'isReconnectTimer', actions: 'reconnect' },
          { guard: 'isJoinTimerWhileJoining', actions: 'retryJoin' },
          { guard: 'isReapTimer', actions: 'reap' },
        ],
        receive: [
          { guard: 'isPing', actions: 'answerPing' },
          { guard: 'isAck', actions: 'relayAck' },
          { guard: 'isPingReq', actions: 'probeForRequester' },
          { guard: 'isNack', actions: 'applyCarried' },
          { guard: 'isGossip', actions: 'applyCarried' },
          { guard: 'isJoinFromItself', actions: 'mergeAndReply' },
          { guard: 'isJoin', actions: 'replyWithState' },
          { guard: 'isSync', actions: 'mergeAndReply' },
          { guard: 'isSyncReply', actions: 'mergeReply' },
        ],
        command: [
          { guard: 'isUpdateCommand', actions: 'updateOwnRecord' },
          { guard: 'isVitalsCommand', actions: 'updateHealth' },
          { guard: 'isJoinCommand', actions: 'joinThrough' },
          { guard: 'isLeaveCommand', target: 'left', actions: 'leaveGracefully' },
        ],
        crash: { target: 'crashed', actions: 'forgetVolatile' },
        restart: { target: 'running', actions: 'restartFromSetup', reenter: true },
      },
    },
    left: {
      on: {
        command: { guard: 'isJoinCommand', target: 'running', actions: 'rejoin' },
        crash: { target: 'crashed', actions: 'forgetVolatile' },
        restart: { target: 'running', actions: 'restartFromSetup' },
      },
    },
    crashed: {
      on: { restart: { target: 'running', actions: 'restartFromSetup' } },
    },
  },
});
