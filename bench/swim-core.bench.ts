/**
 * Part of `npm run bench:swim`: SWIM core inputs handled per second (target ≥ 200,000 per core).
 * One node in a cluster of n members takes a steady protocol mix, each step on the state the last one
 * returned: its probe timer, the target's ack, a peer's ping carrying two fresh updates (so the table
 * and the broadcast queue really change), and a gossip timer. Figures are medians of timed samples,
 * by the wall clock and by the process's CPU time (on a shared machine the wall clock also counts the
 * time other processes held the core). Last, the heap one such node holds at each size.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
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

function run(n: number, rounds: number): { wall: number; cpu: number } {
  let s = nodeIn(n);
  let now = 0;
  let inc = 1;
  const c0 = process.cpuUsage();
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
  const c = process.cpuUsage(c0);
  return { wall: inputs / secs, cpu: inputs / ((c.user + c.system) / 1e6) };
}

/** Heap held per node of n members just after it learnt them (its queue still full), bytes. */
function heapPerNode(n: number): number {
  // A collector call without --expose-gc on the command line, so `npm run bench:swim` stays as it is.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const nodes = Array.from({ length: 5 }, () => nodeIn(n));
  gc();
  const per = (process.memoryUsage().heapUsed - before) / nodes.length;
  // Read the nodes after measuring, so they are still live when the heap is measured.
  return nodes.every((s) => s.table.size === n) ? per : NaN;
}

for (const n of [100, 1_000, 10_000]) {
  const big = n >= 10_000;
  const rounds = big ? 1_000 : 10_000;
  const count = big ? 5 : 7;
  run(n, big ? 50 : 500);
  const samples = Array.from({ length: count }, () => run(n, rounds));
  const m = median(samples.map((x) => x.wall));
  const mc = median(samples.map((x) => x.cpu));
  console.log(
    `swim core, ${n} members: ${Math.round(m).toLocaleString('en-US')} inputs/s wall, ${Math.round(mc).toLocaleString('en-US')} inputs/s CPU (median of ${count}; target ≥ 200,000) ${mc >= 200_000 ? 'MET' : 'NOT MET'}`,
  );
}
for (const n of [1_000, 10_000]) {
  const bytes = heapPerNode(n);
  console.log(`swim core, heap per node of ${n} members (queue full): ${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`);
}
