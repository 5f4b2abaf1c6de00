/**
 * The Alice side of `npm run bench:swim-vs-memberlist`: N SWIM agents (createSwimNode, as
 * `alice agent` runs them) in one process on loopback, measured as memberlist-side/main.go measures
 * memberlist: join, steady UDP traffic, then one node killed (no leave) and the time each other node
 * takes to declare it failed. Prints one JSON RunResult line.
 * Usage: tsx bench/swim-vs-memberlist/alice-side.ts --n N --interval MS --timeout MS --port P --steady S --detect-cap S
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function udpTotals(c: LoopbackCluster): { bytes: number; packets: number } {
  let bytes = 0;
  let packets = 0;
  for (const n of c.running()) {
    bytes += n.metrics.get('bytes_out_total');
    packets += n.metrics.get('packets_out_total');
  }
  return { bytes, packets };
}

async function main(): Promise<void> {
  const victim = `n${N}`;
  const failedAt = new Map<string, number>();
  let falseDeaths = 0;
  const t0 = Date.now();
  const cluster = await LoopbackCluster.start(N, {
    config,
    basePort: arg('--port', 18_000),
    onEvent: (observer, name, e) => {
      if (name !== 'failed') return;
      const member = (e as { member: string }).member;
      if (member !== victim) falseDeaths++;
      else if (!failedAt.has(observer)) failedAt.set(observer, Date.now());
    },
  });
  try {
    const joined = await waitFor(() => cluster.converged(), 30_000, 5);
    const joinMs = Date.now() - t0;
    await sleep(1_000);
    const before = udpTotals(cluster);
    const s0 = Date.now();
    await sleep(arg('--steady', 8) * 1_000);
    const after = udpTotals(cluster);
    const secs = (Date.now() - s0) / 1_000;
    const per = cluster.running().length * secs;

    // A death declared before the kill is a false one, not a detection.
    failedAt.clear();
    const crashAt = Date.now();
    await cluster.node(victim).kill();
    const others = cluster.running().map((x) => x.id);
    await waitFor(() => others.every((o) => failedAt.has(o)), arg('--detect-cap', 45) * 1_000, 5);
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
      detectMs: [...failedAt.values()].map((t) => t - crashAt).sort((a, b) => a - b),
      observers: others.length,
      falseDeaths,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await cluster.stop();
  }
}

await main();
