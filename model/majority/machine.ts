/**
 * A majority-rule node (spec/majority.md) as an XState v5 statechart.
 *
 *   starting ──hasSeeds──▶ registering ──last reply / registration timer──▶ serving
 *      └───────────────────────────────────────────────────────────────────▶ serving
 *   registering, serving ──crash──▶ crashed ──restart──▶ starting
 *   registering, serving ──leave──▶ left
 *
 * Peer messages, updates, health polling and re-announcement are handled the same way while
 * registering and while serving, so they live on the `running` parent. Outputs are emitted in the
 * order the prose spec gives: notifications about a record before the reply that carries it.
 */
import { castDraft, produce } from 'immer';
import { assign, emit, enqueueActions, setup } from 'xstate';
import { toWireSeconds } from '../../spec/json.js';
import { DEFAULT_VITALS, MAJORITY_TIMERS as T, type MajorityConfig, type MajorityMessage } from '../../spec/majority.js';
import { restartVersion, peerOf, resolveNewest, supersedes } from '../../spec/majority-hardened.js';
import { type NodeId, type NodeInfo, type NodeVitals, type PeerInfo, fromPeerInfo, sameNodeInfo, toPeerInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';
import { modelResolve } from './resolve.js';

export interface ModelEntry {
  readonly info: NodeInfo;
  readonly version: number;
}

export interface MajorityContext {
  readonly id: NodeId;
  readonly seeds: readonly NodeId[];
  readonly config: MajorityConfig;
  readonly setupInfo: NodeInfo;
  readonly self: NodeInfo;
  readonly version: number;
  readonly vitals: NodeVitals;
  readonly peers: Readonly<Record<NodeId, ModelEntry>>;
  /** Registration in progress: who has not replied yet; null when none is. */
  readonly awaiting: readonly NodeId[] | null;
  readonly responses: readonly { readonly from: NodeId; readonly peers: readonly PeerInfo[] }[];
  readonly pending: { readonly version: number; readonly unacked: readonly NodeId[]; readonly attempt: number } | null;
  readonly polling: readonly NodeId[];
}

type Ev = Input<MajorityMessage>;
type Out = Output<MajorityMessage>;
type Msg<K extends MajorityMessage['kind']> = Extract<MajorityMessage, { kind: K }>;

const msg = (e: Ev): MajorityMessage | undefined => (e.type === 'receive' ? e.message : undefined);
const isMsg = <K extends MajorityMessage['kind']>(e: Ev, kind: K): e is Ev & { type: 'receive'; message: Msg<K> } => msg(e)?.kind === kind;
const sender = (e: Ev): NodeId => (e.type === 'receive' ? e.from : '');
const ascending = (ids: Iterable<NodeId>): NodeId[] => [...new Set(ids)].sort();
const send = (to: NodeId, message: MajorityMessage): Out => ({ type: 'send', to, message });
/** What a node holds besides its identity when it starts, fresh or after a restart: nothing learned yet. */
const startingOver = () => ({ version: 0, vitals: DEFAULT_VITALS, peers: {}, awaiting: null, responses: [], pending: null, polling: [] });
/** The majority-hardened variant (spec/majority-hardened.ts): versioned records, only newer ones apply. */
const hardened = (ctx: MajorityContext): boolean => ctx.config.versionedRecords === true;

/** The record a node keeps for `info`, and the notification that goes with the change, if any. */
function keep(peers: MajorityContext['peers'], info: NodeInfo, version: number, out: Out[]): MajorityContext['peers'] {
  const had = peers[info.id];
  if (had && had.version === version && sameNodeInfo(had.info, info)) return peers;
  if (!had || !sameNodeInfo(had.info, info)) out.push({ type: 'notify', event: { kind: had ? 'updated' : 'joined', member: info.id, info } });
  return { ...peers, [info.id]: { info, version } };
}

/** Forget the records of `ids`, each with its notification; the table is unchanged if it held none. */
function drop(peers: MajorityContext['peers'], ids: readonly NodeId[], reason: string, out: Out[]): MajorityContext['peers'] {
  return produce(peers, (table) => {
    for (const id of ids) {
      if (!(id in table)) continue;
      out.push({ type: 'notify', event: { kind: 'removed', member: id, reason } });
      delete table[id];
    }
  });
}

/**
 * Register with every one of `candidates` but this node, in id order, and wait for their replies
 * until the registration timer. The one registration round of start-up, of a join command and of
 * re-announcement; nothing happens when there is nobody to ask.
 */
function register(ctx: MajorityContext, candidates: Iterable<NodeId>, out: Out[]): Partial<MajorityContext> {
  const targets = ascending([...candidates].filter((s) => s !== ctx.id));
  if (targets.length === 0) return {};
  for (const t of targets) out.push(send(t, { kind: 'register', info: ctx.self, version: ctx.version }));
  out.push({ type: 'setTimer', timer: T.registration, after: ctx.config.registrationTimeoutMs });
  return { awaiting: targets, responses: [] };
}

function knownAtWirePrecision(ctx: MajorityContext, peers: MajorityContext['peers']): PeerInfo[] {
  const atWire = (i: NodeInfo): PeerInfo => ({ ...toPeerInfo(i), lastUpdated: toWireSeconds(i.lastUpdated) * 1000 });
  // Hardened replies carry each record's version, so the registrant can tell newer from older.
  const entries = [{ info: ctx.self, version: ctx.version }, ...Object.values(peers)];
  return entries
    .map((e) => (hardened(ctx) ? { ...atWire(e.info), version: e.version } : atWire(e.info)))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Resolve the collected replies and adopt the result (never for the node's own record). */
function resolution(ctx: MajorityContext, out: Out[]): Partial<MajorityContext> {
  if (ctx.responses.length === 0) {
    out.push({ type: 'notify', event: { kind: 'rejected', code: 'CONSENSUS', reason: 'No peer responses provided for consensus' } });
    return { awaiting: null, responses: [] };
  }
  const responses = ctx.responses.map((r) => r.peers);
  if (hardened(ctx)) return hardenedResolution(ctx, responses, out);
  const result = modelResolve(responses);
  out.push({ type: 'notify', event: { kind: 'resolved', responses, result } });
  let peers = ctx.peers;
  for (const p of result) {
    if (p.id === ctx.id) continue;
    const had = peers[p.id];
    peers = keep(peers, fromPeerInfo(p, had?.info.capabilities), had?.version ?? 0, out);
  }
  return { peers, awaiting: null, responses: [] };
}

/** The hardened resolution: the newest version of each record, adopted only where newer than held. */
function hardenedResolution(ctx: MajorityContext, responses: readonly (readonly PeerInfo[])[], out: Out[]): Partial<MajorityContext> {
  const result = resolveNewest(responses);
  out.push({ type: 'notify', event: { kind: 'resolved', responses, result } });
  let peers = ctx.peers;
  for (const p of result) {
    const had = peers[p.id];
    if (p.id === ctx.id || !supersedes(p.version, had?.version)) continue;
    peers = keep(peers, fromPeerInfo(peerOf(p), had?.info.capabilities), p.version, out);
  }
  return { peers, awaiting: null, responses: [] };
}

export const majorityMachine = setup({
  types: {
    context: {} as MajorityContext,
    input: {} as NodeSetup<MajorityConfig>,
    events: {} as Ev,
    emitted: {} as Out,
  },
  guards: {
    hasSeeds: ({ context }) => context.seeds.some((s) => s !== context.id),
    isUpdateCommand: ({ event }) => event.type === 'command' && event.command.kind === 'update',
    isVitalsCommand: ({ event }) => event.type === 'command' && event.command.kind === 'vitals',
    isJoinCommand: ({ event }) => event.type === 'command' && event.command.kind === 'join',
    isLeaveCommand: ({ event }) => event.type === 'command' && event.command.kind === 'leave',
    isRegisterFromItsOwner: ({ event }) => isMsg(event, 'register') && event.message.info.id === event.from,
    isRegister: ({ event }) => isMsg(event, 'register'),
    isLastAwaitedReply: ({ context, event }) =>
      isMsg(event, 'registerReply') && context.awaiting !== null && context.awaiting.length === 1 && context.awaiting[0] === event.from,
    isAwaitedReply: ({ context, event }) => isMsg(event, 'registerReply') && context.awaiting !== null && context.awaiting.includes(event.from),
    isUpdateFromItsOwner: ({ event }) => isMsg(event, 'update') && event.message.originator === event.from && event.message.info.id === event.from,
    isUpdate: ({ event }) => isMsg(event, 'update'),
    isAckOfPendingUpdate: ({ context, event }) =>
      isMsg(event, 'updateAck') &&
      context.pending !== null &&
      event.message.originator === context.id &&
      event.message.version >= context.pending.version &&
      context.pending.unacked.includes(event.from),
    isVitalsRequest: ({ event }) => isMsg(event, 'vitalsRequest'),
    isReplyOfPolledBackend: ({ context, event }) => isMsg(event, 'vitalsReply') && context.polling.includes(event.from),
    isRegistrationTimerWhileAwaiting: ({ context, event }) => event.type === 'timer' && event.timer === T.registration && context.awaiting !== null,
    isReannounceTimer: ({ event }) => event.type === 'timer' && event.timer === T.reannounce,
    isRetryTimer: ({ event }) => event.type === 'timer' && event.timer === T.retry,
    isHealthTimer: ({ event }) => event.type === 'timer' && event.timer === T.health,
    isHealthTimeoutTimer: ({ event }) => event.type === 'timer' && event.timer === T.healthTimeout,
  },
  actions: {
    announceAndArmTimers: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'notify', event: { kind: 'announced', info: context.self, version: context.version } });
      if (context.self.isLoadBalancer) enqueue.emit({ type: 'setTimer', timer: T.health, after: context.config.healthIntervalMs });
      if (context.config.reannounceIntervalMs > 0) enqueue.emit({ type: 'setTimer', timer: T.reannounce, after: context.config.reannounceIntervalMs });
    }),
    registerWithSeeds: enqueueActions(({ context, enqueue }) => {
      const out: Out[] = [];
      enqueue.assign(register(context, context.seeds, out));
      for (const o of out) enqueue.emit(o);
    }),
    registerWithJoinSeeds: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'command' || event.command.kind !== 'join') return;
      const out: Out[] = [];
      enqueue.assign(register(context, event.command.seeds, out));
      for (const o of out) enqueue.emit(o);
    }),
    // Hardened: the version survives the crash (kept with the setup) and the restart advances it.
    restartFromSetup: assign(({ context, event }) => ({
      self: { ...context.setupInfo, lastUpdated: event.now },
      ...startingOver(),
      version: hardened(context) ? restartVersion(context.version) : 0,
    })),
    forgetVolatileState: assign({ peers: {}, awaiting: null, responses: [], pending: null, polling: [] }),
    cancelAllTimers: enqueueActions(({ enqueue }) => {
      for (const timer of Object.values(T)) enqueue.emit({ type: 'cancelTimer', timer });
    }),
    stopWork: assign({ awaiting: null, pending: null, polling: [] }),
    updateOwnRecord: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'command' || event.command.kind !== 'update') return;
      const version = context.version + 1;
      const self: NodeInfo = { ...context.self, ...event.command.patch, id: context.id, lastUpdated: event.now };
      enqueue.emit({ type: 'notify', event: { kind: 'announced', info: self, version } });
      const targets = ascending(Object.keys(context.peers));
      for (const t of targets) enqueue.emit(send(t, { kind: 'update', originator: context.id, info: self, version }));
      if (targets.length > 0) enqueue.emit({ type: 'setTimer', timer: T.retry, after: context.config.retryBaseMs });
      enqueue.assign({ self, version, pending: targets.length > 0 ? { version, unacked: targets, attempt: 0 } : null });
    }),
    recordVitals: assign({ vitals: ({ context, event }) => (event.type === 'command' && event.command.kind === 'vitals' ? event.command.vitals : context.vitals) }),
    storeRegistrantAndReply: enqueueActions(({ context, event, enqueue }) => {
      if (!isMsg(event, 'register')) return;
      const out: Out[] = [];
      // The baseline overwrites (Inferno inserts); hardened, a delayed older registration is ignored.
      const fresh = !hardened(context) || supersedes(event.message.version, context.peers[event.from]?.version);
      const peers = fresh ? keep(context.peers, event.message.info, event.message.version, out) : context.peers;
      out.push(send(event.from, { kind: 'registerReply', peers: knownAtWirePrecision(context, peers) }));
      for (const o of out) enqueue.emit(o);
      enqueue.assign({ peers });
    }),
    rejectNotOwner: emit(({ event }) => {
      const m = msg(event);
      const claimed = m && (m.kind === 'register' || m.kind === 'update') ? m.info.id : '?';
      const reason =
        m?.kind === 'register' ? `${sender(event)} tried to register ${claimed}` : `${sender(event)} sent an update for ${claimed}; only a node may update itself`;
      return { type: 'notify', event: { kind: 'rejected', code: 'NOT_OWNER', reason } } as Out;
    }),
    recordReply: assign(({ context, event }) =>
      produce(context, (c) => {
        if (!isMsg(event, 'registerReply') || c.awaiting === null) return;
        c.awaiting = c.awaiting.filter((a) => a !== event.from);
        c.responses.push({ from: event.from, peers: castDraft(event.message.peers) });
      }),
    ),
    cancelRegistrationTimer: emit({ type: 'cancelTimer', timer: T.registration } as Out),
    resolveAndAdopt: enqueueActions(({ context, enqueue }) => {
      const out: Out[] = [];
      const next = resolution(context, out);
      for (const o of out) enqueue.emit(o);
      enqueue.assign(next);
    }),
    applyOwnersUpdateAndAck: enqueueActions(({ context, event, enqueue }) => {
      if (!isMsg(event, 'update')) return;
      const out: Out[] = [];
      // Only a newer version applies: stricter than Inferno (spec/majority.md), kept in step with the core.
      const had = context.peers[event.from];
      const peers = !had || event.message.version > had.version ? keep(context.peers, event.message.info, event.message.version, out) : context.peers;
      out.push(send(event.from, { kind: 'updateAck', originator: event.from, version: event.message.version }));
      for (const o of out) enqueue.emit(o);
      enqueue.assign({ peers });
    }),
    noteAck: enqueueActions(({ context, event, enqueue }) => {
      if (!context.pending || event.type !== 'receive') return;
      const unacked = context.pending.unacked.filter((u) => u !== event.from);
      if (unacked.length > 0) {
        enqueue.assign({ pending: { ...context.pending, unacked } });
        return;
      }
      enqueue.emit({ type: 'cancelTimer', timer: T.retry });
      enqueue.assign({ pending: null });
    }),
    replyVitals: emit(({ context, event }) => send(sender(event), { kind: 'vitalsReply', vitals: context.vitals })),
    judgeVitals: enqueueActions(({ context, event, enqueue }) => {
      if (!isMsg(event, 'vitalsReply')) return;
      const out: Out[] = [];
      const polling = context.polling.filter((p) => p !== event.from);
      const peers = event.message.vitals.ready ? context.peers : drop(context.peers, [event.from], 'not ready', out);
      for (const o of out) enqueue.emit(o);
      enqueue.assign({ polling, peers });
    }),
    reannounce: enqueueActions(({ context, enqueue }) => {
      const out: Out[] = [{ type: 'setTimer', timer: T.reannounce, after: context.config.reannounceIntervalMs }];
      // A registration still waiting for replies is not started again.
      if (context.awaiting === null) enqueue.assign(register(context, [...context.seeds, ...Object.keys(context.peers)], out));
      for (const o of out) enqueue.emit(o);
    }),
    retryUpdate: enqueueActions(({ context, enqueue }) => {
      const p = context.pending;
      if (!p || p.attempt >= context.config.maxUpdateRetries) {
        enqueue.assign({ pending: null });
        return;
      }
      for (const t of p.unacked) enqueue.emit(send(t, { kind: 'update', originator: context.id, info: context.self, version: context.version }));
      const attempt = p.attempt + 1;
      enqueue.emit({ type: 'setTimer', timer: T.retry, after: context.config.retryBaseMs * 2 ** attempt });
      enqueue.assign({ pending: { ...p, attempt } });
    }),
    pollBackends: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'setTimer', timer: T.health, after: context.config.healthIntervalMs });
      const backends = ascending(Object.keys(context.peers).filter((id) => context.peers[id].info.nodeType === 'backend'));
      for (const b of backends) enqueue.emit(send(b, { kind: 'vitalsRequest' }));
      if (backends.length > 0) enqueue.emit({ type: 'setTimer', timer: T.healthTimeout, after: context.config.healthTimeoutMs });
      enqueue.assign({ polling: backends });
    }),
    removeSilentBackends: enqueueActions(({ context, enqueue }) => {
      const out: Out[] = [];
      const peers = drop(context.peers, context.polling, 'unreachable', out);
      for (const o of out) enqueue.emit(o);
      enqueue.assign({ peers, polling: [] });
    }),
  },
}).createMachine({
  id: 'majorityNode',
  context: ({ input }) => {
    const self: NodeInfo = { ...input.info, id: input.id, lastUpdated: input.now };
    return {
      id: input.id,
      seeds: [...input.seeds],
      config: input.config,
      setupInfo: { ...input.info, id: input.id },
      self,
      ...startingOver(),
    };
  },
  initial: 'running',
  states: {
    running: {
      initial: 'starting',
      states: {
        starting: {
          entry: 'announceAndArmTimers',
          always: [{ guard: 'hasSeeds', target: 'registering', actions: 'registerWithSeeds' }, { target: 'serving' }],
        },
        registering: {
          on: {
            receive: [
              { guard: 'isLastAwaitedReply', target: 'serving', actions: ['recordReply', 'cancelRegistrationTimer', 'resolveAndAdopt'] },
              { guard: 'isAwaitedReply', actions: 'recordReply' },
            ],
            timer: { guard: 'isRegistrationTimerWhileAwaiting', target: 'serving', actions: 'resolveAndAdopt' },
          },
        },
        serving: {
          on: {
            receive: [
              { guard: 'isLastAwaitedReply', actions: ['recordReply', 'cancelRegistrationTimer', 'resolveAndAdopt'] },
              { guard: 'isAwaitedReply', actions: 'recordReply' },
            ],
            timer: { guard: 'isRegistrationTimerWhileAwaiting', actions: 'resolveAndAdopt' },
          },
        },
      },
      on: {
        command: [
          { guard: 'isUpdateCommand', actions: 'updateOwnRecord' },
          { guard: 'isVitalsCommand', actions: 'recordVitals' },
          { guard: 'isJoinCommand', actions: 'registerWithJoinSeeds' },
          { guard: 'isLeaveCommand', target: '#majorityNode.left', actions: ['stopWork', 'cancelAllTimers'] },
        ],
        receive: [
          { guard: 'isRegisterFromItsOwner', actions: 'storeRegistrantAndReply' },
          { guard: 'isRegister', actions: 'rejectNotOwner' },
          { guard: 'isUpdateFromItsOwner', actions: 'applyOwnersUpdateAndAck' },
          { guard: 'isUpdate', actions: 'rejectNotOwner' },
          { guard: 'isAckOfPendingUpdate', actions: 'noteAck' },
          { guard: 'isVitalsRequest', actions: 'replyVitals' },
          { guard: 'isReplyOfPolledBackend', actions: 'judgeVitals' },
        ],
        timer: [
          { guard: 'isReannounceTimer', actions: 'reannounce' },
          { guard: 'isRetryTimer', actions: 'retryUpdate' },
          { guard: 'isHealthTimer', actions: 'pollBackends' },
          { guard: 'isHealthTimeoutTimer', actions: 'removeSilentBackends' },
        ],
        crash: { target: 'crashed', actions: 'forgetVolatileState' },
      },
    },
    left: {},
    crashed: {
      on: { restart: { target: 'running', actions: 'restartFromSetup' } },
    },
  },
});
