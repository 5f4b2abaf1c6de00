import { runScenario } from './experiment/run.js';
import { scenario } from './experiment/scenarios.js';
import { simProtocol } from './experiment/protocols.js';
const r = runScenario(simProtocol(process.argv[2] ?? 'majority'), scenario(process.argv[3] ?? 'update-address'), Number(process.argv[4] ?? 100), 1, { propertyMaxN: Number(process.argv[5] ?? 100) });
console.log(r.runtime.wallMs, r.sim.events, r.runtime.cpuMicrosPerNodePerSimSecond, r.sim.virtualMs);
