import type { SnapshotFrom } from 'xstate';
import { MAJORITY_DEFAULTS, type MajorityConfig, type MajorityMessage } from '../../spec/majority.js';
import type { NodeId } from '../../spec/node.js';
import { SHARED_PROPERTIES, orderIndependence } from '../../spec/properties.js';
import { MAJORITY_ASSUMPTIONS, MAJORITY_RULE_PROPERTIES, staleUpdateIgnored } from '../../spec/majority-properties.js';
import { MAJORITY_HARDENED_ASSUMPTIONS, MAJORITY_HARDENED_DEFAULTS, resolveNewest } from '../../spec/majority-hardened.js';
import { type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import type { MemberView, View } from '../../spec/view.js';
import { machineBehaviour } from '../adapter.js';
import { majorityMachine } from './machine.js';
import { modelResolve } from './resolve.js';

export { majorityMachine, type MajorityContext } from './machine.js';
export { modelResolve } from './resolve.js';

export type MajoritySnapshot = SnapshotFrom<typeof majorityMachine>;

/** Every known record is alive (the majority system has no suspicion); the node itself is `left` after leaving. */
export function majorityModelView(snapshot: MajoritySnapshot): View {
  const c = snapshot.context;
  const members: Record<NodeId, MemberView> = {};
  for (const [id, e] of Object.entries(c.peers)) members[id] = { status: 'alive', version: e.version, info: e.info };
  members[c.id] = { status: snapshot.matches('left') ? 'left' : 'alive', version: c.version, info: c.self };
  return { self: c.id, members };
}

export const majorityModel = machineBehaviour<typeof majorityMachine, MajorityMessage, MajorityConfig>(majorityMachine, {
  protocol: 'majority',
  view: majorityModelView,
});

/** The majority model as the checker takes it. */
export const majorityProtocol: ProtocolDefinition<MajoritySnapshot, MajorityMessage, MajorityConfig> = {
  name: 'majority',
  behaviour: majorityModel,
  properties: [...SHARED_PROPERTIES, orderIndependence(modelResolve), ...MAJORITY_RULE_PROPERTIES],
  cluster: (n, options) => standardCluster(n, MAJORITY_DEFAULTS, options),
  updates: (id) => [{ address: `10.1.0.${id.replace(/\D/g, '') || '0'}:8080` }],
  // spec/majority.md §Faults: crashes and operator updates, two per run.
  faults: { kinds: ['crash', 'update'], budget: 2 },
  assumptions: MAJORITY_ASSUMPTIONS,
};

/**
 * The majority-hardened variant (spec/majority-hardened.ts): the same machine with versioned records
 * on, so every node applies only strictly newer records and resolves by version. noRegression and
 * orderIndependence are claimed here, so the checker fails on a violation instead of expecting it.
 */
export const majorityHardenedProtocol: ProtocolDefinition<MajoritySnapshot, MajorityMessage, MajorityConfig> = {
  ...majorityProtocol,
  name: 'majority-hardened',
  properties: [...SHARED_PROPERTIES, orderIndependence(resolveNewest), staleUpdateIgnored],
  cluster: (n, options) => standardCluster(n, MAJORITY_HARDENED_DEFAULTS, options),
  assumptions: MAJORITY_HARDENED_ASSUMPTIONS,
};
