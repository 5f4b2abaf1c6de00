/**
 * Variant hybrid-shared (ours, impl/hybrid/shared.ts): every load balancer tells the others its
 * backend list, so every load balancer routes to every backend.
 */
import { describe, expect, it } from 'vitest';
import { HYBRID_SHARED } from '../../impl/hybrid/index.js';
import { cluster, routes } from './helpers.js';

describe('variant hybrid-shared', () => {
  it('every load balancer routes to every backend', () => {
    const sim = cluster(7, 3, HYBRID_SHARED);
    sim.runUntil(20_000);
    for (const lb of ['n1', 'n2', 'n3']) expect(routes(sim, lb)).toEqual(['n4', 'n5', 'n6', 'n7']);
  });

  it("a removal by the backend's own load balancer reaches the others at once", () => {
    const sim = cluster(7, 3, HYBRID_SHARED);
    sim.runUntil(31_000);
    sim.input('n4', { type: 'crash' });
    // n1's next round: n4's connect times out at 65 s, n7 answers at 65.002 s, the round removes n4.
    sim.runUntil(65_010);
    for (const lb of ['n1', 'n2', 'n3']) expect(routes(sim, lb)).toEqual(['n5', 'n6', 'n7']);
  });

  it('backends of a load balancer SWIM declares failed are dropped by the others', () => {
    const sim = cluster(7, 3, HYBRID_SHARED);
    sim.runUntil(20_000);
    sim.input('n1', { type: 'crash' });
    sim.runUntil(60_000);
    expect(routes(sim, 'n2')).toEqual(['n5', 'n6']);
  });

  it('the baseline shares nothing: each load balancer routes to its own backends only', () => {
    const sim = cluster(7, 3);
    sim.runUntil(20_000);
    expect(routes(sim, 'n1')).toEqual(['n4', 'n7']);
    expect(sim.sent.some((s) => s.message.kind === 'backendsOf')).toBe(false);
  });
});
