/**
 * "POR preserves verdicts" is refutable: each deliberately unsound variant (one POR condition
 * dropped) misses a violation that the full search and the sound reduction both find.
 */
import { describe, expect, it } from 'vitest';
import { type CheckOptions, type PorUnsoundVariant, check } from 'alice';
import { lateMessage, spinner, twoFlags } from './por-models.js';

const cases: { variant: PorUnsoundVariant; condition: string; model: typeof spinner; property: string }[] = [
  { variant: 'no-cycle-proviso', condition: 'C3, the cycle proviso', model: spinner, property: 'neverGone' },
  { variant: 'no-visibility', condition: 'C2, invisibility', model: twoFlags, property: 'notOnlyN2' },
  { variant: 'no-senders', condition: "C1's check that no other node may send to the ample node", model: lateMessage, property: 'neverBad' },
];

const statusOf = (model: typeof spinner, property: string, o: Partial<CheckOptions>) => check(model, { maxStates: 0, timeLimitSec: 0, ...o }).verdicts.find((v) => v.property === property)?.status;

describe('each condition of POR is needed', () => {
  for (const c of cases) {
    for (const strategy of ['bfs', 'dfs'] as const) {
      it(`without ${c.condition}, ${strategy} misses the violation of ${c.property} that the full and the sound reduced search find`, () => {
        expect(statusOf(c.model, c.property, { strategy })).toBe('violated');
        expect(statusOf(c.model, c.property, { strategy, por: true })).toBe('violated');
        expect(statusOf(c.model, c.property, { strategy, por: true, porUnsound: c.variant })).toBe('holds');
      });
    }
  }

  it('says in its statistics when a run used an unsound variant', () => {
    const r = check(spinner, { por: true, porUnsound: 'no-cycle-proviso' });
    expect(r.stats.por?.unsound).toBe('no-cycle-proviso');
  });
});
