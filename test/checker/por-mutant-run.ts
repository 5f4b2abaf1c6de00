/**
 * Run by por-mutants.test.ts inside a copy of the project with one spec mutation applied: checks the
 * named protocols' safety properties with and without POR at the given depth (their declared faults)
 * and prints, per protocol, both searches' distinct counts and verdicts as JSON.
 *
 *   node --import tsx test/checker/por-mutant-run.ts <depth> <protocol>...
 */
import { check } from '../../checker/index.js';
import { modelProtocol } from '../../cli/protocols.js';

const [depth, ...names] = process.argv.slice(2);
const out = names.map((name) => {
  const protocol = modelProtocol(name);
  const properties = protocol.properties.filter((p) => p.temporal !== 'eventually').map((p) => p.name);
  const run = (por: boolean) => {
    const r = check(protocol, { maxDepth: Number(depth), maxStates: 0, timeLimitSec: 0, properties, por });
    return { distinct: r.stats.distinct, verdicts: r.verdicts.map((v) => `${v.property}: ${v.status}`) };
  };
  return { protocol: name, full: run(false), por: run(true) };
});
process.stdout.write(JSON.stringify(out));
