/**
 * `node --cpu-prof --import tsx bench/checker-profile.ts <majority|swim> [maxDepth] [seconds]`: one
 * checker run on a 3-node protocol model, for profiling (see docs/checker-internals.md). Prints the
 * run's counts and speed; `bench/cpuprofile-top.ts` summarises the profile it leaves behind.
 */
import { check } from '../checker/index.js';
import { majorityProtocol } from '../model/majority/index.js';
import { swimProtocol } from '../model/swim/index.js';

const [model = 'majority', depthArg = '7', secondsArg = '60'] = process.argv.slice(2);
const options = { nodes: 3, faults: ['crash', 'update'] as const, faultBudget: 2, maxDepth: Number(depthArg), maxStates: 0, timeLimitSec: Number(secondsArg) };
const cpu0 = process.cpuUsage();
const r =
  model === 'swim'
    ? check(swimProtocol, { ...options, faults: [...options.faults] })
    : check(majorityProtocol, { ...options, faults: [...options.faults], properties: ['selfSovereignty', 'agreement'] });
const s = r.stats;
const cpu = process.cpuUsage(cpu0);
console.log(`${model}: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ${s.distinct} distinct, ${s.generated} generated (${s.stoppedBy}), ${s.seconds.toFixed(1)} s, ${Math.round(s.distinctPerSec)} distinct/s, memo hit ${(s.memoHitRate * 100).toFixed(2)}%, ${s.localStates} local states`);
for (const v of r.verdicts) console.log(`  ${v.property}: ${v.status}`);
