import { Simulator } from './experiment/simulator.js';
import { simCluster } from './experiment/cluster.js';
import { swimSimProtocol } from './experiment/swim-sim.js';
const n = Number(process.argv[2] ?? 200);
const until = Number(process.argv[3] ?? 30_000);
const p = swimSimProtocol();
const sim = new Simulator(p as never, simCluster(p.definition, n, 3, 1), { seed: 1 });
for (let i = 0; i < n; i++) sim.at(Math.random() * 1000, () => sim.start(i));
const t0 = performance.now();
for (let t = 1000; t <= until; t += 1000) {
  sim.runUntil(t);
  if (t % 5000 === 0) console.log(t, 'wall', (performance.now() - t0).toFixed(0), 'events', sim.eventCount, 'stepMs', (sim.stepMicros / 1000).toFixed(0), 'msgs/s', sim.traffic.messages[t / 1000 - 1], 'bytes/s', sim.traffic.bytes[t / 1000 - 1], 'heapMB', (process.memoryUsage().heapUsed / 1e6).toFixed(0));
}
