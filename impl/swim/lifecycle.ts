/**
 * Membership lifecycle: start, join through seeds with retries, graceful leave, rejoin with a higher
 * incarnation, crash and restart, and reaping of dead and left members.
 */
import type { NodeId } from '../../spec/node.js';
import { DEFAULT_HEALTH, type MemberRecord, SWIM_TIMERS, pushPullPeriod, timerName } from '../../spec/swim.js';
import type { NodeSetup } from '../../spec/step.js';
import { EMPTY_QUEUE } from './broadcast-queue.js';
import { SWIM_LAN, type SwimCoreConfig, validateSwimConfig } from './config.js';
import { announceSelf, applyUpdate } from './dissemination.js';
import { allMembers, emptyTable, isActive, makeMember, toRecord } from './membership.js';
import { EMPTY_ORDER, removeFromProbeOrder } from './probe-order.js';
import { mergeRecords, tableRecords } from './push-pull.js';
import { type Draft, Step } from './state.js';
import { NO_SUSPICIONS } from './suspicion.js';

const configs = new WeakMap<SwimCoreConfig, SwimCoreConfig>();

/**
 * A node's full config: the LAN defaults under its setup's, validated. One object per setup config,
 * shared by every node given the same one: every step reads it, and at 10,000 nodes a copy per node
 * was a cache miss per step.
 */
export function configOf(setup: NodeSetup<SwimCoreConfig>): SwimCoreConfig {
  const given = setup.config;
  if (given === undefined) return validateSwimConfig({ ...SWIM_LAN });
  let cfg = configs.get(given);
  if (cfg === undefined) {
    cfg = validateSwimConfig({ ...SWIM_LAN, ...given });
    configs.set(given, cfg);
  }
  return cfg;
}

/** A fresh node, as at process start: incarnation 0, only itself in its table. */
export function freshState(setup: NodeSetup<SwimCoreConfig>, cfg: SwimCoreConfig): Draft {
  return {
    setup,
    id: setup.id,
    cfg,
    phase: 'running',
    joined: true,
    joinAttempts: 0,
    joinSeeds: [],
    incarnation: 0,
    info: setup.info,
    health: DEFAULT_HEALTH,
    table: emptyTable(),
    queue: EMPTY_QUEUE,
    rng: setup.rngSeed | 0,
    seq: 0,
    probe: null,
    probeOrder: EMPTY_ORDER,
    probeIndex: 0,
    relays: {},
    suspicions: NO_SUSPICIONS,
    awareness: 0,
    lastMetaChange: null,
    pendingHealth: null,
  };
}

/** Announce, arm the periodic timers, and join through `seeds` (none: this node starts a cluster). */
export function start(st: Step, seeds: readonly NodeId[]): void {
  const cfg = st.s.cfg;
  announceSelf(st);
  st.setTimer(SWIM_TIMERS.probe, cfg.probeIntervalMs);
  if (cfg.gossipIntervalMs > 0) st.setTimer(SWIM_TIMERS.gossip, cfg.gossipIntervalMs);
  if (cfg.pushPullIntervalMs > 0) st.setTimer(SWIM_TIMERS.pushPull, pushPullPeriod(cfg.pushPullIntervalMs, st.s.table.size));
  if (cfg.reconnectIntervalMs > 0) st.setTimer(SWIM_TIMERS.reconnect, cfg.reconnectIntervalMs);
  startJoin(st, seeds);
}

function selfRecord(st: Step): MemberRecord {
  const s = st.s;
  return { member: s.id, status: 'alive', incarnation: s.incarnation, info: s.info, health: s.health };
}

export function startJoin(st: Step, seeds: readonly NodeId[]): void {
  const s = st.s;
  const others = seeds.filter((id) => id !== s.id);
  s.joinSeeds = others;
  s.joinAttempts = 0;
  s.joined = others.length === 0;
  if (!s.joined) sendJoin(st);
}

/** One attempt: every seed at once, so one seed that is down does not stall the join. */
function sendJoin(st: Step): void {
  const s = st.s;
  const self = selfRecord(st);
  for (const seed of s.joinSeeds) st.send(seed, { kind: 'join', self });
  st.setTimer(SWIM_TIMERS.join, s.cfg.joinRetryMs);
}

export function onJoinTimer(st: Step): void {
  const s = st.s;
  if (s.joined) return;
  s.joinAttempts += 1;
  if (s.joinAttempts < s.cfg.joinMaxAttempts) {
    sendJoin(st);
    return;
  }
  s.joined = true;
  st.notify({
    kind: 'rejected',
    code: 'JOIN_FAILED',
    reason: `no seed of ${s.joinSeeds.join(', ')} answered after ${s.joinAttempts} attempts; check that a seed is up and reachable, then join again`,
  });
}

/** A joiner introduced itself: learn it (by the precedence rules) and answer with the whole table. */
export function onJoin(st: Step, from: NodeId, self: MemberRecord): void {
  if (self.member === from && self.status === 'alive') {
    applyUpdate(st, { kind: 'alive', member: self.member, incarnation: self.incarnation, info: self.info, health: self.health });
  }
  st.send(from, { kind: 'syncReply', members: tableRecords(st) });
}

export function onSyncReply(st: Step, from: NodeId, members: readonly MemberRecord[]): void {
  const s = st.s;
  const joining = !s.joined;
  if (joining) {
    s.joined = true;
    st.cancelTimer(SWIM_TIMERS.join);
  }
  mergeRecords(st, members, from);
  // Now the cluster's size is known: time anti-entropy by it, not by the size-1 table at start.
  if (joining && s.cfg.pushPullIntervalMs > 0) st.setTimer(SWIM_TIMERS.pushPull, pushPullPeriod(s.cfg.pushPullIntervalMs, s.table.size));
}

/**
 * Graceful leave: the node marks itself left, tells every active member directly (a leave must not
 * depend on a node that is about to stop gossiping), and goes quiet. Others record it as left, not failed.
 */
export function leave(st: Step): void {
  const s = st.s;
  st.put(makeMember(s.id, 'left', s.incarnation, s.info, s.health, st.now));
  const update = { kind: 'left', member: s.id, incarnation: s.incarnation } as const;
  for (const m of allMembers(s.table)) if (m.id !== s.id && isActive(m)) st.send(m.id, { kind: 'gossip', updates: [update] });
  st.cancelTimer(SWIM_TIMERS.probe);
  if (s.cfg.gossipIntervalMs > 0) st.cancelTimer(SWIM_TIMERS.gossip);
  if (s.cfg.pushPullIntervalMs > 0) st.cancelTimer(SWIM_TIMERS.pushPull);
  if (s.cfg.reconnectIntervalMs > 0) st.cancelTimer(SWIM_TIMERS.reconnect);
  if (!s.joined) st.cancelTimer(SWIM_TIMERS.join);
  s.phase = 'left';
  s.joined = true;
  s.probe = null;
  s.relays = {};
  s.suspicions = NO_SUSPICIONS;
  s.queue = EMPTY_QUEUE;
  s.pendingHealth = null;
}

/** Coming back after a leave: a higher incarnation outbids the `left` record everyone holds. */
export function rejoin(st: Step, seeds: readonly NodeId[]): void {
  const s = st.s;
  s.phase = 'running';
  s.incarnation += 1;
  start(st, seeds);
}

/** A dead or left member's time is up: forget it. */
export function onReapTimer(st: Step, member: NodeId): void {
  const m = st.member(member);
  if (!m || (m.status !== 'dead' && m.status !== 'left')) return;
  st.remove(member);
  removeFromProbeOrder(st, member);
  st.notify({ kind: 'removed', member, reason: `reaped ${st.s.cfg.reapAfterMs} ms after it was marked ${m.status}` });
}

export { toRecord, timerName };
