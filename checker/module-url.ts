/**
 * Alice runs from its TypeScript sources in a checkout (through tsx or vitest) and from compiled
 * JavaScript in the installed package (dist/, built by `npm pack`). Code that hands a module to
 * another thread by URL, or loads a user's .ts file, must know which of the two it is: these helpers
 * answer from the URL of the calling module itself, so there is no flag to get out of step.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when `moduleUrl` (the caller's import.meta.url) is a TypeScript source, i.e. a TS loader is active. */
export const runsFromSource = (moduleUrl: string): boolean => /\.m?ts$/.test(new URL(moduleUrl).pathname);

/** The URL of module `path` (relative, without extension) beside `moduleUrl`, in the caller's own form (.ts or .js). */
export const siblingModule = (path: string, moduleUrl: string): string => new URL(`${path}${runsFromSource(moduleUrl) ? '.ts' : '.js'}`, moduleUrl).href;

/**
 * The file: URL of tsx's ESM API (whose `register()` lets Node import .ts), or null when tsx is not
 * installed. Looked for beside `moduleUrl` first (a checkout, or a project that installed tsx next to
 * alice), then from `cwd` (alice installed globally, tsx in the user's project).
 */
export function tsxApiUrl(moduleUrl: string, cwd = process.cwd()): string | null {
  for (const from of [moduleUrl, pathToFileURL(join(cwd, 'package.json')).href]) {
    try {
      // require.resolve picks tsx's CommonJS build; its ESM build is the one whose register() hooks imports.
      return pathToFileURL(createRequire(from).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    } catch {
      // not installed there
    }
  }
  return null;
}
