/**
 * The decision report: results → docs/decision.md and SVG charts. Every number in it is read from
 * the results file (figures.ts) or measured from the repository at report time (cost.ts); the
 * recommendation comes from the written rules of recommend.ts; the property table is read from the
 * checker's saved output, or marked as not yet produced.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { type PropertyTable, type TraceLink, cellText, depthText, loadPropertyTable, propertyTableMarkdown } from './checker-verdicts.js';
import { type CostReport, measureCost } from './cost.js';
import { bytes, coverage, detectionLast, findRun, ms, newestRuns, num, sizesOf, updateP99, watch } from './figures.js';
import { CANDIDATE, INCUMBENT, SIM_PROTOCOLS } from './protocols.js';
import { type ProtocolFigures, recommend, recommendationMarkdown } from './recommend.js';
import type { MergedResults, ResultsFile } from './results.js';
import type { RunResult } from './run.js';
import { LOSS_LEVELS, SCALE_PERIODS, SCENARIOS } from './scenarios.js';
import { growthExponent } from './stats.js';
import { scaleSection } from './report-scale.js';
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
    // Every checker configuration that speaks for this protocol (its model, and model variants of it),
    // counting a violation only where the configuration meets the property's timing assumption.
    safetyViolations: table.produced
      ? table.properties
          .filter((p) => table.columns.some((c) => c.speaksFor === protocol && table.cells[p][c.id]?.status === 'violated' && safetyCounts(protocol, p, c.timing)))
          .sort()
      : null,
  };
}

/**
 * R1 counts `always` properties violated in a configuration that meets their timing assumption: one
 * that assumes nothing (async) counts under any timing; one that assumes bounded timing (accuracy)
 * counts only in a bounded configuration, since under async timing its violation is the assumption
 * failing, not the protocol. The property table still shows every verdict.
 */
function safetyCounts(protocol: string, property: string, timing: string): boolean {
  const def = SIM_PROTOCOLS[protocol]?.().definition.properties.find((p) => p.name === property);
  return def !== undefined && def.temporal === 'always' && (def.assumptions.timing === 'async' || timing === 'bounded');
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
  const traceLink = (repoPath: string): string => relative(o.outDir, join(o.root, repoPath));

  L.push('# Majority-rule or SWIM: the decision report', '');
  const sources = results.sources
    .map((s) => `\`${relative(o.root, s.path)}\` (commit \`${s.commit ?? 'unknown'}\`${s.dirty ? ' with uncommitted changes' : ''}, seed ${s.seed}, \`${s.command}\`)`)
    .join(' and ');
  L.push(
    `> Generated by \`${o.regenerate}\` from ${sources}. ` +
      `Do not edit by hand: \`${o.regenerate}\` regenerates this file and the charts beside it. ` +
      'Every figure below was measured by the simulator in the runs named here, ' +
      'read from the checker results (`docs/results/checker.json`, `npm run check:report`), or read from the repository at report time; none is an estimate unless it says so.',
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
  L.push(...checkerIntro(table, relative(o.root, o.checkerPath)));
  L.push(propertyTableMarkdown(table, traceLink));
  L.push(...checkerReading(table));
  L.push('From the simulator (whole-cluster Observations sampled every second in runs of ≤ ' + `${results.run.propertyMaxN} nodes; \`always\` properties each sample, \`eventually\` ones at the end of the run; `
    + 'a property is expected to hold only under its stated assumptions, e.g. `accuracy` assumes no loss and no partition):', '');
  L.push(...simPropertyTable(results, protocols));

  L.push('## Cost', '');
  L.push(...costSection(cost));
  L.push('## Migration roadmap (estimates)', '');
  L.push(...roadmap(cost));
  L.push('## Risks', '');
  L.push(...risks(results, table, traceLink));
  L.push('## Recommendation', '');
  L.push(`The rules read the sizes at which both protocols completed update-address and crash-one: N = ${ruleSizes(results).join(', ') || 'none'}. Larger runs are in [Scale](#scale-how-far-each-protocol-goes).`, '');
  if (rec) L.push(recommendationMarkdown(rec, inc, cand));
  else L.push('_Not derived: both protocols must be in the results._', '');
  L.push('', `<!-- charts: ${Object.keys(charts).map((c) => rel(join(o.outDir, 'charts', c))).join(', ')} -->`, '');
  return { markdown: L.join('\n'), charts };
}

function scenarioTables(results: ResultsFile, p: string): string[] {
  const L: string[] = [`### ${p}`, ''];
  L.push('| scenario | N | converged / detected (k/N live nodes) | p50 | p99 | last node (all) | first node | FP (members, declarations) | msgs/node/s steady → event | B/node/s steady → event | state/node | CPU µs/node/s |');
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
  const extra = newestRuns(results).filter((r) => r.protocol === p && r.sim.watches.length > 1);
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
  const sizes = results.sizes.filter((n) => protocols.some((p) => LOSS_LEVELS.some((l) => findRun(results, p, `loss-${Math.round(l * 100)}`, n))));
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
  const runs = newestRuns(results).filter((r) => r.runtime.resolverMicros && r.runtime.resolverMicros.count > 0);
  if (runs.length === 0) return [];
  const L = ['### The majority resolver\'s own time per resolution', ''];
  L.push("Measured as Inferno measures it (the resolver's own timer, `resolveConsensus(...).metrics.durationMicros`), re-run on each resolution's responses:", '');
  L.push('| N | resolutions | p50 µs | p99 µs | max µs |', '|---:|---:|---:|---:|---:|');
  for (const n of results.sizes) {
    const all = runs.filter((r) => r.n === n && r.scenario === 'cold-start');
    for (const r of all) {
      const d = r.runtime.resolverMicros!;
      L.push(`| ${n}${r.status === 'aborted' ? ' (run stopped at its budget)' : ''} | ${d.count} | ${num(d.p50, 1)} | ${num(d.p99, 1)} | ${num(d.max, 1)} |`);
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

function simPropertyTable(results: ResultsFile, protocols: string[]): string[] {
  const L: string[] = [];
  const all = newestRuns(results);
  const names = [...new Set(all.flatMap((r) => (r.sim.properties ?? []).map((p) => p.property)))];
  if (names.length === 0) return ['_No run small enough for whole-cluster property checks._', ''];
  L.push(`| property | ${protocols.join(' | ')} |`, `|---|${protocols.map(() => '---').join('|')}|`);
  for (const name of names) {
    const cells = protocols.map((p) => {
      const runs = all.filter((r) => r.protocol === p && r.sim.properties?.some((x) => x.property === name));
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
  L.push('', 'Config knobs counted (fields of each protocol\'s `*Config` interfaces in `spec/<protocol>.ts` and `impl/<protocol>/`):', '');
  for (const p of cost.protocols) L.push(`- ${p.protocol} (${p.configKnobs.length}): ${p.configKnobs.map((k) => `\`${k}\``).join(', ') || 'none'}`);
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
    `| 4 | Keep the model and checker as a regression gate in CI | model/swim + checker: ${num(room('model/swim') + room('checker'))} (reused, not ported) | 1–3 (CI wiring; assumed, not derived from lines) |`,
    '',
  ];
  return L;
}

function risks(results: ResultsFile, table: PropertyTable, link: TraceLink): string[] {
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
  // Steady traffic per node at the largest N measured against the default sizes: what a big cluster pays.
  for (const p of [INCUMBENT, CANDIDATE]) {
    const small = findRun(results, p, 'update-address', 100);
    const large = newestRuns(results)
      .filter((r) => r.protocol === p && r.status === 'ok' && r.n > 100)
      .sort((a, b) => b.n - a.n)[0];
    if (small && large && large.sim.steady.bytesPerNodePerSec > 4 * small.sim.steady.bytesPerNodePerSec) {
      L.push(
        `- **${p} steady traffic per node grows with N at large N**: ${num(small.sim.steady.bytesPerNodePerSec)} B/node/s at N = 100 (update-address), ` +
          `${num(large.sim.steady.bytesPerNodePerSec)} B/node/s at N = ${num(large.n)} (${large.scenario}, steady window before the event). Source: those runs' steady windows.`,
      );
    }
  }
  const growth = growthExponent(
    results.sizes.flatMap((n) => {
      const r = findRun(results, INCUMBENT, 'update-address', n);
      return r && r.status === 'ok' ? [[n, r.sim.steady.bytesPerNodePerSec] as const] : [];
    }),
  );
  if (growth !== null && growth > 0.5) L.push(`- **${INCUMBENT} traffic per node grows as N^${growth.toFixed(2)}** (re-announcement to every peer, each reply listing every peer). Source: update-address steady windows.`);
  if (table.produced) L.push(...checkerRisks(table, link));
  else L.push('- Checker verdicts are not yet in this report (see Properties): correctness risks rest on the simulator samples only.');
  if (L.length === 0) L.push('- No measured risk crossed a reporting threshold in these runs.');
  L.push('');
  return L;
}

function checkerIntro(table: PropertyTable, path: string): string[] {
  const L = [`From the model checker: \`npm run check:report\` runs \`alice check <model> --timing <timing> --json\` once per configuration below (\`experiment/checker-configs.ts\`) and saves the summaries at \`${path}\`; counterexamples are written beside it in \`docs/results/traces/\` (ITF JSON, with .txt and Mermaid .mmd renderings).`, ''];
  if (!table.produced) return L;
  L.push(
    'How to read a cell. **holds to depth d**: no state within d steps of the initial state violates it (breadth-first search checks every state it admits, so a run stopped by its time limit while admitting depth d + 1 has checked all of depth d); for an `eventually` property, from every such state where the fault budget is spent, a fair run (deliveries first, timers in turn) reached it within the eventually bound. ' +
      'It is a bounded result, not a proof: the bound reached is in the first table. **violated in k steps**: a k-step counterexample, in the trace file named. ' +
      '**not reached within b fair steps**: an `eventually` property that did not hold along a fair run of b steps after the faults; the run neither cycled nor got stuck, so a longer run might reach it: a liveness problem up to the bound, not a proven one.',
    '',
  );
  return L;
}

/** Sentences that read the verdicts against each other: where timing or push-pull changes a verdict. */
function checkerReading(table: PropertyTable): string[] {
  if (!table.produced) return [];
  const L: string[] = [];
  const word = (id: string, p: string) => (table.cells[p][id].ending === 'bound' ? 'not reached within the bound' : 'violated');
  for (const p of table.properties) {
    for (const col of table.columns) {
      if (table.cells[p][col.id].status !== 'violated') continue;
      for (const other of table.columns) {
        const oc = table.cells[p][other.id];
        if (other.id === col.id || other.speaksFor !== col.speaksFor || oc.status !== 'holds') continue;
        if (other.protocol === col.protocol && other.timing !== col.timing) {
          L.push(`- \`${p}\` (${col.protocol}): ${word(col.id, p)} under ${col.timing} timing (${col.id}), holds under ${other.timing} timing (${other.id}, ${depthText(oc.runs[0])}).`);
        } else if (other.protocol !== col.protocol && other.timing === col.timing) {
          L.push(`- \`${p}\` (${col.speaksFor}, ${col.timing} timing): ${word(col.id, p)} in ${col.id}, holds in ${other.id} (${depthText(oc.runs[0])}); the two differ only in the model configuration described above.`);
        }
      }
    }
  }
  return L.length > 0 ? ['What the configurations show against each other:', '', ...L, ''] : [];
}

/** One risk per property and protocol violated in some configuration, with the trace and where it holds instead. */
function checkerRisks(table: Extract<PropertyTable, { produced: true }>, link: TraceLink): string[] {
  const L: string[] = [];
  const protocols = [...new Set(table.columns.map((c) => c.speaksFor))];
  for (const prop of table.properties) {
    for (const p of protocols) {
      const cols = table.columns.filter((c) => c.speaksFor === p);
      const bad = cols.filter((c) => table.cells[prop][c.id].status === 'violated');
      if (bad.length === 0) continue;
      const good = cols.filter((c) => table.cells[prop][c.id].status === 'holds');
      const first = table.cells[prop][bad[0].id];
      const assumesBounded = SIM_PROTOCOLS[p]?.().definition.properties.find((x) => x.name === prop)?.assumptions.timing === 'bounded';
      const onlyOutsideAssumption = assumesBounded && bad.every((c) => c.timing !== 'bounded');
      const what =
        first.ending === 'bound'
          ? `does not reach \`${prop}\` within the checker's fair-step bound`
          : onlyOutsideAssumption
            ? `violates \`${prop}\` when messages and timers can be delayed without bound`
            : `violates \`${prop}\``;
      const note = onlyOutsideAssumption ? ' The property assumes bounded timing: a detector that decides by timeouts cannot meet it otherwise.' : '';
      L.push(
        `- **${p} ${what}** (model checker: ${bad.map((c) => c.id).join(', ')}).${note} ${bad[0].id}: ${cellText(first, link)}.` +
          (good.length > 0 ? ` Holds in ${good.map((c) => `${c.id} (${depthText(table.cells[prop][c.id].runs[0])})`).join(', ')}.` : ''),
      );
    }
  }
  return L;
}
