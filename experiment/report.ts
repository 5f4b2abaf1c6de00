/**
 * The decision report: results → docs/decision.md and SVG charts. Every number in it is read from
 * the results file (figures.ts) or measured from the repository at report time (cost.ts); the
 * recommendation comes from the written rules of recommend.ts; the property table is read from the
 * checker's saved output, or marked as not yet produced.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { type PropertyTable, loadPropertyTable, propertyTableMarkdown } from './checker-verdicts.js';
import { type CostReport, measureCost } from './cost.js';
import { bytes, coverage, detectionLast, findRun, ms, num, sizesOf, updateP99, watch } from './figures.js';
import { CANDIDATE, INCUMBENT, SIM_PROTOCOLS } from './protocols.js';
import { type ProtocolFigures, recommend, recommendationMarkdown } from './recommend.js';
import type { MergedResults, ResultsFile } from './results.js';
import type { RunResult } from './run.js';
import { LOSS_LEVELS, SCALE_PERIODS, SCENARIOS } from './scenarios.js';
import { growthExponent } from './stats.js';
import { lineChart, rangeChartSvg } from './svg-chart.js';

export interface ReportOptions {
  /** Where decision.md and charts/ go. */
  readonly outDir: string;
  /** Saved `alice check --json` output for the property table. */
  readonly checkerPath: string;
  /** Repository root, for the cost section. */
  readonly root: string;
  /** The command that regenerates the report, as the report names it. */
  readonly regenerate: string;
}

export interface Report {
  readonly markdown: string;
  readonly charts: Readonly<Record<string, string>>;
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeReport(results: MergedResults, o: ReportOptions): string[] {
  const report = buildReport(results, o);
  const written: string[] = [];
  for (const [name, svg] of Object.entries(report.charts)) {
    const path = join(o.outDir, 'charts', name);
    writeAtomic(path, svg);
    written.push(path);
  }
  const md = join(o.outDir, 'decision.md');
  writeAtomic(md, report.markdown);
  written.push(md);
  return written;
}

const protocolsOf = (r: ResultsFile): string[] => [...r.protocols].sort((a, b) => (a === INCUMBENT ? -1 : b === INCUMBENT ? 1 : a < b ? -1 : 1));

/** Sizes at which every protocol completed the runs the rules read (update-address and crash-one). */
export function ruleSizes(results: ResultsFile): number[] {
  const done = (p: string, s: string, n: number) => findRun(results, p, s, n)?.status === 'ok';
  return results.sizes.filter((n) => results.protocols.every((p) => done(p, 'update-address', n) && done(p, 'crash-one', n)));
}

export function protocolFigures(results: ResultsFile, protocol: string, table: PropertyTable): ProtocolFigures {
  // Only sizes both protocols completed: a size one of them never ran is no evidence either way.
  const ns = ruleSizes(results);
  return {
    protocol,
    sizes: ns.map((n) => ({
      n,
      updateConvergenceP99Ms: updateP99(findRun(results, protocol, 'update-address', n)) ?? null,
      crashDetectionLastMs: detectionLast(findRun(results, protocol, 'crash-one', n)) ?? null,
      steadyBytesPerNodePerSec: findRun(results, protocol, 'update-address', n)?.sim.steady.bytesPerNodePerSec ?? null,
    })),
    safetyViolations: table.produced
      ? table.properties.filter((p) => table.cells[p][protocol]?.status === 'violated' && safetyUnderAnySchedule(protocol, p)).sort()
      : null,
  };
}

/**
 * R1 counts `always` properties expected to hold under any schedule (async timing). A violation of a
 * property that assumes bounded timing (accuracy) under the checker's async exploration is the
 * assumption failing, not the protocol: the property table still shows it.
 */
function safetyUnderAnySchedule(protocol: string, property: string): boolean {
  const def = SIM_PROTOCOLS[protocol]?.().definition.properties.find((p) => p.name === property);
  return def !== undefined && def.temporal === 'always' && def.assumptions.timing === 'async';
}

export function buildReport(results: MergedResults, o: ReportOptions): Report {
  const table = loadPropertyTable(o.checkerPath);
  const cost = measureCost(o.root);
  const protocols = protocolsOf(results);
  const charts = buildCharts(results, protocols);
  const inc = protocolFigures(results, INCUMBENT, table);
  const cand = protocolFigures(results, CANDIDATE, table);
  const both = protocols.includes(INCUMBENT) && protocols.includes(CANDIDATE);
  const rec = both ? recommend(inc, cand) : null;
  const L: string[] = [];
  const rel = (p: string): string => relative(o.outDir, p) || p;

  L.push('# Majority-rule or SWIM: the decision report', '');
  const sources = results.sources
    .map((s) => `\`${relative(o.root, s.path)}\` (commit \`${s.commit ?? 'unknown'}\`${s.dirty ? ' with uncommitted changes' : ''}, seed ${s.seed}, \`${s.command}\`)`)
    .join(' and ');
  L.push(
    `> Generated by \`${o.regenerate}\` from ${sources}. ` +
      'Do not edit by hand: the command regenerates this file and the charts beside it. Every figure below was measured by the simulator on this run, ' +
      'or read from the repository at report time; none is an estimate unless it says so.',
    '',
  );
  L.push('## Answer', '');
  L.push(rec ? rec.sentence : `_Only ${protocols.join(', ')} measured: a recommendation needs both ${INCUMBENT} and ${CANDIDATE}._`, '');
  L.push('The rules that produce this sentence, with every number they read, are in [Recommendation](#recommendation).', '');

  L.push('## How it was measured', '');
  L.push(
    `Both protocols' production cores (\`impl/majority\`, \`impl/swim\`) run unchanged in a discrete-event simulator (\`experiment/\`) in virtual time. ` +
      `Network: ${results.run.latency.toUpperCase()} latency preset (per-link base latency plus log-normal jitter, \`experiment/network.ts\`), no loss unless the scenario says so. ` +
      `Every node lists the first ${results.run.seedCount} nodes as seeds; nodes start within ${results.run.joinSpreadMs / 1000} s. ` +
      `Each scenario waits until every node holds every member (cold start), then ${results.run.settleMs / 1000} s plus one steady window (the protocol's slowest cycle), then the event.`,
    '',
  );
  L.push('| scenario | what happens |', '|---|---|');
  for (const s of SCENARIOS.filter((s) => results.scenarios.includes(s.name))) L.push(`| ${s.name} | ${s.summary} |`);
  L.push('');
  L.push('Definitions:', '');
  L.push(
    '- **convergence**: ms from the event until a live node\'s View reflects it (read from the node\'s state at each notification); p50/p99 over live nodes, "never" when some live node did not within the run.',
    '- **detection**: ms from a crash until a live node no longer lists the crashed node as alive or suspect; first = fastest node, last = slowest; "k/N" = live nodes that detected it within the run.',
    '- **false positive**: a live node declared `failed` or `removed` by another live node; duration until the observer took it back.',
    '- **traffic**: messages and bytes sent per live node per second, over the steady window before the event and the same length after it.',
    '- **state/node**: UTF-8 length of the core\'s canonical `encode(state)` over a sample of nodes at the end of the run (not the JS heap).',
    '- **CPU**: wall time inside `init`/`step` per node per simulated second, on this machine (2 cores shared with other jobs: noisy).',
    '',
  );
  L.push('Message sizes:', '');
  for (const [p, note] of Object.entries(results.sizeNotes)) L.push(`- ${p}: ${note}.`);
  L.push('');

  L.push('## Measured tables', '');
  for (const p of protocols) L.push(...scenarioTables(results, p));
  L.push(...lossTable(results, protocols));
  L.push(...majorityResolver(results));

  L.push('## Charts', '');
  for (const name of Object.keys(charts)) L.push(`![${name}](charts/${name})`, '');

  L.push('## Scale: how far each protocol goes', '');
  L.push(...scaleSection(results, protocols));

  L.push('## Properties', '');
  L.push('From the model checker (`alice check <protocol> --json`, saved at ' + `\`${relative(o.root, o.checkerPath)}\`):`, '');
  L.push(propertyTableMarkdown(table));
  L.push('From the simulator (whole-cluster Observations sampled every second in runs of ≤ ' + `${results.run.propertyMaxN} nodes; \`always\` properties each sample, \`eventually\` ones at the end of the run; `
    + 'a property is expected to hold only under its stated assumptions, e.g. `accuracy` assumes no loss and no partition):', '');
  L.push(...simPropertyTable(results, protocols));

  L.push('## Cost', '');
  L.push(...costSection(cost));
  L.push('## Migration roadmap (estimates)', '');
  L.push(...roadmap(cost));
  L.push('## Risks', '');
  L.push(...risks(results, table));
  L.push('## Recommendation', '');
  L.push(`The rules read the sizes at which both protocols completed update-address and crash-one: N = ${ruleSizes(results).join(', ') || 'none'}. Larger runs are in [Scale](#scale-how-far-each-protocol-goes).`, '');
  if (rec) L.push(recommendationMarkdown(rec, inc, cand));
  else L.push('_Not derived: both protocols must be in the results._', '');
  L.push('', `<!-- charts: ${Object.keys(charts).map((c) => rel(join(o.outDir, 'charts', c))).join(', ')} -->`, '');
  return { markdown: L.join('\n'), charts };
}

function scenarioTables(results: ResultsFile, p: string): string[] {
  const L: string[] = [`### ${p}`, ''];
  L.push('| scenario | N | converged / detected | p50 | p99 | all nodes | first | FP (members, declarations) | msgs/node/s steady → event | B/node/s steady → event | state/node | CPU µs/node/s |');
  L.push('|---|---:|---|---:|---:|---:|---:|---|---|---|---:|---:|');
  for (const s of results.scenarios) {
    for (const n of sizesOf(results, p, s)) {
      const r = findRun(results, p, s, n) as RunResult;
      const w = r.sim.watches[0];
      const fp = r.sim.falsePositives;
      const cells = [
        s + (r.status === 'aborted' ? ' (stopped: budget)' : ''),
        String(n),
        w ? `${w.label} ${coverage(w)}` : '–',
        ms(w?.perObserver.p50),
        ms(w?.perObserver.p99),
        w ? ms(w.allMs) : '–',
        ms(w?.perPair.min),
        `${fp.members}, ${fp.declarations}${fp.declarations > 0 ? ` (${ms(fp.durationMs.p50)} p50${fp.acrossPartition > 0 ? `, ${fp.acrossPartition} across the partition` : ''})` : ''}`,
        `${num(r.sim.steady.messagesPerNodePerSec, 1)} → ${num(r.sim.during.messagesPerNodePerSec, 1)}`,
        `${num(r.sim.steady.bytesPerNodePerSec)} → ${num(r.sim.during.bytesPerNodePerSec)}`,
        bytes(r.sim.stateBytes.mean),
        num(r.runtime.cpuMicrosPerNodePerSimSecond, 1),
      ];
      L.push(`| ${cells.join(' | ')} |`);
    }
  }
  L.push('');
  const extra = results.runs.filter((r) => r.protocol === p && r.sim.watches.length > 1);
  if (extra.length > 0) {
    L.push(`Suspicion before detection (${p}):`, '');
    L.push('| scenario | N | suspected by all | first suspicion |', '|---|---:|---:|---:|');
    for (const r of extra) {
      const w = watch(r, 'suspected');
      if (w) L.push(`| ${r.scenario} | ${r.n} | ${ms(w.allMs)} (${coverage(w)}) | ${ms(w.perPair.min)} |`);
    }
    L.push('');
  }
  return L;
}

function lossTable(results: ResultsFile, protocols: string[]): string[] {
  const L: string[] = ['### False positives against loss', ''];
  const sizes = results.sizes;
  L.push(`| loss | ${protocols.flatMap((p) => sizes.map((n) => `${p} N=${n}`)).join(' | ')} |`);
  L.push(`|---|${protocols.flatMap(() => sizes.map(() => '---:')).join('|')}|`);
  for (const loss of LOSS_LEVELS) {
    const s = `loss-${Math.round(loss * 100)}`;
    if (!results.scenarios.includes(s)) continue;
    const cells = protocols.flatMap((p) =>
      sizes.map((n) => {
        const r = findRun(results, p, s, n);
        return r ? `${r.sim.falsePositives.declarations} (${r.sim.falsePositives.members} nodes)` : '–';
      }),
    );
    L.push(`| ${Math.round(loss * 100)} % | ${cells.join(' | ')} |`);
  }
  L.push('', 'Cells: declarations of a live node as failed over the observation window (distinct live nodes so declared).', '');
  return L;
}

function majorityResolver(results: ResultsFile): string[] {
  const runs = results.runs.filter((r) => r.runtime.resolverMicros && r.runtime.resolverMicros.count > 0);
  if (runs.length === 0) return [];
  const L = ['### The majority resolver\'s own time per resolution', ''];
  L.push("Measured as Inferno measures it (the resolver's own timer, `resolveConsensus(...).metrics.durationMicros`), re-run on each resolution's responses:", '');
  L.push('| N | resolutions | p50 µs | p99 µs | max µs |', '|---:|---:|---:|---:|---:|');
  for (const n of results.sizes) {
    const all = runs.filter((r) => r.n === n && r.scenario === 'cold-start');
    for (const r of all) {
      const d = r.runtime.resolverMicros!;
      L.push(`| ${n} | ${d.count} | ${num(d.p50, 1)} | ${num(d.p99, 1)} | ${num(d.max, 1)} |`);
    }
  }
  L.push('', '(cold-start runs: every node resolves at join and at each re-announce.)', '');
  return L;
}

function buildCharts(results: ResultsFile, protocols: string[]): Record<string, string> {
  const charts: Record<string, string> = {};
  const series = (scenario: string, pick: (r: RunResult) => number | null | undefined) =>
    protocols.map((p) => ({
      name: p,
      points: sizesOf(results, p, scenario)
        .map((n) => [n, pick(findRun(results, p, scenario, n) as RunResult)] as const)
        .filter((pt): pt is readonly [number, number] => typeof pt[1] === 'number' && pt[1] > 0),
    }));
  const add = (name: string, make: () => string): void => {
    try {
      charts[name] = make();
    } catch {
      // A chart with no plottable value is left out; the tables still show the figures.
    }
  };
  add('convergence-vs-n.svg', () =>
    lineChart({ title: 'Update convergence p99 vs cluster size', xLabel: 'nodes', yLabel: 'ms (p99 over nodes)', logX: true, logY: true, series: series('update-address', (r) => updateP99(r)) }),
  );
  add('cold-start-vs-n.svg', () =>
    lineChart({ title: 'Cold start: every node holds every member', xLabel: 'nodes', yLabel: 'ms', logX: true, logY: true, series: series('cold-start', (r) => r.sim.coldStartMs) }),
  );
  add('bytes-per-node-vs-n.svg', () =>
    lineChart({ title: 'Steady traffic per node vs cluster size', xLabel: 'nodes', yLabel: 'bytes / node / s', logX: true, logY: true, series: series('update-address', (r) => r.sim.steady.bytesPerNodePerSec) }),
  );
  const rows = protocols.flatMap((p) =>
    sizesOf(results, p, 'crash-10pct').flatMap((n) => {
      const w = watch(findRun(results, p, 'crash-10pct', n), 'detected');
      const d = w?.perPair;
      return d && d.count > 0 ? [{ label: `${p} N=${n} (${coverage(w)})`, min: d.min!, p50: d.p50!, p99: d.p99!, max: d.max! }] : [];
    }),
  );
  if (rows.length > 0) add('detection-times.svg', () => rangeChartSvg({ title: 'Detection time after 10 % crash (per node and crashed node)', xLabel: 'ms after the crash', rows }));
  add('false-positives-vs-loss.svg', () =>
    lineChart({
      title: 'False positives vs datagram loss',
      xLabel: 'loss %',
      yLabel: 'live nodes declared failed (declarations)',
      series: protocols.flatMap((p) =>
        results.sizes.map((n) => ({
          name: `${p} N=${n}`,
          points: LOSS_LEVELS.flatMap((l) => {
            const r = findRun(results, p, `loss-${Math.round(l * 100)}`, n);
            return r ? [[l * 100, r.sim.falsePositives.declarations] as const] : [];
          }),
        })),
      ).filter((s) => s.points.length > 0),
    }),
  );
  return charts;
}

function scaleSection(results: ResultsFile, protocols: string[]): string[] {
  const L: string[] = [];
  L.push('| protocol | N | scenario | status | simulated | wall | events | wall per simulated s | heap at end |', '|---|---:|---|---|---:|---:|---:|---:|---:|');
  for (const p of protocols) {
    for (const n of results.sizes) {
      const r = findRun(results, p, 'crash-one', n) ?? findRun(results, p, 'cold-start', n) ?? results.runs.find((x) => x.protocol === p && x.n === n && !startsFromSnapshot(x.scenario));
      if (!r) continue;
      L.push(
        `| ${p} | ${n} | ${r.scenario} | ${r.status} | ${num(r.sim.virtualMs / 1000)} s | ${num(r.runtime.wallMs / 1000, 1)} s | ${num(r.sim.events)} | ${num(r.runtime.wallMs / Math.max(1, r.sim.virtualMs), 3)} s | ${bytes(r.runtime.heapUsedBytes)} |`,
      );
    }
  }
  L.push('');
  for (const p of protocols) {
    const pts = results.sizes.flatMap((n) => {
      const r = findRun(results, p, 'update-address', n);
      return r && r.status === 'ok' ? [[n, r.sim.steady.bytesPerNodePerSec] as const] : [];
    });
    const e = growthExponent(pts);
    const st = growthExponent(results.sizes.flatMap((n) => {
      const r = findRun(results, p, 'update-address', n);
      return r && r.status === 'ok' ? [[n, r.sim.stateBytes.mean] as const] : [];
    }));
    if (e !== null) {
      const last = pts[pts.length - 1];
      const at = (N: number) => last[1] * (N / last[0]) ** e;
      L.push(
        `- **${p}**: steady bytes per node per second grow as N^${e.toFixed(2)} (least-squares fit over N = ${pts.map((x) => x[0]).join(', ')}); ` +
          `extrapolated from N = ${last[0]} (an extrapolation, not a measurement): ${bytes(at(1000))}/s per node at 1,000 nodes, ${bytes(at(10_000))}/s at 10,000.` +
          (st !== null ? ` State per node grows as N^${st.toFixed(2)}.` : ''),
      );
    }
  }
  for (const p of protocols) {
    // Simulation cost against N from the crash-one runs that finished: what running larger would take.
    const ok = results.sizes.flatMap((n) => {
      const r = findRun(results, p, 'crash-one', n);
      return r && r.status === 'ok' ? [r] : [];
    });
    const wallPerSimS = growthExponent(ok.map((r) => [r.n, r.runtime.wallMs / Math.max(1, r.sim.virtualMs)] as const));
    const state = growthExponent(ok.map((r) => [r.n, r.sim.stateBytes.mean] as const));
    if (ok.length >= 2 && wallPerSimS !== null && state !== null) {
      const last = ok[ok.length - 1];
      const periods = 100 * (SIM_PROTOCOLS[p]?.().periodMs ?? 1000);
      const wallAt = (N: number) => (last.runtime.wallMs / last.sim.virtualMs) * (N / last.n) ** wallPerSimS * periods;
      const stateAt = (N: number) => last.sim.stateBytes.mean * (N / last.n) ** state * N;
      L.push(
        `- **${p}, simulation cost** (crash-one runs, N = ${ok.map((r) => r.n).join(', ')}): wall time per simulated second grows as N^${wallPerSimS.toFixed(2)}, ` +
          `encoded state per node as N^${state.toFixed(2)}. Extrapolated (not measured) to 10,000 nodes: ${num(wallAt(10_000) / 1000)} s of wall time for 100 protocol periods ` +
          `and ${bytes(stateAt(10_000))} of encoded state for the whole cluster (every node holds every member).`,
      );
    }
  }
  for (const s of results.skipped.filter((x, i, a) => !startsFromSnapshot(x.scenario) && a.findIndex((y) => y.protocol === x.protocol && y.n === x.n && !startsFromSnapshot(y.scenario)) === i)) {
    L.push(`- ${s.protocol} at N = ${s.n} not run: ${s.reason}.`);
  }
  L.push('');
  L.push(...convergedStartSection(results, protocols));
  return L;
}

/** The issue's scale target: 10,000 SWIM nodes, 100 protocol periods, ≤ 60 s wall, ≤ 4 GB. */
const SCALE_TARGET = { n: 10_000, periods: SCALE_PERIODS, wallMs: 60_000, bytes: 4e9 } as const;

/** Runtime figures as a results file holds them: files written before a field existed lack it. */
type StoredRuntime = Pick<RunResult['runtime'], 'wallMs' | 'heapUsedBytes'> & Partial<RunResult['runtime']>;

function startsFromSnapshot(name: string): boolean {
  return SCENARIOS.find((s) => s.name === name)?.start === 'snapshot';
}

/**
 * Runs that start converged from a member snapshot (no join storm): the figures of the scale target.
 * Memory is the larger of the V8 heap peak and the process's resident peak.
 */
function convergedStartSection(results: ResultsFile, protocols: string[]): string[] {
  const runs = results.runs.filter((r) => startsFromSnapshot(r.scenario) && protocols.includes(r.protocol)).sort((a, b) => a.n - b.n);
  if (runs.length === 0) return [];
  const L: string[] = ['### Converged start: every node restored from one persisted member list', ''];
  L.push(
    'Scenario `warm-crash-one`: each node starts from the same member snapshot (SWIM: `impl/swim/snapshot.ts`, as Serf restarts from its snapshot file) within 1 s, ' +
      'holds every member without a join, announces itself, settles, and after one steady window the subject crashes; the run lasts at least ' +
      `${SCALE_PERIODS} protocol periods. This skips the cold-start join storm, which the table above measures separately; nodes share the snapshot's table until they change a member.`,
    '',
  );
  L.push('| protocol | N | status | simulated | periods | wall | process CPU | events | heap peak | RSS peak | suspected by all | detected by all | FP | steady B/node/s | state/node |');
  L.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    const period = SIM_PROTOCOLS[r.protocol]?.().periodMs ?? 1000;
    const rt: StoredRuntime = r.runtime;
    L.push(
      `| ${r.protocol} | ${num(r.n)} | ${r.status} | ${num(r.sim.virtualMs / 1000)} s | ${num(r.sim.virtualMs / period)} | ${num(r.runtime.wallMs / 1000, 1)} s | ` +
        `${rt.processCpuMs === undefined ? '–' : `${num(rt.processCpuMs / 1000, 1)} s`} | ${num(r.sim.events)} | ` +
        `${bytes(rt.peakHeapBytes ?? rt.heapUsedBytes)} | ${bytes(rt.maxRssBytes)} | ${ms(watch(r, 'suspected')?.allMs)} (${coverage(watch(r, 'suspected'))}) | ` +
        `${ms(watch(r, 'detected')?.allMs)} (${coverage(watch(r, 'detected'))}) | ${r.sim.falsePositives.declarations} | ${num(r.sim.steady.bytesPerNodePerSec)} | ${bytes(r.sim.stateBytes.mean)} |`,
    );
  }
  L.push('');
  const target = runs.find((r) => r.protocol === CANDIDATE && r.n === SCALE_TARGET.n);
  if (!target) {
    L.push(`- The ${num(SCALE_TARGET.n)}-node target (${SCALE_PERIODS} periods in ≤ 60 s and ≤ 4 GB) has no ${CANDIDATE} run at N = ${num(SCALE_TARGET.n)} in these results.`, '');
    return L;
  }
  const rt: StoredRuntime = target.runtime;
  const memory = Math.max(rt.peakHeapBytes ?? rt.heapUsedBytes, rt.maxRssBytes ?? 0);
  const period = SIM_PROTOCOLS[CANDIDATE]?.().periodMs ?? 1000;
  const periods = target.sim.virtualMs / period;
  const wallOk = target.status === 'ok' && periods >= SCALE_PERIODS && target.runtime.wallMs <= SCALE_TARGET.wallMs;
  const memOk = memory <= SCALE_TARGET.bytes;
  L.push(
    `- **The ${num(SCALE_TARGET.n)}-node target (${SCALE_PERIODS} periods in ≤ 60 s and ≤ 4 GB) is ${wallOk && memOk ? 'met' : 'not met'}** from a converged start: ` +
      `${num(periods)} periods simulated in ${num(target.runtime.wallMs / 1000, 1)} s of wall time (${wallOk ? 'within' : 'over'} 60 s), ` +
      `${bytes(memory)} of memory at the peak (${memOk ? 'within' : 'over'} 4 GB), ${num(target.sim.events)} events; ` +
      `the crash was detected by ${coverage(watch(target, 'detected'))} live nodes, the last after ${ms(watch(target, 'detected')?.allMs)}. ` +
      `Wall time depends on the machine and its load; the process used ${rt.processCpuMs === undefined ? 'an unrecorded amount of' : `${num(rt.processCpuMs / 1000, 1)} s of`} CPU time (all threads).`,
    '',
  );
  return L;
}

function simPropertyTable(results: ResultsFile, protocols: string[]): string[] {
  const L: string[] = [];
  const names = [...new Set(results.runs.flatMap((r) => (r.sim.properties ?? []).map((p) => p.property)))];
  if (names.length === 0) return ['_No run small enough for whole-cluster property checks._', ''];
  L.push(`| property | ${protocols.join(' | ')} |`, `|---|${protocols.map(() => '---').join('|')}|`);
  for (const name of names) {
    const cells = protocols.map((p) => {
      const runs = results.runs.filter((r) => r.protocol === p && r.sim.properties?.some((x) => x.property === name));
      const bad = runs.filter((r) => (r.sim.properties ?? []).some((x) => x.property === name && x.violations > 0));
      if (runs.length === 0) return 'not judged';
      if (bad.length === 0) return `held in all ${runs.length} runs`;
      return `violated in ${bad.length}/${runs.length} runs (${[...new Set(bad.map((r) => r.scenario))].join(', ')})`;
    });
    L.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  L.push('');
  return L;
}

function costSection(cost: CostReport): string[] {
  const L: string[] = ['Measured from the repository when this report was generated (`experiment/cost.ts`: code lines exclude blanks and comments).', ''];
  L.push('| protocol | implementation code lines | files | model code lines | config knobs | imports |', '|---|---:|---:|---:|---:|---|');
  for (const p of cost.protocols) {
    L.push(`| ${p.protocol} | ${num(p.implCode)} | ${p.implFiles} | ${num(p.modelCode)} | ${p.configKnobs.length} | ${p.dependencies.join(', ') || 'none'} |`);
  }
  L.push('', '| room | files | code lines |', '|---|---:|---:|');
  for (const r of cost.rooms) L.push(`| ${r.room} | ${r.files} | ${num(r.code)} |`);
  L.push('', `Package runtime dependencies: ${cost.packageDependencies.join(', ')}.`, '');
  return L;
}

/**
 * Effort by phase. The basis: this repository's measured line counts, and an assumed rate of 40–80
 * reviewed, tested lines per engineer-day for porting protocol code to Inferno's Rust (an assumption,
 * stated as such; the spread is the estimate's uncertainty).
 */
const RATE = { low: 40, high: 80 } as const;

function roadmap(cost: CostReport): string[] {
  const swim = cost.protocols.find((p) => p.protocol === CANDIDATE);
  const room = (name: string) => cost.rooms.find((r) => r.room === name)?.code ?? 0;
  if (!swim) return ['_No SWIM implementation measured._', ''];
  const days = (lines: number) => `${Math.ceil(lines / RATE.high)}–${Math.ceil(lines / RATE.low)}`;
  const L = [
    `Estimates, not measurements: each is a measured line count of this repository divided by an assumed porting rate of ${RATE.low}–${RATE.high} reviewed, tested lines per engineer-day (Rust, with tests); the range is the uncertainty.`,
    '',
    '| phase | what | basis (measured lines) | estimate (engineer-days) |',
    '|---|---|---:|---:|',
    `| 1 | Port the SWIM core, codec and transports to Rust behind Inferno's discovery interface | impl/swim: ${num(swim.implCode)} | ${days(swim.implCode)} |`,
    `| 2 | Shadow mode: run SWIM beside the majority system, compare Views node by node (the conformance harness's approach) | conformance + impl/runtime: ${num(room('conformance') + room('impl/runtime'))} | ${days(room('conformance') + room('impl/runtime'))} |`,
    `| 3 | Cut over consumers (load balancers' healthy-backend lists) and retire majority registration | impl/majority: ${num(room('impl/majority'))} | ${days(room('impl/majority'))} |`,
    `| 4 | Keep the model and checker as a regression gate in CI | model/swim + checker: ${num(room('model/swim') + room('checker'))} (reused, not ported) | 1–3 (CI wiring) |`,
    '',
  ];
  return L;
}

function risks(results: ResultsFile, table: PropertyTable): string[] {
  const L: string[] = [];
  const big = (p: string, s: string) => {
    const ns = sizesOf(results, p, s).filter((n) => findRun(results, p, s, n)?.status === 'ok');
    const n = ns[ns.length - 1];
    return n === undefined ? undefined : findRun(results, p, s, n);
  };
  const crash = big(INCUMBENT, 'crash-one');
  const dw = watch(crash, 'detected');
  if (crash && dw && dw.reflected < dw.observers) {
    L.push(`- **${INCUMBENT} never tells most nodes about a crash.** After one crash at N = ${crash.n}, ${coverage(dw)} live nodes stopped listing the crashed node within ${num(crash.sim.virtualMs / 1000 - crash.sim.eventAtMs / 1000)} s (only load balancers health-check). Source: crash-one run.`);
  }
  for (const p of [INCUMBENT, CANDIDATE]) {
    const part = big(p, 'partition');
    const hw = watch(part, 'healed');
    if (part && hw && hw.allMs === null) {
      L.push(`- **${p} does not fully re-merge after a 30 s partition heals.** At N = ${part.n}, ${coverage(hw)} live nodes held every member again within ${num((part.sim.virtualMs - part.sim.eventAtMs) / 1000 - 30)} s of the heal. Source: partition run.`);
    }
    const loss = big(p, 'loss-30');
    if (loss && loss.sim.falsePositives.declarations > 0) {
      L.push(`- **${p} declares live nodes failed under 30 % loss**: ${loss.sim.falsePositives.declarations} declarations about ${loss.sim.falsePositives.members} live nodes at N = ${loss.n} (median standing time ${ms(loss.sim.falsePositives.durationMs.p50)}). Source: loss-30 run.`);
    }
    const slow = big(p, 'slow-node');
    if (slow && slow.sim.falsePositives.declarations > 0) {
      L.push(`- **${p} flags a slow node as failed**: ${slow.sim.falsePositives.declarations} declarations at N = ${slow.n} while the node stalled 3 s in 10. Source: slow-node run.`);
    }
    const skew = big(p, 'clock-skew');
    const nr = skew?.sim.properties?.find((x) => x.property === 'noRegression');
    if (skew && nr && nr.violations > 0) L.push(`- **${p} regresses records under clock skew**: noRegression violated in ${nr.violations} of ${nr.samples} samples (first: ${nr.first?.detail}). Source: clock-skew run.`);
  }
  const growth = growthExponent(
    results.sizes.flatMap((n) => {
      const r = findRun(results, INCUMBENT, 'update-address', n);
      return r && r.status === 'ok' ? [[n, r.sim.steady.bytesPerNodePerSec] as const] : [];
    }),
  );
  if (growth !== null && growth > 0.5) L.push(`- **${INCUMBENT} traffic per node grows as N^${growth.toFixed(2)}** (re-announcement to every peer, each reply listing every peer). Source: update-address steady windows.`);
  if (table.produced) {
    for (const prop of table.properties) {
      for (const p of table.protocols) {
        const c = table.cells[prop][p];
        if (c.status === 'violated') L.push(`- **${p} violates ${prop}** in the model checker (${c.bounds[0]})${c.trace ? `, counterexample \`${c.trace}\`` : ''}.`);
      }
    }
  } else {
    L.push('- Checker verdicts are not yet in this report (see Properties): correctness risks rest on the simulator samples only.');
  }
  if (L.length === 0) L.push('- No measured risk crossed a reporting threshold in these runs.');
  L.push('');
  return L;
}
