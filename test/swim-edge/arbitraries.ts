/** fast-check generators of SWIM messages, shared by the codec tests. */
import fc from 'fast-check';
import { NODE_TYPES, defaultCapabilities, type NodeInfo } from '../../spec/node.js';
import { LOAD_BUCKETS, type HealthSummary, type MemberRecord, type MemberUpdate, type SwimMessage } from '../../spec/swim.js';

const id = fc.string({ minLength: 1, maxLength: 20 });
const inc = fc.nat({ max: 2 ** 40 });

export const nodeInfoArb = (member?: string): fc.Arbitrary<NodeInfo> =>
  fc
    .record({
      id: member === undefined ? id : fc.constant(member),
      address: fc.string({ maxLength: 40 }),
      metricsPort: fc.integer({ min: 1, max: 65535 }),
      nodeType: fc.constantFrom(...NODE_TYPES),
      isLoadBalancer: fc.boolean(),
      custom: fc.option(fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }), { nil: undefined }),
      lastUpdated: fc.nat({ max: 2 ** 45 }),
    })
    .map(({ custom, ...r }) => ({ ...r, capabilities: custom ?? defaultCapabilities(r.nodeType) }));

export const healthArb: fc.Arbitrary<HealthSummary> = fc.record({ ready: fc.boolean(), loadBucket: fc.integer({ min: 0, max: LOAD_BUCKETS - 1 }) });

export const updateArb: fc.Arbitrary<MemberUpdate> = id.chain((member) =>
  fc.oneof(
    fc.record({ kind: fc.constant('alive' as const), member: fc.constant(member), incarnation: inc, info: nodeInfoArb(member), health: healthArb }),
    fc.record({ kind: fc.constantFrom('suspect' as const, 'dead' as const), member: fc.constant(member), incarnation: inc, from: id }),
    fc.record({ kind: fc.constant('left' as const), member: fc.constant(member), incarnation: inc }),
  ),
);

export const recordArb: fc.Arbitrary<MemberRecord> = id.chain((member) =>
  fc.record({ member: fc.constant(member), status: fc.constantFrom('alive' as const, 'suspect' as const, 'dead' as const, 'left' as const), incarnation: inc, info: nodeInfoArb(member), health: healthArb }),
);

const updates = fc.array(updateArb, { maxLength: 6 });
const seq = fc.nat({ max: 2 ** 32 });

export const messageArb: fc.Arbitrary<SwimMessage> = fc.oneof(
  fc.record({ kind: fc.constantFrom('ping' as const, 'ack' as const, 'nack' as const), seq, updates }),
  fc.record({ kind: fc.constant('pingReq' as const), seq, target: id, updates }),
  fc.record({ kind: fc.constant('gossip' as const), updates }),
  fc.record({ kind: fc.constant('join' as const), self: recordArb }),
  fc.record({ kind: fc.constantFrom('sync' as const, 'syncReply' as const), members: fc.array(recordArb, { maxLength: 6 }) }),
);

export const senderArb = id;
