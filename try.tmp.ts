import { runScenario } from './experiment/run.js';
import { SCENARIOS } from './experiment/scenarios.js';
import { heartbeatProtocol } from './test/experiment/toy.js';
import { majoritySimProtocol } from './experiment/majority-sim.js';
import { swimSimProtocol } from './experiment/swim-sim.js';
const which = process.argv[2] ?? 'toy';
const p = (which === 'toy' ? heartbeatProtocol() : which === 'swim' ? swimSimProtocol() : majoritySimProtocol()) as never;
const n = Number(process.argv[3] ?? 10);
const only = process.argv[4];
for (const s of SCENARIOS) {
  if (only && !only.split(',').includes(s.name)) continue;
  const r = runScenario(p, s, n, 1);
  const w = r.sim.watches.map((w) => `${w.label}:${w.reflected}/${w.observers} p50=${w.perObserver.p50} p99=${w.perObserver.p99} all=${w.allMs}`).join(' ');
  console.log(s.name.padEnd(15), r.status, 'cold', r.sim.coldStartMs, 'ev', r.sim.eventAtMs, w, 'fp', r.sim.falsePositives.declarations, 'B/s', r.sim.steady.bytesPerNodePerSec, r.sim.during.bytesPerNodePerSec, 'st', r.sim.stateBytes.mean, 'wall', r.runtime.wallMs.toFixed(0), 'cpu', r.runtime.cpuMicrosPerNodePerSimSecond, r.sim.properties?.filter(p=>p.violations>0).map(p=>p.property+':'+p.violations).join(','), r.runtime.resolverMicros?.p50 ?? '', r.abort ?? '');
}
