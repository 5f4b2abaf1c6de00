/**
 * A majority-rule node (Inferno's current service discovery) as a sans-IO step core.
 *
 * Registration: send `register` to every seed (and, on each re-announce, every known peer); each peer
 * stores the registrant and replies with its known peers. On all replies, or the registration timer,
 * resolve the replies with resolveConsensus and adopt the result. Updates: only a node changes its own
 * record; it raises its version, broadcasts `update`, and retries unacknowledged peers with
 * exponential backoff. Health: load balancers poll every backend's vitals and remove a backend that
 * does not answer in time or answers `ready: false`.
 *
 * The state is plain JSON and never mutated: every step returns a new state (copy on write).
 */
import { canonicalJson } from '../../spec/canonical.js';
import { toWireSeconds } from '../../spec/json.js';
import { DEFAULT_VITALS, MAJORITY_TIMERS as T, type MajorityConfig, type MajorityMessage } from '../../spec/majority.js';
import { type VersionedPeerInfo, peerOf, resolveNewest, restartVersion, supersedes } from '../../spec/majority-hardened.js';
import { type NodeId, type NodeInfo, type NodeVitals, type PeerInfo, fromPeerInfo, sameNodeInfo, toPeerInfo } from '../../spec/node.js';
import type { Command, Input, NodeBehaviour, NodeSetup, Output, StepResult } from '../../spec/step.js';
import type { MemberView, View } from '../../spec/view.js';
import { resolvePeers } from './resolver.js';

export interface MajorityEntry {
  readonly info: NodeInfo;
  /** The owner's update version as last heard from the owner; consensus adoption keeps the old one. */
  readonly version: number;
}

export interface Registration {
  readonly awaiting: readonly NodeId[];
  readonly responses: readonly { readonly from: NodeId; readonly peers: readonly PeerInfo[] }[];
}

export interface MajorityState {
  readonly setup: NodeSetup<MajorityConfig>;
  readonly phase: 'registering' | 'serving' | 'left' | 'crashed';
  readonly self: NodeInfo;
  readonly version: number;
  readonly vitals: NodeVitals;
  /** Every other node this one knows, by id. */
  readonly peers: Readonly<Record<NodeId, MajorityEntry>>;
  readonly registration: Registration | null;
  readonly pendingUpdate: { readonly version: number; readonly unacked: readonly NodeId[]; readonly attempt: number } | null;
  /** Backends polled in the current health round that have not answered yet. */
  readonly polling: readonly NodeId[];
}

type Out = Output<MajorityMessage>;
type Result = StepResult<MajorityState, MajorityMessage>;

const send = (to: NodeId, message: MajorityMessage): Out => ({ type: 'send', to, message });
const sorted = (ids: Iterable<NodeId>): NodeId[] => [...new Set(ids)].sort();
/** The majority-hardened variant (spec/majority-hardened.ts): versioned records, only newer ones apply. */
const hardened = (state: MajorityState): boolean => state.setup.config.versionedRecords === true;

/**
 * What a registration reply carries: every known record, the replier's own included, at wire
 * precision; in the hardened variant each with the version the replier holds for it.
 */
export function wirePeers(state: MajorityState): PeerInfo[] {
  const all = [{ info: state.self, version: state.version }, ...Object.values(state.peers)];
  // One object per entry, always of one shape: replies are most of a large cluster's work.
  const atWire = hardened(state)
    ? (e: MajorityEntry): PeerInfo => versionedAtWire(e.info, e.version)
    : (e: MajorityEntry): PeerInfo => ({ ...toPeerInfo(e.info), lastUpdated: toWireSeconds(e.info.lastUpdated) * 1000 });
  return all.map(atWire).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function versionedAtWire(i: NodeInfo, version: number): VersionedPeerInfo {
  return { id: i.id, address: i.address, metricsPort: i.metricsPort, nodeType: i.nodeType, isLoadBalancer: i.isLoadBalancer, lastUpdated: toWireSeconds(i.lastUpdated) * 1000, version };
}

/** Start, or restart at `version` (the hardened variant keeps its counter across a crash). */
function start(setup: NodeSetup<MajorityConfig>, now: number, version = 0): Result {
  const self: NodeInfo = { ...setup.info, id: setup.id, lastUpdated: now };
  const base: MajorityState = {
    setup,
    phase: 'serving',
    self,
    version,
    vitals: DEFAULT_VITALS,
    peers: {},
    registration: null,
    pendingUpdate: null,
    polling: [],
  };
  const outputs: Out[] = [{ type: 'notify', event: { kind: 'announced', info: self, version } }];
  if (self.isLoadBalancer) outputs.push({ type: 'setTimer', timer: T.health, after: setup.config.healthIntervalMs });
  if (setup.config.reannounceIntervalMs > 0) outputs.push({ type: 'setTimer', timer: T.reannounce, after: setup.config.reannounceIntervalMs });
  const targets = sorted(setup.seeds.filter((s) => s !== setup.id));
  if (targets.length === 0) return { state: base, outputs };
  const registered = beginRegistration({ ...base, phase: 'registering' }, targets);
  return { state: registered.state, outputs: [...outputs, ...registered.outputs] };
}

function beginRegistration(state: MajorityState, targets: readonly NodeId[]): Result {
  const outputs: Out[] = targets.map((t) => send(t, { kind: 'register', info: state.self, version: state.version }));
  outputs.push({ type: 'setTimer', timer: T.registration, after: state.setup.config.registrationTimeoutMs });
  return { state: { ...state, registration: { awaiting: targets, responses: [] } }, outputs };
}

/** Store `info` for its owner, with the notification the application sees. */
function store(state: MajorityState, info: NodeInfo, version: number, outputs: Out[]): MajorityState {
  const existing = state.peers[info.id];
  if (existing && existing.version === version && sameNodeInfo(existing.info, info)) return state;
  if (!existing || !sameNodeInfo(existing.info, info)) {
    outputs.push({ type: 'notify', event: { kind: existing ? 'updated' : 'joined', member: info.id, info } });
  }
  return { ...state, peers: { ...state.peers, [info.id]: { info, version } } };
}

function remove(state: MajorityState, id: NodeId, reason: string, outputs: Out[]): MajorityState {
  if (!state.peers[id]) return state;
  const peers = { ...state.peers };
  delete peers[id];
  outputs.push({ type: 'notify', event: { kind: 'removed', member: id, reason } });
  return { ...state, peers };
}

function resolveRegistration(state: MajorityState, outputs: Out[]): MajorityState {
  const reg = state.registration;
  let next: MajorityState = { ...state, registration: null, phase: 'serving' };
  if (!reg) return next;
  if (reg.responses.length === 0) {
    outputs.push({ type: 'notify', event: { kind: 'rejected', code: 'CONSENSUS', reason: 'No peer responses provided for consensus' } });
    return next;
  }
  const responses = reg.responses.map((r) => r.peers);
  if (hardened(state)) return adoptNewest(next, responses, outputs);
  const result = resolvePeers(responses);
  outputs.push({ type: 'notify', event: { kind: 'resolved', responses, result } });
  for (const p of result) {
    // A node's own record is never taken from others: that is the self-sovereign rule.
    if (p.id === state.self.id) continue;
    const existing = next.peers[p.id];
    next = store(next, fromPeerInfo(p, existing?.info.capabilities), existing?.version ?? 0, outputs);
  }
  return next;
}

/** Hardened: adopt the newest version of each record, and only where it is newer than the one held. */
function adoptNewest(state: MajorityState, responses: readonly (readonly PeerInfo[])[], outputs: Out[]): MajorityState {
  const result = resolveNewest(responses);
  outputs.push({ type: 'notify', event: { kind: 'resolved', responses, result } });
  let next = state;
  for (const p of result) {
    const existing = next.peers[p.id];
    if (p.id === state.self.id || !supersedes(p.version, existing?.version)) continue;
    next = store(next, fromPeerInfo(peerOf(p), existing?.info.capabilities), p.version, outputs);
  }
  return next;
}

function onCommand(state: MajorityState, command: Command, now: number): Result {
  const outputs: Out[] = [];
  switch (command.kind) {
    case 'vitals':
      return { state: { ...state, vitals: command.vitals }, outputs };
    case 'leave':
      // Inferno has no deregistration: peers learn of a departure only by health checks.
      return { state: { ...state, phase: 'left', registration: null, pendingUpdate: null, polling: [] }, outputs: cancelAll() };
    case 'join': {
      const targets = sorted(command.seeds.filter((s) => s !== state.self.id));
      if (targets.length === 0) return { state, outputs };
      return beginRegistration(state, targets);
    }
    case 'update': {
      const version = state.version + 1;
      const self: NodeInfo = { ...state.self, ...command.patch, id: state.self.id, lastUpdated: now };
      outputs.push({ type: 'notify', event: { kind: 'announced', info: self, version } });
      const targets = sorted(Object.keys(state.peers));
      for (const t of targets) outputs.push(send(t, { kind: 'update', originator: self.id, info: self, version }));
      if (targets.length > 0) outputs.push({ type: 'setTimer', timer: T.retry, after: state.setup.config.retryBaseMs });
      const pendingUpdate = targets.length > 0 ? { version, unacked: targets, attempt: 0 } : null;
      return { state: { ...state, self, version, pendingUpdate }, outputs };
    }
  }
}

function cancelAll(): Out[] {
  return Object.values(T).map((timer): Out => ({ type: 'cancelTimer', timer }));
}

function onReceive(state: MajorityState, from: NodeId, message: MajorityMessage): Result {
  const outputs: Out[] = [];
  switch (message.kind) {
    case 'register': {
      if (message.info.id !== from) {
        outputs.push({ type: 'notify', event: { kind: 'rejected', code: 'NOT_OWNER', reason: `${from} tried to register ${message.info.id}` } });
        return { state, outputs };
      }
      // Registration overwrites: the registrant speaks for itself (Inferno's register handler inserts).
      // Hardened, only a newer version does, so a delayed registration cannot undo an update.
      const fresh = !hardened(state) || supersedes(message.version, state.peers[from]?.version);
      const next = fresh ? store(state, message.info, message.version, outputs) : state;
      outputs.push(send(from, { kind: 'registerReply', peers: wirePeers(next) }));
      return { state: next, outputs };
    }
    case 'registerReply': {
      const reg = state.registration;
      if (!reg || !reg.awaiting.includes(from)) return { state, outputs };
      const registration: Registration = {
        awaiting: reg.awaiting.filter((a) => a !== from),
        responses: [...reg.responses, { from, peers: message.peers }],
      };
      if (registration.awaiting.length > 0) return { state: { ...state, registration }, outputs };
      outputs.push({ type: 'cancelTimer', timer: T.registration });
      return { state: resolveRegistration({ ...state, registration }, outputs), outputs };
    }
    case 'update': {
      if (message.originator !== from || message.info.id !== from) {
        outputs.push({
          type: 'notify',
          event: { kind: 'rejected', code: 'NOT_OWNER', reason: `${from} sent an update for ${message.info.id}; only a node may update itself` },
        });
        return { state, outputs };
      }
      // Stricter than Inferno, whose server applies an update as a registration, whatever its age
      // (spec/majority.md): the regression stays reachable through delayed registrations.
      const existing = state.peers[from];
      const next = !existing || message.version > existing.version ? store(state, message.info, message.version, outputs) : state;
      outputs.push(send(from, { kind: 'updateAck', originator: from, version: message.version }));
      return { state: next, outputs };
    }
    case 'updateAck': {
      const p = state.pendingUpdate;
      if (!p || message.originator !== state.self.id || message.version < p.version || !p.unacked.includes(from)) return { state, outputs };
      const unacked = p.unacked.filter((u) => u !== from);
      if (unacked.length > 0) return { state: { ...state, pendingUpdate: { ...p, unacked } }, outputs };
      outputs.push({ type: 'cancelTimer', timer: T.retry });
      return { state: { ...state, pendingUpdate: null }, outputs };
    }
    case 'vitalsRequest':
      outputs.push(send(from, { kind: 'vitalsReply', vitals: state.vitals }));
      return { state, outputs };
    case 'vitalsReply': {
      if (!state.polling.includes(from)) return { state, outputs };
      const next = { ...state, polling: state.polling.filter((p) => p !== from) };
      return { state: message.vitals.ready ? next : remove(next, from, 'not ready', outputs), outputs };
    }
  }
}

function onTimer(state: MajorityState, timer: string): Result {
  const outputs: Out[] = [];
  const cfg = state.setup.config;
  switch (timer) {
    case T.registration:
      return { state: resolveRegistration(state, outputs), outputs };
    case T.reannounce: {
      outputs.push({ type: 'setTimer', timer: T.reannounce, after: cfg.reannounceIntervalMs });
      const targets = sorted([...state.setup.seeds, ...Object.keys(state.peers)].filter((s) => s !== state.self.id));
      if (targets.length === 0 || state.registration) return { state, outputs };
      const r = beginRegistration(state, targets);
      return { state: r.state, outputs: [...outputs, ...r.outputs] };
    }
    case T.retry: {
      const p = state.pendingUpdate;
      if (!p || p.attempt >= cfg.maxUpdateRetries) return { state: { ...state, pendingUpdate: null }, outputs };
      for (const t of p.unacked) outputs.push(send(t, { kind: 'update', originator: state.self.id, info: state.self, version: state.version }));
      const attempt = p.attempt + 1;
      outputs.push({ type: 'setTimer', timer: T.retry, after: cfg.retryBaseMs * 2 ** attempt });
      return { state: { ...state, pendingUpdate: { ...p, attempt } }, outputs };
    }
    case T.health: {
      outputs.push({ type: 'setTimer', timer: T.health, after: cfg.healthIntervalMs });
      const backends = sorted(Object.keys(state.peers).filter((id) => state.peers[id].info.nodeType === 'backend'));
      for (const b of backends) outputs.push(send(b, { kind: 'vitalsRequest' }));
      if (backends.length > 0) outputs.push({ type: 'setTimer', timer: T.healthTimeout, after: cfg.healthTimeoutMs });
      return { state: { ...state, polling: backends }, outputs };
    }
    case T.healthTimeout: {
      let next: MajorityState = { ...state, polling: [] };
      for (const b of state.polling) next = remove(next, b, 'unreachable', outputs);
      return { state: next, outputs };
    }
    default:
      return { state, outputs };
  }
}

function step(state: MajorityState, input: Input<MajorityMessage>): Result {
  if (input.type === 'restart') {
    if (state.phase !== 'crashed') return { state, outputs: [] };
    // Hardened: the version survives the crash (kept with the setup) and the restart advances it.
    return start(state.setup, input.now, hardened(state) ? restartVersion(state.version) : 0);
  }
  if (state.phase === 'crashed' || state.phase === 'left') return { state, outputs: [] };
  switch (input.type) {
    case 'crash':
      // Volatile state is lost; the setup is the process's configuration and survives.
      return { state: { ...state, phase: 'crashed', peers: {}, registration: null, pendingUpdate: null, polling: [] }, outputs: [] };
    case 'command':
      return onCommand(state, input.command, input.now);
    case 'receive':
      return onReceive(state, input.from, input.message);
    case 'timer':
      return onTimer(state, input.timer);
  }
}

export function majorityView(state: MajorityState): View {
  const members: Record<NodeId, MemberView> = {};
  for (const [id, e] of Object.entries(state.peers)) members[id] = { status: 'alive', version: e.version, info: e.info };
  members[state.self.id] = { status: state.phase === 'left' ? 'left' : 'alive', version: state.version, info: state.self };
  return { self: state.self.id, members };
}

/** Backends this node would route to: known, of type backend, not removed by health checks. */
export function getHealthyBackends(state: MajorityState): NodeInfo[] {
  return Object.values(state.peers)
    .map((e) => e.info)
    .filter((i) => i.nodeType === 'backend')
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

export const majorityNode: NodeBehaviour<MajorityState, MajorityMessage, MajorityConfig> = {
  protocol: 'majority',
  init: (setup) => start(setup, setup.now),
  step,
  view: majorityView,
  encode: canonicalJson,
};
