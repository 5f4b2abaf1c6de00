/**
 * `npm start` must leave the git tree clean: its default outputs go to folders git ignores, and the
 * committed report is written only by the publishing script, which refuses a dirty tree.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPORT_DIR, DEFAULT_RESULTS, PUBLISHED_REPORT_DIR, PUBLISHED_RESULTS } from '../../cli/commands/bench.js';
import { tempDir } from '../fixtures/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const ignored = (path: string): boolean => spawnSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: ROOT }).status === 0;
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('npm start', () => {
  it('writes its results where git ignores them', () => {
    expect(ignored(DEFAULT_RESULTS)).toBe(true);
  });

  it('writes its report and charts where git ignores them', () => {
    expect(ignored(join(DEFAULT_REPORT_DIR, 'decision.md'))).toBe(true);
    expect(ignored(join(DEFAULT_REPORT_DIR, 'charts', 'routing-crash-vs-n.svg'))).toBe(true);
  });

  it('uses those defaults: it names no output path and does not publish', () => {
    expect(scripts.start).toMatch(/bench --default$/);
  });
});

describe('npm run report:publish', () => {
  it('writes the committed report and results, which git does not ignore', () => {
    expect(scripts['report:publish']).toMatch(/bench --default --publish$/);
    expect(ignored(PUBLISHED_RESULTS)).toBe(false);
    expect(ignored(join(PUBLISHED_REPORT_DIR, 'decision.md'))).toBe(false);
  });

  it('refuses a tree with uncommitted changes, before running anything, with exit 2', () => {
    const dir = tempDir('alice-publish-');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir });
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'start');
    writeFileSync(join(dir, 'uncommitted.txt'), 'x');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/alice.js'), 'bench', '--default', '--publish'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/uncommitted changes: commit or stash them first/);
  });

  it('refuses a directory with no commit to name', () => {
    const dir = tempDir('alice-publish-');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/alice.js'), 'bench', '--default', '--publish'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not in a git checkout with a commit/);
  });

  it('is refused without --default', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/alice.js'), 'bench', '--publish', '--sizes', '4'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/use it with --default/);
  });
});
