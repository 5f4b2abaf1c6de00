/**
 * A node whose join gave up (no seed answered in joinMaxAttempts) joins again after retryJoinMs,
 * until it succeeds: without it, the fault suite's 52-agent start under load left 14 agents alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SWIM_LOCAL } from '../../impl/swim/index.js';
import { type SwimNode, createSwimNode } from '../../impl/swim/node.js';
import { makeNodeInfo } from '../../spec/node.js';

const config = { ...SWIM_LOCAL, joinRetryMs: 50, joinMaxAttempts: 2 };
const nodes: SwimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.kill();
});

function node(id: string, bind: string, seeds: string[], retryJoinMs?: number, onJoinFailed?: (r: string) => void): SwimNode {
  const n = createSwimNode({ id, info: makeNodeInfo(id, '127.0.0.1:1', 1, 'backend', 0), bind, seeds, config, ...(retryJoinMs !== undefined ? { retryJoinMs } : {}), ...(onJoinFailed ? { onJoinFailed } : {}) });
  nodes.push(n);
  return n;
}

const until = async (ok: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
  return ok();
};

describe('retry join', () => {
  it.each([[150, true], [undefined, false]])('with retryJoinMs %s, a node whose seed came up late joins: %s', async (retryJoinMs, joins) => {
    // Learn a free port, then free it: the seed is down while the joiner tries.
    const probe = node('probe', '127.0.0.1:0', []);
    await probe.start();
    const seedAddress = probe.transport.boundAddress;
    await probe.kill();
    const failures: string[] = [];
    const joiner = node('j', '127.0.0.1:0', [seedAddress], retryJoinMs, (r) => failures.push(r));
    await joiner.start();
    expect(await until(() => failures.length > 0, 2000)).toBe(true);
    expect(failures[0]).toContain('no seed of');
    const seed = node('s', seedAddress, []);
    await seed.start();
    const joined = await until(() => joiner.members().some((m) => m.id === 's' && m.status === 'alive'), 2000);
    expect(joined).toBe(joins);
  });
});
