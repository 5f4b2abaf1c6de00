import { pair } from './conformance/registry.js';
import { execSource } from './conformance/stdio/exec-node.js';
import { PROFILES } from './conformance/profiles.js';
import { runSuites, formatRun } from './conformance/suites.js';
for (const name of process.argv.slice(2)) {
  const p = pair(name);
  const t0 = performance.now();
  const src = execSource(`"${process.execPath}" --import tsx conformance/stdio-server.ts ${name}`, { protocol: p.impl.name });
  const run = await runSuites(p, src, PROFILES.ci, 1);
  await src.close();
  console.log(formatRun(run).split('\n').slice(0, 30).join('\n'));
  console.log((performance.now() - t0).toFixed(0), 'ms');
}
