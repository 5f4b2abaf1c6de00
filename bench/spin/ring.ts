/**
 * Chang–Roberts leader election on a unidirectional ring, the Alice side of bench/spin/ring.pml.
 * Node k (n(k+1)) has id N − k and sends only to node k+1 mod N, so every id but the largest is
 * forwarded until it meets a larger one (the most messages Chang–Roberts can send: N(N+1)/2).
 * A node starts when its `start` timer fires (it sends its own id); a node receiving v forwards it if
 * v is larger than its own id, becomes leader if v is its own id, and drops it otherwise. Channels
 * are FIFO (checked with `ordered: true`), as SPIN's are.
 */
import { AliceError, type NodeBehaviour, type Observation, type Output, type Property, type ProtocolDefinition, clusterIds, standardCluster } from '../../index.js';
import { anySchedule, jsonState } from './model-kit.js';

export interface RingNode {
  readonly id: string;
  readonly me: number;
  readonly next: string;
  readonly leader: boolean;
}
export type RingMessage = number;

export interface RingConfig {
  readonly n: number;
}

const behaviour: NodeBehaviour<RingNode, RingMessage, RingConfig> = {
  protocol: 'ring-election',
  init: (setup) => {
    const ids = clusterIds(setup.config.n);
    const k = ids.indexOf(setup.id);
    const state: RingNode = { id: setup.id, me: setup.config.n - k, next: ids[(k + 1) % ids.length], leader: false };
    return { state, outputs: [{ type: 'setTimer', timer: 'start', after: 1 }] };
  },
  step: (s, input) => {
    if (input.type === 'timer' && input.timer === 'start') return { state: s, outputs: [{ type: 'send', to: s.next, message: s.me }] };
    if (input.type !== 'receive') return { state: s, outputs: [] };
    const v = input.message;
    if (v > s.me) return { state: s, outputs: [{ type: 'send', to: s.next, message: v } satisfies Output<RingMessage>] };
    if (v === s.me) return { state: { ...s, leader: true }, outputs: [] };
    return { state: s, outputs: [] };
  },
  ...jsonState<RingNode, RingMessage, RingConfig>(),
};

const leaders = (obs: Observation) => Object.values(obs.states ?? {}).filter((s) => (s as RingNode).leader) as RingNode[];

const properties: Property[] = [
  {
    name: 'oneLeader',
    temporal: 'always',
    meaning: 'at most one node is leader, and a leader holds the largest id',
    assumptions: anySchedule,
    check: (obs) => {
      const l = leaders(obs);
      const n = Object.keys(obs.states ?? {}).length;
      if (l.length > 1) return { property: 'oneLeader', detail: `${l.length} leaders: ${l.map((x) => x.id).join(', ')}` };
      if (l.length === 1 && l[0].me !== n) return { property: 'oneLeader', node: l[0].id, detail: `leader has id ${l[0].me}, not ${n}` };
      return null;
    },
  },
  {
    name: 'elected',
    temporal: 'sometimes',
    meaning: 'a leader is elected',
    assumptions: anySchedule,
    check: (obs) => (leaders(obs).length > 0 ? null : { property: 'elected', detail: 'no leader yet' }),
  },
];

export function ringElection(n: number): ProtocolDefinition<RingNode, RingMessage, RingConfig> {
  if (!Number.isInteger(n) || n < 2 || n > 8) throw new AliceError('USAGE', `ring election takes 2..8 nodes, got ${n}`);
  return {
    name: 'ring-election',
    behaviour,
    properties,
    nodes: n,
    describe: (s) => `id ${s.me}${s.leader ? ', leader' : ''}`,
    describeMessage: (m) => `id ${m}`,
    // Once elected, nothing is left to do: the other ids were dropped on the way.
    isFinal: (obs) => leaders(obs).length > 0,
    cluster: (size, options) => standardCluster(size, { n: size }, options),
  };
}
