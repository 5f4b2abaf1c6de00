import { describe, expect, it } from 'vitest';
import { type Claim, MAX_INCARNATION, overrides, refutationIncarnation, retransmitLimit, suspicionTimeout } from '../../spec/swim.js';

const c = (status: Claim['status'], incarnation: number): Claim => ({ status, incarnation });

describe('SWIM precedence (spec/swim.ts overrides)', () => {
  it('alive(i) overrides alive(j) only when i > j', () => {
    expect(overrides(c('alive', 2), c('alive', 1))).toBe(true);
    expect(overrides(c('alive', 1), c('alive', 1))).toBe(false);
  });
  it('alive(i) overrides suspect(j) only when i > j', () => {
    expect(overrides(c('alive', 2), c('suspect', 1))).toBe(true);
    expect(overrides(c('alive', 1), c('suspect', 1))).toBe(false);
  });
  it('alive(i) resurrects dead(j) or left(j) only with a higher incarnation', () => {
    expect(overrides(c('alive', 1), c('dead', 1))).toBe(false);
    expect(overrides(c('alive', 2), c('dead', 1))).toBe(true);
    expect(overrides(c('alive', 1), c('left', 1))).toBe(false);
    expect(overrides(c('alive', 2), c('left', 1))).toBe(true);
  });
  it('suspect(i) overrides alive(j) only when i = j (the incarnation the member announced)', () => {
    expect(overrides(c('suspect', 1), c('alive', 1))).toBe(true);
    expect(overrides(c('suspect', 0), c('alive', 1))).toBe(false);
    expect(overrides(c('suspect', 2), c('alive', 1))).toBe(false);
  });
  it('suspect never overrides suspect (the same incarnation is a confirmation, a higher one was never announced)', () => {
    expect(overrides(c('suspect', 2), c('suspect', 1))).toBe(false);
    expect(overrides(c('suspect', 1), c('suspect', 1))).toBe(false);
  });
  it('suspect never overrides dead or left', () => {
    expect(overrides(c('suspect', 5), c('dead', 1))).toBe(false);
    expect(overrides(c('suspect', 5), c('left', 1))).toBe(false);
  });
  it('dead(i) overrides alive(j) and suspect(j) only when i = j', () => {
    expect(overrides(c('dead', 1), c('alive', 1))).toBe(true);
    expect(overrides(c('dead', 1), c('suspect', 1))).toBe(true);
    expect(overrides(c('dead', 0), c('alive', 1))).toBe(false);
    expect(overrides(c('dead', 2), c('alive', 1))).toBe(false);
  });
  it('dead never overrides dead or left', () => {
    expect(overrides(c('dead', 3), c('dead', 1))).toBe(false);
    expect(overrides(c('dead', 3), c('left', 1))).toBe(false);
  });
  it('left(i) overrides alive, suspect and dead only at i = j, never left', () => {
    expect(overrides(c('left', 1), c('alive', 1))).toBe(true);
    expect(overrides(c('left', 1), c('suspect', 1))).toBe(true);
    expect(overrides(c('left', 1), c('dead', 1))).toBe(true);
    expect(overrides(c('left', 0), c('alive', 1))).toBe(false);
    expect(overrides(c('left', 2), c('alive', 1))).toBe(false);
    expect(overrides(c('left', 2), c('left', 1))).toBe(false);
  });
  it('no claim above MAX_INCARNATION overrides, and no accusation at it (it could not be refuted)', () => {
    expect(overrides(c('alive', MAX_INCARNATION + 1), c('alive', 1))).toBe(false);
    expect(overrides(c('alive', MAX_INCARNATION), c('alive', 1))).toBe(true);
    expect(overrides(c('dead', MAX_INCARNATION), c('alive', MAX_INCARNATION))).toBe(false);
    expect(overrides(c('suspect', MAX_INCARNATION), c('alive', MAX_INCARNATION))).toBe(false);
  });
  it('every accusation a member can be made to accept has a refutation in range', () => {
    expect(refutationIncarnation(MAX_INCARNATION - 1, c('dead', MAX_INCARNATION - 1))).toBe(MAX_INCARNATION);
    expect(refutationIncarnation(3, c('alive', Number.MAX_SAFE_INTEGER))).toBeUndefined();
    expect(refutationIncarnation(3, c('alive', MAX_INCARNATION))).toBe(MAX_INCARNATION);
  });
  it('an unknown member is learnt only from an alive claim', () => {
    expect(overrides(c('alive', 0), undefined)).toBe(true);
    expect(overrides(c('suspect', 0), undefined)).toBe(false);
    expect(overrides(c('dead', 0), undefined)).toBe(false);
  });
  it('a node refutes suspicion or death at or above its incarnation with one higher', () => {
    expect(refutationIncarnation(3, c('suspect', 3))).toBe(4);
    expect(refutationIncarnation(3, c('dead', 5))).toBe(6);
    expect(refutationIncarnation(3, c('suspect', 2))).toBeUndefined();
  });
  it('a node moves past an alive record of itself from a previous life', () => {
    expect(refutationIncarnation(0, c('alive', 4))).toBe(5);
    expect(refutationIncarnation(4, c('alive', 4))).toBeUndefined();
  });
  it('the retransmit limit is λ·⌈log10(n+1)⌉', () => {
    expect(retransmitLimit(4, 5)).toBe(4);
    expect(retransmitLimit(4, 99)).toBe(8);
    expect(retransmitLimit(4, 100)).toBe(12);
  });
  it('the Lifeguard suspicion timeout falls from max to min as confirmations arrive', () => {
    expect(suspicionTimeout(1000, 6000, 0, 3)).toBe(6000);
    expect(suspicionTimeout(1000, 6000, 3, 3)).toBe(1000);
    const mid = suspicionTimeout(1000, 6000, 1, 3);
    expect(mid).toBeLessThan(6000);
    expect(mid).toBeGreaterThan(1000);
  });
});
