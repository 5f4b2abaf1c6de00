/**
 * `npm run bench:swim-vs-memberlist`: Alice's SWIM agents and hashicorp/memberlist (Debian's
 * golang-github-hashicorp-memberlist-dev, built in GOPATH mode) side by side on loopback, run
 * alternately, at the LAN preset (probe 1 s, timeout 500 ms) and with a 100 ms probe interval
 * (timeout 50 ms), everything else at each side's LAN defaults. Per run: join time, first / median /
 * last detection of three nodes killed in turn (pooled over their observers), steady UDP bytes and datagrams per node per second, false deaths.
 * Each run is bounded at 60 s, the whole bench at ~10 min; not part of `npm test`.
 * Options: --sizes 10,50,100 (default); --runs K (default 1): K alternating pairs per setting, Alice with
 * seeds S..S+K-1, each side's detections pooled over its K runs (one run is one draw of the probe orders);
 * --seed-base S (default: drawn at random and printed, so a run can be repeated). A fixed default would
 * make Alice's side the same K draws in every invocation (a seed replays its crashes' detections to
 * ~100 ms, docs/swim-timing.md) while memberlist, seeded from crypto/rand, draws afresh each time.
 * Exits 1 with a message when Go or the package cannot be had.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoUnavailableError, buildMemberlistSide, ensureGo } from './swim-vs-memberlist/go-toolchain.js';
import { type RunResult, compareDetection, detectionOf, parseRunResult, pooled } from './swim-vs-memberlist/run-result.js';

const say = (s: string) => process.stdout.write(`${s}\n`);
const HERE = dirname(fileURLToPath(import.meta.url));
const RUN_LIMIT_MS = 60_000;
const BENCH_BUDGET_MS = 600_000;
/** Nodes killed one after another per run; detections pooled (one crash mostly measures the probe phase). */
const CRASHES = 3;

interface Setting {
  readonly label: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly steadyS: number;
  /**
   * Longest wait for every observer to declare one crash. Below Lifeguard's max (24 s at n ≤ 10, 48 s
   * at 100 with the LAN preset) so three crashes fit a 60 s run: a crash nobody confirms shows as
   * "only k of m" rather than stretching the run.
   */
  readonly detectCapS: number;
}

const SETTINGS: readonly Setting[] = [
  { label: 'LAN (1 s / 500 ms)', intervalMs: 1_000, timeoutMs: 500, steadyS: 8, detectCapS: 14 },
  { label: '100 ms / 50 ms', intervalMs: 100, timeoutMs: 50, steadyS: 5, detectCapS: 6 },
];

function sizes(): number[] {
  const i = process.argv.indexOf('--sizes');
  const raw = i < 0 ? '10,50,100' : process.argv[i + 1] ?? '';
  const ns = raw.split(',').map(Number);
  if (ns.some((n) => !Number.isInteger(n) || n < 3 || n > 200)) {
    process.stderr.write(`swim-vs-memberlist: --sizes takes whole numbers from 3 to 200, comma-separated; got '${raw}'\n`);
    process.exit(2);
  }
  return ns;
}

function runsPerSetting(): number {
  const i = process.argv.indexOf('--runs');
  if (i < 0) return 1;
  const k = Number(process.argv[i + 1]);
  if (!Number.isInteger(k) || k < 1 || k > 10) {
    process.stderr.write(`swim-vs-memberlist: --runs takes a whole number from 1 to 10; got '${process.argv[i + 1] ?? ''}'\n`);
    process.exit(2);
  }
  return k;
}

function seedBase(): number {
  const i = process.argv.indexOf('--seed-base');
  if (i < 0) return randomInt(1, 1_000_000);
  const s = Number(process.argv[i + 1]);
  if (!Number.isInteger(s) || s < 1 || s > 1_000_000_000) {
    process.stderr.write(`swim-vs-memberlist: --seed-base takes a whole number from 1 to 1,000,000,000; got '${process.argv[i + 1] ?? ''}'\n`);
    process.exit(2);
  }
  return s;
}

function uptime(): string {
  return spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
}

function runSide(cmd: string, args: string[], side: string): RunResult | string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 });
  if (r.error) return `${side}: ${r.error.message}`;
  if (r.status !== 0) return `${side}: exited ${r.status ?? r.signal}: ${r.stderr.trim().slice(-300)}`;
  try {
    return parseRunResult(r.stdout, side);
  } catch (e) {
    return (e as Error).message;
  }
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function row(s: Setting, r: RunResult | string, impl: string, n: number): string {
  if (typeof r === 'string') return `| ${n} | ${s.label} | ${impl} | failed: ${r.replace(/\|/g, '/')} | | | | |`;
  const d = detectionOf(r);
  const det = d ? `${fmt(d.first)} / ${fmt(d.median)} / ${fmt(d.last)}${d.complete ? '' : ` (only ${r.detectMs.length} of ${r.observers})`}` : `none of ${r.observers} within the cap`;
  return `| ${n} | ${s.label} | ${impl} | ${r.joined ? fmt(r.joinMs) : `not joined (${fmt(r.joinMs)})`} | ${det} | ${fmt(r.bytesPerNodePerSec)} | ${r.packetsPerNodePerSec.toFixed(1)} | ${r.falseDeaths} |`;
}

function main(): void {
  const ns = sizes();
  const k = runsPerSetting();
  const base = seedBase();
  // Each extra pair of runs needs room: about a minute per pair at most (RUN_LIMIT_MS per side).
  const budgetMs = BENCH_BUDGET_MS * k;
  try {
    ensureGo(say);
  } catch (e) {
    if (e instanceof GoUnavailableError) {
      process.stderr.write(`swim-vs-memberlist: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  let bin: string;
  try {
    bin = buildMemberlistSide();
  } catch (e) {
    process.stderr.write(`swim-vs-memberlist: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const t0 = Date.now();
  say(`date: ${new Date().toISOString()}`);
  say(`load before: ${uptime()}`);
  say(`alice seeds: ${base}..${base + k - 1} (repeat with --seed-base ${base})`);
  say('');
  say('| N | probe interval / timeout | impl | join ms | detection ms first / median / last | UDP B/s/node | datagrams/s/node | false deaths |');
  say('|---|---|---|---|---|---|---|---|');
  const verdicts: string[] = [];
  let pair = 0;
  let port = 20_000;
  for (const s of SETTINGS) {
    for (const n of ns) {
      if (Date.now() - t0 > budgetMs - 2 * k * RUN_LIMIT_MS) {
        verdicts.push(`N = ${n}, ${s.label}: skipped, the bench's ${budgetMs / 60_000}-minute budget would be exceeded`);
        continue;
      }
      const aliceRuns: (RunResult | string)[] = [];
      const memberlistRuns: (RunResult | string)[] = [];
      for (let seed = base; seed < base + k; seed++) {
        port += 400;
        const alicePort = port;
        const alice = () =>
          runSide('npx', ['tsx', join(HERE, 'swim-vs-memberlist/alice-side.ts'), '--n', `${n}`, '--interval', `${s.intervalMs}`, '--timeout', `${s.timeoutMs}`, '--port', `${alicePort}`, '--steady', `${s.steadyS}`, '--crashes', `${CRASHES}`, '--detect-cap', `${s.detectCapS}`, '--seed', `${seed}`], 'alice');
        const memberlist = () =>
          runSide(bin, ['-n', `${n}`, '-interval', `${s.intervalMs}ms`, '-timeout', `${s.timeoutMs}ms`, '-port', `${alicePort + 200}`, '-steady', `${s.steadyS}s`, '-crashes', `${CRASHES}`, '-detect-cap', `${s.detectCapS}s`], 'memberlist');
        // Alternate which side goes first, so neither always runs on the warmer (or busier) machine.
        const aliceFirst = pair++ % 2 === 0;
        const first = aliceFirst ? alice() : memberlist();
        const second = aliceFirst ? memberlist() : alice();
        aliceRuns.push(aliceFirst ? first : second);
        memberlistRuns.push(aliceFirst ? second : first);
      }
      // A failed run of either side fails the setting: pooling the rest would compare unequal draws.
      const poolOf = (rs: (RunResult | string)[]): RunResult | string => rs.find((r): r is string => typeof r === 'string') ?? pooled(rs as RunResult[]);
      const a = poolOf(aliceRuns);
      const m = poolOf(memberlistRuns);
      const label = (impl: string) => (k > 1 ? `${impl} (${k} runs pooled)` : impl);
      say(row(s, a, label('alice'), n));
      say(row(s, m, label('memberlist'), n));
      const v = typeof a !== 'string' && typeof m !== 'string' ? compareDetection(a, m) : undefined;
      verdicts.push(
        v === undefined
          ? `N = ${n}, ${s.label}: no verdict (a side failed, or memberlist did not join, missed detections or declared live members dead)`
          : `N = ${n}, ${s.label}: ${v.met ? 'target met' : 'target NOT met'} (Alice − memberlist: median ${v.medianGapMs >= 0 ? '+' : ''}${fmt(v.medianGapMs)} ms, last ${v.lastGapMs >= 0 ? '+' : ''}${fmt(v.lastGapMs)} ms)`,
      );
    }
  }
  say('');
  for (const v of verdicts) say(`- ${v}`);
  say('');
  say(`load after: ${uptime()}; bench wall ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main();
