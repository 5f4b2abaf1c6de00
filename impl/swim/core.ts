/**
 * The SWIM core behind the step contract: a pure `step(state, input)`. No sockets, timers, clocks or
 * randomness inside: time comes on every input, chance from the seeded generator kept in the state
 * (each drawn choice is reported in StepResult.choice so a harness can replay it into the model), and
 * every effect is an Output the runtime carries out. See state.ts for how steps stay pure without
 * copying the member table.
 */
import { canonicalJson } from '../../spec/canonical.js';
import type { NodeId } from '../../spec/node.js';
import type { Command, Input, NodeBehaviour, NodeSetup, Output, StepResult } from '../../spec/step.js';
import { SWIM_TIMERS, type SwimMessage, parseSwimTimer } from '../../spec/swim.js';
import type { MemberView, View } from '../../spec/view.js';
import type { SwimCoreConfig } from './config.js';
import { applyUpdate, onGossipTimer, onSuspicionTimeout } from './dissemination.js';
import { configOf, freshState, leave, onJoin, onJoinTimer, onReapTimer, onSyncReply, rejoin, start, startJoin } from './lifecycle.js';
import { levelEntries } from './broadcast-queue.js';
import { allMembers } from './membership.js';
import { orderIds } from './probe-order.js';
import { onMetadataTimer, onUpdateCommand, onVitals } from './metadata.js';
import { onAckTimeout, onMessage, onProbeEnd, onProbeTimer, onRelayTimeout } from './probe.js';
import { onPushPullTimer, onReconnectTimer, onSync } from './push-pull.js';
import { Step, type SwimState, draftOf, hasCurrentUpdate } from './state.js';
import { NO_SUSPICIONS, suspicionRecord } from './suspicion.js';

export type { SwimState } from './state.js';

function finish(st: Step): StepResult<SwimState, SwimMessage> {
  return st.choice ? { state: st.s, outputs: st.outputs, choice: st.choice } : { state: st.s, outputs: st.outputs };
}

function boot(setup: NodeSetup<SwimCoreConfig>, now: number): StepResult<SwimState, SwimMessage> {
  const cfg = configOf(setup);
  const st = new Step(freshState(setup, cfg), now, undefined);
  start(st, setup.seeds);
  return finish(st);
}

function onReceive(st: Step, from: NodeId, message: SwimMessage): void {
  if (onMessage(st, from, message)) return;
  switch (message.kind) {
    case 'join':
      onJoin(st, from, message.self);
      return;
    case 'sync':
      onSync(st, from, message.members);
      return;
    case 'syncReply':
      onSyncReply(st, from, message.members);
      return;
  }
}

function onTimer(st: Step, name: string): void {
  const t = parseSwimTimer(name);
  if (t === undefined) return;
  switch (t.kind) {
    case 'probe':
      return onProbeTimer(st);
    case 'probeEnd':
      return onProbeEnd(st, t.seq);
    case 'ackTimeout':
      return onAckTimeout(st, t.seq);
    case 'relay':
      return onRelayTimeout(st, t.seq);
    case 'suspicion':
      return onSuspicionTimeout(st, t.member);
    case 'gossip':
      return onGossipTimer(st);
    case 'pushPull':
      return onPushPullTimer(st);
    case 'reconnect':
      return onReconnectTimer(st);
    case 'join':
      return onJoinTimer(st);
    case 'reap':
      return onReapTimer(st, t.member);
    case 'metadata':
      return onMetadataTimer(st);
  }
}

function onCommand(st: Step, command: Command): void {
  switch (command.kind) {
    case 'join':
      return startJoin(st, command.seeds);
    case 'leave':
      return leave(st);
    case 'update':
      return onUpdateCommand(st, command.patch);
    case 'vitals':
      return onVitals(st, command.vitals);
  }
}

/**
 * What an idle gossip tick outputs, for the gossip interval it was last made for (the one field it
 * reads, so nodes with different config objects share it). Frozen: never mutated.
 */
let idleInterval = NaN;
let idleOutputs: readonly Output<SwimMessage>[] = [];

function idleGossip(cfg: SwimCoreConfig): readonly Output<SwimMessage>[] {
  if (cfg.gossipIntervalMs !== idleInterval) {
    // onGossipTimer's re-arm, with the same clamp Step.setTimer applies.
    idleOutputs = Object.freeze(cfg.gossipIntervalMs > 0 ? [Object.freeze({ type: 'setTimer', timer: SWIM_TIMERS.gossip, after: Math.max(0, cfg.gossipIntervalMs) } as const)] : []);
    idleInterval = cfg.gossipIntervalMs;
  }
  return idleOutputs;
}

function step(state: SwimState, input: Input<SwimMessage>): StepResult<SwimState, SwimMessage> {
  if (input.type === 'restart') return boot(state.setup, input.now);
  if (state.phase === 'crashed') return { state, outputs: [] };
  // The process is gone: volatile state with it. The table stays only so the View can be inspected.
  if (input.type === 'crash') return { state: { ...state, phase: 'crashed', probe: null, relays: {}, suspicions: NO_SUSPICIONS }, outputs: [] };
  if (state.phase === 'left') {
    if (input.type !== 'command' || input.command.kind !== 'join') return { state, outputs: [] };
    const st = new Step(draftOf(state), input.now, input.choice);
    rejoin(st, input.command.seeds);
    return finish(st);
  }
  // The gossip tick with nothing to send (most of them: 5 a second per node) only re-arms itself,
  // exactly as onGossipTimer would, without drafting a state that would come out unchanged.
  if (input.type === 'timer' && input.timer === SWIM_TIMERS.gossip && !hasCurrentUpdate(state)) return { state, outputs: idleGossip(state.cfg) };
  const st = new Step(draftOf(state), input.now, input.choice);
  switch (input.type) {
    case 'receive':
      onReceive(st, input.from, input.message);
      break;
    case 'timer':
      onTimer(st, input.timer);
      break;
    case 'command':
      onCommand(st, input.command);
      break;
  }
  return finish(st);
}

const views = new WeakMap<SwimState, View>();

/** What this node believes: every member it holds, with its incarnation as the version. */
export function swimView(state: SwimState): View {
  const cached = views.get(state);
  if (cached) return cached;
  const members: Record<NodeId, MemberView> = {};
  for (const m of allMembers(state.table)) members[m.id] = { status: m.status, version: m.incarnation, info: m.info };
  const view = { self: state.id, members };
  views.set(state, view);
  return view;
}

/** Canonical text of a state (the config is the setup's, so only the setup is written). */
export function encodeSwimState(state: SwimState): string {
  const { cfg: _cfg, table, setup, queue, ...rest } = state;
  // A level's array may run past its length (space a later state appended into): write only its own entries.
  const levels = queue.levels.map(levelEntries);
  // The probe order as its ids: member numbers are this process's, not part of the state's value.
  return canonicalJson({ ...rest, suspicions: suspicionRecord(rest.suspicions), setup: { ...setup, config: null }, probeOrder: orderIds(state.probeOrder), table: allMembers(table), queue: { levels, nextOrder: queue.nextOrder } });
}

export const swimNode: NodeBehaviour<SwimState, SwimMessage, SwimCoreConfig> = {
  protocol: 'swim',
  init: (setup) => boot(setup, setup.now),
  step,
  view: swimView,
  encode: encodeSwimState,
};

/** Applies an update outside any message (tests, tools): same rules as gossip. */
export function applySwimUpdate(state: SwimState, update: Parameters<typeof applyUpdate>[1], now: number): StepResult<SwimState, SwimMessage> {
  const st = new Step(draftOf(state), now, undefined);
  applyUpdate(st, update);
  return finish(st);
}
