/**
 * The roadmap's facts about Inferno's code (experiment/facts/inferno-code.ts), re-read from a local
 * git mirror of lucky-tensor/inferno at the commit they name. Skipped where no mirror exists (set
 * INFERNO_REPO to a clone's git dir to run them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASELINE_CODE, INFERNO_BASELINE_COMMIT, INFERNO_COMMIT, INFERNO_SWIM_COMMIT, STILL_CALLED, SWIM_FILES, SWIM_STUBS, SWIM_UDP, UNCALLED } from '../../experiment/facts/inferno-code.js';

const REPO = process.env.INFERNO_REPO ?? '/work/.mirror/lucky-tensor+inferno/repo';
const show = (path: string, commit = INFERNO_COMMIT): string => execFileSync('git', ['-C', REPO, 'show', `${commit}:${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 });

describe.skipIf(!existsSync(REPO))("Inferno's code as the roadmap states it", () => {
  it('has the swim*.rs files with the line counts given', () => {
    const listed = execFileSync('git', ['-C', REPO, 'ls-tree', '--name-only', `${INFERNO_COMMIT}`, 'crates/shared/src/service_discovery/'], { encoding: 'utf8' })
      .split('\n')
      .filter((p) => /\/swim[^/]*\.rs$/.test(p));
    expect(listed.sort()).toEqual(SWIM_FILES.map((f) => f.path).sort());
    for (const f of SWIM_FILES) expect(show(f.path).split('\n').length - 1, f.path).toBe(f.lines);
  });

  it('still carries each stub at the line given', () => {
    for (const s of SWIM_STUBS) expect(show(s.path).split('\n')[s.line - 1], `${s.path}:${s.line}`).toContain(s.text);
  });

  it('has the proxy and backend call what the roadmap says they call', () => {
    for (const c of STILL_CALLED) expect(show(c.path), c.path).toContain(c.text);
  });

  it('never builds a SwimCluster from the proxy or the backend', () => {
    for (const c of STILL_CALLED) expect(show(c.path)).not.toContain('SwimCluster');
  });

  it('binds a UDP socket for SWIM', () => {
    expect(show(SWIM_UDP.path)).toContain(SWIM_UDP.text);
  });

  it('added the SWIM files in the commit named as Inferno’s SWIM change', () => {
    const added = execFileSync('git', ['-C', REPO, 'show', '--name-status', '--format=', INFERNO_SWIM_COMMIT], { encoding: 'utf8' });
    for (const f of SWIM_FILES) expect(added).toMatch(new RegExp(`^A\\s+${f.path.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('states every fact inferno-current models, before the SWIM change and at the head', () => {
    for (const commit of [INFERNO_BASELINE_COMMIT, INFERNO_COMMIT]) for (const f of BASELINE_CODE) expect(show(f.path, commit), `${commit.slice(0, 7)}:${f.path}`).toContain(f.text);
  });

  it('calls the library health loop, the update broadcast, the retry queue and the resolver only from tests or the library itself', () => {
    for (const commit of [INFERNO_BASELINE_COMMIT, INFERNO_COMMIT]) {
      for (const name of UNCALLED) {
        let out = '';
        try {
          out = execFileSync('git', ['-C', REPO, 'grep', '-n', '-F', name, commit, '--', 'crates'], { encoding: 'utf8', maxBuffer: 1 << 26 });
        } catch {
          out = ''; // git grep exits 1 when nothing matches
        }
        const callers = out.split('\n').filter((l) => l && !/\/tests?\/|_tests?\.rs|\/benches\/|service_discovery\/|pub async fn |pub fn |\/\/[\/!]/.test(l));
        expect(callers, `${commit.slice(0, 7)} ${name}`).toEqual([]);
      }
    }
  });
});
