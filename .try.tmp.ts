import { pair } from './conformance/registry.js';
import { inProcessSource } from './conformance/node-under-test.js';
import { PROFILES } from './conformance/profiles.js';
import { runSuites, formatRun } from './conformance/suites.js';
import { coverageTable } from './conformance/coverage.js';
for (const name of process.argv.slice(2)) {
  const p = pair(name);
  const t0 = performance.now();
  const run = await runSuites(p, inProcessSource(p.impl.behaviour), PROFILES.ci, 1);
  console.log(formatRun(run));
  console.log((performance.now() - t0).toFixed(0), 'ms');
  if (name === 'majority') console.log(coverageTable(run.coverage));
}
