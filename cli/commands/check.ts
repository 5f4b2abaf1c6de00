/**
 * `alice check <protocol>`: explore a protocol model and report every property's verdict, or, with
 * `--suite`, run every configuration the protocol documents (cli/check-suites.ts).
 * Exit codes (EXIT in checker/verdicts.ts): 0 every verdict final and nothing failed; 1 a property
 * violated inside its assumptions, or a `sometimes` unreached after an exhaustive search; 2 bad
 * usage; 3 incomplete: nothing failed, but a bound was hit, so "no violation found" is not "holds".
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type CheckHooks,
  type CheckOptions,
  type CheckResult,
  Checker,
  EXIT,
  FAULT_KINDS,
  type FaultKind,
  type Verdict,
  checkParallel,
  exitCode,
  toItf,
  traceToMermaid,
  traceToText,
} from '../../checker/index.js';
import { checkWritableFile, writeFileAtomic } from '../files.js';
import { modelProtocol, MODEL_PROTOCOLS } from '../protocols.js';
import { type LoadedModel, loadModelFile } from '../model-file.js';
import { siblingModule } from '../../checker/module-url.js';
import { AliceError } from '../../spec/errors.js';
import { SUITE_PROFILES, type SuiteProfile, runSuite, suiteText } from '../check-suites.js';
import { ExplorerSession } from '../explorer/session.js';
import { exploreUntilInterrupted, portNumber } from './explore.js';

const whole = (name: string) => (v: string): number => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} takes a whole number, got '${v}'`);
  return Number(v);
};
/** A bound that may be switched off by name: `0` or `unbounded`/`unlimited` mean none. */
const boundOrNone = (name: string, none: string, noneValue: number | null) => (v: string): number | null => {
  if (v === none) return noneValue;
  return whole(name)(v);
};

const faultList = (v: string): FaultKind[] => {
  const items = v === '' || v === 'none' ? [] : v.split(',').map((s) => s.trim());
  for (const f of items) if (!(FAULT_KINDS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown fault '${f}'; known: ${FAULT_KINDS.join(', ')}`);
  return items as FaultKind[];
};

export const EXIT_CODES_HELP = `
Exit codes:
  0  every verdict is final (state space exhausted) and no property failed
  1  a property is violated inside its assumptions (or a 'sometimes' is unreached after an exhaustive search)
  2  bad usage or input
  3  incomplete: no property failed, but a bound was hit (depth, states, time, memory, the fair-step
     bound of an 'eventually'); "no violation found within …" is not "holds"
With --suite: 0 every configuration ran its documented budget with no failure inside assumptions, 1 any failed.
A violation outside the property's assumptions (spec/swim.md, spec/majority.md) is reported as expected and fails nothing.`;

function statusText(v: Verdict, r: CheckResult): string {
  const within = r.coverage.boundsHit.filter((b) => b.bound !== 'eventually').map((b) => b.limit).join(', ');
  switch (v.status) {
    case 'holds':
      return 'holds (state space exhausted)';
    case 'no-violation-found':
      return `no violation found within ${within || 'the bounds'}`;
    case 'violated': {
      const steps = `in ${(v.trace?.steps.length ?? 1) - 1} transitions`;
      return v.expected ? `violated ${steps} — expected: ${v.expected}` : `VIOLATED ${steps}`;
    }
    case 'inconclusive':
      return `inconclusive: not within ${r.options.eventuallyBound} fair steps (no fair cycle found; a larger --eventually-bound may decide it)`;
    case 'reached':
      return 'reached';
    case 'unreached':
      return r.coverage.complete ? 'UNREACHED (state space exhausted)' : `not reached within ${within || 'the bounds'}`;
  }
}

/** What a check was run on, as the header names it: a built-in protocol, or a model file and its protocol's name. */
export function checkedText(r: Pick<CheckResult, 'protocol'>, modelFile?: string): string {
  return modelFile === undefined ? r.protocol : `--model ${modelFile} (${r.protocol})`;
}

/** Whether this run looked for deadlocks, as the header says it. */
function deadlockText(o: CheckResult['options']): string {
  if (!o.deadlock) return 'deadlocks not checked';
  if (o.strategy === 'random') return 'deadlocks not checked (random walks)';
  return o.workers > 1 ? 'deadlocks not checked (worker threads)' : 'deadlocks checked';
}

/** The text summary: what ran (fault model, budget, bounds), what it covered, then each verdict. */
export function summary(r: CheckResult, modelFile?: string): string {
  const s = r.stats;
  const o = r.options;
  const c = r.coverage;
  const depth = o.maxDepth === 0 ? 'depth unbounded' : `depth ≤ ${o.maxDepth}`;
  const budget = [depth, o.maxStates > 0 ? `≤ ${o.maxStates.toLocaleString('en')} states` : 'states unbounded', o.timeLimitSec > 0 ? `≤ ${o.timeLimitSec} s` : 'time unbounded'];
  if (o.maxHeapMB > 0) budget.push(`heap ≤ ${o.maxHeapMB} MB`);
  const lines = [
    `alice check ${checkedText(r, modelFile)}: ${o.nodes} nodes, ${o.strategy}, ${o.timing} timing, ${c.faultModel}, ${o.ordered ? 'FIFO' : 'unordered'} channels, ${budget.join(', ')}, eventually within ${o.eventuallyBound} fair steps, ${deadlockText(o)}, seed ${o.seed}`,
    `  ${s.distinct.toLocaleString('en')} distinct / ${s.generated.toLocaleString('en')} generated states, depth reached ${c.depthReached} (transitions), ${s.seconds.toFixed(1)} s, ` +
      `${Math.round(s.distinctPerSec).toLocaleString('en')} distinct/s, ${s.bytesPerState.toFixed(1)} B/state visited set, heap ${s.heapMB.toFixed(0)} MB`,
    c.complete
      ? '  COMPLETE: the reachable state space was exhausted'
      : `  INCOMPLETE: bounds hit: ${c.boundsHit.map((b) => `${b.bound} (${b.limit})`).join(', ')}; depth reached ${c.depthReached}, ${c.frontier.toLocaleString('en')} states left in the frontier`,
  ];
  if (s.por) lines.push(porText(s.por));
  if (s.symmetry) lines.push(`  symmetry reduction: ${s.distinct.toLocaleString('en')} orbits stand for ${s.symmetry.represented.toLocaleString('en')} states (factor ${s.symmetry.factor.toFixed(2)})`);
  const width = Math.max(18, ...r.verdicts.map((v) => v.property.length + 1));
  for (const v of r.verdicts) lines.push(`  ${v.temporal.padEnd(10)} ${v.property.padEnd(width)} ${statusText(v, r)}`);
  return lines.join('\n') + '\n';
}

/** The POR line: the reduced count, how often an ample set was used, and why not elsewhere. */
function porText(p: NonNullable<CheckResult['stats']['por']>): string {
  const f = p.fallbacks;
  const share = p.expanded === 0 ? 0 : (100 * p.ample) / p.expanded;
  return (
    `  partial-order reduction${p.unsound ? ` (UNSOUND variant ${p.unsound})` : ''}: ${p.reducedStates.toLocaleString('en')} states in the reduced search (run without --por for the full count); ` +
    `ample set in ${p.ample.toLocaleString('en')} of ${p.expanded.toLocaleString('en')} expanded states (${share.toFixed(1)}%); in full: ` +
    `${f.oneNode} one node's steps only, ${f.faults} faults left, ${f.senders} another node may send (C1), ${f.visible} a visible step (C2), ${f.proviso} cycle proviso (C3)`
  );
}

/** The JSON summary: the old fields, plus what the search covered and each verdict's expectation. */
export function summaryJson(r: CheckResult, traces: readonly string[], modelFile?: string): unknown {
  return {
    protocol: r.protocol,
    ...(modelFile !== undefined ? { model: modelFile } : {}),
    options: r.options,
    stats: r.stats,
    complete: r.coverage.complete,
    boundsHit: r.coverage.boundsHit,
    depthReached: r.coverage.depthReached,
    frontier: r.coverage.frontier,
    faultModel: r.coverage.faultModel,
    exitCode: exitCode(r.verdicts, r.coverage),
    verdicts: r.verdicts.map((v) => ({
      property: v.property,
      temporal: v.temporal,
      status: v.status,
      ...(v.expected !== undefined ? { expected: true, unmetAssumption: v.expected } : {}),
      steps: v.trace ? v.trace.steps.length - 1 : undefined,
      violation: v.trace?.violation,
    })),
    traces,
  };
}

function outPaths(out: string, property: string, first: boolean): { json: string; txt: string; mmd: string } {
  const base = out.endsWith('.json') ? out.slice(0, -5) : out;
  const stem = first ? base : `${base}.${property}`;
  return { json: `${stem}.json`, txt: `${stem}.txt`, mmd: `${stem}.mmd` };
}

export function register(program: Command): void {
  program
    .command('check')
    .description('explore a protocol model exhaustively or randomly and check its properties')
    .argument('[protocol]', `protocol model: ${Object.keys(MODEL_PROTOCOLS).join(', ')} (or --model <file>)`)
    .option('--model <file>', 'check your own model: a .ts/.js file whose default (or `protocol`) export is a ProtocolDefinition')
    .option('--nodes <n>', "cluster size (default: the protocol's declared size, else 3)", whole('--nodes'))
    .addOption(new Option('--strategy <s>', 'bfs: shortest traces; dfs: deep; random: seeded swarm').choices(['bfs', 'dfs', 'random']).default('bfs'))
    .addOption(new Option('--timing <t>', 'async: any order; bounded: discrete clock, timers at deadlines').choices(['async', 'bounded']).default('async'))
    .option('--faults <list>', `comma-separated faults (${FAULT_KINDS.join(',')}) or none (default: the protocol's declaration; none if it declares none)`, faultList)
    .option('--fault-budget <n>', "budgeted faults per run (default: the protocol's declaration, else 0)", whole('--fault-budget'))
    .option('--max-losses <n>', 'with loss: messages one run may lose, or unlimited (default: the declaration, else unlimited)', boundOrNone('--max-losses', 'unlimited', null))
    .option('--max-depth <n>', 'longest path explored, in transitions; 0 or unbounded: none', boundOrNone('--max-depth', 'unbounded', 0), 0)
    .option('--max-states <n>', 'stop after this many distinct states (0: none)', whole('--max-states'), 2_000_000)
    .option('--time-limit <s>', 'seconds (0: none)', whole('--time-limit'), 60)
    .option('--max-heap <MB>', 'stop when the JS heap exceeds this (0: none)', whole('--max-heap'), 0)
    .option('--seed <n>', 'seed of random walks', whole('--seed'), 1)
    .option('--walks <n>', 'random walks (strategy random)', whole('--walks'), 2_000)
    .option('--max-delay <ms>', 'bounded timing: delivery bound', whole('--max-delay'), 10)
    .option('--eventually-bound <n>', 'fair steps an eventually property gets', whole('--eventually-bound'), 200)
    .option('--property <names>', 'only these properties (comma-separated)', (v: string) => v.split(',').filter(Boolean), [] as string[])
    .option('--symmetry', 'reduce interchangeable node ids (protocols that declare symmetry)', false)
    .option('--por', 'partial-order reduction for safety properties: expand one node\'s steps where that loses no violation (bfs/dfs, async, no eventually properties)', false)
    .option('--ordered', 'messages on one channel arrive in sending order (default: any order)', false)
    .option('--stop-at-first', 'stop at the first violation', false)
    .option('--no-deadlock', "don't report a reachable state with no enabled step (that the model does not declare final) as a 'deadlock' violation (bfs/dfs)")
    .option('--workers <n>', 'worker threads for bfs (default 1: a worker costs ~1-3 s to start; measured speed-ups in docs/performance.md)', whole('--workers'), 1)
    .option('--suite', "run every configuration the protocol documents (cli/check-suites.ts) instead of one check", false)
    .option('--fail-fast', 'with --suite: stop at the first configuration that fails', false)
    .addOption(new Option('--profile <p>', 'with --suite: ci (part of npm test) or full').choices([...SUITE_PROFILES]).default('full'))
    .option('--out <file>', 'write the first counterexample as ITF JSON (and .txt, .mmd beside it); others get the property name')
    .option('--json', 'print the summary as JSON', false)
    .option('--quiet', 'no live progress line', false)
    .option('--explore', 'then serve the first counterexample in the browser, as alice explore does (until Ctrl-C)', false)
    .option('--port <n>', 'with --explore: port on 127.0.0.1 (0: a free one)', portNumber, 0)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (name: string | undefined, opts: Record<string, unknown>) => {
      const model = await chosenModel(name, opts);
      const protocol = model?.protocol ?? modelProtocol(name!);
      const modelFile = model?.file;
      if (model && opts.suite) throw new AliceError('USAGE', '--suite runs the configurations documented for a built-in protocol (cli/check-suites.ts); a --model file has none: drop --suite');
      if (opts.explore && (opts.suite || opts.json)) throw new AliceError('USAGE', `--explore serves one check's counterexample: drop ${opts.suite ? '--suite' : '--json'}`);
      // A bad --out must not cost a whole search before it shows.
      if (typeof opts.out === 'string') for (const f of Object.values(outPaths(opts.out, 'x', true))) checkWritableFile(f);
      const live = !opts.quiet && process.stderr.isTTY === true;
      if (opts.suite) {
        const result = runSuite(
          name as string,
          opts.profile as SuiteProfile,
          (line) => {
            if (!opts.json) process.stdout.write(line + '\n');
          },
          opts.failFast as boolean,
        );
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else process.stdout.write(suiteText(result));
        process.exitCode = result.failed ? EXIT.failed : EXIT.ok;
        return;
      }
      // Options the user did not give stay undefined, so the protocol's declaration fills them.
      const options: Partial<CheckOptions> & { workers: number } = {
        nodes: opts.nodes as number,
        strategy: opts.strategy as 'bfs',
        timing: opts.timing as 'async',
        faults: opts.faults as FaultKind[] | undefined,
        faultBudget: opts.faultBudget as number | undefined,
        maxLosses: opts.maxLosses as number | null | undefined,
        maxDepth: opts.maxDepth as number,
        maxStates: opts.maxStates as number,
        timeLimitSec: opts.timeLimit as number,
        maxHeapMB: opts.maxHeap as number,
        seed: opts.seed as number,
        walks: opts.walks as number,
        maxDelayMs: opts.maxDelay as number,
        eventuallyBound: opts.eventuallyBound as number,
        properties: opts.property as string[],
        symmetry: opts.symmetry as boolean,
        por: opts.por as boolean,
        ordered: opts.ordered as boolean,
        stopAtFirst: opts.stopAtFirst as boolean,
        deadlock: opts.deadlock as boolean,
        workers: opts.workers as number,
      };
      const hooks: CheckHooks = {
        onProgress: live
          ? (p) =>
              process.stderr.write(
                `\r${p.distinct.toLocaleString('en')} distinct, ${p.generated.toLocaleString('en')} generated, ${Math.round(p.distinct / Math.max(p.seconds, 1e-9)).toLocaleString('en')} states/s, depth ${p.depth}, queue ${p.queue.toLocaleString('en')}   `,
            )
          : undefined,
      };
      // Worker threads load the protocol themselves, by name, through the same registry.
      const result =
        options.workers > 1
          ? checkParallel(
              protocol,
              model ? { module: model.url, exportName: model.exportName } : { module: siblingModule('../protocols', import.meta.url), exportName: 'modelProtocol', args: [name] },
              options,
              hooks,
            )
          : new Checker(protocol, options, hooks).run();
      if (live) process.stderr.write('\r\x1b[K');
      const withTrace = result.verdicts.filter((v) => v.trace);
      const written: string[] = [];
      if (typeof opts.out === 'string') {
        withTrace.forEach((v, i) => {
          const paths = outPaths(opts.out as string, v.property, i === 0);
          // A trace of a --model file names it, so `alice explore` can rebuild the model.
          writeFileAtomic(paths.json, JSON.stringify(toItf(modelFile === undefined ? v.trace! : { ...v.trace!, model: modelFile }), null, 1) + '\n');
          writeFileAtomic(paths.txt, traceToText(v.trace!, v.status === 'inconclusive' ? 'inconclusive' : 'violated'));
          writeFileAtomic(paths.mmd, traceToMermaid(v.trace!));
          written.push(paths.json);
        });
      }
      if (opts.json) process.stdout.write(JSON.stringify(summaryJson(result, written, modelFile), null, 2) + '\n');
      else {
        process.stdout.write(summary(result, modelFile));
        // Only real violations get their trace printed; an inconclusive run is written with --out.
        for (const v of withTrace) if (!opts.out && v.status === 'violated') process.stdout.write('\n' + traceToText(v.trace!));
        for (const w of written) process.stdout.write(`  trace written: ${w}\n`);
      }
      process.exitCode = exitCode(result.verdicts, result.coverage);
      if (opts.explore) {
        const first = withTrace[0];
        if (first === undefined) process.stdout.write('  --explore: no counterexample to explore\n');
        else await exploreUntilInterrupted(new ExplorerSession(protocol, { ...first.trace!, ...(modelFile !== undefined ? { model: modelFile } : {}) }), opts.port as number, `${first.property} (${first.temporal}) in ${checkedText(result, modelFile)}, ${first.trace!.steps.length - 1} transitions`);
      }
    });
}

/** The model a check runs on: a --model file, or null for a built-in protocol named by argument; exactly one of the two. */
async function chosenModel(name: string | undefined, opts: Record<string, unknown>): Promise<LoadedModel | null> {
  const file = opts.model as string | undefined;
  if (file !== undefined && name !== undefined) throw new AliceError('USAGE', `give a protocol name or --model <file>, not both (got '${name}' and --model ${file})`);
  if (file === undefined && name === undefined) throw new AliceError('USAGE', `name a protocol (${Object.keys(MODEL_PROTOCOLS).join(', ')}) or pass --model <file>`);
  return file === undefined ? null : loadModelFile(file);
}
