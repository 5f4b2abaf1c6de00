/**
 * What the world can do to one node, generically: deliver a message another node sent, fire a timer
 * the node armed, an operator command, a crash or restart, and two faults that matter to a single
 * node (a duplicated delivery, a message whose sender is forged). Nothing here knows a protocol's
 * messages: they come from the nodes' own outputs, so the same environment serves every protocol.
 */
import type { NodeId } from '../spec/node.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { Command, NodeInfoPatch } from '../spec/step.js';
import { DEFAULT_VITALS } from '../spec/majority.js';

/** The operator commands tried on node `id` (all of them protocol-neutral: spec/step.ts's Command). */
export function commandsFor(protocol: ProtocolDefinition<unknown, unknown, unknown>, id: NodeId, all: readonly NodeId[]): Command[] {
  const patches: readonly NodeInfoPatch[] = protocol.updates?.(id) ?? [{ address: `10.9.0.${id.replace(/\D/g, '') || '0'}:8080` }];
  return [
    ...patches.map((patch): Command => ({ kind: 'update', patch })),
    { kind: 'vitals', vitals: { ...DEFAULT_VITALS, ready: false, cpuUsage: 97 } },
    { kind: 'vitals', vitals: { ...DEFAULT_VITALS, requestsInProgress: 2, cpuUsage: 20 } },
    { kind: 'join', seeds: all.filter((s) => s !== id) },
    { kind: 'leave' },
  ];
}
