/**
 * POR keeps verdicts on every mutation in mutations/: each spec mutant (a bug in the rules the models
 * share, mutations/spec-list.ts) is applied to a copy of the project, as `npm run mutation` does, and
 * its protocols are checked there with and without POR at a small depth: the same verdicts, never more
 * states. The impl mutants (mutations/list.ts) change impl/ only, which no model imports, so the
 * checker's search is the same with or without them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTATIONS } from '../../mutations/list.js';
import { applyMutation } from '../../mutations/run.js';
import { SPEC_MUTATIONS } from '../../mutations/spec-list.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The protocols that exercise each suite's rules (the variants run the timeout, reaping and merge rules). */
const PROTOCOLS: Record<string, string[]> = { swim: ['swim', 'swim-lifeguard', 'swim-reap', 'swim-pushpull'], majority: ['majority', 'majority-finite'] };
const DEPTH = 3;

interface Run {
  readonly protocol: string;
  readonly full: { distinct: number; verdicts: string[] };
  readonly por: { distinct: number; verdicts: string[] };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'alice-por-mutants-'));
  cpSync(ROOT, dir, { recursive: true, filter: (src) => !/[/\\](node_modules|\.git|dist)$/.test(src) });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every spec mutant: the same safety verdicts with and without POR', () => {
  for (const m of SPEC_MUTATIONS) {
    it(m.id, () => {
      const file = join(dir, m.file);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, applyMutation(original, m));
      try {
        const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/checker/por-mutant-run.ts', String(DEPTH), ...PROTOCOLS[m.suite]], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
        expect(r.status, r.stderr).toBe(0);
        for (const run of JSON.parse(r.stdout) as Run[]) {
          expect(run.por.verdicts, run.protocol).toEqual(run.full.verdicts);
          expect(run.por.distinct).toBeLessThanOrEqual(run.full.distinct);
        }
      } finally {
        writeFileSync(file, original);
      }
    }, 120_000);
  }
});

describe('the impl mutants cannot change a check', () => {
  it('each changes a file under impl/, and no model or checker file imports impl/', () => {
    for (const m of MUTATIONS) expect(m.file.startsWith('impl/'), m.id).toBe(true);
    const sources = (d: string): string[] => readdirSync(join(ROOT, d), { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
    for (const f of [...sources('model'), ...sources('checker'), ...sources('spec')]) expect(readFileSync(f, 'utf8'), f).not.toMatch(/from '(\.\.\/)+impl\//);
  });
});
