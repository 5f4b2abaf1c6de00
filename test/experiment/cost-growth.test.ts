import { describe, expect, it } from 'vitest';
import { costGrowth, costRow } from '../../experiment/cost-growth.js';
import { simProtocol } from '../../experiment/protocols.js';
import { type RunResult, runScenario } from '../../experiment/run.js';
import { scenario } from '../../experiment/scenarios.js';

// One real run gives every field its real shape; the variants below change only what a test reads.
const real = runScenario(simProtocol('swim'), scenario('warm-loss-0'), 10, 1);

function variant(sc: string, n: number, cpuMs: number, delivered: number, simMs = 100_000): RunResult {
  return { ...real, scenario: sc, n, sim: { ...real.sim, virtualMs: simMs, delivered }, runtime: { ...real.runtime, processCpuMs: cpuMs } };
}

describe('the simulator cost split (bench:sim-cost)', () => {
  it('divides process CPU by node-seconds and by delivered messages', () => {
    const row = costRow(variant('warm-loss-0', 100, 2_000, 40_000));
    // 2 s CPU over 100 nodes × 100 s; 40,000 messages over the same node-seconds.
    expect(row.cpuMicrosPerNodeSimS).toBe(200);
    expect(row.deliveredPerNodeSimS).toBe(4);
    expect(row.cpuMicrosPerDelivered).toBe(50);
  });

  it('keeps the reason an aborted run stopped, so its rates are read as partial', () => {
    const aborted: RunResult = { ...variant('warm-loss-10', 1000, 1, 1), status: 'aborted', abort: 'wall budget' };
    expect(costRow(aborted)).toMatchObject({ status: 'aborted', abort: 'wall budget' });
  });

  it('fits the growth exponent of per-node cost on a log–log scale', () => {
    // Per-node cost ×10 per ×10 nodes: exponent 1; messages per node flat: exponent 0.
    const g = costGrowth([variant('warm-loss-10', 10, 1, 10_000), variant('warm-loss-10', 100, 100, 100_000), variant('warm-loss-10', 1000, 10_000, 1_000_000)], 'warm-loss-10');
    const s = g.scenarios[0];
    expect(s?.rows.map((r) => r.n)).toEqual([10, 100, 1000]);
    expect(s?.perNodeCostExponent).toBe(1);
    expect(s?.perNodeMessagesExponent).toBe(0);
    expect(s?.perMessageCostExponent).toBe(1);
  });

  it('states each scenario against the no-loss baseline at the sizes both ran', () => {
    const g = costGrowth([variant('warm-loss-0', 100, 100, 10_000), variant('warm-loss-10', 100, 1_500, 120_000), variant('warm-loss-10', 1000, 9, 9)], 'warm-loss-0');
    expect(g.ratios).toEqual([{ scenario: 'warm-loss-10', n: 100, cost: 15, messages: 12 }]);
  });

  it('leaves out a run that simulated nothing', () => {
    expect(costGrowth([variant('warm-loss-0', 10, 1, 1, 0)], 'warm-loss-0').scenarios).toEqual([]);
  });
});
