/**
 * A relay pipeline, the model on which partial-order reduction must reduce (docs/checker.md,
 * "Partial-order reduction"). n1 sends ITEMS distinct items to n2 when it starts; n2 forwards each
 * to n3 and stays as it is; n3 records which items arrived. Each item is at n2, at n3 or received,
 * so the full search has 3^ITEMS states; n2's steps change nothing a property reads and only n1,
 * which never steps again, sends to n2, so with --por n2 forwards every item before n3 takes any:
 * 2^(ITEMS+1) − 1 states.
 *
 *   alice check --model examples/relay/model.ts          729 states
 *   alice check --model examples/relay/model.ts --por    127 states
 */
import { type Input, type NodeBehaviour, type Output, type Property, type ProtocolDefinition, makeNodeInfo, standardCluster } from '../../index.js';

export type Message = { readonly kind: 'item'; readonly item: number };
export type State = { readonly id: string; readonly role: 'source' | 'relay' } | { readonly id: string; readonly role: 'sink'; readonly got: number };

export const ITEMS = 6;

const anySchedule = { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule' } as const;

function behaviour(items: number): NodeBehaviour<State, Message, null> {
  return {
    protocol: 'relay',
    init: (setup) => {
      if (setup.id === 'n1') {
        const outputs: Output<Message>[] = Array.from({ length: items }, (_, item) => ({ type: 'send', to: 'n2', message: { kind: 'item', item } }));
        return { state: { id: setup.id, role: 'source' }, outputs };
      }
      return { state: setup.id === 'n2' ? { id: setup.id, role: 'relay' } : { id: setup.id, role: 'sink', got: 0 }, outputs: [] };
    },
    step: (s: State, input: Input<Message>) => {
      if (input.type !== 'receive') return { state: s, outputs: [] };
      if (s.role === 'relay') return { state: s, outputs: [{ type: 'send', to: 'n3', message: input.message }] };
      if (s.role === 'sink') return { state: { ...s, got: s.got | (1 << input.message.item) }, outputs: [] };
      return { state: s, outputs: [] };
    },
    // Views are for membership properties; these properties read `obs.states`.
    view: (s) => ({ self: s.id, members: { [s.id]: { status: 'alive', version: 0, info: makeNodeInfo(s.id, '', 1, 'backend', 0) } } }),
    encode: (s) => JSON.stringify(s),
    decode: (text) => JSON.parse(text) as State,
  };
}

export function relayPipeline(items = ITEMS): ProtocolDefinition<State, Message, null> {
  const all = (1 << items) - 1;
  const got = (obs: Parameters<Property['check']>[0]) => (obs.states!.n3 as { got: number }).got;
  return {
    name: `relay-${items}`,
    behaviour: behaviour(items),
    properties: [
      { name: 'onlySentItems', temporal: 'always', meaning: 'the sink receives only items the source sent', assumptions: anySchedule, check: (obs) => ((got(obs) & ~all) === 0 ? null : { property: 'onlySentItems', detail: `got ${got(obs)}` }) },
      { name: 'allArrived', temporal: 'sometimes', meaning: 'every item reaches the sink', assumptions: anySchedule, check: (obs) => (got(obs) === all ? null : { property: 'allArrived', detail: 'not yet' }) },
    ],
    nodes: 3,
    // Once every message is delivered nothing is left to happen: the run's end.
    isFinal: () => true,
    cluster: (n, options) => standardCluster(n, null, options),
    // The static topology, checked on every step: the relay's steps commute with the sink's.
    independence: { sendsTo: (id) => ({ n1: ['n2'], n2: ['n3'] })[id] ?? [] },
    describe: (s) => (s.role === 'sink' ? `sink, got ${s.got.toString(2).padStart(items, '0')}` : s.role),
    describeMessage: (m) => `item ${m.item}`,
  };
}

export default relayPipeline();
