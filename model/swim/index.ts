/**
 * The SWIM model as the model checker takes it: the statechart behind the step contract, its View,
 * the choices each input leaves open, and the protocol definition (shared + SWIM's own properties).
 */
import type { SnapshotFrom } from 'xstate';
import type { NodeId } from '../../spec/node.js';
import { SHARED_PROPERTIES } from '../../spec/properties.js';
import { type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import type { Choice, Input } from '../../spec/step.js';
import { SWIM_ASSUMPTIONS, SWIM_PROPERTIES, boundedDissemination } from '../../spec/swim-properties.js';
import { SWIM_TIMERS as T, type SwimConfig, type SwimMessage, parseTimer } from '../../spec/swim.js';
import type { MemberView, View } from '../../spec/view.js';
import { machineBehaviour } from '../adapter.js';
import { swimMachine } from './machine.js';
import { type SwimContext, activeOthers } from './table.js';

export { swimMachine } from './machine.js';
export type { SwimContext } from './table.js';

export type SwimSnapshot = SnapshotFrom<typeof swimMachine>;

/**
 * Small knobs for exhaustive checking: no gossip fan-out or push-pull timers (each would multiply the
 * state space; piggybacking and join still disseminate), a fixed suspicion timeout, dogpile off.
 */
export const SWIM_MODEL_CONFIG: SwimConfig = {
  probeIntervalMs: 1_000,
  probeTimeoutMs: 500,
  indirectChecks: 1,
  suspicionMult: 4,
  suspicionMaxTimeoutMult: 6,
  retransmitMult: 2,
  awarenessMaxMultiplier: 2,
  gossipIntervalMs: 0,
  gossipNodes: 1,
  pushPullIntervalMs: 0,
  reconnectIntervalMs: 0,
  joinRetryMs: 1_000,
  joinMaxAttempts: 2,
  reapAfterMs: 0,
  metadataMinIntervalMs: 0,
  dogpile: false,
  suspicionTimeoutMs: 2_000,
  packetBudgetBytes: 1_300,
};

export function swimModelView(snapshot: SwimSnapshot): View {
  return swimContextView(snapshot.context);
}

/** The View of a SWIM context alone: what a machine holding SWIM as a sub-behaviour (model/hybrid) reads. */
export function swimContextView(c: SwimContext): View {
  const members: Record<NodeId, MemberView> = {};
  for (const id of Object.keys(c.members).sort()) {
    const m = c.members[id];
    members[id] = { status: m.status, version: m.incarnation, info: m.info };
  }
  return { self: c.id, members };
}

function subsets(items: readonly string[], k: number): string[][] {
  if (k <= 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...subsets(rest, k - 1).map((s) => [first, ...s]), ...subsets(rest, k)];
}

/** The choices an input leaves open: probe target, ping-req helpers, gossip targets, push-pull peer, reconnect target. */
export function swimChoices<M>(snapshot: SwimSnapshot, input: Input<M>): readonly Choice[] | undefined {
  if (input.type !== 'timer' || !snapshot.matches('running')) return undefined;
  const c = snapshot.context;
  const { base, key } = parseTimer(input.timer);
  const one = (ids: string[]) => (ids.length > 0 ? ids.map((id) => [id]) : undefined);
  switch (base) {
    case T.probe:
      return one(activeOthers(c));
    case T.ackTimeout: {
      if (!c.probe || c.probe.indirect || String(c.probe.seq) !== key) return undefined;
      const pool = activeOthers(c, c.probe.target).filter((id) => c.members[id].status === 'alive');
      const k = Math.min(c.cfg.indirectChecks, pool.length);
      return k > 0 ? subsets(pool, k) : undefined;
    }
    case T.gossip: {
      const pool = activeOthers(c);
      const k = Math.min(c.cfg.gossipNodes, pool.length);
      return c.queue.length > 0 && k > 0 ? subsets(pool, k) : undefined;
    }
    case T.pushPull:
      return one(activeOthers(c).filter((id) => c.members[id].status === 'alive'));
    case T.reconnect: {
      // A node draws any member and tries it only if dead: "no try" ([]) is always a possible outcome.
      const dead = Object.keys(c.members).filter((id) => id !== c.id && c.members[id].status === 'dead').sort();
      return dead.length > 0 ? [[], ...dead.map((id) => [id])] : undefined;
    }
    default:
      return undefined;
  }
}

export const swimModel = machineBehaviour<typeof swimMachine, SwimMessage, SwimConfig>(swimMachine, {
  protocol: 'swim',
  view: swimModelView,
  choices: swimChoices,
});

/**
 * boundedDissemination at n = 2, where the retransmit limit λ·⌈log10(n+1)⌉ is λ (stated from the
 * formula, not by calling spec/swim.ts retransmitLimit, so that a wrong limit cannot move its own
 * claim): the λ copies go out on the holder's next pings (one per probe period, the period stretched
 * up to awarenessMaxMultiplier times by failed probes), the last arriving within a probe timeout.
 * Losses: all but one copy.
 */
const TWO_NODE_LIMIT = SWIM_MODEL_CONFIG.retransmitMult;
const DISSEMINATION = boundedDissemination(
  TWO_NODE_LIMIT * SWIM_MODEL_CONFIG.awarenessMaxMultiplier * SWIM_MODEL_CONFIG.probeIntervalMs + SWIM_MODEL_CONFIG.probeTimeoutMs,
  TWO_NODE_LIMIT - 1,
);

export const swimProtocol: ProtocolDefinition<SwimSnapshot, SwimMessage, SwimConfig> = {
  name: 'swim',
  behaviour: swimModel,
  properties: [...SHARED_PROPERTIES, ...SWIM_PROPERTIES, DISSEMINATION],
  cluster: (n, options) => standardCluster(n, SWIM_MODEL_CONFIG, options),
  updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
  // What `alice check swim` runs under unless told otherwise (spec/swim.md §Faults): one crash or one
  // operator update per run, the budget at which the 3-node search still finishes its early levels.
  faults: { kinds: ['crash', 'update'], budget: 2 },
  features: { pushPull: false },
  assumptions: SWIM_ASSUMPTIONS,
};
