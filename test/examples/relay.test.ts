/**
 * examples/relay through the `alice` command: --por prints the reduced count and its statistics, in
 * the text summary and in --json, and a protocol's eventually properties are refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { alice } from '../cli/run-alice.js';
import { ITEMS } from '../../examples/relay/model.js';

describe('alice check --por', () => {
  const runs = Promise.all([
    alice('check', '--model', 'examples/relay/model.ts', '--quiet', '--por'),
    alice('check', '--model', 'examples/relay/model.ts', '--quiet', '--por', '--json'),
    alice('check', '--model', 'examples/request-ack/model.ts', '--quiet', '--por'),
  ]);

  it('prints the reduced state count and how often an ample set was used', async () => {
    const [r] = await runs;
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`partial-order reduction: ${2 ** (ITEMS + 1) - 1} states in the reduced search \\(run without --por for the full count\\); ample set in \\d+ of \\d+ expanded states`));
  });

  it('--json carries por: { enabled, reducedStates, ... } in the stats', async () => {
    const r = (await runs)[1];
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { stats: { distinct: number; por: { enabled: boolean; reducedStates: number; ample: number } } };
    expect(json.stats.por.enabled).toBe(true);
    expect(json.stats.por.reducedStates).toBe(json.stats.distinct);
    expect(json.stats.por.ample).toBeGreaterThan(0);
  });

  it('refuses a check of eventually properties: exit 2, naming them', async () => {
    const r = (await runs)[2];
    expect(r.code).toBe(2);
    expect(r.out + r.err).toMatch(/--por preserves safety verdicts only.*allApplied/);
  });
});
