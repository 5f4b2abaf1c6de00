/**
 * SWIM's own properties (spec/swim-properties.ts) are refutable: each rejects an observation that
 * breaks it, accepts one that does not, and a deliberately broken core (one that accepts its own
 * death) is caught.
 */
import { describe, expect, it } from 'vitest';
import { SWIM_LAN, type SwimState, swimCluster, swimCore } from '../../impl/swim/index.js';
import { putMember } from '../../impl/swim/membership.js';
import { makeNodeInfo } from '../../spec/node.js';
import type { Observation } from '../../spec/properties.js';
import type { Input, NodeBehaviour, StepResult } from '../../spec/step.js';
import { incarnationMonotonic, noResurrection, noSelfDeath } from '../../spec/swim-properties.js';
import type { SwimMessage } from '../../spec/swim.js';
import type { MemberStatus } from '../../spec/view.js';

const info = (id: string) => makeNodeInfo(id, `10.0.0.${id.slice(1)}:8080`, 9090, 'backend', 0);

/** n1's view holding n2 at (status, version); both up; n2 announced versions 0..3. */
function obs(status: MemberStatus, version: number, n1Self: MemberStatus = 'alive'): Observation {
  const v = (self: string, members: Record<string, { status: MemberStatus; version: number }>) => ({
    self,
    members: Object.fromEntries(Object.entries(members).map(([id, m]) => [id, { ...m, info: info(id) }])),
  });
  return {
    views: { n1: v('n1', { n1: { status: n1Self, version: 0 }, n2: { status, version } }), n2: v('n2', { n2: { status: 'alive', version: 3 } }) },
    up: { n1: true, n2: true },
    announced: { n1: [{ info: info('n1'), version: 0 }], n2: [0, 1, 2, 3].map((version) => ({ info: info('n2'), version })) },
  };
}

describe('incarnationMonotonic', () => {
  it('is violated when an observer lowers a member incarnation', () => {
    expect(incarnationMonotonic.check(obs('alive', 1), obs('alive', 2))).not.toBeNull();
  });
  it('holds when the incarnation stays or rises', () => {
    expect(incarnationMonotonic.check(obs('suspect', 2), obs('alive', 2))).toBeNull();
  });
  it('does not compare across an observer restart', () => {
    const before = { ...obs('alive', 2), up: { n1: false, n2: true } };
    expect(incarnationMonotonic.check(obs('alive', 0), before)).toBeNull();
  });
});

describe('noSelfDeath', () => {
  it('is violated when a live node holds itself dead', () => {
    expect(noSelfDeath.check(obs('alive', 0, 'dead'))).not.toBeNull();
  });
  it('is violated when a live node holds itself suspect', () => {
    expect(noSelfDeath.check(obs('alive', 0, 'suspect'))).not.toBeNull();
  });
  it('holds for a node that left', () => {
    expect(noSelfDeath.check(obs('alive', 0, 'left'))).toBeNull();
  });
});

describe('noResurrection', () => {
  it('is violated when a dead member comes back at the same incarnation', () => {
    expect(noResurrection.check(obs('alive', 1), obs('dead', 1))).not.toBeNull();
  });
  it('is violated when a left member comes back at an incarnation it never announced', () => {
    expect(noResurrection.check(obs('alive', 7), obs('left', 1))).not.toBeNull();
  });
  it("holds when the member's own higher incarnation brings it back", () => {
    expect(noResurrection.check(obs('alive', 2), obs('dead', 1))).toBeNull();
  });
});

/** A deliberately broken core: it accepts a claim of its own death instead of refuting it. */
const acceptsOwnDeath: NodeBehaviour<SwimState, SwimMessage, unknown> = {
  ...swimCore,
  step(state: SwimState, input: Input<SwimMessage>): StepResult<SwimState, SwimMessage> {
    const r = swimCore.step(state, input);
    if (input.type !== 'receive' || input.message.kind !== 'gossip') return r;
    const death = input.message.updates.find((u) => u.kind === 'dead' && u.member === state.id);
    if (!death) return r;
    const self = { id: state.id, status: 'dead' as const, incarnation: death.incarnation, info: state.info, health: state.health, since: input.now };
    return { ...r, state: { ...r.state, table: putMember(r.state.table, self) } };
  },
};

describe('the broken variant is refuted', () => {
  const claim: Input<SwimMessage> = { type: 'receive', from: 'n2', now: 10, message: { kind: 'gossip', updates: [{ kind: 'dead', member: 'n1', incarnation: 0, from: 'n2' }] } };
  const observeOne = (b: NodeBehaviour<SwimState, SwimMessage, unknown>): Observation => {
    const s = b.step(b.init(swimCluster(2, SWIM_LAN)[0]).state, claim).state;
    return { views: { n1: b.view(s) }, up: { n1: true }, announced: { n1: [] } };
  };
  it('noSelfDeath catches a node that accepts its own death', () => {
    expect(noSelfDeath.check(observeOne(acceptsOwnDeath))).toMatchObject({ property: 'noSelfDeath', node: 'n1' });
  });
  it('the real core refutes the same claim', () => {
    expect(noSelfDeath.check(observeOne(swimCore))).toBeNull();
  });
});
