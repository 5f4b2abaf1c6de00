import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsensusError, type PeerInfo, modelResolve, resolveConsensus } from 'alice';

const peer = (id: string, address: string, lastUpdated: number, extra: Partial<PeerInfo> = {}): PeerInfo => ({
  id,
  address,
  metricsPort: 9090,
  nodeType: 'backend',
  isLoadBalancer: false,
  lastUpdated,
  ...extra,
});

describe('resolveConsensus: Inferno majority rule with timestamp tie-breaking', () => {
  it('is importable from the package entry as a user would', async () => {
    const mod = await import('alice');
    expect(typeof mod.resolveConsensus).toBe('function');
  });

  it('fails on zero responses with Inferno\'s message', () => {
    expect(() => resolveConsensus([])).toThrow(ConsensusError);
    expect(() => resolveConsensus([])).toThrow(/No peer responses provided/);
  });

  it('gives an empty result when every response is empty', () => {
    const r = resolveConsensus([[], [], []]);
    expect(r.peers).toEqual([]);
    expect(r.metrics).toMatchObject({ peerCount: 3, totalNodes: 0, majorityNodes: 0, conflictsDetected: 0, tieBreaks: 0 });
  });

  it('takes an id seen in a single entry as is', () => {
    const only = peer('a', 'h:1', 1000);
    expect(resolveConsensus([[only], []]).peers).toEqual([only]);
  });

  it('does not count agreeing entries as a conflict', () => {
    const r = resolveConsensus([[peer('a', 'h:1', 1000)], [peer('a', 'h:1', 2000)]]);
    expect(r.metrics.conflictsDetected).toBe(0);
  });

  it('lets a version held by floor(R/2)+1 entries win over a newer minority', () => {
    const old = peer('a', 'h:1', 1000);
    const r = resolveConsensus([[old], [old], [peer('a', 'h:2', 9000)]]);
    expect(r.peers).toEqual([old]);
    expect(r.metrics).toMatchObject({ conflictsDetected: 1, tieBreaks: 0 });
  });

  it('picks the newest entry within the majority version', () => {
    const r = resolveConsensus([[peer('a', 'h:1', 1000)], [peer('a', 'h:1', 3000)], [peer('a', 'h:2', 9000)]]);
    expect(r.peers[0].lastUpdated).toBe(3000);
  });

  it('needs strictly more than half: 2 of 4 is no majority, so the newest wins by tie-break', () => {
    const r = resolveConsensus([[peer('a', 'h:1', 1000)], [peer('a', 'h:1', 1000)], [peer('a', 'h:2', 5000)], [peer('a', 'h:3', 2000)]]);
    expect(r.peers[0].address).toBe('h:2');
    expect(r.metrics).toMatchObject({ conflictsDetected: 1, tieBreaks: 1 });
  });

  it('breaks a timestamp tie by response order (the first newest wins): the order dependence kept on purpose', () => {
    const x = peer('a', 'h:1', 1000);
    const y = peer('a', 'h:2', 1000);
    expect(resolveConsensus([[x], [y]]).peers[0].address).toBe('h:1');
    expect(resolveConsensus([[y], [x]]).peers[0].address).toBe('h:2');
  });

  it('groups versions by address, metrics port, node type and load-balancer flag', () => {
    const base = peer('a', 'h:1', 1000);
    for (const change of [{ metricsPort: 1 }, { nodeType: 'proxy' as const }, { isLoadBalancer: true }]) {
      expect(resolveConsensus([[base], [{ ...base, ...change }]]).metrics.conflictsDetected).toBe(1);
    }
  });

  it('counts entries, not responders: one response listing an id twice votes twice', () => {
    const old = peer('a', 'h:1', 1000);
    const r = resolveConsensus([[old, old], [peer('a', 'h:2', 9000)], []]);
    expect(r.peers[0].address).toBe('h:1');
  });

  it('reports peerCount, totalNodes and majorityNodes as Inferno does', () => {
    const r = resolveConsensus([[peer('a', 'h:1', 1), peer('b', 'h:2', 1)], [peer('a', 'h:1', 1)]]);
    expect(r.metrics).toMatchObject({ peerCount: 2, totalNodes: 3, majorityNodes: 2 });
    expect(r.metrics.durationMicros).toBeGreaterThanOrEqual(0);
  });

  const entry = fc.record({
    id: fc.constantFrom('a', 'b', 'c'),
    address: fc.constantFrom('h:1', 'h:2'),
    metricsPort: fc.constant(9090),
    nodeType: fc.constant('backend' as const),
    isLoadBalancer: fc.boolean(),
    lastUpdated: fc.integer({ min: 0, max: 3 }).map((s) => s * 1000),
  });
  const responsesArb = fc.array(fc.array(entry, { maxLength: 4 }), { minLength: 1, maxLength: 5 });

  it('resolves every id exactly once, to an entry some response held', () => {
    fc.assert(
      fc.property(responsesArb, (responses) => {
        const { peers } = resolveConsensus(responses);
        const ids = new Set(responses.flat().map((p) => p.id));
        expect(peers.map((p) => p.id).sort()).toEqual([...ids].sort());
        for (const p of peers) expect(responses.flat()).toContainEqual(p);
      }),
    );
  });

  it('agrees with the model\'s independent statement of the rule on any responses', () => {
    fc.assert(
      fc.property(responsesArb, (responses) => {
        expect(resolveConsensus(responses).peers).toEqual(modelResolve(responses));
      }),
      { numRuns: 500 },
    );
  });
});
