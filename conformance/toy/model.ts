/**
 * The toy protocol as an XState machine: the reference the toy implementations are judged against.
 *
 *   up ──crash──▶ down ──restart──▶ up
 */
import { type SnapshotFrom, assign, enqueueActions, setup } from 'xstate';
import { type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';
import type { MemberView, View } from '../../spec/view.js';
import { machineBehaviour } from '../../model/adapter.js';
import { TOY_DEFAULTS, TOY_TICK, type ToyConfig, type ToyMessage } from './messages.js';

export interface ToyContext {
  readonly id: NodeId;
  readonly info: NodeInfo;
  readonly seeds: readonly NodeId[];
  readonly tickMs: number;
  readonly seq: number;
  /** Pongs received, per peer. */
  readonly pongs: Readonly<Record<NodeId, number>>;
}

type Ev = Input<ToyMessage>;
type Out = Output<ToyMessage>;

export const toyMachine = setup({
  types: { context: {} as ToyContext, input: {} as NodeSetup<ToyConfig>, events: {} as Ev, emitted: {} as Out },
  guards: {
    isPing: ({ event }) => event.type === 'receive' && event.message.kind === 'ping',
    isPong: ({ event }) => event.type === 'receive' && event.message.kind === 'pong',
    isTickWithPeers: ({ context, event }) => event.type === 'timer' && event.timer === TOY_TICK && context.seeds.length > 0,
  },
  actions: {
    announceAndArm: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'notify', event: { kind: 'announced', info: context.info, version: 0 } });
      enqueue.emit({ type: 'setTimer', timer: TOY_TICK, after: context.tickMs });
    }),
    answerPing: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'receive') return;
      enqueue.emit({ type: 'send', to: event.from, message: { kind: 'pong', seq: event.message.seq } });
    }),
    countPong: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'receive') return;
      const n = (context.pongs[event.from] ?? 0) + 1;
      if (n === 1) enqueue.emit({ type: 'notify', event: { kind: 'alive', member: event.from } });
      enqueue.assign({ pongs: { ...context.pongs, [event.from]: n } });
    }),
    pingChosenPeer: enqueueActions(({ context, event, enqueue }) => {
      const to = event.choice?.[0] ?? context.seeds[0];
      enqueue.emit({ type: 'send', to, message: { kind: 'ping', seq: context.seq } });
      enqueue.emit({ type: 'setTimer', timer: TOY_TICK, after: context.tickMs });
      enqueue.assign({ seq: context.seq + 1 });
    }),
    forget: assign({ pongs: {}, seq: 0 }),
  },
}).createMachine({
  id: 'toyNode',
  context: ({ input }) => ({ id: input.id, info: input.info, seeds: [...input.seeds], tickMs: input.config.tickMs, seq: 0, pongs: {} }),
  initial: 'up',
  states: {
    up: {
      entry: 'announceAndArm',
      on: {
        receive: [
          { guard: 'isPing', actions: 'answerPing' },
          { guard: 'isPong', actions: 'countPong' },
        ],
        timer: { guard: 'isTickWithPeers', actions: 'pingChosenPeer' },
        crash: { target: 'down', actions: 'forget' },
      },
    },
    down: { on: { restart: { target: 'up' } } },
  },
});

export type ToySnapshot = SnapshotFrom<typeof toyMachine>;

export function toyView(id: NodeId, info: NodeInfo, pongs: Readonly<Record<NodeId, number>>): View {
  const members: Record<NodeId, MemberView> = { [id]: { status: 'alive', version: 0, info } };
  for (const [peer, n] of Object.entries(pongs)) members[peer] = { status: 'alive', version: n, info: { ...info, id: peer } };
  return { self: id, members };
}

export const toyModel = machineBehaviour<typeof toyMachine, ToyMessage, ToyConfig>(toyMachine, {
  protocol: 'toy',
  view: (s) => toyView(s.context.id, s.context.info, s.context.pongs),
  // Which peer a tick pings is left open: every seed is an enabled choice.
  choices: (s, input) => (s.matches('up') && input.type === 'timer' && input.timer === TOY_TICK && s.context.seeds.length > 0 ? s.context.seeds.map((p) => [p]) : undefined),
});

export const toyProtocol: ProtocolDefinition<ToySnapshot, ToyMessage, ToyConfig> = {
  name: 'toy',
  behaviour: toyModel,
  properties: [],
  cluster: (n, options) => standardCluster(n, TOY_DEFAULTS, options),
};
