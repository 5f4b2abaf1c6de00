/**
 * The package as a user gets it: `npm pack` (whose prepack compiles dist/), installed into an empty
 * folder, then used from plain Node ESM, from the installed `alice` command and from TypeScript.
 * The model is examples/request-ack as a user would write it in their own project: the same source
 * with its import of the package's entry spelled `'alice'`.
 *
 * npm pack runs in a copy of the working tree (with node_modules linked), so the build never writes
 * into the checkout. Installing uses npm's cache first (`npm ci` filled it) and the registry only for
 * what is missing. Bounded: every child process has a deadline and the whole file under two minutes.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../checker/index.js';
import requestAck from '../../examples/request-ack/model.js';
import requestAckNoDedup from '../../examples/request-ack/no-dedup.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const BUDGET_MS = 120_000;
const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const HAVE_NPM = npm.status === 0;
if (!HAVE_NPM) console.warn(`test/pack skipped: npm is not available (${npm.error?.message ?? npm.stderr}); the packaging tests need it to pack and install`);

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function run(file: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}

async function mustRun(file: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  const r = await run(file, args, cwd, timeoutMs);
  if (r.code !== 0) throw new Error(`${basename(file)} ${args.join(' ')} exited ${r.code}:\n${r.err}${r.out}`);
  return r;
}

/** What must come out the same whichever copy of the checker ran: verdicts, trace lengths, counts. */
const summary = (r: CheckResult) => ({
  verdicts: r.verdicts.map((v) => [v.property, v.status, v.trace?.steps.length ?? null]),
  distinct: r.stats.distinct,
  generated: r.stats.generated,
  complete: r.coverage.complete,
});

// The same function, as the consumer's plain-JavaScript script spells it.
const VERDICTS_MJS = `import { check } from 'alice';
import model from './model.js';
import noDedup from './no-dedup.js';
const summary = (r) => ({
  verdicts: r.verdicts.map((v) => [v.property, v.status, v.trace?.steps.length ?? null]),
  distinct: r.stats.distinct,
  generated: r.stats.generated,
  complete: r.coverage.complete,
});
console.log(JSON.stringify({ model: summary(check(model)), noDedup: summary(check(noDedup)) }));
`;

// A TypeScript consumer beyond the model itself: the result types it names must exist in the .d.ts.
const CONSUMER_TS = `import { check, EXIT, exitCode, type CheckResult, type Verdict, type VerdictStatus } from 'alice';
import model from './model.js';
const result: CheckResult = check(model, { faults: [] });
const first: Verdict = result.verdicts[0];
const status: VerdictStatus = first.status;
const code: number = exitCode(result.verdicts, result.coverage);
export const outcome = { status, ok: code === EXIT.ok };
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    // Declarations are checked too: a .d.ts that does not compile fails here, not in a user's build.
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  },
  files: ['model.ts', 'no-dedup.ts', 'consumer.ts'],
};

/** The example's source as it reads in a user's project: the package entry is `'alice'`. */
const userSource = (file: string) => readFileSync(join(ROOT, 'examples/request-ack', file), 'utf8').replaceAll("from '../../index.js'", "from 'alice'");
const toJs = (source: string) => ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true } }).outputText;

// Top-level directories of the working tree the build does not need (or must not see: a stale dist/).
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'out', 'tmp', '.alice-tmp', 'coverage', 'docs', 'test']);

describe.skipIf(!HAVE_NPM)('the packed package, installed into an empty folder', () => {
  let work = '';
  let app = '';
  let tarball = '';
  let runs: Promise<Run[]>;
  let verdicts: Promise<Run>;
  let typecheck: Promise<Run>;

  beforeAll(async () => {
    const started = Date.now();
    const left = () => Math.max(1_000, BUDGET_MS - 15_000 - (Date.now() - started));
    work = mkdtempSync(join(tmpdir(), 'alice-pack-'));
    const src = join(work, 'src');
    cpSync(ROOT, src, { recursive: true, filter: (from) => !NOT_COPIED.has(relative(ROOT, from)) });
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(src, 'node_modules'));
    const packed = await mustRun('npm', ['pack', '--pack-destination', work, '--json', '--no-audit', '--no-fund'], src, left());
    tarball = join(work, (JSON.parse(packed.out) as { filename: string }[])[0].filename);

    app = join(work, 'app');
    mkdirSync(join(app, 'js'), { recursive: true });
    mkdirSync(join(app, 'ts'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'alice-consumer', private: true, type: 'module' }, null, 2));
    await mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app, left());

    writeFileSync(join(app, 'js/model.js'), toJs(userSource('model.ts')));
    writeFileSync(join(app, 'js/no-dedup.js'), toJs(userSource('no-dedup.ts')));
    writeFileSync(join(app, 'js/verdicts.js'), VERDICTS_MJS);
    writeFileSync(join(app, 'ts/model.ts'), userSource('model.ts'));
    writeFileSync(join(app, 'ts/no-dedup.ts'), userSource('no-dedup.ts'));
    writeFileSync(join(app, 'ts/consumer.ts'), CONSUMER_TS);
    writeFileSync(join(app, 'ts/tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));

    // Independent of one another: run at once.
    const bin = join(app, 'node_modules/.bin/alice');
    const js = join(app, 'js');
    verdicts = run(process.execPath, ['verdicts.js'], js, left());
    runs = Promise.all([
      run(bin, ['check', '--model', './model.js', '--quiet'], js, left()),
      run(bin, ['check', '--model', './no-dedup.js', '--quiet'], js, left()),
      run(bin, ['check', '--model', '../ts/model.ts', '--quiet'], js, left()),
    ]);
    typecheck = run(process.execPath, [TSC, '-p', 'tsconfig.json'], join(app, 'ts'), left());
    await Promise.all([verdicts, runs, typecheck]);
  }, BUDGET_MS);

  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('holds only the compiled build, the bin and the package files', () => {
    const listed = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l !== '');
    const tops = [...new Set(listed.map((l) => l.replace(/^package\//, '').split('/')[0]))].sort();
    expect(tops).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    expect(listed.filter((l) => l.endsWith('.ts') && !l.endsWith('.d.ts'))).toEqual([]);
    expect(listed).toContain('package/dist/index.d.ts');
  });

  it('installs with its runtime dependencies only', () => {
    const installed = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.')).sort();
    expect(installed).toContain('alice');
    expect(installed).not.toContain('tsx');
    expect(installed).not.toContain('typescript');
  });

  it('checks the example from plain Node ESM with the verdicts and state counts of the sources', async () => {
    const r = await verdicts;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out) as { model: ReturnType<typeof summary>; noDedup: ReturnType<typeof summary> };
    expect(got).toEqual({ model: summary(check(requestAck)), noDedup: summary(check(requestAckNoDedup)) });
    expect(got.model.complete).toBe(true);
    expect(got.model.verdicts.find(([p]) => p === 'appliedOnce')?.[1]).toBe('holds');
    expect(got.noDedup.verdicts.find(([p]) => p === 'appliedOnce')?.[1]).toBe('violated');
  });

  it('runs the installed alice on a .js model file: exit 0, every property holds', async () => {
    const [r] = await runs;
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^alice check --model model\.js \(request-ack\): 2 nodes/);
    expect(r.out).toMatch(/appliedOnce\s+holds \(state space exhausted\)/);
  });

  it('runs the installed alice on the broken variant: exit 1, appliedOnce violated', async () => {
    const r = (await runs)[1];
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/appliedOnce\s+VIOLATED in 3 transitions/);
  });

  it('refuses a .ts model when tsx is not installed: exit 2, saying what to install', async () => {
    const r = (await runs)[2];
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/model file \.\.\/ts\/model\.ts is TypeScript.*tsx is not installed: npm install --save-dev tsx, or write the model as \.mjs/);
  });

  it('type-checks a TypeScript consumer against the installed declarations', async () => {
    const r = await typecheck;
    expect(r.out + r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
