/**
 * `alice check <protocol>`: explore a protocol model and report every property's verdict.
 * Exit 0: every property holds up to the bounds (and every `sometimes` is reached); 1: a property is
 * violated or a `sometimes` never reached; 2: bad usage.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CheckHooks, type CheckOptions, type CheckResult, Checker, FAULT_KINDS, type FaultKind, checkParallel, toItf, traceToMermaid, traceToText } from '../../checker/index.js';
import { checkWritableFile, writeFileAtomic } from '../files.js';
import { modelProtocol, MODEL_PROTOCOLS } from '../protocols.js';

const whole = (name: string) => (v: string): number => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} takes a whole number, got '${v}'`);
  return Number(v);
};

const faultList = (v: string): FaultKind[] => {
  const items = v === '' || v === 'none' ? [] : v.split(',').map((s) => s.trim());
  for (const f of items) if (!(FAULT_KINDS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown fault '${f}'; known: ${FAULT_KINDS.join(', ')}`);
  return items as FaultKind[];
};

function summary(r: CheckResult): string {
  const s = r.stats;
  const o = r.options;
  const lines = [
    `alice check ${r.protocol}: ${o.nodes} nodes, ${o.strategy}, ${o.timing} timing, faults ${o.faults.join(',') || 'none'} (budget ${o.faultBudget}), ${o.ordered ? 'FIFO' : 'unordered'} channels, depth ≤ ${o.maxDepth}, seed ${o.seed}`,
    `  ${s.distinct.toLocaleString('en')} distinct / ${s.generated.toLocaleString('en')} generated states, depth ${s.depth}, ${s.seconds.toFixed(1)} s, ` +
      `${Math.round(s.distinctPerSec).toLocaleString('en')} distinct/s, ${s.bytesPerState.toFixed(1)} B/state visited set, heap ${s.heapMB.toFixed(0)} MB; stopped by ${s.stoppedBy}`,
  ];
  if (s.symmetry) lines.push(`  symmetry reduction: ${s.distinct.toLocaleString('en')} orbits stand for ${s.symmetry.represented.toLocaleString('en')} states (factor ${s.symmetry.factor.toFixed(2)})`);
  const bounded = s.stoppedBy === 'exhausted' ? 'holds (state space exhausted)' : `holds up to the bound (${s.stoppedBy})`;
  for (const p of r.verdicts) {
    const assumption = modelProtocol(r.protocol).properties.find((x) => x.name === p.property)?.assumptions;
    const caveat = assumption && assumption.timing === 'bounded' && o.timing === 'async' ? ' — expected only under bounded timing' : '';
    const status = p.status === 'holds' ? bounded : p.status === 'violated' ? `VIOLATED in ${(p.trace?.steps.length ?? 1) - 1} steps${caveat}` : p.status;
    lines.push(`  ${p.temporal.padEnd(10)} ${p.property.padEnd(18)} ${status}`);
  }
  return lines.join('\n') + '\n';
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
    .argument('<protocol>', `protocol model: ${Object.keys(MODEL_PROTOCOLS).join(', ')}`)
    .option('--nodes <n>', 'cluster size', whole('--nodes'), 3)
    .addOption(new Option('--strategy <s>', 'bfs: shortest traces; dfs: deep; random: seeded swarm').choices(['bfs', 'dfs', 'random']).default('bfs'))
    .addOption(new Option('--timing <t>', 'async: any order; bounded: discrete clock, timers at deadlines').choices(['async', 'bounded']).default('async'))
    .option('--faults <list>', `comma-separated faults (${FAULT_KINDS.join(',')}) or none`, faultList, ['crash', 'update'] as FaultKind[])
    .option('--fault-budget <n>', 'budgeted faults per run', whole('--fault-budget'), 2)
    .option('--max-depth <n>', 'longest path explored', whole('--max-depth'), 30)
    .option('--max-states <n>', 'stop after this many distinct states (0: none)', whole('--max-states'), 2_000_000)
    .option('--time-limit <s>', 'seconds (0: none)', whole('--time-limit'), 60)
    .option('--seed <n>', 'seed of random walks', whole('--seed'), 1)
    .option('--walks <n>', 'random walks (strategy random)', whole('--walks'), 2_000)
    .option('--max-delay <ms>', 'bounded timing: delivery bound', whole('--max-delay'), 10)
    .option('--eventually-bound <n>', 'fair steps an eventually property gets', whole('--eventually-bound'), 200)
    .option('--property <names>', 'only these properties (comma-separated)', (v: string) => v.split(',').filter(Boolean), [] as string[])
    .option('--symmetry', 'reduce interchangeable node ids (protocols that declare symmetry)', false)
    .option('--ordered', 'messages on one channel arrive in sending order (default: any order)', false)
    .option('--stop-at-first', 'stop at the first violation', false)
    .option('--workers <n>', 'worker threads for bfs (default 1: a worker costs ~1-3 s to start, and 2 workers on 2 idle cores measured about the speed of one thread)', whole('--workers'), 1)
    .option('--out <file>', 'write the first counterexample as ITF JSON (and .txt, .mmd beside it); others get the property name')
    .option('--json', 'print the summary as JSON', false)
    .option('--quiet', 'no live progress line', false)
    .action((name: string, opts: Record<string, unknown>) => {
      const protocol = modelProtocol(name);
      // A bad --out must not cost a whole search before it shows.
      if (typeof opts.out === 'string') for (const f of Object.values(outPaths(opts.out, 'x', true))) checkWritableFile(f);
      const live = !opts.quiet && process.stderr.isTTY === true;
      const options: Partial<CheckOptions> & { workers: number } = {
        nodes: opts.nodes as number,
        strategy: opts.strategy as 'bfs',
        timing: opts.timing as 'async',
        faults: opts.faults as FaultKind[],
        faultBudget: opts.faultBudget as number,
        maxDepth: opts.maxDepth as number,
        maxStates: opts.maxStates as number,
        timeLimitSec: opts.timeLimit as number,
        seed: opts.seed as number,
        walks: opts.walks as number,
        maxDelayMs: opts.maxDelay as number,
        eventuallyBound: opts.eventuallyBound as number,
        properties: opts.property as string[],
        symmetry: opts.symmetry as boolean,
        ordered: opts.ordered as boolean,
        stopAtFirst: opts.stopAtFirst as boolean,
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
          ? checkParallel(protocol, { module: new URL('../protocols.ts', import.meta.url).href, exportName: 'modelProtocol', args: [name] }, options, hooks)
          : new Checker(protocol, options, hooks).run();
      if (live) process.stderr.write('\r\x1b[K');
      const violated = result.verdicts.filter((v) => v.trace);
      const written: string[] = [];
      if (typeof opts.out === 'string') {
        violated.forEach((v, i) => {
          const paths = outPaths(opts.out as string, v.property, i === 0);
          writeFileAtomic(paths.json, JSON.stringify(toItf(v.trace!), null, 1) + '\n');
          writeFileAtomic(paths.txt, traceToText(v.trace!));
          writeFileAtomic(paths.mmd, traceToMermaid(v.trace!));
          written.push(paths.json);
        });
      }
      if (opts.json) {
        const json = {
          protocol: result.protocol,
          options: result.options,
          stats: result.stats,
          verdicts: result.verdicts.map((v) => ({ property: v.property, temporal: v.temporal, status: v.status, steps: v.trace ? v.trace.steps.length - 1 : undefined, violation: v.trace?.violation })),
          traces: written,
        };
        process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      } else {
        process.stdout.write(summary(result));
        for (const v of violated) if (!opts.out) process.stdout.write('\n' + traceToText(v.trace!));
        for (const w of written) process.stdout.write(`  trace written: ${w}\n`);
      }
      const bad = result.verdicts.some((v) => v.status === 'violated' || v.status === 'unreached');
      process.exitCode = bad ? 1 : 0;
    });
}
