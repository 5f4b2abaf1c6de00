/**
 * The SWIM rule properties (spec/swim-properties.ts) that read the step and the timers are refutable:
 * each rejects an observation that breaks its rule and accepts one that keeps it. End to end, each
 * kills a spec mutant of the rule it states (docs/checker-verdicts.md, `npm run mutation -- spec`).
 */
import { describe, expect, it } from 'vitest';
import { makeNodeInfo } from '../../spec/node.js';
import type { ArmedTimer, Observation } from '../../spec/properties.js';
import type { Input } from '../../spec/step.js';
import {
  accusationsTakeHold,
  boundedDissemination,
  failedProbeSuspects,
  leaveIsFinal,
  reapDeadlineFixed,
  refutation,
  suspicionTimeoutFalls,
  suspicionTimeoutKills,
  tableMergesNoDeath,
} from '../../spec/swim-properties.js';
import type { MemberUpdate, SwimMessage } from '../../spec/swim.js';
import type { MemberStatus } from '../../spec/view.js';

const info = (id: string) => makeNodeInfo(id, `10.0.0.${id.slice(1)}:8080`, 9090, 'backend', 0);
type Held = Record<string, [MemberStatus, number]>;

/** n1 holding `n1Held` (its own record included), n2 and n3 up; the step and n1's timers optional. */
function obs(n1Held: Held, extra: { step?: Input<unknown>; timers?: ArmedTimer[]; clock?: number } = {}): Observation {
  const members = Object.fromEntries(Object.entries(n1Held).map(([id, [status, version]]) => [id, { status, version, info: info(id) }]));
  const self = (id: string) => ({ self: id, members: { [id]: { status: 'alive' as const, version: 0, info: info(id) } } });
  return {
    views: { n1: { self: 'n1', members }, n2: self('n2'), n3: self('n3') },
    up: { n1: true, n2: true, n3: true },
    announced: { n1: [{ info: info('n1'), version: 0 }], n2: [{ info: info('n2'), version: 0 }], n3: [{ info: info('n3'), version: 0 }] },
    ...(extra.step ? { step: { node: 'n1', input: extra.step } } : {}),
    clock: extra.clock ?? 0,
    timers: () => extra.timers ?? [],
  };
}
const gossip = (from: string, ...updates: MemberUpdate[]): Input<SwimMessage> => ({ type: 'receive', from, message: { kind: 'gossip', updates }, now: 0 });
const suspect = (member: string, incarnation: number, from = 'n2'): MemberUpdate => ({ kind: 'suspect', member, incarnation, from });
const dead = (member: string, incarnation: number, from = 'n2'): MemberUpdate => ({ kind: 'dead', member, incarnation, from });
const timer = (name: string): Input<SwimMessage> => ({ type: 'timer', timer: name, now: 0 });

describe('refutation', () => {
  const before = obs({ n1: ['alive', 1] });
  it('is violated when a node hears its suspicion at its incarnation and does not move above it', () => {
    expect(refutation.check(obs({ n1: ['alive', 1] }, { step: gossip('n2', suspect('n1', 1)) }), before)).not.toBeNull();
    expect(refutation.check(obs({ n1: ['alive', 1] }, { step: gossip('n2', dead('n1', 2)) }), before)).not.toBeNull();
  });
  it('holds when it refutes above the claim, or the claim is stale', () => {
    expect(refutation.check(obs({ n1: ['alive', 2] }, { step: gossip('n2', suspect('n1', 1)) }), before)).toBeNull();
    expect(refutation.check(obs({ n1: ['alive', 1] }, { step: gossip('n2', suspect('n1', 0)) }), before)).toBeNull();
  });
});

describe('accusationsTakeHold', () => {
  it('is violated when a suspicion at the held incarnation leaves the member alive', () => {
    expect(accusationsTakeHold.check(obs({ n1: ['alive', 0], n3: ['alive', 0] }, { step: gossip('n2', suspect('n3', 0)) }), obs({ n1: ['alive', 0], n3: ['alive', 0] }))).not.toBeNull();
  });
  it('is violated when a gossiped death leaves the member suspect', () => {
    expect(accusationsTakeHold.check(obs({ n1: ['alive', 0], n3: ['suspect', 0] }, { step: gossip('n2', dead('n3', 0)) }), obs({ n1: ['alive', 0], n3: ['suspect', 0] }))).not.toBeNull();
  });
  it('holds when the accusation takes hold, or cites another incarnation', () => {
    expect(accusationsTakeHold.check(obs({ n1: ['alive', 0], n3: ['suspect', 0] }, { step: gossip('n2', suspect('n3', 0)) }), obs({ n1: ['alive', 0], n3: ['alive', 0] }))).toBeNull();
    expect(accusationsTakeHold.check(obs({ n1: ['alive', 0], n3: ['alive', 1] }, { step: gossip('n2', suspect('n3', 0)) }), obs({ n1: ['alive', 0], n3: ['alive', 1] }))).toBeNull();
  });
});

describe('tableMergesNoDeath', () => {
  const sync = (status: MemberStatus): Input<SwimMessage> => ({
    type: 'receive',
    from: 'n2',
    message: { kind: 'sync', members: [{ member: 'n3', status, incarnation: 0, info: info('n3'), health: { ready: true, loadBucket: 0 } }] },
    now: 0,
  });
  it('is violated when a merged table declares a member dead', () => {
    expect(tableMergesNoDeath.check(obs({ n1: ['alive', 0], n3: ['dead', 0] }, { step: sync('dead') }), obs({ n1: ['alive', 0], n3: ['alive', 0] }))).not.toBeNull();
  });
  it('holds when the death comes in as a suspicion', () => {
    expect(tableMergesNoDeath.check(obs({ n1: ['alive', 0], n3: ['suspect', 0] }, { step: sync('dead') }), obs({ n1: ['alive', 0], n3: ['alive', 0] }))).toBeNull();
  });
});

describe('leaveIsFinal', () => {
  it('is violated when a leave turns into a death at the same incarnation', () => {
    expect(leaveIsFinal.check(obs({ n1: ['alive', 0], n3: ['dead', 0] }), obs({ n1: ['alive', 0], n3: ['left', 0] }))).not.toBeNull();
  });
  it('holds when the member comes back above it', () => {
    expect(leaveIsFinal.check(obs({ n1: ['alive', 0], n3: ['alive', 1] }), obs({ n1: ['alive', 0], n3: ['left', 0] }))).toBeNull();
  });
});

describe('failedProbeSuspects and suspicionTimeoutKills', () => {
  it('a probe period that ends with every member still alive is a violation', () => {
    expect(failedProbeSuspects.check(obs({ n1: ['alive', 0], n3: ['alive', 0] }, { step: timer('probeEnd:1') }), obs({ n1: ['alive', 0], n3: ['alive', 0] }))).not.toBeNull();
    expect(failedProbeSuspects.check(obs({ n1: ['alive', 0], n3: ['suspect', 0] }, { step: timer('probeEnd:1') }), obs({ n1: ['alive', 0], n3: ['alive', 0] }))).toBeNull();
  });
  it('a suspicion that times out and stays a suspicion is a violation', () => {
    expect(suspicionTimeoutKills.check(obs({ n1: ['alive', 0], n3: ['suspect', 0] }, { step: timer('suspicion:n3') }), obs({ n1: ['alive', 0], n3: ['suspect', 0] }))).not.toBeNull();
    expect(suspicionTimeoutKills.check(obs({ n1: ['alive', 0], n3: ['dead', 0] }, { step: timer('suspicion:n3') }), obs({ n1: ['alive', 0], n3: ['suspect', 0] }))).toBeNull();
  });
});

describe('suspicionTimeoutFalls and reapDeadlineFixed', () => {
  const held: Held = { n1: ['alive', 0], n3: ['suspect', 0] };
  const at = (deadline: number, step?: Input<unknown>) => obs(held, { timers: [{ timer: 'suspicion:n3', deadline }], clock: 100, step });
  it('a suspicion deadline that moves later is a violation', () => {
    expect(suspicionTimeoutFalls.check(at(3000, gossip('n2', suspect('n3', 0))), at(2000))).not.toBeNull();
  });
  it('a deadline that falls on hearing only its own suspicion echoed back is a violation; on another suspecter it holds', () => {
    expect(suspicionTimeoutFalls.check(at(1500, gossip('n2', suspect('n3', 0, 'n1'))), at(2000))).not.toBeNull();
    expect(suspicionTimeoutFalls.check(at(1500, gossip('n2', suspect('n3', 0, 'n2'))), at(2000))).toBeNull();
  });
  it('a reap that hearing the same leave again postpones is a violation', () => {
    const left = (deadline: number) => obs({ n1: ['alive', 0], n3: ['left', 0] }, { timers: [{ timer: 'reap:n3', deadline }], clock: 100 });
    expect(reapDeadlineFixed.check(left(3100), left(3000))).not.toBeNull();
    expect(reapDeadlineFixed.check(left(3000), left(3000))).toBeNull();
  });
});

describe('boundedDissemination', () => {
  const moved = { ...info('n2'), address: '10.1.0.2:8080', lastUpdated: 1000 };
  /** n2 updated its NodeInfo at 1000 ms (incarnation 1); n1 holds n2 at `held`; the clock reads `clock`. */
  /** A cluster of two (the property's claim): n1, and n2 holding itself at incarnation 1. */
  const two = (o: Observation, n2History: Observation['announced'][string]): Observation => ({
    ...o,
    views: { n1: o.views.n1, n2: { self: 'n2', members: { n2: { status: 'alive', version: 1, info: moved } } } },
    up: { n1: true, n2: true },
    announced: { n1: o.announced.n1, n2: n2History },
  });
  const at = (clock: number, held: number): Observation =>
    two(obs({ n1: ['alive', 0], n2: ['alive', held] }, { clock }), [{ info: info('n2'), version: 0 }, { info: moved, version: 1 }]);
  const p = boundedDissemination(4500, 1);
  it('is violated when a live member still holds the older incarnation once the bound has passed', () => {
    expect(p.check(at(5500, 0))).not.toBeNull();
  });
  it('holds within the bound, or once the member holds the update', () => {
    expect(p.check(at(5499, 0))).toBeNull();
    expect(p.check(at(9000, 1))).toBeNull();
  });
  it('says nothing of a refutation, which keeps the NodeInfo and its stamp', () => {
    const o = two(obs({ n1: ['alive', 0], n2: ['alive', 0] }, { clock: 9000 }), [{ info: info('n2'), version: 0 }, { info: info('n2'), version: 1 }]);
    expect(p.check(o)).toBeNull();
  });
});
