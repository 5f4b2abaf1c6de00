/**
 * The visited set: a flat table of 64-bit fingerprints that must never forget or invent a state, and
 * must stay within 16 bytes per stored fingerprint once it has grown past its first size.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintSet, fingerprint } from 'alice';
import { RecentFingerprints } from '../../checker/fingerprint.js';

const pairs = (n: number): [number, number][] => {
  const out = new Uint32Array(2);
  return Array.from({ length: n }, (_, i) => {
    fingerprint([i, i * 7, 3], 0, 3, out);
    return [out[0], out[1]];
  });
};

describe('the fingerprint set', () => {
  const items = pairs(200_000);

  it('adds each fingerprint once and finds it afterwards, across growths', () => {
    const set = new FingerprintSet(16);
    // Counted rather than asserted one by one: 200,000 expect() calls would dominate the runtime.
    expect(items.filter(([h, l]) => !set.add(h, l)).length).toBe(0);
    expect(items.filter(([h, l]) => set.add(h, l)).length).toBe(0);
    expect(set.size).toBe(items.length);
    expect(items.filter(([h, l]) => !set.has(h, l)).length).toBe(0);
  });

  it('does not report fingerprints it was never given', () => {
    const set = new FingerprintSet(16);
    for (const [h, l] of items.slice(0, 1000)) set.add(h, l);
    for (const [h, l] of items.slice(1000, 2000)) expect(set.has(h, l)).toBe(false);
  });

  it('stays within 10.7 to 16 bytes per fingerprint at every size past the first growth', () => {
    const set = new FingerprintSet(16);
    let [least, most] = [Infinity, 0];
    items.forEach(([h, l], i) => {
      set.add(h, l);
      if (i > 64) {
        const perState = set.bytes / set.size;
        least = Math.min(least, perState);
        most = Math.max(most, perState);
      }
    });
    expect(most).toBeLessThanOrEqual(16.01);
    expect(least).toBeGreaterThanOrEqual(10.6);
  });
});

describe('the recent-fingerprint cache', () => {
  const items = pairs(50_000);

  it('finds a fingerprint put into it until another one takes its slot', () => {
    const recent = new RecentFingerprints(20);
    for (const [h, l] of items) recent.put(h, l);
    // 50,000 fingerprints in 2^20 slots: most keep their slot, and each that was evicted lost it to a later one.
    const kept = items.filter(([h, l]) => recent.has(h, l)).length;
    expect(kept).toBeGreaterThan(items.length * 0.95);
    const [h, l] = items[items.length - 1];
    expect(recent.has(h, l)).toBe(true);
  });

  it('never reports a fingerprint it was not given (it can only forget, never invent)', () => {
    const recent = new RecentFingerprints(8);
    for (const [h, l] of items.slice(0, 25_000)) recent.put(h, l);
    expect(items.slice(25_000).filter(([h, l]) => recent.has(h, l)).length).toBe(0);
  });
});
