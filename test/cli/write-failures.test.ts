/**
 * Every output the CLI writes fails cleanly: exit 2, a message naming the path and the cause, no
 * temp file left beside the target, and `alice check --out` refuses a bad path before it searches.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../cli/files.js';
import { tempDir } from '../fixtures/temp-dir.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });

function dirWithFile(): { dir: string; file: string } {
  const dir = tempDir('alice-write-');
  const file = join(dir, 'plain');
  writeFileSync(file, 'x');
  return { dir, file };
}

describe('CLI write failures', () => {
  it('alice check --out under a file exits 2 naming the path and the cause, before searching, leaving no temp file', () => {
    const { dir, file } = dirWithFile();
    const r = cli('check', 'majority', '--nodes', '2', '--out', join(file, 't.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(file, 't.json'));
    expect(r.stderr).toMatch(/not a directory/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('alice report --out into a file path exits 2 naming the path and the cause', () => {
    const { file } = dirWithFile();
    const r = cli('report', '--results', 'test/fixtures/does-not-matter.json', '--out', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/not a directory/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a full disk while writing leaves no temp file and names the path and ENOSPC', () => {
    const dir = tempDir('alice-full-');
    const target = join(dir, 't.json');
    const full = (path: string) => {
      writeFileSync(path, 'partial');
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC' });
    };
    expect(() => writeFileAtomic(target, 'text', { write: full })).toThrow(/t\.json.*ENOSPC|ENOSPC.*t\.json/);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });
});
