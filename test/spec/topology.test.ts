import { describe, expect, it } from 'vitest';
import { backendIndices, loadBalancerIndices, roleAt, topologyFor, topologyOf } from '../../spec/topology.js';

describe('Inferno topology', () => {
  it('has three load balancers and one governator up to 100 nodes', () => {
    expect(topologyFor(10)).toEqual({ loadBalancers: 3, governators: 1, backends: 6 });
    expect(topologyFor(100)).toEqual({ loadBalancers: 3, governators: 1, backends: 96 });
  });

  it('has five load balancers up to 1,000 nodes and ten above', () => {
    expect(topologyFor(1_000).loadBalancers).toBe(5);
    expect(topologyFor(10_000)).toEqual({ loadBalancers: 10, governators: 1, backends: 9_989 });
  });

  it('makes a cluster no larger than its load-balancer count all load balancers', () => {
    expect(topologyFor(2)).toEqual({ loadBalancers: 2, governators: 0, backends: 0 });
    expect(topologyFor(4)).toEqual({ loadBalancers: 3, governators: 0, backends: 1 });
  });

  it('orders roles load balancers first, then the governator, then backends', () => {
    const t = topologyFor(10);
    expect(Array.from({ length: 10 }, (_, i) => roleAt(t, i))).toEqual(['proxy', 'proxy', 'proxy', 'governator', 'backend', 'backend', 'backend', 'backend', 'backend', 'backend']);
    expect(loadBalancerIndices(t)).toEqual([0, 1, 2]);
    expect(backendIndices(t)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('refuses a topology without a load balancer or whose parts exceed n', () => {
    expect(() => topologyOf(5, 0, 0)).toThrow(/loadBalancers/);
    expect(() => topologyOf(5, 3, 3)).toThrow(/governators/);
    expect(() => topologyFor(0)).toThrow(/n/);
  });
});
