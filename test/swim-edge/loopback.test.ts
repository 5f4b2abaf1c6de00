/**
 * Real SWIM nodes on loopback UDP/TCP: they join through one seed, notice a killed member, and see a
 * graceful leave as a leave. Short periods (local preset, 100 ms) keep the test to a few seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SWIM_LOCAL, type SwimCoreConfig } from '../../impl/swim/index.js';
import { LoopbackCluster, waitFor } from '../../impl/swim/loopback-cluster.js';

const fast: SwimCoreConfig = { ...SWIM_LOCAL, probeIntervalMs: 100, probeTimeoutMs: 30, suspicionTimeoutMs: 400, dogpile: false, gossipIntervalMs: 50, pushPullIntervalMs: 2000, joinRetryMs: 200 };

let cluster: LoopbackCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('SWIM on loopback', () => {
  it('four nodes joining through one seed all see each other alive', async () => {
    cluster = await LoopbackCluster.start(4, { config: fast, leaveGraceMs: 100 });
    expect(await waitFor(() => cluster!.converged(), 5000)).toBe(true);
  });

  it('the others mark a killed node failed', async () => {
    cluster = await LoopbackCluster.start(4, { config: fast, leaveGraceMs: 100 });
    expect(await waitFor(() => cluster!.converged(), 5000)).toBe(true);
    await cluster.node('n3').kill();
    const noticed = await waitFor(() => ['n1', 'n2', 'n4'].every((o) => cluster!.statusOf(o, 'n3') === 'dead'), 5000);
    expect(noticed).toBe(true);
  });

  it('the others see a graceful leave as left, not failed', async () => {
    cluster = await LoopbackCluster.start(3, { config: fast, leaveGraceMs: 100 });
    expect(await waitFor(() => cluster!.converged(), 5000)).toBe(true);
    await cluster.node('n2').leave();
    expect(await waitFor(() => ['n1', 'n3'].every((o) => cluster!.statusOf(o, 'n2') === 'left'), 3000)).toBe(true);
  });

  it('serves healthy backends from the gossiped records', async () => {
    cluster = await LoopbackCluster.start(3, { config: fast, leaveGraceMs: 100 });
    expect(await waitFor(() => cluster!.converged(), 5000)).toBe(true);
    expect(cluster.node('n1').healthyBackends().map((b) => b.id).sort()).toEqual(['n2', 'n3']);
  });
});
