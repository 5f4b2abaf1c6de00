/**
 * The library API is protocol-agnostic: here it drives Inferno's majority core (a real
 * NodeBehaviour) over an in-memory network with a fake clock, to pin down members(),
 * healthyBackends(), events and metrics independently of the SWIM core.
 */
import { describe, expect, it } from 'vitest';
import { MAJORITY_PRESETS, majorityCluster, majorityNode } from '../../impl/majority/index.js';
import { DiscoveryNode, type MemberEventName } from '../../impl/swim/node.js';
import { MemoryNetwork } from '../../impl/runtime/memory-transport.js';
import { FakeTime } from '../../impl/runtime/types.js';
import type { MajorityMessage } from '../../spec/majority.js';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function cluster(n: number) {
  const time = new FakeTime(Date.UTC(2026, 0, 1));
  const net = new MemoryNetwork<MajorityMessage>();
  const events: [string, MemberEventName, unknown][] = [];
  const nodes = majorityCluster(n, MAJORITY_PRESETS.local, { now: time.now() }).map(({ now: _now, ...setup }) => {
    const node = new DiscoveryNode({ behaviour: majorityNode, setup, transport: net.transport(setup.id), clock: time, scheduler: time, leaveGraceMs: 10 });
    node.onAny((name, e) => events.push([setup.id, name, e]));
    return node;
  });
  for (const node of nodes) await node.start();
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 10) {
      time.advance(10);
      await flush();
    }
  };
  return { time, nodes, events, run };
}

describe('DiscoveryNode', () => {
  it('lists every member with its status and NodeInfo once the cluster has formed', async () => {
    const { nodes, run } = await cluster(3);
    await run(MAJORITY_PRESETS.local.registrationTimeoutMs + 100);
    expect(nodes[0].members().map((m) => [m.id, m.status])).toEqual([
      ['n1', 'alive'],
      ['n2', 'alive'],
      ['n3', 'alive'],
    ]);
  });

  it('lists only backends as healthy backends', async () => {
    const { nodes, run } = await cluster(3);
    await run(MAJORITY_PRESETS.local.registrationTimeoutMs + 100);
    expect(nodes[0].healthyBackends().map((b) => b.id)).toEqual(['n2', 'n3']);
  });

  it('raises an updated event on the others when a node updates its own info', async () => {
    const { nodes, events, run } = await cluster(3);
    await run(MAJORITY_PRESETS.local.registrationTimeoutMs + 100);
    nodes[2].updateInfo({ address: '127.0.0.1:9999' });
    await run(200);
    expect(events).toContainEqual(['n1', 'updated', expect.objectContaining({ member: 'n3' })]);
    expect(nodes[0].members().find((m) => m.id === 'n3')?.info.address).toBe('127.0.0.1:9999');
  });

  it('reports members by state in its metrics', async () => {
    const { nodes, run } = await cluster(3);
    await run(MAJORITY_PRESETS.local.registrationTimeoutMs + 100);
    expect(nodes[0].metricsText()).toContain('alice_swim_members{state="alive"} 3');
  });

  it('stops after leave(): no longer running', async () => {
    const { nodes, time } = await cluster(2);
    const left = nodes[1].leave();
    time.advance(20);
    await left;
    expect(nodes[1].isRunning).toBe(false);
  });
});
