/**
 * `alice demo`: Inferno's majority system on a small cluster, in virtual time. Five nodes register
 * and resolve, one updates its own record, a backend reports not ready and another crashes; the
 * resolved views and the resolver's metrics are printed after each act.
 */
import type { Command } from 'commander';
import type { MajorityConfig, MajorityMessage } from '../../spec/majority.js';
import type { NodeId } from '../../spec/node.js';
import { MAJORITY_PRESETS, type MajorityState, majorityCluster, majorityNode, resolveConsensus, getHealthyBackends } from '../../impl/majority/index.js';
import { LocalCluster } from '../../impl/runtime/local-cluster.js';

type Cluster = LocalCluster<MajorityState, MajorityMessage, MajorityConfig>;

function printViews(c: Cluster, write: (s: string) => void): void {
  const ids = c.ids();
  write(`  ${'view of'.padEnd(8)} ${ids.map((id) => id.padEnd(22)).join('')}\n`);
  for (const observer of ids) {
    const v = c.view(observer);
    const cells = ids.map((id) => {
      const m = v.members[id];
      return (m ? `${m.info.address} v${m.version}` : '—').padEnd(22);
    });
    write(`  ${(observer + (c.isUp(observer) ? '' : ' ✝')).padEnd(8)} ${cells.join('')}\n`);
  }
}

function printResolutions(c: Cluster, since: number, write: (s: string) => void): number {
  const resolved = c.notifications.slice(since).filter((n) => n.event.kind === 'resolved');
  for (const n of resolved) {
    if (n.event.kind !== 'resolved') continue;
    const { metrics } = resolveConsensus(n.event.responses);
    write(
      `  ${n.node} resolved ${metrics.peerCount} responses: ${metrics.totalNodes} entries, ${metrics.majorityNodes} nodes, ` +
        `${metrics.conflictsDetected} conflicts, ${metrics.tieBreaks} tie-breaks, ${metrics.durationMicros.toFixed(1)} µs\n`,
    );
  }
  return c.notifications.length;
}

export function runDemo(write: (s: string) => void): void {
  const config = MAJORITY_PRESETS.local;
  const c: Cluster = new LocalCluster(majorityNode, majorityCluster(5, config, { now: Date.UTC(2026, 0, 1) }));
  const act = (title: string) => write(`\n== t=${String(c.now - Date.UTC(2026, 0, 1)).padStart(5)} ms  ${title}\n`);
  let seen = 0;

  act('5 nodes start: n1 is a proxy (load balancer), n2..n5 backends; each registers with the others');
  c.runFor(config.registrationTimeoutMs);
  seen = printResolutions(c, seen, write);
  printViews(c, write);

  act('n3 changes its own address (a self-sovereign update, version 1) and broadcasts it');
  c.command('n3', { kind: 'update', patch: { address: '10.0.0.33:8080' } });
  c.runFor(100);
  printViews(c, write);

  act('a forged update: n2 claims to speak for n4; every receiver rejects it');
  const forged: MajorityMessage = { kind: 'update', originator: 'n4', info: { ...c.view('n2').members.n4.info, address: '6.6.6.6:1' }, version: 9 };
  const r = majorityNode.step(c.state('n1'), { type: 'receive', from: 'n2', message: forged, now: c.now });
  for (const o of r.outputs) if (o.type === 'notify' && o.event.kind === 'rejected') write(`  n1: ${o.event.code}: ${o.event.reason}\n`);

  act('n4 reports ready: false; n5 crashes. The load balancer polls vitals every 500 ms');
  c.command('n4', { kind: 'vitals', vitals: { ready: false, requestsInProgress: 0, cpuUsage: 91, memoryUsage: 80, failedResponses: 12, connectedPeers: 4, backoffRequests: 3 } });
  c.crash('n5');
  c.runFor(config.healthIntervalMs + config.healthTimeoutMs + 50);
  for (const n of c.notifications.slice(seen)) if (n.event.kind === 'removed') write(`  ${n.node} removed ${n.event.member}: ${n.event.reason}\n`);
  seen = c.notifications.length;
  const healthy = (id: NodeId) => getHealthyBackends(c.state(id)).map((b) => b.id).join(', ');
  write(`  healthy backends seen by the load balancer n1: ${healthy('n1')}\n`);
  write(`  backends still held by n2 (not a load balancer, so it never health-checks): ${healthy('n2')}\n`);

  act('periodic re-announcement: every node registers again and resolves');
  c.runFor(config.reannounceIntervalMs);
  seen = printResolutions(c, seen, write);
  printViews(c, write);
  write('\nn5 crashed but n2..n4 still list it: nothing in this design removes a dead node from the views of\n');
  write('nodes that do not health-check it (the completeness property; see `alice check majority`).\n');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description("Inferno's majority system on a small cluster: registration, resolution, an update, health checks")
    .action(() => runDemo((s) => process.stdout.write(s)));
}
