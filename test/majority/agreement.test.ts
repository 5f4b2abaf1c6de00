/**
 * The majority model and the production core agree: fed the same inputs, they give the same outputs
 * (order included) and the same View after every step. This is the first, random-input half of
 * conformance; issue 5 adds the trace-driven and coverage-guided suites.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Input,
  type MajorityMessage,
  type NodeBehaviour,
  type NodeInfo,
  type PeerInfo,
  MAJORITY_PRESETS,
  MAJORITY_TIMERS,
  LocalCluster,
  majorityCluster,
  majorityModel,
  majorityNode,
  makeNodeInfo,
  toPeerInfo,
} from 'alice';

const IDS = ['n1', 'n2', 'n3'];
const idArb = fc.constantFrom(...IDS);
const addressArb = fc.constantFrom('10.0.0.1:8080', '10.0.0.2:8080', '10.9.9.9:8080');
const infoArb = (id: fc.Arbitrary<string>): fc.Arbitrary<NodeInfo> =>
  fc
    .record({ id, address: addressArb, type: fc.constantFrom('proxy' as const, 'backend' as const), at: fc.integer({ min: 0, max: 3 }) })
    .map((r) => makeNodeInfo(r.id, r.address, 9090, r.type, r.at * 1000));
const peerArb: fc.Arbitrary<PeerInfo> = infoArb(idArb).map(toPeerInfo);

const messageArb: fc.Arbitrary<{ from: string; message: MajorityMessage }> = idArb.chain((from) =>
  fc.oneof(
    fc.record({ from: fc.constant(from), message: fc.record({ kind: fc.constant('register' as const), info: infoArb(fc.oneof(fc.constant(from), idArb)), version: fc.nat(3) }) }),
    fc.record({ from: fc.constant(from), message: fc.record({ kind: fc.constant('registerReply' as const), peers: fc.array(peerArb, { maxLength: 3 }) }) }),
    fc.record({
      from: fc.constant(from),
      message: fc.record({ kind: fc.constant('update' as const), originator: fc.oneof(fc.constant(from), idArb), info: infoArb(fc.oneof(fc.constant(from), idArb)), version: fc.nat(3) }),
    }),
    fc.record({ from: fc.constant(from), message: fc.record({ kind: fc.constant('updateAck' as const), originator: idArb, version: fc.nat(3) }) }),
    fc.record({ from: fc.constant(from), message: fc.constant({ kind: 'vitalsRequest' as const }) }),
    fc.record({
      from: fc.constant(from),
      message: fc.boolean().map((ready) => ({
        kind: 'vitalsReply' as const,
        vitals: { ready, requestsInProgress: 0, cpuUsage: 0, memoryUsage: 0, failedResponses: 0, connectedPeers: 0, backoffRequests: 0 },
      })),
    }),
  ),
);

type Step = Input<MajorityMessage>;
/** An input before the clock reading is stamped on it (Omit distributed over the union). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Raw = DistributiveOmit<Step, 'now'>;
const inputArb: fc.Arbitrary<Raw> = fc.oneof(
  { weight: 6, arbitrary: messageArb.map(({ from, message }) => ({ type: 'receive' as const, from, message })) },
  { weight: 3, arbitrary: fc.constantFrom(...Object.values(MAJORITY_TIMERS)).map((timer) => ({ type: 'timer' as const, timer })) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      addressArb.map((address) => ({ type: 'command' as const, command: { kind: 'update' as const, patch: { address } } })),
      fc.boolean().map((ready) => ({
        type: 'command' as const,
        command: { kind: 'vitals' as const, vitals: { ready, requestsInProgress: 1, cpuUsage: 5, memoryUsage: 5, failedResponses: 0, connectedPeers: 2, backoffRequests: 0 } },
      })),
      fc.subarray(IDS).map((seeds) => ({ type: 'command' as const, command: { kind: 'join' as const, seeds } })),
      fc.constant({ type: 'command' as const, command: { kind: 'leave' as const } }),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom({ type: 'crash' as const }, { type: 'restart' as const }) },
) as fc.Arbitrary<Raw>;

function lockstep<A, B>(impl: NodeBehaviour<A, MajorityMessage>, model: NodeBehaviour<B, MajorityMessage>, start: number, inputs: Raw[]): void {
  const setup = majorityCluster(3, MAJORITY_PRESETS.local, { now: start })[Math.abs(start) % 3];
  let i = impl.init(setup);
  let m = model.init(setup);
  expect(m.outputs).toEqual(i.outputs);
  expect(model.view(m.state)).toEqual(impl.view(i.state));
  let now = start;
  for (const raw of inputs) {
    now += 250;
    const input = { ...raw, now } as Step;
    i = impl.step(i.state, input);
    m = model.step(m.state, input);
    expect(m.outputs, `outputs after ${JSON.stringify(input)}`).toEqual(i.outputs);
    expect(model.view(m.state), `view after ${JSON.stringify(input)}`).toEqual(impl.view(i.state));
  }
}

describe('majority model and implementation agree', () => {
  it('on random input sequences: same outputs and same View after every step', () => {
    fc.assert(
      fc.property(fc.nat(2), fc.array(inputArb, { maxLength: 40 }), (who, inputs) => {
        lockstep(majorityNode, majorityModel, who, inputs);
      }),
      { numRuns: 300 },
    );
  });

  it('on whole cluster runs: every node ends with the same View and the same notifications', () => {
    const run = <S>(node: NodeBehaviour<S, MajorityMessage>) => {
      const c = new LocalCluster(node, majorityCluster(4, MAJORITY_PRESETS.local, { now: 10_000 }));
      c.runFor(50);
      c.command('n3', { kind: 'update', patch: { address: '10.7.7.7:8080' } });
      c.runFor(1_000);
      c.crash('n4');
      c.runFor(2_000);
      return { views: c.ids().map((id) => c.view(id)), notes: c.notifications };
    };
    const impl = run(majorityNode);
    const model = run(majorityModel);
    expect(model.views).toEqual(impl.views);
    expect(model.notes).toEqual(impl.notes);
  });

  it('would notice a divergence: a model that ignores updates disagrees with the core', () => {
    const deaf: NodeBehaviour<unknown, MajorityMessage> = {
      ...(majorityModel as NodeBehaviour<unknown, MajorityMessage>),
      step: (s, input) => (input.type === 'receive' && input.message.kind === 'update' ? { state: s, outputs: [] } : majorityModel.step(s as never, input)),
    };
    const upd: Raw = {
      type: 'receive',
      from: 'n2',
      message: { kind: 'update', originator: 'n2', info: makeNodeInfo('n2', '10.9.9.9:8080', 9090, 'backend', 0), version: 1 },
    };
    expect(() => lockstep(majorityNode, deaf, 0, [upd])).toThrow();
  });
});
