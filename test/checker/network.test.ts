/**
 * Network options of the explored System: per-channel ordering. A sender puts two messages, a then
 * b, on one channel; the receiver records whether b overtook a. Counts are small enough to list by
 * hand, so they are checked exactly.
 */
import { describe, expect, it } from 'vitest';
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import { check, machineBehaviour, makeNodeInfo, standardCluster, type Input, type NodeSetup, type Output, type ProtocolDefinition } from 'alice';

type Msg = { readonly kind: 'a' | 'b' };

const node = setup({
  types: {
    context: {} as { id: string; gotA: boolean; gotB: boolean; overtaken: boolean },
    input: {} as NodeSetup<null>,
    events: {} as Input<Msg>,
    emitted: {} as Output<Msg>,
  },
  guards: {
    isSender: ({ context }) => context.id === 'n1',
    isA: ({ event }) => event.type === 'receive' && event.message.kind === 'a',
    isB: ({ event }) => event.type === 'receive' && event.message.kind === 'b',
  },
  actions: {
    sendA: emit({ type: 'send', to: 'n2', message: { kind: 'a' } } as Output<Msg>),
    sendB: emit({ type: 'send', to: 'n2', message: { kind: 'b' } } as Output<Msg>),
    recordA: assign({ gotA: true }),
    recordB: assign({ gotB: true, overtaken: ({ context }) => !context.gotA }),
  },
}).createMachine({
  context: ({ input }) => ({ id: input.id, gotA: false, gotB: false, overtaken: false }),
  initial: 'start',
  states: {
    start: { always: [{ guard: 'isSender', target: 'sending' }, { target: 'receiving' }] },
    sending: { entry: ['sendA', 'sendB'] },
    receiving: { on: { receive: [{ guard: 'isA', actions: 'recordA' }, { guard: 'isB', actions: 'recordB' }] } },
  },
});

const pair: ProtocolDefinition<SnapshotFrom<typeof node>, Msg, null> = {
  name: 'pair',
  behaviour: machineBehaviour<typeof node, Msg, null>(node, {
    protocol: 'pair',
    view: (s) => ({
      self: s.context.id,
      members: { [s.context.id]: { status: 'alive', version: s.context.overtaken ? 1 : 0, info: makeNodeInfo(s.context.id, '', 1, 'backend', 0) } },
    }),
  }),
  properties: [
    {
      name: 'inOrder',
      temporal: 'always',
      meaning: 'b never arrives before a',
      assumptions: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'ordered channels only' },
      check: (obs) => (obs.views.n2?.members.n2.version === 1 ? { property: 'inOrder', detail: 'b overtook a' } : null),
    },
  ],
  cluster: (n, options) => standardCluster(n, null, options),
};

const run = (ordered: boolean, faults: ('dup' | 'loss')[] = [], protocol = pair) =>
  check(protocol, { nodes: 2, faults, faultBudget: 1, ordered, maxStates: 0, maxDepth: 20 });
/** The same system with no property to judge, so exploration never stops early: for exact counts. */
const unjudged = { ...pair, properties: [] };

describe('per-channel ordering', () => {
  it('counts every interleaving on an unordered channel', () => {
    // {a,b} in flight; a arrived; b arrived first; both arrived in order; both, b first.
    expect(run(false, [], unjudged).stats.distinct).toBe(5);
  });

  it('lets a later message overtake an earlier one on an unordered channel', () => {
    const r = run(false);
    expect(r.verdicts[0].status).toBe('violated');
    expect(r.verdicts[0].trace?.steps.map((s) => s.action)).toEqual(['init', 'deliver n1→n2']);
  });

  it('counts only the sending order on an ordered channel', () => {
    // {a,b} in flight; a arrived; both arrived.
    expect(run(true, [], unjudged).stats.distinct).toBe(3);
  });

  it('delivers in sending order on an ordered channel', () => {
    expect(run(true).verdicts[0].status).toBe('holds');
  });

  it('queues a duplicate behind what the ordered channel already carries', () => {
    expect(run(true, ['dup']).verdicts[0].status).toBe('holds');
  });

  it('still loses any message on an ordered lossy channel: b may arrive without a', () => {
    expect(run(true, ['loss']).verdicts[0].status).toBe('violated');
  });
});
