/**
 * The synthetic model the checker is measured and proven on: N independent counters mod M, each
 * advanced by its own node when its `tick` timer fires. Under async timing its reachable states are
 * exactly M^N (every combination of counter values), and M^N-combinations-with-repetition under
 * symmetry, so a checker's counts can be compared with the closed form.
 */
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import type { NodeId } from '../../spec/node.js';
import type { Observation, Property } from '../../spec/properties.js';
import { type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import type { Input, NodeSetup, Output } from '../../spec/step.js';
import { machineBehaviour } from '../adapter.js';

export interface CountersConfig {
  /** Each counter counts modulo this. */
  readonly modulus: number;
}

type Ev = Input<never>;
type Out = Output<never>;

export const counterMachine = setup({
  types: {
    context: {} as { id: NodeId; count: number; modulus: number },
    input: {} as NodeSetup<CountersConfig>,
    events: {} as Ev,
    emitted: {} as Out,
  },
  guards: {
    isTick: ({ event }) => event.type === 'timer' && event.timer === 'tick',
  },
  actions: {
    advance: assign({ count: ({ context }) => (context.count + 1) % context.modulus }),
    armTick: emit({ type: 'setTimer', timer: 'tick', after: 1 } as Out),
  },
}).createMachine({
  context: ({ input }) => ({ id: input.id, count: 0, modulus: input.config.modulus }),
  initial: 'counting',
  entry: 'armTick',
  states: {
    counting: {
      on: { timer: { guard: 'isTick', actions: ['advance', 'armTick'] } },
    },
  },
});

export type CounterSnapshot = SnapshotFrom<typeof counterMachine>;

/** The counter as a View: one member (itself) whose version is its count. */
export const counterBehaviour = machineBehaviour<typeof counterMachine, never, CountersConfig>(counterMachine, {
  protocol: 'counters',
  view: (s) => ({
    self: s.context.id,
    members: {
      [s.context.id]: {
        status: 'alive',
        version: s.context.count,
        info: { id: s.context.id, address: '', metricsPort: 1, nodeType: 'backend', isLoadBalancer: false, capabilities: [], lastUpdated: 0 },
      },
    },
  }),
});

/** The first counter for which `bad` holds, or undefined. Properties run on every new state of a
 * 10^7-state benchmark, so this walks the Views in place instead of building arrays. */
function findCounter(obs: Observation, bad: (c: number) => boolean): number | undefined {
  for (const id in obs.views) {
    const v = obs.views[id];
    const c = v.members[v.self].version;
    if (bad(c)) return c;
  }
  return undefined;
}

export function countersProperties(modulus: number): Property[] {
  return [
    {
      name: 'inRange',
      temporal: 'always',
      meaning: `every counter stays in 0..${modulus - 1}`,
      assumptions: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule' },
      check: (obs) => {
        const bad = findCounter(obs, (c) => c < 0 || c >= modulus);
        return bad === undefined ? null : { property: 'inRange', detail: `a counter reached ${bad}` };
      },
    },
    {
      name: 'allAtTop',
      temporal: 'sometimes',
      meaning: `every counter at ${modulus - 1} at once`,
      assumptions: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'reachability sanity check' },
      check: (obs) => (findCounter(obs, (c) => c !== modulus - 1) === undefined ? null : { property: 'allAtTop', detail: 'not every counter is at the top' }),
    },
  ];
}

export function countersProtocol(modulus = 10): ProtocolDefinition<CounterSnapshot, never, CountersConfig> {
  if (!Number.isInteger(modulus) || modulus < 1) throw new RangeError(`modulus must be a whole number ≥ 1, got ${modulus}`);
  return {
    name: 'counters',
    behaviour: counterBehaviour,
    properties: countersProperties(modulus),
    cluster: (n, options) => standardCluster(n, { modulus }, options),
    // Counters never mention each other: a renamed counter is the same counter under another name.
    symmetry: {
      rename: (s, map) => counterMachine.resolveState({ value: s.value, context: { ...s.context, id: map[s.context.id] ?? s.context.id } }),
      renameMessage: (m) => m,
    },
  };
}
