/**
 * Part of `npm run bench:swim`: SWIM core inputs handled per second (target ≥ 200,000 per core).
 * One node in a cluster of n members takes a steady protocol mix, each step on the state the last one
 * returned: its probe timer, the target's ack, a peer's ping carrying two fresh updates (so the table
 * and the broadcast queue really change), and a gossip timer. Figures are medians of timed samples.
 */
import { makeNodeInfo } from '../spec/node.js';
import type { Input } from '../spec/step.js';
import type { MemberUpdate, SwimMessage } from '../spec/swim.js';
import { SWIM_LAN, swimCore, type SwimState } from '../impl/swim/index.js';
import { median } from './stats.js';

function nodeIn(n: number): SwimState {
  let s = swimCore.init({ id: 'n0', info: makeNodeInfo('n0', '10.0.0.0:8080', 9090, 'proxy', 0), seeds: [], now: 0, rngSeed: 1, config: SWIM_LAN }).state;
  const updates: MemberUpdate[] = [];
  for (let i = 1; i < n; i++) {
    updates.push({ kind: 'alive', member: `n${i}`, incarnation: 0, info: makeNodeInfo(`n${i}`, `10.0.${i >> 8}.${i & 255}:8080`, 9090, 'backend', 0), health: { ready: true, loadBucket: 0 } });
  }
  for (let i = 0; i < updates.length; i += 50) s = swimCore.step(s, { type: 'receive', from: 'n1', message: { kind: 'gossip', updates: updates.slice(i, i + 50) }, now: 0 }).state;
  return s;
}

function run(n: number, rounds: number): number {
  let s = nodeIn(n);
  let now = 0;
  let inc = 1;
  const t0 = process.hrtime.bigint();
  let inputs = 0;
  for (let r = 0; r < rounds; r++) {
    now += 1000;
    const probe = swimCore.step(s, { type: 'timer', timer: 'probe', now });
    s = probe.state;
    inputs++;
    const ping = probe.outputs.find((o) => o.type === 'send');
    if (ping && ping.type === 'send' && ping.message.kind === 'ping') {
      s = swimCore.step(s, { type: 'receive', from: ping.to, message: { kind: 'ack', seq: ping.message.seq, updates: [] }, now: now + 5 }).state;
      inputs++;
    }
    const a = `n${1 + (r % (n - 1))}`;
    const b = `n${1 + ((r * 7) % (n - 1))}`;
    const fresh: MemberUpdate[] = [a, b].map((m) => ({ kind: 'alive', member: m, incarnation: inc, info: makeNodeInfo(m, '10.9.0.1:8080', 9090, 'backend', 0), health: { ready: true, loadBucket: 0 } }));
    inc++;
    const input: Input<SwimMessage> = { type: 'receive', from: a, message: { kind: 'ping', seq: r, updates: fresh }, now: now + 10 };
    s = swimCore.step(s, input).state;
    s = swimCore.step(s, { type: 'timer', timer: 'gossip', now: now + 200 }).state;
    inputs += 2;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return inputs / secs;
}

for (const n of [100, 1_000, 10_000]) {
  const big = n >= 10_000;
  const rounds = big ? 300 : 10_000;
  const count = big ? 3 : 7;
  run(n, big ? 50 : 500);
  const samples = Array.from({ length: count }, () => run(n, rounds));
  const m = median(samples);
  console.log(`swim core, ${n} members: ${Math.round(m).toLocaleString('en-US')} inputs/s (median of ${count}; target ≥ 200,000) ${m >= 200_000 ? 'MET' : 'NOT MET'}`);
}
