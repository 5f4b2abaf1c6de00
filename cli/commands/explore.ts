/**
 * `alice explore trace.json`: serves a page on 127.0.0.1 that steps through a counterexample (per-node
 * state, messages in flight, timers, crashed nodes, the property that failed) and lets the user take
 * any enabled step from any state, computed by the checker's own successor function. Runs until
 * interrupted (Ctrl-C), then exits 0. Exit 2: the trace file is missing or malformed, its protocol is
 * unknown, the model does not allow it, or the port is taken.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { openTrace, readTrace } from '../explorer/open.js';
import { serveExplorer } from '../explorer/server.js';
import { DEFAULT_MAX_OPENED, type ExplorerSession } from '../explorer/session.js';

export const portNumber = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) > 65_535) throw new InvalidArgumentError(`--port takes a port number 0..65535 (0: a free one), got '${v}'`);
  return Number(v);
};

const wholePositive = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`--max-opened takes a whole number ≥ 1, got '${v}'`);
  return Number(v);
};

/** Serves `session` until SIGINT or SIGTERM; prints the URL first. */
export async function exploreUntilInterrupted(session: ExplorerSession, port: number, what: string): Promise<void> {
  const running = await serveExplorer(session, port);
  process.stdout.write(`alice explore: ${what}\n  open ${running.url}  (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function register(program: Command): void {
  program
    .command('explore')
    .description('step through a counterexample (ITF JSON from alice check --out) in the browser, and take any enabled step from any state')
    .argument('<trace>', 'trace file')
    .option('--model <file>', 'the model file the trace was checked on (default: the one the trace records, else its built-in protocol)')
    .option('--port <n>', 'port on 127.0.0.1 (0: a free one, printed)', portNumber, 0)
    .option('--max-opened <n>', 'the most states the session keeps, the trace included; opening more successors is refused, saying so', wholePositive, DEFAULT_MAX_OPENED)
    .addHelpText(
      'after',
      `
The page shows, at each state of the trace, every node's local state, View and armed timers, which
nodes are crashed, the messages in flight, and every property of the model judged there (the
refuted one first). Successors are the checker's: pick one to leave the trace, step back to return.
JSON endpoints: /api/trace, /api/state/<id>, /api/state/<id>/successors.
Every state opened stays addressable until the explorer stops, up to --max-opened (default
${DEFAULT_MAX_OPENED.toLocaleString('en-US')}); past it, the page says the session is full.
Exit codes: 0 stopped with Ctrl-C; 2 bad input (missing or malformed file, unknown protocol, a trace
the model does not allow, a trace longer than --max-opened, a port in use).`,
    )
    .action(async (file: string, opts: { model?: string; port: number; maxOpened: number }) => {
      const { session, source } = await openTrace(readTrace(file), opts.model, process.cwd(), { maxOpened: opts.maxOpened });
      const t = session.trace;
      await exploreUntilInterrupted(session, opts.port, `${t.property} (${t.temporal}) in ${source}, ${t.steps.length - 1} transitions, from ${file}`);
    });
}
