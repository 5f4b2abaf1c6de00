/**
 * The majority rule properties (spec/majority-properties.ts) are refutable: each rejects a resolution
 * or an update that breaks its clause of spec/majority.md and accepts one that keeps it, and the
 * resolution clauses accept whatever both resolvers (the model's and Inferno's reproduction in the
 * core) return. End to end, each kills a spec mutant (docs/checker-verdicts.md, `npm run mutation -- spec`).
 */
import { describe, expect, it } from 'vitest';
import { resolveConsensus } from '../../impl/majority/resolver.js';
import { modelResolve } from '../../model/majority/resolve.js';
import { firstSeenBreaksTies, majorityWins, newestWins, staleUpdateIgnored } from '../../spec/majority-properties.js';
import type { MajorityMessage } from '../../spec/majority.js';
import { type PeerInfo, makeNodeInfo, toPeerInfo } from '../../spec/node.js';
import type { Observation, Property } from '../../spec/properties.js';
import { Rng } from '../../spec/prng.js';

/** n1's record at `address` stamped `at` ms, as a reply entry. */
const n1 = (address: string, at: number): PeerInfo => toPeerInfo(makeNodeInfo('n1', address, 9090, 'backend', at));
const OLD = '10.0.0.1:8080';
const NEW = '10.1.0.1:8080';

/** n4 resolved `responses` (each a list of entries) in this order and took `result`. */
function resolved(responses: PeerInfo[][], result: PeerInfo[]): Observation {
  return { views: {}, up: {}, announced: {}, resolutions: [{ node: 'n4', responses, result }] };
}
const verdict = (p: Property, responses: PeerInfo[][], chosen: PeerInfo) => p.check(resolved(responses, [chosen]));

describe('majorityWins', () => {
  const replies = [[n1(NEW, 0)], [n1(OLD, 0)], [n1(OLD, 0)]];
  it('is violated when a minority version is taken over one held by ⌊R/2⌋+1 entries', () => {
    expect(verdict(majorityWins, replies, n1(NEW, 0))).not.toBeNull();
  });
  it('holds when the majority version is taken, or when no version has a majority', () => {
    expect(verdict(majorityWins, replies, n1(OLD, 0))).toBeNull();
    expect(verdict(majorityWins, [[n1(NEW, 0)], [n1(OLD, 0)]], n1(NEW, 0))).toBeNull();
  });
});

describe('newestWins', () => {
  it('is violated when, with no majority, an older entry is taken', () => {
    expect(verdict(newestWins, [[n1(OLD, 0)], [n1(NEW, 1000)]], n1(OLD, 0))).not.toBeNull();
  });
  it('is violated when an older entry of the majority version is taken', () => {
    expect(verdict(newestWins, [[n1(OLD, 0)], [n1(OLD, 2000)], [n1(NEW, 5000)]], n1(OLD, 0))).not.toBeNull();
  });
  it("holds when the majority version's newest entry is taken, though a minority is newer", () => {
    expect(verdict(newestWins, [[n1(OLD, 0)], [n1(OLD, 2000)], [n1(NEW, 5000)]], n1(OLD, 2000))).toBeNull();
  });
});

describe('firstSeenBreaksTies', () => {
  const tie = [[n1(OLD, 0)], [n1(NEW, 0)]];
  it('is violated when a tie goes to a version that arrived later', () => {
    expect(verdict(firstSeenBreaksTies, tie, n1(NEW, 0))).not.toBeNull();
  });
  it('holds when the tie goes to the version whose first entry arrived first, or there is no tie', () => {
    expect(verdict(firstSeenBreaksTies, tie, n1(OLD, 0))).toBeNull();
    expect(verdict(firstSeenBreaksTies, [[n1(OLD, 0)], [n1(NEW, 1000)]], n1(NEW, 1000))).toBeNull();
  });
  it('orders versions by their first entry, not by the first entry at the newest timestamp', () => {
    // NEW arrives first (stamped 0), then OLD and NEW both stamped 1 s: NEW was seen first.
    const replies = [[n1(NEW, 0)], [n1(OLD, 1000)], [n1(NEW, 1000)], [n1(OLD, 0)]];
    expect(verdict(firstSeenBreaksTies, replies, n1(NEW, 1000))).toBeNull();
    expect(verdict(firstSeenBreaksTies, replies, n1(OLD, 1000))).not.toBeNull();
  });
});

describe('the resolution clauses accept what both resolvers return', () => {
  const rng = Rng.seeded(17);
  /** Up to 5 responses, each holding n1 (one of three versions, one of three timestamps) or not. */
  const responses = (): PeerInfo[][] =>
    Array.from({ length: 1 + rng.int(5) }, () => (rng.next() < 0.8 ? [n1(rng.pick([OLD, NEW, '10.2.0.1:8080']), rng.pick([0, 1000, 2000]))] : []));
  const cases = Array.from({ length: 400 }, responses).filter((r) => r.flat().length > 0);
  for (const [name, resolve] of [
    ['the model', modelResolve],
    ['the core', (r: PeerInfo[][]) => resolveConsensus(r).peers],
  ] as const) {
    it(`${name}`, () => {
      for (const r of cases) {
        const obs = resolved(r, resolve(r));
        for (const p of [majorityWins, newestWins, firstSeenBreaksTies]) expect(p.check(obs), `${p.name} on ${JSON.stringify(r)}`).toBeNull();
      }
    });
  }
});

describe('staleUpdateIgnored', () => {
  const record = (version: number, address = NEW) => ({ status: 'alive' as const, version, info: makeNodeInfo('n1', address, 9090, 'backend', 0) });
  const at = (version: number, address = NEW): Observation => ({ views: { n2: { self: 'n2', members: { n1: record(version, address) } } }, up: { n2: true }, announced: {} });
  const update = (version: number): Observation['step'] => ({
    node: 'n2',
    input: { type: 'receive', from: 'n1', now: 0, message: { kind: 'update', originator: 'n1', info: makeNodeInfo('n1', NEW, 9090, 'backend', 0), version } satisfies MajorityMessage },
  });
  it('is violated when an update older than the held version lowers it', () => {
    expect(staleUpdateIgnored.check({ ...at(1), step: update(1) }, at(2))).not.toBeNull();
  });
  it('is violated when an update at the held version changes the record', () => {
    expect(staleUpdateIgnored.check({ ...at(2), step: update(2) }, at(2, OLD))).not.toBeNull();
  });
  it('holds when a stale update changes nothing, or a newer one applies', () => {
    expect(staleUpdateIgnored.check({ ...at(2), step: update(1) }, at(2))).toBeNull();
    expect(staleUpdateIgnored.check({ ...at(3), step: update(3) }, at(2, OLD))).toBeNull();
  });
});
