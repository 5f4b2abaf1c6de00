/**
 * A node process speaking the stdio step protocol (spec/stdio-protocol.md) for any protocol the
 * harness knows by name: `npx tsx conformance/stdio-server.ts majority` (the implementation),
 * `... majority-model` (the model), `... toy`, `... toy-wrong-seq`.
 */
import { definition } from './registry.js';
import { serveStdio } from './stdio/server.js';

const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: stdio-server.ts <protocol>   e.g. majority, majority-model, toy\n');
  process.exit(2);
}
let behaviour;
try {
  behaviour = definition(name).behaviour;
} catch (e) {
  process.stderr.write(`stdio-server: ${(e as Error).message}\n`);
  process.exit(2);
}
await serveStdio(behaviour, process.stdin, process.stdout);
process.exit(0);
