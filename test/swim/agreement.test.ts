/**
 * Model and core agree: random input sequences to one node give the same outputs and the same View on
 * the XState model (model/swim) and the production core (impl/swim), step by step. The core resolves
 * each open choice from its seeded generator; the model is fed the core's StepResult.choice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SwimCoreConfig, swimCore } from '../../impl/swim/index.js';
import { SWIM_MODEL_CONFIG, swimModel } from '../../model/swim/index.js';
import { canonicalJson } from '../../spec/canonical.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { Input, NodeSetup, Output, StepResult } from '../../spec/step.js';
import type { MemberRecord, MemberUpdate, SwimMessage } from '../../spec/swim.js';

const IDS = ['n1', 'n2', 'n3', 'n4'];
const info = (id: string, t = 0) => makeNodeInfo(id, `10.0.0.${id.slice(1)}:8080`, 9090, id === 'n1' ? 'proxy' : 'backend', t);

/** The model's configuration, with gossip and push-pull on and a byte budget nothing exceeds. */
const CONFIG: SwimCoreConfig = { ...SWIM_MODEL_CONFIG, gossipIntervalMs: 200, pushPullIntervalMs: 30_000, indirectChecks: 2, reapAfterMs: 30_000, packetBudgetBytes: 1_000_000 };

const arbId = fc.constantFrom(...IDS);
const arbInc = fc.integer({ min: 0, max: 3 });
const arbUpdate: fc.Arbitrary<MemberUpdate> = fc.oneof(
  fc.record({ member: arbId, incarnation: arbInc, t: fc.integer({ min: 0, max: 2 }) }).map(({ member, incarnation, t }) => ({ kind: 'alive' as const, member, incarnation, info: info(member, t * 1000), health: { ready: true, loadBucket: 0 } })),
  fc.record({ member: arbId, incarnation: arbInc, from: arbId }).map((u) => ({ kind: 'suspect' as const, ...u })),
  fc.record({ member: arbId, incarnation: arbInc, from: arbId }).map((u) => ({ kind: 'dead' as const, ...u })),
  fc.record({ member: arbId, incarnation: arbInc }).map((u) => ({ kind: 'left' as const, ...u })),
);
const arbUpdates = fc.array(arbUpdate, { maxLength: 3 });
const arbRecord: fc.Arbitrary<MemberRecord> = fc
  .record({ member: arbId, status: fc.constantFrom('alive' as const, 'suspect' as const, 'dead' as const, 'left' as const), incarnation: arbInc })
  .map((r) => ({ ...r, info: info(r.member), health: { ready: true, loadBucket: 0 } }));
const arbSeq = fc.integer({ min: 1, max: 4 });
const arbMessage: fc.Arbitrary<SwimMessage> = fc.oneof(
  fc.record({ seq: arbSeq, updates: arbUpdates }).map((m) => ({ kind: 'ping' as const, ...m })),
  fc.record({ seq: arbSeq, updates: arbUpdates }).map((m) => ({ kind: 'ack' as const, ...m })),
  fc.record({ seq: arbSeq, target: arbId, updates: arbUpdates }).map((m) => ({ kind: 'pingReq' as const, ...m })),
  fc.record({ seq: arbSeq, updates: arbUpdates }).map((m) => ({ kind: 'nack' as const, ...m })),
  arbUpdates.map((updates) => ({ kind: 'gossip' as const, updates })),
  arbRecord.map((self) => ({ kind: 'join' as const, self })),
  fc.array(arbRecord, { maxLength: 3 }).map((members) => ({ kind: 'sync' as const, members })),
  fc.array(arbRecord, { maxLength: 3 }).map((members) => ({ kind: 'syncReply' as const, members })),
);

/** What happens next: a message, one of the armed timers (by index), or an operator action. */
type Action =
  | { readonly a: 'receive'; readonly from: string; readonly message: SwimMessage }
  | { readonly a: 'timer'; readonly pick: number }
  | { readonly a: 'update'; readonly port: number }
  | { readonly a: 'leave' }
  | { readonly a: 'crash' }
  | { readonly a: 'restart' };

const arbAction: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ from: fc.constantFrom('n2', 'n3', 'n4'), message: arbMessage }).map((r) => ({ a: 'receive' as const, ...r })) },
  { weight: 6, arbitrary: fc.nat(20).map((pick) => ({ a: 'timer' as const, pick })) },
  { weight: 1, arbitrary: fc.integer({ min: 9000, max: 9003 }).map((port) => ({ a: 'update' as const, port })) },
  { weight: 1, arbitrary: fc.constant({ a: 'leave' as const }) },
  { weight: 1, arbitrary: fc.constant({ a: 'crash' as const }) },
  { weight: 1, arbitrary: fc.constant({ a: 'restart' as const }) },
);

function track(armed: Map<string, number>, outputs: readonly Output<SwimMessage>[], now: number): void {
  for (const o of outputs) {
    if (o.type === 'setTimer') armed.set(o.timer, now + o.after);
    else if (o.type === 'cancelTimer') armed.delete(o.timer);
  }
}

const norm = <S>(r: StepResult<S, SwimMessage>) => canonicalJson(r.outputs);

describe('SWIM model and core agree', () => {
  it('same outputs and Views after every step of random input sequences', () => {
    fc.assert(
      fc.property(fc.array(arbAction, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), (actions, seed) => {
        const setup: NodeSetup<SwimCoreConfig> = { id: 'n1', info: info('n1'), seeds: ['n2'], now: 0, rngSeed: seed, config: CONFIG };
        let core = swimCore.init(setup);
        let model = swimModel.init(setup);
        expect(norm(model)).toBe(norm(core));
        const armed = new Map<string, number>();
        track(armed, core.outputs, 0);
        let now = 0;
        let up = true;
        for (const act of actions) {
          let input: Input<SwimMessage> | undefined;
          if (act.a === 'timer') {
            if (!up || armed.size === 0) continue;
            const names = [...armed.keys()].sort((x, y) => armed.get(x)! - armed.get(y)! || (x < y ? -1 : 1));
            const name = names[act.pick % Math.min(names.length, 3)];
            now = Math.max(now, armed.get(name)!);
            armed.delete(name);
            input = { type: 'timer', timer: name, now };
          } else if (act.a === 'receive') {
            now += 1;
            input = { type: 'receive', from: act.from, message: act.message, now };
          } else if (act.a === 'update') {
            now += 1;
            input = { type: 'command', command: { kind: 'update', patch: { metricsPort: act.port } }, now };
          } else if (act.a === 'leave') input = { type: 'command', command: { kind: 'leave' }, now };
          else if (act.a === 'crash') {
            input = { type: 'crash', now };
            up = false;
            armed.clear();
          } else {
            if (up) continue;
            up = true;
            input = { type: 'restart', now };
          }
          core = swimCore.step(core.state, input);
          model = swimModel.step(model.state, core.choice ? { ...input, choice: core.choice } : input);
          expect(norm(model)).toBe(norm(core));
          expect(canonicalJson(swimModel.view(model.state))).toBe(canonicalJson(swimCore.view(core.state)));
          track(armed, core.outputs, now);
        }
      }),
      { numRuns: 300 },
    );
  });
});
