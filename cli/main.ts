/**
 * `alice`: a thin commander front end. Each subcommand lives in cli/commands/<name>.ts and exports
 * `register(program)`; this file only wires them and maps errors to exit codes
 * (0 success, 1 a property violated / a check failed, 2 bad usage or input).
 */
import { Command, CommanderError } from 'commander';
import { AliceError } from '../spec/errors.js';
import { register as registerCheck } from './commands/check.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerReplay } from './commands/replay.js';
import { register as registerExplore } from './commands/explore.js';
import { register as registerConformance } from './commands/conformance.js';
import { register as registerAgent } from './commands/agent.js';
import { register as registerCluster } from './commands/cluster.js';
import { register as registerBench } from './commands/bench.js';
import { register as registerReport } from './commands/report.js';
import { register as registerCertify } from './commands/certify.js';

export function buildProgram(): Command {
  const program = new Command('alice')
    .description('Majority-rule vs SWIM service discovery for Inferno: models, checker, implementations, experiment')
    .exitOverride()
    .showHelpAfterError();
  registerDemo(program);
  registerCheck(program);
  registerReplay(program);
  registerExplore(program);
  registerConformance(program);
  registerAgent(program);
  registerCluster(program);
  registerBench(program);
  registerReport(program);
  registerCertify(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version requests are not errors.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    if (e instanceof AliceError) {
      process.stderr.write(`alice: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv);
