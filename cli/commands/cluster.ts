/**
 * `alice cluster --nodes 5`: a local SWIM cluster on loopback in one process, for a demo. The nodes
 * join through n1; after they converge one is killed (it stops answering and sends nothing) and the
 * others' events show them noticing: suspected, then failed. Everything stops by itself.
 */
import type { Command } from 'commander';
import { SWIM_LOCAL, type SwimCoreConfig } from '../../impl/swim/index.js';
import { LoopbackCluster, waitFor } from '../../impl/swim/loopback-cluster.js';
import { UsageError } from './agent-flags.js';
import { eventLine } from './agent-run.js';

/** Demo timings: the local preset with a 200 ms period so the story plays out in a few seconds. */
export const CLUSTER_DEMO_CONFIG: SwimCoreConfig = { ...SWIM_LOCAL, probeIntervalMs: 200, probeTimeoutMs: 50, gossipIntervalMs: 100, suspicionTimeoutMs: 1000, dogpile: false, joinRetryMs: 300 };

function whole(flag: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} must be a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export async function runClusterDemo(nodes: number, kill: string | undefined, write: (s: string) => void): Promise<number> {
  const t0 = Date.now();
  const stamp = () => `+${String(Date.now() - t0).padStart(5)} ms`;
  const cluster = await LoopbackCluster.start(nodes, {
    config: CLUSTER_DEMO_CONFIG,
    leaveGraceMs: 200,
    onEvent: (node, name, e) => write(eventLine(node, name, e, Date.now())),
  });
  try {
    write(`# ${stamp()} started ${nodes} nodes on ${cluster.nodes.map((n) => n.transport.boundAddress).join(' ')}\n`);
    const formed = await waitFor(() => cluster.converged(), 10_000);
    write(`# ${stamp()} ${formed ? `converged: every node sees all ${nodes} alive` : 'did NOT converge within 10 s'}\n`);
    if (!formed) return 1;
    const victim = kill ?? `n${nodes}`;
    cluster.node(victim); // throws a clear error for an unknown id
    await cluster.node(victim).kill();
    write(`# ${stamp()} killed ${victim} (no leave: it just stops)\n`);
    const others = cluster.running().map((n) => n.id);
    const noticed = await waitFor(() => others.every((o) => cluster.statusOf(o, victim) === 'dead'), 15_000);
    write(`# ${stamp()} ${noticed ? `every other node marks ${victim} failed` : `${victim} NOT marked failed by all within 15 s`}\n`);
    const backends = cluster.node(others[0]).healthyBackends().map((b) => `${b.id}@${b.address}`);
    write(`# healthy backends seen by ${others[0]}: ${backends.join(', ')}\n`);
    return noticed ? 0 : 1;
  } finally {
    await cluster.stop();
  }
}

export function register(program: Command): void {
  program
    .command('cluster')
    .description('start a local SWIM cluster on loopback, kill one node, and show the others noticing')
    .option('--nodes <n>', 'cluster size, 2..50', '5')
    .option('--kill <id>', 'the node to kill (default: the last one)')
    .action(async (opts: { nodes: string; kill?: string }) => {
      const n = whole('--nodes', opts.nodes, 2, 50);
      if (opts.kill !== undefined && !/^n\d+$/.test(opts.kill)) throw new UsageError(`--kill must name a node n1..n${n}, got '${opts.kill}'`);
      if (opts.kill !== undefined && Number(opts.kill.slice(1)) > n) throw new UsageError(`--kill must name a node n1..n${n}, got '${opts.kill}'`);
      process.exitCode = await runClusterDemo(n, opts.kill, (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`));
    });
}
