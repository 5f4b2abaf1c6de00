/**
 * Properties over the network (Observation.messages): a property that declares `needs.messages` sees
 * every message in flight, typed by the model's message type; the others see none.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import type { InFlightMessage, NodeBehaviour, Property, ProtocolDefinition } from '../../index.js';
import { makeNodeInfo, standardCluster } from '../../index.js';
import { type Message, type State, requestAck } from '../../examples/request-ack/model.js';
import { type Message as RelayMessage, type State as RelayState, relayPipeline } from '../../examples/relay/model.js';

const anyNetwork = { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule' } as const;

const statusOf = (r: ReturnType<typeof check>, name: string) => r.verdicts.find((v) => v.property === name)?.status;

/** A `sometimes` property: reached where `seen` holds on the messages in flight. */
function sometimesMessages<S, M>(name: string, seen: (messages: readonly InFlightMessage<M>[]) => boolean, needs = true): Property<S, M> {
  return {
    name,
    temporal: 'sometimes',
    meaning: name,
    assumptions: anyNetwork,
    ...(needs ? { needs: { messages: true } } : {}),
    check: (obs) => (obs.messages !== undefined && seen(obs.messages) ? null : { property: name, detail: 'not seen' }),
  };
}

describe('Observation.messages', () => {
  it('is given, typed, to a property that declares needs.messages: request #1 in flight from n1 to n2', () => {
    const p = sometimesMessages<State, Message>('request1InFlight', (ms) => ms.some((m) => m.from === 'n1' && m.to === 'n2' && m.message.kind === 'request' && m.message.seq === 1));
    const r = check({ ...requestAck(), properties: [p] }, { maxStates: 0 });
    expect(statusOf(r, 'request1InFlight')).toBe('reached');
  });

  it('is absent for a property that does not declare needs.messages', () => {
    const p = sometimesMessages<State, Message>('anything', () => true, false);
    const r = check({ ...requestAck(), properties: [p] }, { maxStates: 0 });
    expect(statusOf(r, 'anything')).toBe('unreached');
  });

  it('is absent for a property that does not declare needs.messages even when another property of the run does', () => {
    const declares = sometimesMessages<State, Message>('declares', () => true);
    const peeks = sometimesMessages<State, Message>('peeks', () => true, false);
    const r = check({ ...requestAck(), properties: [declares, peeks] }, { maxStates: 0 });
    expect([statusOf(r, 'declares'), statusOf(r, 'peeks')]).toEqual(['reached', 'unreached']);
  });

  it('lists each copy of a message in flight: the resent request #1 appears twice', () => {
    const twice = sometimesMessages<State, Message>('twoCopies', (ms) => ms.filter((m) => m.message.kind === 'request' && m.message.seq === 1).length === 2);
    const r = check({ ...requestAck(), properties: [twice] }, { maxStates: 0 });
    expect(statusOf(r, 'twoCopies')).toBe('reached');
  });

  it("holds request-ack's ackFollowsApply and refutes it on a server that acks without applying", () => {
    expect(statusOf(check(requestAck(), { maxStates: 0 }), 'ackFollowsApply')).toBe('holds');
    const good = requestAck();
    const acksFirst: NodeBehaviour<State, Message, null> = {
      ...good.behaviour,
      // The broken server: it acks the request but keeps its old state.
      step: (s, input) => {
        const r = good.behaviour.step(s, input);
        return s.role === 'server' ? { state: s, outputs: r.outputs } : r;
      },
    };
    const r = check({ ...good, behaviour: acksFirst, properties: good.properties.filter((p) => p.name === 'ackFollowsApply') }, { maxStates: 0 });
    expect(statusOf(r, 'ackFollowsApply')).toBe('violated');
  });

  describe('order', () => {
    // n1 sends x at init and, on its one timer, y then x again: the channel n1→n2 can hold x, y, x.
    type Mini = { readonly id: string; readonly sent: boolean };
    const behaviour: NodeBehaviour<Mini, string, null> = {
      protocol: 'xyx',
      init: (setup) =>
        setup.id === 'n1'
          ? { state: { id: setup.id, sent: false }, outputs: [{ type: 'send', to: 'n2', message: 'x' }, { type: 'setTimer', timer: 'more', after: 1 }] }
          : { state: { id: setup.id, sent: false }, outputs: [] },
      step: (s, input) =>
        s.id === 'n1' && input.type === 'timer' && !s.sent
          ? { state: { ...s, sent: true }, outputs: [{ type: 'send', to: 'n2', message: 'y' }, { type: 'send', to: 'n2', message: 'x' }] }
          : { state: s, outputs: [] },
      view: (s) => ({ self: s.id, members: { [s.id]: { status: 'alive', version: 0, info: makeNodeInfo(s.id, '', 1, 'backend', 0) } } }),
      encode: (s) => JSON.stringify(s),
      decode: (t) => JSON.parse(t) as Mini,
    };
    const xyx = (ms: readonly InFlightMessage<string>[]) => ms.map((m) => m.message).join('') === 'xyx';
    const model: ProtocolDefinition<Mini, string, null> = {
      name: 'xyx',
      behaviour,
      properties: [sometimesMessages<Mini, string>('listedXYX', xyx)],
      nodes: 2,
      isFinal: () => true,
      cluster: (n, options) => standardCluster(n, null, options),
    };

    it('with --ordered, lists a channel oldest first', () => {
      expect(statusOf(check(model, { maxStates: 0, ordered: true }), 'listedXYX')).toBe('reached');
    });

    it('without --ordered, lists the multiset, not the order sent', () => {
      expect(statusOf(check(model, { maxStates: 0 }), 'listedXYX')).toBe('unreached');
    });
  });

  it('makes --por expand every state in full: a send is visible to such a property', () => {
    const relay = relayPipeline(3);
    const p = sometimesMessages<RelayState, RelayMessage>('itemInFlight', (ms) => ms.length > 0);
    expect(check(relay, { maxStates: 0, por: true }).stats.por?.ample).toBeGreaterThan(0);
    expect(check({ ...relay, properties: [...relay.properties, p] }, { maxStates: 0, por: true }).stats.por?.ample).toBe(0);
  });

  it('makes --por keep the deliveries to a crashed node visible: the state where each crashed node still has one of its two messages in flight stays reached', () => {
    // Each node sends the other two messages at init and counts what it receives.
    type Got = { readonly id: string; readonly got: number };
    const behaviour: NodeBehaviour<Got, string, null> = {
      protocol: 'two-each',
      init: (setup) => {
        const other = setup.id === 'n1' ? 'n2' : 'n1';
        return { state: { id: setup.id, got: 0 }, outputs: [1, 2].map((i) => ({ type: 'send' as const, to: other, message: `${other}:${i}` })) };
      },
      step: (s, input) => (input.type === 'receive' ? { state: { ...s, got: s.got + 1 }, outputs: [] } : { state: s, outputs: [] }),
      view: (s) => ({ self: s.id, members: { [s.id]: { status: 'alive', version: 0, info: makeNodeInfo(s.id, '', 1, 'backend', 0) } } }),
      encode: (s) => JSON.stringify(s),
      decode: (t) => JSON.parse(t) as Got,
    };
    const target = sometimesMessages<Got, string>('bothDownOneEach', () => true);
    const property: Property<Got, string> = {
      ...target,
      check: (obs) => {
        const ms = obs.messages ?? [];
        const to = (id: string) => ms.filter((m) => m.to === id).length;
        const untouched = Object.values(obs.states ?? {}).every((s) => s.got === 0);
        return !obs.up.n1 && !obs.up.n2 && untouched && to('n1') === 1 && to('n2') === 1 ? null : { property: target.name, detail: 'not seen' };
      },
    };
    const model: ProtocolDefinition<Got, string, null> = { name: 'two-each', behaviour, properties: [property], nodes: 2, isFinal: () => true, cluster: (n, options) => standardCluster(n, null, options) };
    const options = { maxStates: 0, faults: ['crash'] as 'crash'[], faultBudget: 2 };
    expect(statusOf(check(model, options), 'bothDownOneEach')).toBe('reached');
    expect(statusOf(check(model, { ...options, por: true }), 'bothDownOneEach')).toBe('reached');
  });
});
