/**
 * `npm run faults [-- --quick] [--agents N] [--out FILE]`: real agent processes in network namespaces
 * this run creates, with faults made by nftables (loss, partitions) and signals (kill -9, kill -STOP),
 * and a restart with a new address. Needs root; installs iproute2 and nftables with apt-get when they
 * are missing. Prints a table, writes JSON (default out/faults.json), exits 1 if a rule in report.ts
 * fails. Everything it creates is removed on the way out: normal end, error, SIGINT/SIGTERM, or the
 * run's own deadline.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../cli/files.js';
import { AliceError } from '../spec/errors.js';
import { Cluster } from './cluster.js';
import { HubClient } from './hub-client.js';
import { FaultSetupError, MAX_SLOTS, Network, cleanLeftovers, topology } from './netns.js';
import { membersNotMerged, waitConverged } from './observe.js';
import { type ScenarioResult, summarize, table, verdicts } from './report.js';
import { type Plan, crash, final, loss, partition, restartNewAddress, steady } from './scenarios.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const QUICK: Plan = { agents: 12, steadyS: 15, lossS: 20, lossPercents: [10, 20], partitionS: 20, settleS: 45, detectS: 30, kills: 1, stops: 1, restarts: 1 };
export const FULL: Plan = { agents: 52, steadyS: 120, lossS: 60, lossPercents: [10, 20], partitionS: 30, settleS: 90, detectS: 45, kills: 3, stops: 2, restarts: 2 };

export interface Args {
  readonly quick: boolean;
  readonly agents?: number;
  readonly out: string;
}

export function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let agents: number | undefined;
  let out = 'out/faults.json';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--agents') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 4 || n > MAX_SLOTS - 10) throw new FaultSetupError(`--agents must be a whole number 4..${MAX_SLOTS - 10}, got '${argv[i] ?? ''}'`);
      agents = n;
    } else if (a === '--out') out = argv[++i] ?? out;
    else throw new FaultSetupError(`unknown argument '${a}'; use --quick, --agents N, --out FILE`);
  }
  return { quick, out, ...(agents !== undefined ? { agents } : {}) };
}

/** The commands the suite needs, installed from the distribution when missing (a fresh Debian machine has neither nft nor, sometimes, ip). */
function ensureTools(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new FaultSetupError('the fault suite creates network namespaces and nftables rules: run it as root (sudo npm run faults)');
  const missing = ['ip', 'nft'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length === 0) return;
  console.log(`# ${missing.join(' and ')} missing: apt-get update && apt-get install -y nftables iproute2`);
  const r = spawnSync('sh', ['-c', 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nftables iproute2'], { stdio: 'inherit' });
  if (r.status !== 0) throw new FaultSetupError('apt-get could not install nftables and iproute2; install them by hand (they are the packages the suite needs)');
}

function commandLine(args: Args): string {
  return ['npm run faults', ...(args.quick || args.agents !== undefined ? ['--'] : []), ...(args.quick ? ['--quick'] : []), ...(args.agents !== undefined ? ['--agents', `${args.agents}`] : [])].join(' ');
}

function writeEvidence(path: string, json: object): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(json, null, 2)}\n`);
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const base = args.quick ? QUICK : FULL;
  const plan: Plan = { ...base, ...(args.agents !== undefined ? { agents: args.agents } : {}) };
  ensureTools();
  const stale = await cleanLeftovers();
  if (stale.length > 0) console.log(`# removed ${stale.length} namespaces a previous run left: ${stale.join(' ')}`);
  const net = new Network(topology());
  const client = new HubClient();
  const cluster = new Cluster(net, client, ROOT, 'lan');
  // One teardown, however many paths ask for it (a signal while main's finally also runs); `done`
  // tells the synchronous 'exit' handler whether it still has work.
  let done = false;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await cluster.killAll().catch(() => undefined);
      client.close();
      await net.teardown().catch((e: unknown) => console.error(`# teardown: ${(e as Error).message}`));
      done = true;
    })());
  // A signal or the deadline: tear down, then exit. 'exit' is the synchronous last resort.
  const abort = (why: string, code: number) => {
    console.error(`# ${why}: removing namespaces and agents`);
    void cleanup().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('SIGINT', 130));
  process.once('SIGTERM', () => abort('SIGTERM', 143));
  process.once('exit', () => {
    if (!done) {
      for (const a of cluster.all()) a.proc.kill('SIGKILL');
      net.teardownSync((cmd, argv) => spawnSync(cmd, argv));
    }
  });
  const boundS = args.quick ? 6 * 60 : 20 * 60;
  const deadline = setTimeout(() => abort(`the run passed its ${boundS} s bound`, 124), boundS * 1000);
  deadline.unref();

  const started = Date.now();
  const loadAtStart = load();
  const loadSamples: number[] = [];
  const sampler = setInterval(() => loadSamples.push(loadavg()[0] ?? 0), 5000);
  sampler.unref();
  const results: ScenarioResult[] = [];
  /** The 1-minute load average when each scenario ended: the 50-agent figures depend on it. */
  const loadAfter: number[] = [];
  const failures: string[] = [];
  try {
    console.log(`# fault suite (${args.quick ? 'quick' : 'full'}): ${plan.agents} agents, namespaces ${net.t.hub} …; load ${loadAtStart} on ${cpus().length} cores`);
    // Restarts with a new address take a slot each.
    const raised = net.raiseNeighbourTable(plan.agents + plan.restarts);
    if (raised !== null) console.log(`# host ARP table thresholds raised to ${raised.join(' / ')} for this run (restored at the end)`);
    await net.createHub();
    await client.start(net.t.hub, ROOT);
    const t0 = Date.now();
    // Two at a time: each start is CPU-bound module loading, and more in parallel only slowed every one on two cores.
    await cluster.startAll(plan.agents, 2, (n) => n % 10 === 0 && console.log(`# ${n}/${plan.agents} agents started (+${((Date.now() - t0) / 1000).toFixed(0)} s)`));
    const startedAll = Date.now();
    // 300 s: under load 30 on two cores the first full run still had 472 of 2,652 pairs unmerged 120 s after the last start.
    const joined = await waitConverged(client, cluster.all(), 300_000);
    console.log(`# ${plan.agents} agents started in ${((startedAll - t0) / 1000).toFixed(1)} s, ${joined.converged ? 'converged' : 'NOT converged'} ${((Date.now() - startedAll) / 1000).toFixed(1)} s later (load ${load()})`);
    if (!joined.converged) {
      // The evidence goes to --out before the teardown destroys it: views, every event, each agent's stderr.
      writeEvidence(resolve(ROOT, args.out), {
        command: commandLine(args),
        date: new Date().toISOString(),
        converged: false,
        load: load(),
        disagreements: joined.left,
        views: Object.fromEntries(joined.views),
        events: cluster.log.events,
        stderr: Object.fromEntries(cluster.all().map((a) => [a.id, a.lastStderr])),
      });
      console.error(`# the evidence (views, events, stderr) is in ${args.out}`);
      const kinds = new Map<string, number>();
      for (const d of joined.left) kinds.set(d.seen, (kinds.get(d.seen) ?? 0) + 1);
      throw new FaultSetupError(`the cluster did not converge within 300 s of its last start: ${joined.left.length} disagreements (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}; members: ${membersNotMerged(joined.left).join(' ')}); the machine may be overloaded (load ${load()}): retry, or use --agents with fewer`);
    }
    const steps: [string, () => Promise<ScenarioResult>][] = [
      ['steady', () => steady(cluster, plan)],
      ...plan.lossPercents.map((p): [string, () => Promise<ScenarioResult>] => [`loss-${p}`, () => loss(cluster, plan, p)]),
      ['partition', () => partition(cluster, plan)],
      ['kill-9', () => crash(cluster, plan, 'KILL', plan.kills)],
      ['kill-STOP', () => crash(cluster, plan, 'STOP', plan.stops)],
      ...Array.from({ length: plan.restarts }, (_, i): [string, () => Promise<ScenarioResult>] => ['restart-new-addr', () => restartNewAddress(cluster, plan, i === 1)]),
      ['final', () => final(cluster, plan)],
    ];
    for (const [name, run] of steps) {
      const at = ((Date.now() - started) / 1000).toFixed(0);
      try {
        const r = await run();
        results.push(r);
        loadAfter.push(loadavg()[0] ?? 0);
        console.log(`# +${at} s ${r.name}: ${r.what}: false failures ${r.falseFailures}, re-merge ${r.remergeMs === undefined ? '–' : `${r.remergeMs} ms`}, lost ${r.lostPermanently.length}, false deaths after heal ${r.falseDeathsAfterHeal} (load ${load()})`);
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
        console.error(`# ${name} failed: ${(e as Error).message}`);
        await cluster.clearRules().catch(() => undefined);
      }
    }
  } finally {
    clearInterval(sampler);
    await cleanup();
  }
  const summary = summarize(results);
  const v = verdicts(summary, failures);
  const loadAtEnd = load();
  const text = table(results, summary, v);
  console.log(`\n${text}\n\nload at start ${loadAtStart}, at end ${loadAtEnd}, 1-min peak ${Math.max(0, ...loadSamples).toFixed(2)} (${cpus().length} cores); wall ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const out = resolve(ROOT, args.out);
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const json = {
    command: commandLine(args),
    commit,
    date: new Date().toISOString(), plan, load: { start: loadAtStart, end: loadAtEnd, peak1m: Math.max(0, ...loadSamples), cores: cpus().length }, wallS: (Date.now() - started) / 1000,
    summary,
    verdicts: v,
    results: results.map((r, i) => ({ ...r, load1mAfter: loadAfter[i] })),
    failures,
  };
  writeEvidence(out, json);
  console.log(`# results: ${args.out}`);
  return v.every((x) => x.ok) ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof AliceError ? `alice faults: ${e.message}` : e);
      process.exit(2);
    },
  );
}
