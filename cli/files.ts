import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AliceError } from '../spec/errors.js';

/** A file or directory the CLI could not write; the CLI maps it to exit 2 (bad usage or input). */
export class WriteError extends AliceError {
  constructor(
    readonly path: string,
    cause: string,
  ) {
    super('WRITE', `cannot write ${path}: ${cause}; choose a writable path (its parent must be a directory)`);
  }
}

function causeOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const text = err.message ?? String(e);
  return err.code !== undefined && !text.startsWith(err.code) ? `${err.code}: ${text}` : text;
}

/** The file-system calls a write makes, injectable so a full disk can be shown without one. */
export interface WriteFs {
  readonly write: (path: string, text: string) => void;
}
const NODE_FS: WriteFs = { write: (path, text) => writeFileSync(path, text) };

/**
 * Writes a file whole or not at all: a temp file beside it, then an atomic rename. Any failure throws
 * a WriteError naming the path and the cause, and the temp file is removed.
 */
export function writeFileAtomic(path: string, text: string, fs: WriteFs = NODE_FS): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fs.write(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new WriteError(path, causeOf(e));
  }
}

/** Why a directory cannot be created or written (the nearest existing ancestor decides), or undefined. */
function unwritableDir(dir: string): string | undefined {
  let at = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      const parent = dirname(at);
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && parent !== at) {
        at = parent;
        continue;
      }
      return causeOf(e);
    }
    if (!isDir) return `${at} is not a directory (ENOTDIR)`;
    try {
      accessSync(at, constants.W_OK);
      return undefined;
    } catch (e) {
      return causeOf(e);
    }
  }
}

/** Checks, before any work, that a directory can be created or written into; throws a WriteError naming it. */
export function checkWritableDir(dir: string): void {
  const why = unwritableDir(dir);
  if (why !== undefined) throw new WriteError(dir, why);
}

/** Checks, before any work, that a file can be written at `path`; throws a WriteError naming it. */
export function checkWritableFile(path: string): void {
  const why = unwritableDir(dirname(path)) ?? (isDirectory(path) ? 'it is a directory (EISDIR)' : undefined);
  if (why !== undefined) throw new WriteError(path, why);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Runs a write the CLI does not own (e.g. the report writer), turning a file-system failure into a WriteError. */
export function asWriteError<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof AliceError || typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new WriteError((e as NodeJS.ErrnoException).path ?? path, causeOf(e));
  }
}
