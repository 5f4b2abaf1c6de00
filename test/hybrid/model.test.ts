/**
 * The hybrid model (model/hybrid): in lockstep with the core on random runs larger than the CI
 * profile's, its SWIM part the SWIM model itself, its states interned and restored, the registration
 * that replaces a record (which no run can produce) replayed by hand, and the checker running it.
 */
import { enqueueActions } from 'xstate';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { TransitionCoverage } from '../../conformance/coverage.js';
import { walkTraces } from '../../conformance/explore.js';
import { checkTrace } from '../../conformance/lockstep.js';
import { inProcessSource } from '../../conformance/node-under-test.js';
import { simulate } from '../../conformance/simulate.js';
import { hybridNode } from '../../impl/hybrid/index.js';
import { machineBehaviour } from '../../model/adapter.js';
import { type HybridSnapshot, hybridChoices, hybridLibraryProtocol, hybridMachine, hybridModelView, hybridProtocol, hybridSharedProtocol } from '../../model/hybrid/index.js';
import { swimModel } from '../../model/swim/index.js';
import type { HybridMessage } from '../../spec/hybrid.js';
import type { NodeInfo } from '../../spec/node.js';
import type { ProtocolDefinition } from '../../spec/protocol.js';
import type { Input } from '../../spec/step.js';
import type { SwimMessage } from '../../spec/swim.js';

const core = inProcessSource(hybridNode as never);
const model = hybridProtocol.behaviour;
const any = <S, M, C>(d: ProtocolDefinition<S, M, C>) => d as unknown as ProtocolDefinition<unknown, unknown, unknown>;

describe('hybrid model in lockstep with the core', () => {
  it.each([
    ['baseline', hybridProtocol],
    ['shared', hybridSharedProtocol],
    ['library-health', hybridLibraryProtocol],
  ] as const)('agrees on 7-node simulator runs with loss, duplicates, crashes and updates (%s)', async (_name, protocol) => {
    for (const seed of [11, 12]) {
      const r = await simulate(protocol.behaviour as never, any(protocol), core, { nodes: 7, seed, durationMs: 90_000, maxLatencyMs: 40, lossRate: 0.05, duplicateRate: 0.02, faultEveryMs: 3_000 });
      expect(r.divergence?.detail ?? null).toBeNull();
      expect(r.steps).toBeGreaterThan(100);
    }
  }, 60_000);

  it('agrees on random walks of 5-node model clusters (three load balancers run SWIM)', async () => {
    for (const t of walkTraces(any(hybridSharedProtocol), { nodes: 5, walks: 8, length: 120, seed: 40, faultRate: 0.1 })) {
      const d = await checkTrace(hybridSharedProtocol.behaviour as never, core, t);
      expect(d?.detail ?? null, t.origin).toBeNull();
    }
  }, 60_000);

  it('agrees on a registration that replaces a record: joined, then updated, both answered', async () => {
    const [lb, , backend] = hybridProtocol.cluster(3, { now: 1_000 });
    const moved: NodeInfo = { ...backend.info, address: '10.9.9.9:8080', lastUpdated: 2_000 };
    const register = (info: NodeInfo, now: number): Input<HybridMessage> => ({ type: 'receive', from: backend.id, message: { kind: 'register', info }, now });
    const cov = new TransitionCoverage();
    const d = await checkTrace(model as never, core, { setup: lb, inputs: [register(backend.info, 1_100), register(moved, 2_100), register(moved, 2_200)] }, cov);
    expect(d?.detail ?? null).toBeNull();
    let s = model.init(lb).state;
    const kinds: string[] = [];
    for (const input of [register(backend.info, 1_100), register(moved, 2_100), register(moved, 2_200)]) {
      const r = model.step(s, input);
      s = r.state;
      kinds.push(r.outputs.map((o) => (o.type === 'notify' ? o.event.kind : o.type === 'send' ? (o.message as HybridMessage).kind : o.type)).join('+'));
    }
    expect(kinds).toEqual(['joined+registered', 'updated+registered', 'registered']);
    expect(model.view(s).members[backend.id].info.address).toBe('10.9.9.9:8080');
  });
});

describe('hybrid model structure', () => {
  it("a load balancer's SWIM part is the SWIM model's own state: the same SWIM inputs give the same SWIM context", () => {
    const [lb, other] = hybridProtocol.cluster(3, { now: 0 });
    let h = model.init(lb).state as HybridSnapshot;
    let w = swimModel.init({ ...lb, config: lb.config.swim }).state;
    const inputs: Input<HybridMessage>[] = [
      { type: 'receive', from: other.id, message: { kind: 'join', self: { member: other.id, status: 'alive', incarnation: 0, info: other.info, health: { ready: true, loadBucket: 0 } } }, now: 10 },
      { type: 'timer', timer: 'probe', now: 1_000, choice: [other.id] },
      { type: 'timer', timer: 'healthRound', now: 1_100 },
      { type: 'command', command: { kind: 'update', patch: { address: '10.1.0.1:8080' } }, now: 1_200 },
    ];
    for (const input of inputs) {
      h = model.step(h, input).state as HybridSnapshot;
      if (input.type !== 'timer' || input.timer !== 'healthRound') w = swimModel.step(w, input as Input<SwimMessage>).state;
    }
    expect(h.context.swim?.context).toEqual(w.context);
    expect(h.context.swim?.value).toEqual(w.value);
  });

  it('a state survives encode and decode (the checker interns states as text)', () => {
    const [lb, , backend] = hybridProtocol.cluster(3, { now: 0 });
    const s = model.step(model.init(lb).state, { type: 'receive', from: backend.id, message: { kind: 'register', info: backend.info }, now: 5 }).state;
    const back = model.decode!(model.encode(s));
    expect(model.encode(back)).toBe(model.encode(s));
    expect(model.view(back)).toEqual(model.view(s));
    const tick: Input<HybridMessage> = { type: 'timer', timer: 'healthRound', now: 30_000 };
    expect(model.step(back, tick).outputs).toEqual(model.step(s, tick).outputs);
  });
});

/** A model whose load balancer files a backend under a metrics port it did not announce: selfSovereignty must refute it. */
const rewritesRecords = hybridMachine.provide({
  actions: {
    registerBackend: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'receive' || event.message.kind !== 'register') return;
      const info = { ...event.message.info, metricsPort: event.message.info.metricsPort + 1 };
      enqueue.assign({ registry: { ...context.registry, [info.id]: info } });
      enqueue.emit({ type: 'notify', event: { kind: 'joined', member: info.id, info } });
    }),
  },
});

describe('the checker on the hybrid model', () => {
  it('finds no safety violation on 2 nodes within a bounded search', () => {
    const r = check(hybridProtocol, { nodes: 2, maxDepth: 9, timeLimitSec: 30 });
    expect(r.verdicts.map((v) => [v.property, v.status])).toEqual(hybridProtocol.properties.map((p) => [p.name, expect.stringMatching(/^(holds|no-violation-found)$/)]));
  }, 60_000);

  it('refutes selfSovereignty for a load balancer that rewrites what a backend registered', () => {
    const broken = { ...hybridProtocol, behaviour: machineBehaviour<typeof rewritesRecords, HybridMessage>(rewritesRecords, { protocol: 'hybrid', view: hybridModelView as never, choices: hybridChoices as never }) };
    const r = check(broken as never, { nodes: 2, properties: ['selfSovereignty'], stopAtFirst: true, timeLimitSec: 30 });
    expect(r.verdicts.find((v) => v.property === 'selfSovereignty')?.status).toBe('violated');
  }, 60_000);
});
