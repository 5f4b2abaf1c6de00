/**
 * What the report says about the rules' own history in git: the commit that last changed rules.ts,
 * and whether each run's commit is at or after it. Read at the edge (git is a process), passed to the
 * facts layer as data so facts stay pure and tests can feed any history.
 */
import { execFileSync } from 'node:child_process';

export interface RuleCommit {
  readonly commit: string;
  readonly date: string;
}

export interface RepoHistory {
  /** The commit that last changed experiment/rules.ts; null outside git or before it was committed. */
  readonly ruleCommit: RuleCommit | null;
  /** Whether `commit` is the rule commit or a descendant of it; null when git cannot tell. */
  atOrAfterRules(commit: string): boolean | null;
}

export const RULES_PATH = 'experiment/rules.ts';

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function repoHistory(root: string): RepoHistory {
  const line = git(root, ['log', '-1', '--format=%H %cI', '--', RULES_PATH]);
  const [commit, date] = line ? line.split(' ') : [];
  const ruleCommit = commit ? { commit, date } : null;
  const memo = new Map<string, boolean | null>();
  return {
    ruleCommit,
    atOrAfterRules(c: string): boolean | null {
      if (!ruleCommit) return null;
      if (!memo.has(c)) {
        let v: boolean | null;
        try {
          execFileSync('git', ['merge-base', '--is-ancestor', ruleCommit.commit, c], { cwd: root, stdio: 'ignore' });
          v = true;
        } catch (e) {
          // Exit 1: not an ancestor; anything else (unknown commit): git cannot tell.
          v = (e as { status?: number }).status === 1 ? false : null;
        }
        memo.set(c, v);
      }
      return memo.get(c)!;
    },
  };
}
