/**
 * The report's scale section: how far each protocol goes as N grows. It reads the newest run per
 * (protocol, scenario, N), states the issue's 10,000-node SWIM target (100 periods, ≤ 60 s wall,
 * ≤ 4 GB) against what that run measured, and for the majority system where it stopped being
 * feasible, why, and the measured trend. Extrapolations are printed as such, beside the fit they use.
 */
import { bytes, coverage, findRun, ms, newestRuns, num, watch } from './figures.js';
import { isValid } from './facts/runs.js';
import { SCALE_TARGET, type StoredRun, type StoredRuntime, outcomeOf, rssOf, scaleTarget, scaleTargetRuns, startsFromSnapshot } from './facts/scale.js';
import { optionName } from './rules.js';
import type { ResultsFile, Skipped } from './results.js';
import type { RunResult } from './run.js';
import { SCALE_PERIODS } from './scenarios.js';
import { growthExponent } from './stats.js';

export { SCALE_TARGET, scaleTarget, scaleTargetRuns, startsFromSnapshot };

const CANDIDATE = SCALE_TARGET.protocol;

/** The scenario description of converged-start runs, for the scale section's readers. */
export const SNAPSHOT_NOTE =
  'Scenarios `warm-…` (converged starts): each node starts from the same member snapshot (SWIM: `impl/swim/snapshot.ts`, as Serf restarts from its snapshot file) within 1 s, ' +
  'holds every member without a join, announces itself, settles, and after one steady window the scenario\'s event happens (in `warm-crash-one`, the subject crashes); each run lasts at least ' +
  `${SCALE_PERIODS} protocol periods. They skip the cold-start join storm, which the cold-start runs measure separately.`;

/** Runs from this size on are listed in the scale table whatever their scenario: what they cost is the point. */
const LARGE_N = 1000;

function rssText(rt: StoredRuntime): string {
  const v = rssOf(rt);
  return v === undefined ? 'not recorded' : `${bytes(v)}${rt.peakRssBytes === undefined ? ' (process)' : ''}`;
}


/** The machine load around a run, when `alice bench` recorded it; nothing is said when it did not. */
export function loadText(run: StoredRun): string | null {
  const h = run.host;
  if (!h) return null;
  return `The machine's 1-minute load average was ${h.loadBefore.toFixed(2)} when the run started and ${h.loadAfter.toFixed(2)} when it ended, on ${h.cores} cores (the run itself counts as one).`;
}

function targetSection(results: ResultsFile): string[] {
  const L: string[] = [`### The ${num(SCALE_TARGET.n)}-node ${CANDIDATE} target: ${SCALE_PERIODS} protocol periods in ≤ 60 s of wall time and ≤ 4 GB`, ''];
  const t = scaleTarget(results);
  if (!t) {
    L.push(`_No ${CANDIDATE} run at N = ${num(SCALE_TARGET.n)} in these results: the target is not measured (\`npm run bench:warm\` measures it)._`, '');
    return L;
  }
  const r = t.run;
  if (startsFromSnapshot(r.scenario)) L.push(SNAPSHOT_NOTE, '');
  const rt: StoredRuntime = r.runtime;
  const met = t.wallMet && t.memoryMet;
  const over = rt.wallMs / SCALE_TARGET.wallMs;
  L.push(
    `**${met ? 'Met' : 'Not met'}${met ? '' : `: ${[t.wallMet ? '' : 'wall time', t.memoryMet ? '' : 'memory'].filter(Boolean).join(' and ')} over the target`}.** ` +
      `Run \`${r.scenario}\` at N = ${num(r.n)} (status ${r.status}${r.abort ? `: ${r.abort}` : ''}): ${num(t.periods)} protocol periods (${num(r.sim.virtualMs / 1000)} s simulated, ${num(r.sim.events)} events).`,
    '',
    '| figure | measured | target | met |',
    '|---|---:|---:|---|',
    `| wall time | ${num(rt.wallMs / 1000, 1)} s | ≤ 60 s | ${t.wallMet ? 'yes' : `no (${num(over, 1)}×)`} |`,
    `| process CPU time (user + system, all threads) | ${rt.processCpuMs === undefined ? 'not recorded' : `${num(rt.processCpuMs / 1000, 1)} s`} | – | – |`,
    `| V8 heap peak | ${bytes(rt.peakHeapBytes ?? rt.heapUsedBytes)}${rt.peakHeapBytes === undefined ? ' (at the end; peak not recorded)' : ''} | – | – |`,
    `| process RSS peak | ${rssText(rt)} | – | – |`,
    `| memory (larger of heap peak and RSS peak) | ${bytes(t.memoryBytes)} | ≤ 4 GB | ${t.memoryMet ? 'yes' : 'no'} |`,
    '',
  );
  const notes: string[] = [];
  if (rt.processCpuMs !== undefined) {
    notes.push(
      `CPU time is ${num((100 * rt.processCpuMs) / rt.wallMs)} % of the wall time` +
        (rt.processCpuMs > SCALE_TARGET.wallMs
          ? `; the CPU time alone is ${num(rt.processCpuMs / SCALE_TARGET.wallMs, 1)}× the 60 s budget, and the simulator's JavaScript runs on one thread (only the collector has helpers), so an idle machine would not bring this run under 60 s either.`
          : '.'),
    );
  }
  notes.push(loadText(r) ?? 'The machine load during this run was not recorded (runs before load recording lack it).');
  const det = isValid(r) ? watch(r, 'detected') : undefined;
  if (det) notes.push(`The crash was detected by ${coverage(det)} live nodes, the last after ${ms(det.allMs)}; ${r.sim.falsePositives.declarations} false-positive declarations.`);
  L.push(notes.join(' '), '');
  const others = scaleTargetRuns(results).filter((v) => v.run !== r);
  if (others.length > 0) {
    const all = [t, ...others];
    const met = all.filter((v) => v.wallMet && v.memoryMet);
    const slowest = all.reduce((a, b) => (b.run.runtime.wallMs > a.run.runtime.wallMs ? b : a));
    const largest = all.reduce((a, b) => (b.memoryBytes > a.memoryBytes ? b : a));
    L.push(
      `Every converged-start scenario at N = ${num(SCALE_TARGET.n)} (${all.length} runs, each ≥ ${SCALE_PERIODS} periods) against the same target: met in ${met.length} of ${all.length}` +
        `${met.length < all.length ? ` (not met: ${all.filter((v) => !(v.wallMet && v.memoryMet)).map((v) => `\`${v.run.scenario}\` ${num(v.run.runtime.wallMs / 1000, 1)} s, ${bytes(v.memoryBytes)}`).join('; ')})` : ''}; ` +
        `slowest \`${slowest.run.scenario}\` ${num(slowest.run.runtime.wallMs / 1000, 1)} s of wall time for ${num(slowest.periods)} periods, largest memory \`${largest.run.scenario}\` ${bytes(largest.memoryBytes)}. Each run's figures are in the table below.`,
      '',
    );
  }
  return L;
}

/** Skips grouped per protocol and cause, with a note when the run that caused them was re-measured since. */
export function skipLines(results: ResultsFile): string[] {
  const groups = new Map<string, Skipped[]>();
  for (const s of results.skipped) {
    if (startsFromSnapshot(s.scenario)) continue;
    const k = `${s.protocol}|${s.reason}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const L: string[] = [];
  for (const list of groups.values()) {
    const s = list[0];
    const what = [...new Set(list.map((x) => `${x.scenario} at N = ${num(x.n)}`))].join(', ');
    // The reason names the run that stopped the batch ("<protocol> <scenario> at N=<n> stopped: …").
    const cause = /^(\S+) (\S+) at N=(\d+) stopped/.exec(s.reason);
    const now = cause ? findRun(results, cause[1], cause[2], Number(cause[3])) : undefined;
    const since =
      now && isValid(now)
        ? ` (that ${cause![2]} run at N = ${num(Number(cause![3]))} was re-measured later with a larger budget and finished: ${num(now.runtime.wallMs / 1000, 1)} s of wall time; the larger sizes were not re-run)`
        : '';
    L.push(`- ${s.protocol}: not run: ${what}. Cause: ${s.reason}${since}.`);
  }
  return L;
}

function runsTable(results: ResultsFile, protocols: readonly string[]): string[] {
  const runs = newestRuns(results)
    .filter((r) => protocols.includes(r.protocol) && (r.scenario === 'cold-start' || r.scenario === 'crash-one' || startsFromSnapshot(r.scenario) || r.n >= LARGE_N))
    .sort((a, b) => protocols.indexOf(a.protocol) - protocols.indexOf(b.protocol) || a.scenario.localeCompare(b.scenario) || a.n - b.n);
  const L = [
    '| protocol | scenario | N | status | outcome | simulated | wall | wall per simulated s | process CPU | heap peak | RSS peak |',
    '|---|---|---:|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of runs) {
    const rt: StoredRuntime = r.runtime;
    const outcome = outcomeOf(r);
    L.push(
      `| ${r.protocol} | ${r.scenario} | ${num(r.n)} | ${r.status} | ${outcome} | ${num(r.sim.virtualMs / 1000, 1)} s | ${num(rt.wallMs / 1000, 1)} s | ` +
        `${num(rt.wallMs / Math.max(1, r.sim.virtualMs), 3)} s | ${rt.processCpuMs === undefined ? '–' : `${num(rt.processCpuMs / 1000, 1)} s`} | ` +
        `${bytes(rt.peakHeapBytes ?? rt.heapUsedBytes)}${rt.peakHeapBytes === undefined ? ' (end)' : ''} | ${rssText(rt)} |`,
    );
  }
  L.push(
    '',
    'Process CPU, heap peak and RSS peak are missing ("–", "(end)": heap at the end of the run) for runs recorded before those fields existed. RSS peak is the largest resident size sampled during the run (pages an earlier run of the same batch left resident may count); marked "(process)" for runs recorded before that, where it is the process\'s peak so far, earlier runs included.',
    '',
  );
  return L;
}

const fit = (pts: readonly (readonly [number, number])[]): string | null => {
  const e = growthExponent(pts);
  return e === null ? null : `N^${e.toFixed(2)} (least-squares fit over N = ${pts.map((p) => num(p[0])).join(', ')})`;
};

/** Measured per-size points of one figure from the newest ok runs of a scenario. */
function points(results: ResultsFile, protocol: string, scenario: string, pick: (r: RunResult) => number | null | undefined): [number, number][] {
  return newestRuns(results)
    .filter((r) => r.protocol === protocol && r.scenario === scenario && isValid(r))
    .sort((a, b) => a.n - b.n)
    .flatMap((r) => {
      const v = pick(r);
      return typeof v === 'number' && v > 0 ? [[r.n, v] as [number, number]] : [];
    });
}

/** Where the majority system stops: the largest sizes it finished, the run that did not, why, and the trend. */
function majorityLimit(results: ResultsFile, p: string): string[] {
  const mine = newestRuns(results).filter((r) => r.protocol === p && !startsFromSnapshot(r.scenario));
  if (mine.length === 0) return [];
  const L = [`### The ${p} system as far as it goes`, ''];
  const largest = (scenario: string) => Math.max(0, ...mine.filter((r) => r.scenario === scenario && isValid(r)).map((r) => r.n));
  const stopped = mine.filter((r) => !isValid(r)).sort((a, b) => a.n - b.n)[0];
  const facts: string[] = [];
  for (const s of ['cold-start', 'crash-one']) {
    const n = largest(s);
    const r = n > 0 ? findRun(results, p, s, n) : undefined;
    if (r) facts.push(`${s} finished up to N = ${num(n)} (${num(r.sim.virtualMs / 1000)} s simulated in ${num(r.runtime.wallMs / 1000, 1)} s of wall time)`);
  }
  if (facts.length > 0) L.push(`- **Largest sizes measured:** ${facts.join('; ')}.`);
  if (stopped) {
    // What a stopped run had measured by then is not shown: it is not evidence (facts/runs.ts).
    L.push(
      `- **Where it stopped:** ${stopped.scenario} at N = ${num(stopped.n)} ran out of its budget after ${num(stopped.sim.virtualMs / 1000, 1)} s of simulated time and ${num(stopped.runtime.wallMs / 1000, 1)} s of wall time ` +
        `(${stopped.abort ?? 'aborted'}). Larger sizes were not run (below).`,
    );
  } else {
    L.push(`- No ${p} run hit its budget in these results; the largest sizes above are as far as the runs went.`);
  }
  const wallTrend = fit(points(results, p, 'cold-start', (r) => r.runtime.wallMs / Math.max(1, r.sim.virtualMs)));
  const traffic = points(results, p, 'update-address', (r) => r.sim.steady.bytesPerNodePerSec);
  const trafficTrend = fit(traffic);
  const resolver = points(results, p, 'cold-start', (r) => r.runtime.resolverMicros?.p99);
  const state = fit(points(results, p, 'cold-start', (r) => r.sim.stateBytes.mean));
  const why: string[] = [];
  if (trafficTrend) why.push(`steady bytes sent per node per second grow as ${trafficTrend}`);
  if (state) why.push(`encoded state per node as ${state}`);
  // Every point, not a first-to-last ratio: the resolver's timer is wall time, noisy on a shared machine.
  if (resolver.length >= 2) why.push(`the resolver's own p99 time per resolution at cold start was ${resolver.map(([n, v]) => `${num(v, 1)} µs at N = ${num(n)}`).join(', ')} (wall time, noisy here)`);
  if (wallTrend) why.push(`the simulator's wall time per simulated second of a cold start grows as ${wallTrend}`);
  if (why.length > 0) {
    L.push(
      `- **Why:** by design every node re-announces to every peer and every reply lists every peer, so a node's traffic should grow as N² and the cluster's as N³, and each resolution reads N responses of N records. Measured: ${why.join('; ')}.`,
    );
  }
  const e = growthExponent(traffic);
  if (e !== null && traffic.length > 0) {
    const [n0, b0] = traffic[traffic.length - 1];
    const at = (N: number) => b0 * (N / n0) ** e;
    L.push(
      `- **Extrapolated, not measured** (the fit above, from N = ${num(n0)}): ${bytes(at(1000))}/s sent per node at 1,000 nodes and ${bytes(at(10_000))}/s at 10,000 in steady state, against ${bytes(b0)}/s measured at N = ${num(n0)}.`,
    );
  }
  L.push('');
  return L;
}

/** SWIM's push-pull messages (kinds sync and syncReply) as a share of all bytes of its largest converged-start run. */
function pushPullShare(results: ResultsFile, protocol: string): string {
  const r = newestRuns(results)
    .filter((x) => x.protocol === protocol && startsFromSnapshot(x.scenario) && isValid(x))
    .sort((a, b) => b.n - a.n)[0];
  if (!r) return '';
  const kinds = Object.entries(r.sim.byKind);
  const total = kinds.reduce((a, [, v]) => a + v.bytes, 0);
  const sync = kinds.filter(([k]) => k === 'sync' || k === 'syncReply').reduce((a, [, v]) => a + v.bytes, 0);
  return total > 0 && sync > 0 ? ` (push-pull, message kinds sync and syncReply, which carry the whole member list, were ${num((100 * sync) / total)} % of all bytes sent in the N = ${num(r.n)} run)` : '';
}

function candidateTrend(results: ResultsFile): string[] {
  const p = CANDIDATE;
  const traffic = points(results, p, 'update-address', (r) => r.sim.steady.bytesPerNodePerSec);
  const trafficTrend = fit(traffic);
  const coldWall = fit(points(results, p, 'cold-start', (r) => r.runtime.wallMs / Math.max(1, r.sim.virtualMs)));
  const cold = fit(points(results, p, 'cold-start', (r) => r.sim.coldStartMs));
  const state = fit(points(results, p, 'cold-start', (r) => r.sim.stateBytes.mean));
  const warm = points(results, p, 'warm-crash-one', (r) => r.sim.steady.bytesPerNodePerSec);
  const parts = [
    trafficTrend && `steady bytes per node per second grow as ${trafficTrend}`,
    warm.length > 0 && `from a converged start, steady bytes per node per second measured ${warm.map(([n, b]) => `${num(b)} at N = ${num(n)}`).join(', ')}${pushPullShare(results, p)}`,
    state && `encoded state per node as ${state} (every node holds every member)`,
    cold && `time until every node holds every member after a cold start as ${cold}`,
    coldWall && `the simulator's wall time per simulated second of a cold start as ${coldWall}`,
  ].filter((x): x is string => typeof x === 'string');
  return parts.length > 0 ? [`### ${p}: measured trend`, '', `- ${parts.join('; ')}.`, ''] : [];
}

export function scaleSection(results: ResultsFile, protocols: readonly string[]): string[] {
  const L: string[] = [
    'Newest run per protocol, scenario and N from every results file (a re-measurement replaces the earlier run). Wall and CPU time are this machine\'s (2 cores, shared with other jobs); the simulated figures depend on the seed only.',
    '',
  ];
  L.push(...targetSection(results));
  L.push(`### Every run at scale (cold start, one crash, converged starts, and every run at N ≥ ${num(LARGE_N)})`, '');
  L.push(...runsTable(results, protocols));
  for (const p of protocols.filter((x) => optionName(x) === 'majority-mesh')) L.push(...majorityLimit(results, p));
  L.push(...candidateTrend(results));
  const skips = skipLines(results);
  if (skips.length > 0) L.push('### Not run', '', ...skips, '');
  return L;
}

