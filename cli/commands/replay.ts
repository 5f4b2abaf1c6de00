/**
 * `alice replay trace.json`: re-executes a counterexample on its model. Exit 0: the trace replays
 * and the violation is reproduced; 1: it replays but the violation no longer shows (fixed?);
 * 2: a malformed file, or a trace the model does not allow (the message names the step), in both
 * modes: `--impl` first replays the trace on the model, since a trace the model rejects is no
 * evidence about the implementation. A trace of a user's model (`alice check --model <file>`)
 * replays with `--model <file>`: the trace names only the protocol, not the file it came from.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fromItf, replayTrace } from '../../checker/index.js';
import { AliceError } from '../../spec/errors.js';
import { MODEL_PROTOCOLS, modelProtocol } from '../protocols.js';
import { loadModelFile } from '../model-file.js';
import { formatImplReplay, implExplanation, implForReplay, replayOnImpl } from '../../conformance/counterexample.js';
import { pair } from '../../conformance/registry.js';

export function register(program: Command): void {
  program
    .command('replay')
    .description('re-execute a counterexample trace (ITF JSON from alice check --out) on its model')
    .argument('<trace>', 'trace file')
    .option('--quiet', 'print only the verdict', false)
    .option('--impl', 'replay on the production implementation instead: same violation (0), differs as the fixture explains (0), or differs (1)', false)
    .option('--model <file>', 'the model file the trace was checked with (alice check --model <file>): a .ts or .js file exporting a ProtocolDefinition')
    .action(async (file: string, opts: { quiet: boolean; impl: boolean; model?: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new AliceError('USAGE', `cannot read ${file}: ${(e as Error).message}`);
      }
      const trace = fromItf(text);
      if (opts.impl && opts.model !== undefined) throw new AliceError('USAGE', '--impl replays on a built-in protocol\'s implementation; a --model file has none');
      if (opts.impl) {
        replayTrace(modelProtocol(trace.protocol), trace);
        const r = replayOnImpl(implForReplay(pair(trace.protocol)), trace, implExplanation(text));
        process.stdout.write(`${formatImplReplay(r, file)}\n`);
        process.exitCode = r.verdict === 'differs' ? 1 : 0;
        return;
      }
      const protocol = opts.model !== undefined ? (await loadModelFile(opts.model)).protocol : protocolOfTrace(trace.protocol);
      const report = replayTrace(protocol, trace, opts.quiet ? undefined : (i, action) => process.stdout.write(`  ${String(i).padStart(3)}. ${action} ✓\n`));
      process.stdout.write(`${report.reproduced ? 'reproduced' : 'NOT reproduced'}: ${report.detail} (${report.steps - 1} steps)\n`);
      process.exitCode = report.reproduced ? 0 : 1;
    });
}

/** The built-in protocol a trace names; a name alice does not know is most likely a model file's. */
function protocolOfTrace(name: string): ReturnType<typeof modelProtocol> {
  if (MODEL_PROTOCOLS[name] === undefined) {
    throw new AliceError(
      'USAGE',
      `the trace is of protocol '${name}', which is not one alice knows by name (${Object.keys(MODEL_PROTOCOLS).join(', ')}); a trace written by \`alice check --model <file>\` replays with the same file: alice replay --model <file> <trace>`,
    );
  }
  return modelProtocol(name);
}
