/**
 * SWIM's own properties (spec/swim.md §Properties), added to the shared ones. Each is a pure predicate
 * over Observations; the two step properties compare each view with the one before the step.
 */
import type { NodeId } from './node.js';
import type { Assumptions, Observation, Property, Violation } from './properties.js';

const ANY = { loss: true, partitions: true, crashes: true } as const;

/** Observers up both before and after the step: a restart legitimately forgets everything. */
function steadyObservers(now: Observation, before: Observation): NodeId[] {
  return Object.keys(now.views)
    .filter((n) => now.up[n] && before.up[n] && before.views[n] !== undefined)
    .sort();
}

export const incarnationMonotonic: Property = {
  name: 'incarnationMonotonic',
  temporal: 'always',
  meaning: "the incarnation a node holds for X never decreases while it holds X",
  assumptions: {
    timing: 'async',
    tolerates: ANY,
    note: 'step property; an observer that restarts starts afresh, and a member reaped and later re-learnt is not compared across its absence',
  },
  check(now, before) {
    if (!before) return null;
    for (const n of steadyObservers(now, before)) {
      const was = before.views[n].members;
      const is = now.views[n].members;
      for (const x of Object.keys(is).sort()) {
        if (was[x] && is[x].version < was[x].version) {
          return { property: this.name, node: n, member: x, detail: `${n} lowered ${x}'s incarnation from ${was[x].version} to ${is[x].version}` };
        }
      }
    }
    return null;
  },
};

export const noSelfDeath: Property = {
  name: 'noSelfDeath',
  temporal: 'always',
  meaning: 'a live node never holds itself suspect or dead: it refutes such a claim with a higher incarnation',
  assumptions: { timing: 'async', tolerates: ANY, note: 'any network, any faults; a node that left holds itself left, which is no failure' },
  check(now) {
    for (const n of Object.keys(now.views).sort()) {
      if (!now.up[n]) continue;
      const self = now.views[n].members[n];
      if (self && (self.status === 'dead' || self.status === 'suspect')) {
        return { property: this.name, node: n, member: n, detail: `live ${n} holds itself ${self.status} at incarnation ${self.version}` };
      }
    }
    return null;
  },
};

export const noResurrection: Property = {
  name: 'noResurrection',
  temporal: 'always',
  meaning: 'a member a node holds dead or left comes back only at a higher incarnation that the member itself announced',
  assumptions: {
    timing: 'async',
    tolerates: ANY,
    note: 'step property; reaping forgets a death, so a member reaped and re-learnt later is not compared (reapAfter bounds how long deaths are remembered)',
  },
  check(now, before): Violation | null {
    if (!before) return null;
    for (const n of steadyObservers(now, before)) {
      for (const [x, was] of Object.entries(before.views[n].members).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const is = now.views[n].members[x];
        if (!is || (was.status !== 'dead' && was.status !== 'left') || is.status === 'dead' || is.status === 'left') continue;
        if (is.version <= was.version) {
          return { property: this.name, node: n, member: x, detail: `${n} brought ${x} back from ${was.status} at incarnation ${is.version} (was ${was.version})` };
        }
        if (x !== n && !(now.announced[x] ?? []).some((a) => a.version === is.version)) {
          return { property: this.name, node: n, member: x, detail: `${n} brought ${x} back at incarnation ${is.version}, which ${x} never announced` };
        }
      }
    }
    return null;
  },
};

export const SWIM_PROPERTIES: readonly Property[] = [incarnationMonotonic, noSelfDeath, noResurrection];

/**
 * SWIM's claims on the shared properties where they differ from the property's own assumptions
 * (spec/swim.md §Properties). accuracy is SWIM's conditional theorem: with bounded delay and at most
 * k lost messages (here per run, which is stricter than per probe round), no live member is declared
 * dead: a lost ping is covered by the indirect probe, a wrong suspicion by the member's refutation.
 */
export const SWIM_ASSUMPTIONS: Readonly<Record<string, Assumptions>> = {
  accuracy: {
    timing: 'bounded',
    tolerates: { loss: true, partitions: false, crashes: true },
    maxLosses: 2,
    note: 'bounded delay and at most 2 lost messages per run: the indirect probe and refutation cover them',
  },
};
