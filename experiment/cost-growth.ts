/**
 * How the simulator's cost grows with the cluster size, per scenario: the facts behind
 * `npm run bench:sim-cost` (issue 16 §2). Cost is split into how many messages the protocol sends
 * (a property of the protocol under that scenario) and what one delivered message costs the
 * simulation (a property of our code), so a reader can tell which of the two grows.
 */
import type { RunResult } from './run.js';
import { growthExponent } from './stats.js';

export interface CostRow {
  readonly scenario: string;
  readonly n: number;
  readonly status: RunResult['status'];
  /** Why an aborted run stopped: its cost figures cover only the part it simulated. */
  readonly abort?: string;
  readonly simulatedS: number;
  readonly wallS: number;
  /** Protocol step time per node per simulated second, µs (RuntimeFigures.cpuMicrosPerNodePerSimSecond). */
  readonly stepMicrosPerNodeSimS: number;
  /** Process CPU (collector and simulator included) per node per simulated second, µs. */
  readonly cpuMicrosPerNodeSimS: number;
  /** Messages delivered per node per simulated second: the protocol's own volume under the scenario. */
  readonly deliveredPerNodeSimS: number;
  /** Process CPU per delivered message, µs: our code's price of one message. */
  readonly cpuMicrosPerDelivered: number | null;
  readonly peakRssBytes: number | null;
}

export interface ScenarioGrowth {
  readonly scenario: string;
  readonly rows: readonly CostRow[];
  /** Log–log slope of process CPU per node per simulated second against N (null under two sizes). */
  readonly perNodeCostExponent: number | null;
  /** The same for messages delivered per node per simulated second. */
  readonly perNodeMessagesExponent: number | null;
  /** The same for CPU per delivered message. */
  readonly perMessageCostExponent: number | null;
}

export interface CostGrowth {
  readonly scenarios: readonly ScenarioGrowth[];
  /**
   * For each scenario other than `baseline`, at each size both ran: its CPU per node per simulated
   * second over the baseline's, and the same ratio for delivered messages (issue 16 §2 asks ≤ 3×
   * under 10 % loss).
   */
  readonly ratios: readonly { readonly scenario: string; readonly n: number; readonly cost: number; readonly messages: number }[];
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

export function costRow(r: RunResult): CostRow {
  const simS = r.sim.virtualMs / 1000;
  const nodeS = r.n * simS;
  const cpuUs = r.runtime.processCpuMs * 1000;
  const row: CostRow = {
    scenario: r.scenario,
    n: r.n,
    status: r.status,
    simulatedS: round(simS, 1),
    wallS: round(r.runtime.wallMs / 1000, 1),
    stepMicrosPerNodeSimS: r.runtime.cpuMicrosPerNodePerSimSecond,
    cpuMicrosPerNodeSimS: nodeS > 0 ? round(cpuUs / nodeS, 1) : 0,
    deliveredPerNodeSimS: nodeS > 0 ? round(r.sim.delivered / nodeS, 2) : 0,
    cpuMicrosPerDelivered: r.sim.delivered > 0 ? round(cpuUs / r.sim.delivered, 2) : null,
    peakRssBytes: r.runtime.peakRssBytes ?? null,
  };
  return r.abort === undefined ? row : { ...row, abort: r.abort };
}

/** Rows per scenario in size order, with growth exponents, and each scenario's ratio to `baseline`. */
export function costGrowth(runs: readonly RunResult[], baseline: string): CostGrowth {
  const byScenario = new Map<string, CostRow[]>();
  for (const r of runs) {
    // A run that simulated nothing has no rate to report.
    if (r.sim.virtualMs <= 0) continue;
    const rows = byScenario.get(r.scenario) ?? [];
    rows.push(costRow(r));
    byScenario.set(r.scenario, rows);
  }
  const scenarios = [...byScenario].map(([scenario, rows]): ScenarioGrowth => {
    rows.sort((a, b) => a.n - b.n);
    const exp = (y: (row: CostRow) => number | null): number | null => {
      const e = growthExponent(rows.flatMap((row) => { const v = y(row); return v === null ? [] : [[row.n, v] as const]; }));
      return e === null ? null : round(e, 2);
    };
    return {
      scenario,
      rows,
      perNodeCostExponent: exp((row) => row.cpuMicrosPerNodeSimS),
      perNodeMessagesExponent: exp((row) => row.deliveredPerNodeSimS),
      perMessageCostExponent: exp((row) => row.cpuMicrosPerDelivered),
    };
  });
  const base = new Map((byScenario.get(baseline) ?? []).map((row) => [row.n, row]));
  const ratios = scenarios
    .filter((g) => g.scenario !== baseline)
    .flatMap((g) => g.rows.flatMap((row) => {
      const b = base.get(row.n);
      if (b === undefined || b.cpuMicrosPerNodeSimS <= 0 || b.deliveredPerNodeSimS <= 0) return [];
      return [{ scenario: g.scenario, n: row.n, cost: round(row.cpuMicrosPerNodeSimS / b.cpuMicrosPerNodeSimS, 1), messages: round(row.deliveredPerNodeSimS / b.deliveredPerNodeSimS, 1) }];
    }));
  return { scenarios, ratios };
}
