import { makeNodeInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';

/** An Input without its clock reading (distributes over the union, unlike Omit). */
export type Untimed<M> = Input<M> extends infer T ? (T extends unknown ? Omit<T, 'now'> : never) : never;
import type { MemberUpdate, SwimMessage } from '../../spec/swim.js';
import { SWIM_LAN, type SwimCoreConfig, swimCore, type SwimState } from '../../impl/swim/index.js';

export const CFG: SwimCoreConfig = { ...SWIM_LAN, gossipIntervalMs: 0, pushPullIntervalMs: 0 };

export function setup(id: string, seeds: string[] = [], config: SwimCoreConfig = CFG): NodeSetup<SwimCoreConfig> {
  return { id, info: makeNodeInfo(id, `10.0.0.${id.slice(1)}:8080`, 9090, id === 'n1' ? 'proxy' : 'backend', 0), seeds, now: 0, rngSeed: 7, config };
}

export function aliveOf(id: string, incarnation = 0): MemberUpdate {
  const s = setup(id);
  return { kind: 'alive', member: id, incarnation, info: s.info, health: { ready: true, loadBucket: 0 } };
}

/** n1 knowing n2..nN alive, after its init. */
export function nodeKnowing(n: number, config: SwimCoreConfig = CFG): SwimState {
  let state = swimCore.init(setup('n1', [], config)).state;
  const updates = Array.from({ length: n - 1 }, (_, i) => aliveOf(`n${i + 2}`));
  state = swimCore.step(state, { type: 'receive', from: 'n2', message: { kind: 'gossip', updates }, now: 0 }).state;
  return state;
}

export function step(state: SwimState, input: Untimed<SwimMessage>, now = 0) {
  return swimCore.step(state, { ...input, now } as Input<SwimMessage>);
}

export function recv(state: SwimState, from: string, message: SwimMessage, now = 0) {
  return step(state, { type: 'receive', from, message }, now);
}

export function timer(state: SwimState, name: string, now = 0, choice?: string[]) {
  return step(state, choice ? { type: 'timer', timer: name, choice } : { type: 'timer', timer: name }, now);
}

export function sends(outputs: readonly Output<SwimMessage>[]) {
  return outputs.flatMap((o) => (o.type === 'send' ? [{ to: o.to, message: o.message }] : []));
}

export function notes(outputs: readonly Output<SwimMessage>[]) {
  return outputs.flatMap((o) => (o.type === 'notify' ? [o.event] : []));
}

export function timersSet(outputs: readonly Output<SwimMessage>[]) {
  return Object.fromEntries(outputs.flatMap((o) => (o.type === 'setTimer' ? [[o.timer, o.after] as const] : [])));
}
