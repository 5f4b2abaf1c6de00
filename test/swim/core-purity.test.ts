/**
 * The core's step is observably pure although it shares structure between states (bucketed table,
 * broadcast-queue levels appended in place past their length): every earlier state reads the same
 * after later steps, and stepping it again gives the same result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SWIM_LAN, type SwimState, swimCluster, swimCore } from '../../impl/swim/index.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { Input } from '../../spec/step.js';
import type { MemberUpdate, SwimMessage } from '../../spec/swim.js';

const IDS = ['n2', 'n3', 'n4', 'n5', 'n6'];
const arbUpdate: fc.Arbitrary<MemberUpdate> = fc.oneof(
  fc.record({ member: fc.constantFrom(...IDS), incarnation: fc.nat(4) }).map(({ member, incarnation }) => ({ kind: 'alive' as const, member, incarnation, info: makeNodeInfo(member, '10.0.0.9:8080', 9090, 'backend', 0), health: { ready: true, loadBucket: 0 } })),
  fc.record({ member: fc.constantFrom('n1', ...IDS), incarnation: fc.nat(4), from: fc.constantFrom(...IDS) }).map((u) => ({ kind: 'suspect' as const, ...u })),
  fc.record({ member: fc.constantFrom(...IDS), incarnation: fc.nat(4), from: fc.constantFrom(...IDS) }).map((u) => ({ kind: 'dead' as const, ...u })),
);
const arbInput: fc.Arbitrary<Omit<Input<SwimMessage>, 'now'>> = fc.oneof(
  fc.record({ from: fc.constantFrom(...IDS), updates: fc.array(arbUpdate, { maxLength: 4 }), seq: fc.nat(3) }).map(({ from, updates, seq }) => ({ type: 'receive' as const, from, message: { kind: 'ping' as const, seq, updates } })),
  fc.record({ from: fc.constantFrom(...IDS), updates: fc.array(arbUpdate, { maxLength: 4 }) }).map(({ from, updates }) => ({ type: 'receive' as const, from, message: { kind: 'gossip' as const, updates } })),
  fc.constantFrom('probe', 'gossip', 'ackTimeout:1', 'probeEnd:1', 'pushPull', 'suspicion:n2').map((timer) => ({ type: 'timer' as const, timer })),
);

describe('SWIM core purity', () => {
  it('earlier states are unchanged by later steps and step the same way again', () => {
    fc.assert(
      fc.property(fc.array(arbInput, { minLength: 1, maxLength: 30 }), fc.nat(30), (inputs, branchAt) => {
        const cfg = { ...SWIM_LAN, packetBudgetBytes: 150 };
        const states: SwimState[] = [swimCore.init(swimCluster(6, cfg)[0]).state];
        const codes = [swimCore.encode(states[0])];
        inputs.forEach((inp, i) => {
          const next = swimCore.step(states[i], { ...inp, now: (i + 1) * 100 } as Input<SwimMessage>).state;
          states.push(next);
          codes.push(swimCore.encode(next));
        });
        // Branch from an earlier state: it must not disturb the states after it.
        const at = branchAt % states.length;
        swimCore.step(states[at], { type: 'receive', from: 'n6', now: 1, message: { kind: 'gossip', updates: [{ kind: 'suspect', member: 'n2', incarnation: 9, from: 'n6' }] } });
        states.forEach((s, i) => {
          expect(swimCore.encode(s)).toBe(codes[i]);
        });
        inputs.forEach((inp, i) => {
          expect(swimCore.encode(swimCore.step(states[i], { ...inp, now: (i + 1) * 100 } as Input<SwimMessage>).state)).toBe(codes[i + 1]);
        });
      }),
      { numRuns: 150 },
    );
  });
});
