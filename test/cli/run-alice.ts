/** The `alice` command as a user runs it, in a child process through bin/alice.js at the repository root. */
import { execFile } from 'node:child_process';

export const BIN = new URL('../../bin/alice.js', import.meta.url).pathname;
export const ROOT = new URL('../..', import.meta.url).pathname;

export interface AliceRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `alice …args` without blocking, so several can share the suite's time (each pays tsx's start-up). */
export function alice(...args: string[]): Promise<AliceRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}
