import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalCluster } from '../../impl/runtime/local-cluster.js';
import { majorityCluster, majorityNode, MAJORITY_DEFAULTS } from '../../impl/majority/index.js';
import type { MajorityMessage } from '../../spec/majority.js';
import { makeNodeInfo } from '../../spec/node.js';
import { majorityMemberView, majorityMessageBytes, majoritySimProtocol, majorityWireText } from '../../experiment/majority-sim.js';
import { runScenario } from '../../experiment/run.js';
import { scenario } from '../../experiment/scenarios.js';

const info = makeNodeInfo('n1', '10.0.0.1:8080', 9090, 'backend', 1_700_000_000_000);

describe('majority messages on the simulated wire', () => {
  it('are sized by the JSON text of their spec/json.ts encoding', () => {
    const m: MajorityMessage = { kind: 'register', info, version: 3 };
    const text = majorityWireText(m);
    expect(JSON.parse(text)).toMatchObject({ kind: 'register', version: 3, info: { metrics_port: 9090, node_type: 'backend', last_updated: 1_700_000_000 } });
    expect(majorityMessageBytes(m)).toBe(text.length);
  });

  it('count multi-byte characters as their UTF-8 bytes', () => {
    const m: MajorityMessage = { kind: 'register', info: { ...info, address: 'hôte:8080' }, version: 0 };
    expect(majorityMessageBytes(m)).toBe(majorityWireText(m).length + 1);
  });

  it('make a registration reply grow with every peer it lists', () => {
    const peer = (i: number) => ({ ...info, id: `n${i}` });
    const reply = (n: number): MajorityMessage => ({ kind: 'registerReply', peers: Array.from({ length: n }, (_, i) => peer(i + 10)) });
    const one = majorityMessageBytes(reply(1));
    const ten = majorityMessageBytes(reply(10));
    expect(ten - one).toBe(9 * (majorityMessageBytes(reply(2)) - one));
  });
});

describe('majorityMemberView', () => {
  it('agrees with the full View for every member and for unknown ids', () => {
    const cluster = new LocalCluster(majorityNode, majorityCluster(5, MAJORITY_DEFAULTS));
    cluster.runFor(10_000);
    cluster.command('n3', { kind: 'update', patch: { address: '10.9.9.9:8080' } });
    cluster.runFor(5_000);
    for (const id of cluster.ids()) {
      const state = cluster.state(id);
      const view = majorityNode.view(state);
      for (const member of [...cluster.ids(), 'n99']) expect(majorityMemberView(state, member)).toEqual(view.members[member]);
    }
  });

  it('shows a node that left as left', () => {
    const cluster = new LocalCluster(majorityNode, majorityCluster(3, MAJORITY_DEFAULTS));
    cluster.runFor(6_000);
    cluster.command('n2', { kind: 'leave' });
    expect(majorityMemberView(cluster.state('n2'), 'n2')?.status).toBe(majorityNode.view(cluster.state('n2')).members.n2.status);
  });
});

describe('majoritySimProtocol', () => {
  it('times the resolver on the responses of a resolution', () => {
    const p = majoritySimProtocol();
    const peers = [{ id: 'n1', address: 'a:1', metricsPort: 1, nodeType: 'backend' as const, isLoadBalancer: false, lastUpdated: 1000 }];
    const micros = p.resolverMicros?.({ kind: 'resolved', responses: [peers, peers], result: peers });
    expect(micros).toBeGreaterThanOrEqual(0);
    expect(p.periodMs).toBe(MAJORITY_DEFAULTS.reannounceIntervalMs);
  });
});

describe('majorityMessageBytes arithmetic', () => {
  const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '9', '.', ':', '"', '\\', '\n', 'é', '字', '😀'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 12 });
  const nodeInfo = fc.record({
    id: text,
    address: text,
    metricsPort: fc.integer({ min: 0, max: 65_535 }),
    nodeType: fc.constantFrom('proxy' as const, 'backend' as const, 'governator' as const),
    isLoadBalancer: fc.boolean(),
    capabilities: fc.array(text, { maxLength: 4 }),
    lastUpdated: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  });
  const message: fc.Arbitrary<MajorityMessage> = fc.oneof(
    fc.record({ kind: fc.constant('register' as const), info: nodeInfo, version: fc.nat() }),
    fc.record({ kind: fc.constant('registerReply' as const), peers: fc.array(nodeInfo.map(({ capabilities: _c, ...p }) => p), { maxLength: 5 }) }),
    fc.record({ kind: fc.constant('update' as const), originator: text, info: nodeInfo, version: fc.nat() }),
    fc.record({ kind: fc.constant('updateAck' as const), originator: text, version: fc.nat() }),
    fc.constant({ kind: 'vitalsRequest' as const }),
  );

  it('equals the UTF-8 length of the encoded JSON text for any message', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(majorityMessageBytes(m)).toBe(Buffer.byteLength(majorityWireText(m), 'utf8'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the majority system in the simulator', () => {
  it('replays byte for byte from the same seed, and differs under another', () => {
    const p = majoritySimProtocol();
    const run = (seed: number) => JSON.stringify(runScenario(p, scenario('update-address'), 10, seed).sim);
    const a = run(7);
    expect(run(7)).toBe(a);
    expect(run(8)).not.toBe(a);
  });
});
