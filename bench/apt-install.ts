/**
 * Installing a bench's Debian packages when they are missing: `apt-get update`, then `apt-get
 * install`, quietly, with the outcome judged by the caller's own test of what is missing (a package
 * manager that exits 0 may still leave a command absent).
 */
import { spawnSync } from 'node:child_process';

export interface AptOutcome {
  /** What the caller's test still finds missing afterwards (empty: installed). */
  readonly still: string[];
  /** Why, in words, when something is still missing. */
  readonly why: string;
}

/** Runs apt-get for `packages` when `missing()` names anything; says so first. */
export function aptInstall(packages: readonly string[], missing: () => string[], say: (line: string) => void): AptOutcome {
  const absent = missing();
  if (absent.length === 0) return { still: [], why: '' };
  say(`missing: ${absent.join(', ')}; installing ${packages.join(' ')} with apt-get (apt-get update first)`);
  const run = (args: string[]) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const update = run(['update', '-qq']);
  const install = update.status === 0 ? run(['install', '-y', '-qq', ...packages]) : update;
  return { still: missing(), why: install.error ? `apt-get could not run (${install.error.message})` : `apt-get exited ${install.status}` };
}
