/**
 * The suspicion timeout follows memberlist's rule (util.go suspicionTimeout, state.go suspectNode).
 * Expected values from memberlist's formula with its LAN defaults (SuspicionMult 4,
 * SuspicionMaxTimeoutMult 6, ProbeInterval 1 s):
 *   min = 4 · max(1, log10(max(1, n))) · 1 s, the scale kept to three decimals; max = 6 · min.
 *   n = 1     → log10 1 = 0 → scale 1          → min 4 s,     max 24 s
 *   n = 2     → log10 2 = 0.301 → scale 1      → min 4 s,     max 24 s
 *   n = 10    → log10 10 = 1 → scale 1         → min 4 s,     max 24 s
 *   n = 50    → log10 50 = 1.69897 → 1.698     → min 6.792 s, max 40.752 s
 *   n = 100   → log10 100 = 2                  → min 8 s,     max 48 s
 *   n = 1,000 → log10 1000 = 3                 → min 12 s,    max 72 s
 * (a Go program printing memberlist's expression gave these same figures.) Confirmations k = 4 − 2 = 2,
 * or 0 when n − 2 < 2.
 */
import { describe, expect, it } from 'vitest';
import { suspicionConfirmations, suspicionMinMs } from '../../spec/swim.js';
import { SWIM_LAN } from '../../impl/swim/config.js';
import { expectedConfirmations, suspicionDeadline, suspicionFloor } from '../../impl/swim/suspicion.js';

const MEMBERLIST_LAN_MIN_MS: readonly (readonly [number, number])[] = [
  [1, 4_000],
  [2, 4_000],
  [10, 4_000],
  [50, 6_792],
  [100, 8_000],
  [1_000, 12_000],
];

describe('suspicion timeout against memberlist', () => {
  it.each(MEMBERLIST_LAN_MIN_MS)('the floor at n = %i is memberlist\'s %i ms', (n, ms) => {
    expect(suspicionMinMs(4, n, 1_000)).toBe(ms);
    expect(suspicionFloor({ ...SWIM_LAN, dogpile: true }, n)).toBe(ms);
  });

  it.each(MEMBERLIST_LAN_MIN_MS)('an unconfirmed suspicion at n = %i lasts SuspicionMaxTimeoutMult × %i ms', (n, ms) => {
    const cfg = { ...SWIM_LAN, dogpile: true };
    const s = { incarnation: 0, start: 0, confirmers: [], firstFrom: 'n2' };
    const expected = expectedConfirmations(cfg, n) === 0 ? ms : ms * 6;
    expect(suspicionDeadline(cfg, n, s)).toBe(expected);
  });

  it('the floor is not rounded up to whole decades (4·⌈log10(n+1)⌉ gave 8 s at n = 10)', () => {
    expect(suspicionMinMs(4, 10, 1_000)).toBeLessThan(suspicionMinMs(4, 11, 1_000));
    expect(suspicionMinMs(4, 10, 1_000)).toBe(4_000);
  });

  it('at a 100 ms probe interval the floor stays in whole ms, never above memberlist\'s 679.2 ms at n = 50', () => {
    expect(suspicionMinMs(4, 50, 100)).toBe(679);
  });

  it('expects mult − 2 confirmations, or none when the cluster cannot supply them', () => {
    expect(suspicionConfirmations(4, 3)).toBe(0);
    expect(suspicionConfirmations(4, 4)).toBe(2);
    expect(suspicionConfirmations(4, 1_000)).toBe(2);
  });

  it('two confirmations bring a suspicion at n = 100 down to the floor', () => {
    const cfg = { ...SWIM_LAN, dogpile: true };
    const s = { incarnation: 0, start: 0, confirmers: ['n3', 'n4'], firstFrom: 'n2' };
    expect(suspicionDeadline(cfg, 100, s)).toBe(8_000);
  });
});
