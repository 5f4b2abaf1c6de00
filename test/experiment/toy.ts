/**
 * A trivial heartbeat protocol to test the simulator with: every node sends its record to every seed
 * each period; a member not heard from for `timeoutMs` is declared failed, and alive again when heard.
 * Small on purpose: the expected outcome of every scenario can be worked out by hand.
 */
import { canonicalJson } from '../../spec/canonical.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import { type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import { SHARED_PROPERTIES } from '../../spec/properties.js';
import type { Input, NodeBehaviour, NodeSetup, Output, StepResult } from '../../spec/step.js';
import type { MemberView, View } from '../../spec/view.js';
import type { SimProtocol } from '../../experiment/sim-protocol.js';

export interface HeartbeatConfig {
  readonly periodMs: number;
  readonly timeoutMs: number;
  /** Send the new record at once on an update (true), or wait for the next period (a deliberately slow variant). */
  readonly beatOnUpdate?: boolean;
}
export type Beat = { readonly kind: 'beat'; readonly info: NodeInfo; readonly version: number };
interface Known {
  readonly info: NodeInfo;
  readonly version: number;
  readonly lastSeen: number;
  readonly failed: boolean;
}
export interface HeartbeatState {
  readonly setup: NodeSetup<HeartbeatConfig>;
  readonly up: boolean;
  readonly self: NodeInfo;
  readonly version: number;
  readonly known: Readonly<Record<NodeId, Known>>;
}
type Out = Output<Beat>;

function beats(s: HeartbeatState): Out[] {
  return s.setup.seeds.map((to): Out => ({ type: 'send', to, message: { kind: 'beat', info: s.self, version: s.version } }));
}

function start(setup: NodeSetup<HeartbeatConfig>, now: number): StepResult<HeartbeatState, Beat> {
  const self = { ...setup.info, lastUpdated: now };
  const state: HeartbeatState = { setup, up: true, self, version: 0, known: {} };
  return {
    state,
    outputs: [{ type: 'notify', event: { kind: 'announced', info: self, version: 0 } }, ...beats(state), { type: 'setTimer', timer: 'tick', after: setup.config.periodMs }],
  };
}

function step(s: HeartbeatState, input: Input<Beat>): StepResult<HeartbeatState, Beat> {
  if (input.type === 'restart') return s.up ? { state: s, outputs: [] } : start(s.setup, input.now);
  if (!s.up) return { state: s, outputs: [] };
  switch (input.type) {
    case 'crash':
      return { state: { ...s, up: false, known: {} }, outputs: [] };
    case 'receive': {
      const { info, version } = input.message;
      const was = s.known[info.id];
      const outputs: Out[] = [];
      if (!was) outputs.push({ type: 'notify', event: { kind: 'joined', member: info.id, info } });
      else if (was.failed) outputs.push({ type: 'notify', event: { kind: 'alive', member: info.id } });
      else if (version > was.version) outputs.push({ type: 'notify', event: { kind: 'updated', member: info.id, info } });
      const keep = was && was.version > version;
      const entry: Known = keep ? { ...was, lastSeen: input.now, failed: false } : { info, version, lastSeen: input.now, failed: false };
      return { state: { ...s, known: { ...s.known, [info.id]: entry } }, outputs };
    }
    case 'timer': {
      const outputs: Out[] = [...beats(s), { type: 'setTimer', timer: 'tick', after: s.setup.config.periodMs }];
      const known: Record<NodeId, Known> = { ...s.known };
      for (const [id, k] of Object.entries(s.known)) {
        if (!k.failed && input.now - k.lastSeen > s.setup.config.timeoutMs) {
          known[id] = { ...k, failed: true };
          outputs.push({ type: 'notify', event: { kind: 'failed', member: id } });
        }
      }
      return { state: { ...s, known }, outputs };
    }
    case 'command': {
      if (input.command.kind !== 'update') return { state: s, outputs: [] };
      const self = { ...s.self, ...input.command.patch, lastUpdated: input.now };
      const version = s.version + 1;
      const next = { ...s, self, version };
      const now = s.setup.config.beatOnUpdate === false ? [] : beats(next);
      return { state: next, outputs: [{ type: 'notify', event: { kind: 'announced', info: self, version } }, ...now] };
    }
  }
}

export function heartbeatMember(s: HeartbeatState, id: NodeId): MemberView | undefined {
  if (id === s.self.id) return { status: 'alive', version: s.version, info: s.self };
  const k = s.known[id];
  return k ? { status: k.failed ? 'dead' : 'alive', version: k.version, info: k.info } : undefined;
}

function view(s: HeartbeatState): View {
  const members: Record<NodeId, MemberView> = {};
  for (const id of Object.keys(s.known)) members[id] = heartbeatMember(s, id)!;
  members[s.self.id] = heartbeatMember(s, s.self.id)!;
  return { self: s.self.id, members };
}

export const heartbeatNode: NodeBehaviour<HeartbeatState, Beat, HeartbeatConfig> = {
  protocol: 'heartbeat',
  init: (setup) => start(setup, setup.now),
  step,
  view,
  encode: canonicalJson,
};

export function heartbeatProtocol(config: HeartbeatConfig = { periodMs: 1000, timeoutMs: 3000 }): SimProtocol<HeartbeatState, Beat, HeartbeatConfig> {
  const definition: ProtocolDefinition<HeartbeatState, Beat, HeartbeatConfig> = {
    name: 'heartbeat',
    behaviour: heartbeatNode,
    properties: SHARED_PROPERTIES,
    cluster: (n, options) => standardCluster(n, config, options),
  };
  return {
    definition,
    sizeOf: (m) => JSON.stringify(m).length,
    sizeNote: 'JSON text length',
    kindOf: (m) => m.kind,
    memberView: heartbeatMember,
    periodMs: config.periodMs,
    steadyWindowMs: 5 * config.periodMs,
  };
}
