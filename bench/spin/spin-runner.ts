/**
 * SPIN on this machine: found, or installed with apt-get (saying so), and run exhaustively on one
 * Promela model: `spin -a`, gcc with or without partial-order reduction, `./pan`, and for an error
 * found breadth-first, `spin -t` to count the trail's steps. Each model is compiled in its own
 * temporary folder, since pan and spin -t read and write files beside the model.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { aptInstall } from '../apt-install.js';
import { type PanReport, parsePanOutput, parseTrailSteps } from './pan-output.js';

export const SPIN_PACKAGES = ['spin', 'gcc'] as const;

/** The DFS stack pan allocates (-m): deeper than any model here, and checked after each run. */
export const PAN_MAX_DEPTH = 1_000_000;

export class SpinUnavailableError extends Error {}
export class SpinRunError extends Error {}

function missing(): string[] {
  const absent: string[] = [];
  if (spawnSync('spin', ['-V'], { encoding: 'utf8' }).status !== 0) absent.push('spin');
  if (spawnSync('gcc', ['--version'], { encoding: 'utf8' }).status !== 0) absent.push('gcc');
  return absent;
}

/** Installs spin and gcc with apt-get when either is missing; throws SpinUnavailableError when that fails. */
export function ensureSpin(say: (line: string) => void): void {
  const { still, why } = aptInstall(SPIN_PACKAGES, missing, say);
  if (still.length > 0) {
    throw new SpinUnavailableError(`the SPIN cross-check needs ${still.join(' and ')}; ${why}. Install them with: apt-get update && apt-get install -y ${SPIN_PACKAGES.join(' ')}`);
  }
}

export function spinVersion(): string {
  return spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim();
}

function sh(cmd: string, args: readonly string[], cwd: string): { stdout: string; seconds: number } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = (performance.now() - t) / 1000;
  if (r.error) throw new SpinRunError(`${cmd} could not run: ${r.error.message}`);
  // pan exits non-zero on some errors it reports; its output says what happened, so only the tools' failures stop here.
  if (r.status !== 0 && cmd !== './pan') throw new SpinRunError(`${cmd} ${args.join(' ')} exited ${r.status} in ${cwd}:\n${(r.stderr || r.stdout).trim()}`);
  return { stdout: r.stdout + r.stderr, seconds };
}

export interface PanRun {
  readonly report: PanReport;
  /** Wall seconds of ./pan alone (not spin -a nor gcc). */
  readonly seconds: number;
  readonly command: string;
}

export interface PanBuild {
  /** Partial-order reduction on (SPIN's default) or off (-DNOREDUCE). */
  readonly reduce: boolean;
  readonly bfs?: boolean;
  /** ./pan -A: assertion violations are not reported (and do not stop the search). */
  readonly ignoreAssertions?: boolean;
}

/** One Promela model with its -D parameters, generated once and verified under several builds. */
export class SpinModel {
  private readonly dir: string;
  private readonly file: string;

  constructor(
    pml: string,
    private readonly defines: Readonly<Record<string, number>>,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'alice-spin-'));
    this.file = basename(pml);
    copyFileSync(pml, join(this.dir, this.file));
    sh('spin', [...this.dFlags(), '-a', this.file], this.dir);
  }

  private dFlags(): string[] {
    return Object.entries(this.defines).map(([k, v]) => `-D${k}=${v}`);
  }

  verify(build: PanBuild, depth = PAN_MAX_DEPTH): PanRun {
    const flags = ['-O2', '-DSAFETY', ...(build.reduce ? [] : ['-DNOREDUCE']), ...(build.bfs ? ['-DBFS'] : [])];
    sh('gcc', [...flags, '-o', 'pan', 'pan.c'], this.dir);
    const args = [`-m${depth}`, ...(build.ignoreAssertions ? ['-A'] : [])];
    const { stdout, seconds } = sh('./pan', args, this.dir);
    const command = `spin -a ${[...this.dFlags(), this.file].join(' ')}; gcc ${flags.join(' ')} -o pan pan.c; ./pan ${args.join(' ')}`;
    return { report: parsePanOutput(stdout), seconds, command };
  }

  /** Steps of the trail the last run wrote, replayed by spin -t. */
  trailSteps(): number {
    return parseTrailSteps(sh('spin', [...this.dFlags(), '-t', this.file], this.dir).stdout);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
