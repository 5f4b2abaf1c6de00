/**
 * The mutation list stays applicable to the current implementations, and the runner kills a mutant
 * end to end (the full score is `npm run mutation`, outside `npm test`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MUTATIONS } from '../../mutations/list.js';
import { applyMutation } from '../../mutations/run.js';
import { SPEC_MUTATIONS } from '../../mutations/spec-list.js';

describe('the mutation check', () => {
  it('lists at least eight deliberate bugs, each with a distinct id', () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(MUTATIONS.map((m) => m.id)).size).toBe(MUTATIONS.length);
  });

  // Spec mutants too: a rule rewritten under them (spec/swim.ts overrides) left nine silently stale.
  it.each([...MUTATIONS, ...SPEC_MUTATIONS].map((m) => [m.id, m] as const))('%s still applies to exactly one place and changes it', (_id, m) => {
    const source = readFileSync(m.file, 'utf8');
    const mutated = applyMutation(source, m);
    expect(mutated).not.toBe(source);
    expect(mutated.length - source.length).toBe(m.replace.length - m.find.length);
  });

  it('refuses, naming the mutation, a patch whose text is gone', () => {
    expect(() => applyMutation('nothing here', MUTATIONS[0])).toThrow(`mutation ${MUTATIONS[0].id} no longer applies`);
  });

  it('refuses an ambiguous patch', () => {
    const m = MUTATIONS[0];
    expect(() => applyMutation(`${m.find}\n${m.find}`, m)).toThrow('ambiguous');
  });

  it('kills a mutant end to end in a temporary copy, leaving the source tree untouched', () => {
    const m = MUTATIONS.find((x) => x.id === 'majority-threshold-off-by-one');
    if (!m) throw new Error('the threshold mutation is missing from the list');
    const before = readFileSync(m.file, 'utf8');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'mutations/run.ts', m.id], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toContain('mutation score: 1/1 killed');
    expect(r.status).toBe(0);
    expect(readFileSync(m.file, 'utf8')).toBe(before);
  });
});
