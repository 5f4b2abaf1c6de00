import { describe, expect, it } from 'vitest';
import { SWIM_TIMERS, type SwimTimer, parseSwimTimer, swimTimerName } from '../../spec/swim.js';

describe('SWIM timer names', () => {
  const examples: SwimTimer[] = [
    { kind: 'probe' }, { kind: 'gossip' }, { kind: 'pushPull' }, { kind: 'reconnect' }, { kind: 'join' }, { kind: 'metadata' },
    { kind: 'ackTimeout', seq: 7 }, { kind: 'probeEnd', seq: 0 }, { kind: 'relay', seq: 12 },
    { kind: 'suspicion', member: 'n3' }, { kind: 'reap', member: 'node:with:colons' },
  ];

  it('every timer reads back as the timer it was armed as', () => {
    for (const t of examples) expect(parseSwimTimer(swimTimerName(t))).toEqual(t);
  });

  it('every timer the spec names is one the union covers', () => {
    expect(new Set(examples.map((t) => t.kind))).toEqual(new Set(Object.values(SWIM_TIMERS)));
  });

  it('a name no core arms is refused, not guessed', () => {
    for (const bad of ['', 'probe:3', 'ackTimeout', 'ackTimeout:x', 'ackTimeout:-1', 'suspicion', 'healthRound', 'gossip:']) {
      expect(parseSwimTimer(bad), bad).toBeUndefined();
    }
  });
});
