/**
 * The Alice side of `npm run bench:swim-vs-memberlist`: N SWIM agents (createSwimNode, as
 * `alice agent` runs them) in one process on loopback, measured as memberlist-side/main.go measures
 * memberlist: join, steady UDP traffic, then one node killed (no leave) and the time each other node
 * takes to declare it failed, for a few crashes in turn. Prints one JSON RunResult line.
 * Usage: tsx bench/swim-vs-memberlist/alice-side.ts --n N --interval MS --timeout MS --port P --steady S --crashes C --detect-cap S [--seed K] [--trace]
 * (--seed: the cluster's generator seed, default 1; a different seed draws different probe orders.)
 */
import { SWIM_LAN, type SwimCoreConfig } from '../../impl/swim/index.js';
import { LoopbackCluster, waitFor } from '../../impl/swim/loopback-cluster.js';
import type { RunResult } from './run-result.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`alice-side: ${name} needs a positive number, got '${process.argv[i + 1]}'\n`);
    process.exit(2);
  }
  return v;
}

const N = arg('--n', 10);
const config: SwimCoreConfig = { ...SWIM_LAN, probeIntervalMs: arg('--interval', SWIM_LAN.probeIntervalMs), probeTimeoutMs: arg('--timeout', SWIM_LAN.probeTimeoutMs) };
const TRACE = process.argv.includes('--trace');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  // Per crashed member, when each observer declared it failed (only after its kill); every other
  // failure declaration is a false death.
  const failedAt = new Map<string, Map<string, number>>();
  const falseDeaths = new Set<string>();
  const t0 = Date.now();
  const cluster = await LoopbackCluster.start(N, {
    config,
    basePort: arg('--port', 18_000),
    seed: arg('--seed', 1),
    onEvent: (observer, name, e) => {
      // --trace: every suspicion and death on stderr, ms since the start, to see where detection time goes.
      if (TRACE && (name === 'suspected' || name === 'failed')) process.stderr.write(`${Date.now() - t0} ${observer} ${name} ${(e as { member: string }).member}\n`);
      if (name !== 'failed') return;
      const member = (e as { member: string }).member;
      const at = failedAt.get(member);
      if (!at) falseDeaths.add(`${observer}→${member}`);
      else if (!at.has(observer)) at.set(observer, Date.now());
    },
  });
  try {
    const joined = await waitFor(() => cluster.converged(), 30_000, 5);
    const joinMs = Date.now() - t0;
    await sleep(1_000);
    const before = cluster.sentTotals();
    const s0 = Date.now();
    await sleep(arg('--steady', 8) * 1_000);
    const after = cluster.sentTotals();
    const secs = (Date.now() - s0) / 1_000;
    const per = cluster.running().length * secs;

    // Crashes one after another, detections pooled: one crash alone mostly measures the probe phase.
    const crashed = new Set<string>();
    const detectMs: number[] = [];
    let observers = 0;
    for (let j = 0; j < arg('--crashes', 3); j++) {
      const victim = `n${N - j}`;
      crashed.add(victim);
      const at = new Map<string, number>();
      failedAt.set(victim, at);
      const crashAt = Date.now();
      if (TRACE) process.stderr.write(`${crashAt - t0} kill ${victim}\n`);
      await cluster.node(victim).kill();
      const others = cluster.running().map((x) => x.id);
      observers += others.length;
      await waitFor(() => others.every((o) => at.has(o)), arg('--detect-cap', 15) * 1_000, 5);
      for (const [o, t] of at) if (!crashed.has(o)) detectMs.push(t - crashAt);
      await sleep(500);
    }
    const result: RunResult = {
      impl: 'alice',
      n: N,
      probeIntervalMs: config.probeIntervalMs,
      joinMs,
      joined,
      steadySeconds: secs,
      bytesPerNodePerSec: (after.bytes - before.bytes) / per,
      packetsPerNodePerSec: (after.packets - before.packets) / per,
      // Alice's TCP transport keeps no byte counter; push-pull is every 30 s, outside most windows.
      tcpBytesPerNodePerSec: 0,
      detectMs: detectMs.sort((a, b) => a - b),
      observers,
      falseDeaths: falseDeaths.size,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await cluster.stop();
  }
}

await main();
