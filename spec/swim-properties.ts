/**
 * SWIM's own properties (spec/swim.md §Properties), added to the shared ones. Each is a pure predicate
 * over Observations; the two step properties compare each view with the one before the step.
 */
import { type NodeId, samePeerInfo } from './node.js';
import type { Assumptions, Observation, Property, Violation } from './properties.js';
import { MAX_INCARNATION, SWIM_TIMERS, type SwimMessage, type SwimStatus, parseTimer, timerName } from './swim.js';

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

/** A claim a delivered message makes about a member: a datagram's update, or a record of a merged table. */
interface Carried {
  readonly member: NodeId;
  readonly status: SwimStatus;
  readonly incarnation: number;
  /** Who vouches for a suspicion: the update's `from`, or the table's sender. */
  readonly from?: NodeId;
  /** From a whole table (sync, syncReply, join), not a datagram's updates. */
  readonly table: boolean;
}

function carried(message: SwimMessage, sender: NodeId): Carried[] {
  switch (message.kind) {
    case 'sync':
    case 'syncReply':
      return message.members.map((r) => ({ member: r.member, status: r.status, incarnation: r.incarnation, from: sender, table: true }));
    case 'join':
      return [{ member: message.self.member, status: message.self.status, incarnation: message.self.incarnation, from: sender, table: true }];
    default:
      return message.updates.map((u) => ({ member: u.member, status: u.kind, incarnation: u.incarnation, from: 'from' in u ? u.from : undefined, table: false }));
  }
}

/** The delivery that produced `now`, at a node that was running (up, holding itself alive) before and is up after. */
function delivery(now: Observation, before: Observation | undefined): { node: NodeId; claims: Carried[] } | null {
  const step = now.step;
  if (!before || !step || step.input.type !== 'receive') return null;
  const n = step.node;
  if (!before.up[n] || !now.up[n] || before.views[n]?.members[n]?.status !== 'alive') return null;
  return { node: n, claims: carried(step.input.message as SwimMessage, step.input.from) };
}

const accusation = (c: Carried): boolean => c.status !== 'alive' && c.incarnation < MAX_INCARNATION;

export const refutation: Property = {
  name: 'refutation',
  temporal: 'always',
  meaning: 'a running member that hears a suspicion, death or leave of itself at an incarnation ≥ its own refutes it: afterwards it holds itself alive above that incarnation',
  assumptions: { timing: 'async', tolerates: ANY, note: 'step property over the delivered message (spec/swim.ts refutationIncarnation); claims at MAX_INCARNATION need no answer' },
  needs: { step: true },
  check(now, before) {
    const d = delivery(now, before);
    if (!d) return null;
    const own = before!.views[d.node].members[d.node].version;
    const is = now.views[d.node].members[d.node];
    for (const c of d.claims) {
      if (c.member !== d.node || !accusation(c) || c.incarnation < own) continue;
      if (!is || is.status !== 'alive' || is.version <= c.incarnation) {
        return { property: this.name, node: d.node, member: d.node, detail: `${d.node} heard ${c.status}(${d.node}, ${c.incarnation}) at its incarnation ${own} and holds itself ${is ? `${is.status} at ${is.version}` : 'nothing'}` };
      }
    }
    return null;
  },
};

export const accusationsTakeHold: Property = {
  name: 'accusationsTakeHold',
  temporal: 'always',
  meaning: 'a suspicion at the incarnation a node holds X alive at, or a death at the one it holds X alive or suspect at, takes hold: afterwards it no longer holds X so',
  assumptions: { timing: 'async', tolerates: ANY, note: 'step property over the delivered message (spec/swim.ts overrides); a merged table claims its deaths as suspicions (pushedUpdate)' },
  needs: { step: true },
  check(now, before) {
    const d = delivery(now, before);
    if (!d) return null;
    for (const c of d.claims) {
      if (c.member === d.node || !accusation(c) || c.status === 'left') continue;
      const was = before!.views[d.node].members[c.member];
      const is = now.views[d.node].members[c.member];
      if (!was || !is || was.version !== c.incarnation || is.version !== c.incarnation) continue;
      // A merged table's death is a suspicion; a gossiped one is a death.
      const death = c.status === 'dead' && !c.table;
      const displaced = death ? ['alive', 'suspect'] : ['alive'];
      if (displaced.includes(was.status) && displaced.includes(is.status)) {
        return { property: this.name, node: d.node, member: c.member, detail: `${d.node} heard ${death ? 'dead' : 'suspect'}(${c.member}, ${c.incarnation}) and still holds it ${is.status} at ${is.version}` };
      }
    }
    return null;
  },
};

export const tableMergesNoDeath: Property = {
  name: 'tableMergesNoDeath',
  temporal: 'always',
  meaning: 'merging a whole table (push-pull, a join reply) never declares a member dead: its deaths come in as suspicions the member may refute',
  assumptions: { timing: 'async', tolerates: ANY, note: "step property over the delivered message (spec/swim.ts pushedUpdate, memberlist's mergeState)" },
  needs: { step: true },
  check(now, before) {
    const d = delivery(now, before);
    if (!d || !d.claims.some((c) => c.table)) return null;
    for (const [x, is] of Object.entries(now.views[d.node].members)) {
      const was = before!.views[d.node].members[x];
      if (is.status === 'dead' && was && (was.status === 'alive' || was.status === 'suspect')) {
        return { property: this.name, node: d.node, member: x, detail: `${d.node} merged a table from ${now.step!.input.type === 'receive' ? now.step!.input.from : '?'} and declared ${x} dead` };
      }
    }
    return null;
  },
};

export const leaveIsFinal: Property = {
  name: 'leaveIsFinal',
  temporal: 'always',
  meaning: 'a member a node holds left stays left until it announces a higher incarnation: a leave says more than a failure',
  assumptions: { timing: 'async', tolerates: ANY, note: 'step property; a reaped member is no longer held, and an observer that restarts starts afresh' },
  check(now, before): Violation | null {
    if (!before) return null;
    for (const n of steadyObservers(now, before)) {
      for (const [x, was] of Object.entries(before.views[n].members)) {
        const is = now.views[n].members[x];
        if (was.status === 'left' && is && is.status !== 'left' && is.version <= was.version) {
          return { property: this.name, node: n, member: x, detail: `${n} turned ${x}'s leave at incarnation ${was.version} into ${is.status} at ${is.version}` };
        }
      }
    }
    return null;
  },
};

/** The timer step that produced `now` at a node running before and up after, with its timer's kind and key. */
function timerStep(now: Observation, before: Observation | undefined): { node: NodeId; base: string; key: string } | null {
  const step = now.step;
  if (!before || !step || step.input.type !== 'timer' || !before.up[step.node] || !now.up[step.node]) return null;
  // A node that left runs no protocol: its leftover timers fire into nothing.
  if (before.views[step.node]?.members[step.node]?.status !== 'alive') return null;
  const { base, key } = parseTimer(step.input.timer);
  return { node: step.node, base, key };
}

export const failedProbeSuspects: Property = {
  name: 'failedProbeSuspects',
  temporal: 'always',
  meaning: 'a probe that ends with no ack leaves its target suspected: after a probe period runs out, the prober holds some other member suspect, dead or left',
  assumptions: { timing: 'async', tolerates: ANY, note: 'step property over the probeEnd timer (an ack cancels it); the target is whichever member the prober no longer holds alive' },
  needs: { step: true },
  check(now, before) {
    const t = timerStep(now, before);
    if (!t || t.base !== SWIM_TIMERS.probeEnd) return null;
    const members = now.views[t.node].members;
    if (Object.keys(members).some((x) => x !== t.node && members[x].status !== 'alive')) return null;
    return { property: this.name, node: t.node, detail: `${t.node}'s probe ${t.key} ended with no ack and it still holds every member alive` };
  },
};

export const suspicionTimeoutKills: Property = {
  name: 'suspicionTimeoutKills',
  temporal: 'always',
  meaning: 'when a suspicion times out unrefuted, the suspecter declares the member dead',
  assumptions: { timing: 'async', tolerates: ANY, note: 'step property over the suspicion timer (a refutation or a newer suspicion cancels it)' },
  needs: { step: true },
  check(now, before) {
    const t = timerStep(now, before);
    if (!t || t.base !== SWIM_TIMERS.suspicion) return null;
    const was = before!.views[t.node].members[t.key];
    const is = now.views[t.node].members[t.key];
    if (!was || was.status !== 'suspect' || !is || is.status !== 'suspect' || is.version !== was.version) return null;
    return { property: this.name, node: t.node, member: t.key, detail: `${t.node}'s suspicion of ${t.key} timed out and it still holds it suspect at ${is.version}` };
  },
};

/** A node's suspicion deadline for x, under bounded timing. */
function suspicionDeadline(obs: Observation, n: NodeId, x: NodeId): number | undefined {
  const name = timerName(SWIM_TIMERS.suspicion, x);
  return obs.timers?.(n).find((t) => t.timer === name)?.deadline;
}

export const suspicionTimeoutFalls: Property = {
  name: 'suspicionTimeoutFalls',
  temporal: 'always',
  meaning: 'while a node holds X suspect at one incarnation its suspicion deadline never moves later, and moves earlier only on an independent suspecter (not its own suspicion echoed back)',
  assumptions: { timing: 'bounded', tolerates: ANY, note: 'step property over the suspicion timer (spec/swim.ts suspicionTimeout, Lifeguard); a repeated suspicion is a confirmation, never a restart' },
  needs: { step: true, timers: true },
  check(now, before) {
    if (!before || now.clock === undefined) return null;
    for (const n of steadyObservers(now, before)) {
      for (const [x, is] of Object.entries(now.views[n].members)) {
        const was = before.views[n].members[x];
        if (x === n || !was || was.status !== 'suspect' || is.status !== 'suspect' || was.version !== is.version) continue;
        const d0 = suspicionDeadline(before, n, x);
        const d1 = suspicionDeadline(now, n, x);
        if (d0 === undefined || d1 === undefined || d1 === d0) continue;
        if (d1 > d0) return { property: this.name, node: n, member: x, detail: `${n}'s suspicion of ${x} moved from ${d0} to ${d1} ms` };
        const step = now.step;
        // Own probe failures (a timer step) are confirmations too; a delivery must carry another suspecter.
        if (step?.node === n && step.input.type === 'receive') {
          const claims = carried(step.input.message as SwimMessage, step.input.from);
          if (!claims.some((c) => c.member === x && c.status !== 'alive' && c.from !== n)) {
            return { property: this.name, node: n, member: x, detail: `${n}'s suspicion of ${x} fell from ${d0} to ${d1} ms on hearing only its own suspicion` };
          }
        }
      }
    }
    return null;
  },
};

export const reapDeadlineFixed: Property = {
  name: 'reapDeadlineFixed',
  temporal: 'always',
  meaning: 'a member held dead or left is reaped reapAfterMs after it was so marked: hearing the same death or leave again never postpones it',
  assumptions: { timing: 'bounded', tolerates: ANY, note: 'step property over the reap timer (spec/swim.md Lifecycle); a leave after a death, or a newer incarnation, starts a new record' },
  needs: { timers: true },
  check(now, before) {
    if (!before || now.clock === undefined) return null;
    for (const n of steadyObservers(now, before)) {
      for (const [x, is] of Object.entries(now.views[n].members)) {
        const was = before.views[n].members[x];
        if (x === n || !was || (was.status !== 'dead' && was.status !== 'left') || was.status !== is.status || was.version !== is.version) continue;
        const name = timerName(SWIM_TIMERS.reap, x);
        const d0 = before.timers?.(n).find((t) => t.timer === name)?.deadline;
        const d1 = now.timers?.(n).find((t) => t.timer === name)?.deadline;
        if (d0 !== undefined && d1 !== undefined && d1 > d0) return { property: this.name, node: n, member: x, detail: `${n}'s reaping of ${is.status} ${x} moved from ${d0} to ${d1} ms` };
      }
    }
    return null;
  },
};

/** X's latest announcement that changed its NodeInfo (an operator update, stamped with X's clock), if any. */
function latestInfoChange(obs: Observation, x: NodeId): { version: number; at: number } | undefined {
  const history = obs.announced[x] ?? [];
  for (let i = history.length - 1; i > 0; i--) {
    const a = history[i].info;
    if (!samePeerInfo(a, history[i - 1].info)) return { version: history[i].version, at: a.lastUpdated };
  }
  return undefined;
}

const member = (obs: Observation, n: NodeId): boolean => obs.up[n] && obs.views[n]?.members[n]?.status === 'alive';

/**
 * The retransmit limit as redundancy: a holder piggybacks an update on its next
 * retransmitLimit(λ, n) datagrams, so with at most limit − 1 of them lost a member it sends every one
 * to learns it. Only at n = 2 does a holder send every datagram to one member (it probes it each
 * period); at n ≥ 3 probe targets are drawn, and the limit buys a probability, not a bound
 * (docs/checker-verdicts.md, spec-swim-retransmit-once). `boundMs`: how long those datagrams take,
 * from the model's probe interval (model/swim).
 */
export function boundedDissemination(boundMs: number, maxLosses: number): Property {
  return {
    name: 'boundedDissemination',
    temporal: 'always',
    meaning: `an update of X's NodeInfo reaches every live member within ${boundMs} ms of X's clock when at most ${maxLosses} message(s) are lost`,
    assumptions: {
      timing: 'bounded',
      tolerates: { loss: true, partitions: false, crashes: false },
      maxLosses,
      maxNodes: 2,
      note: 'a cluster of two: the holder sends its peer every datagram, so the retransmit limit minus one losses cannot stop it (spec/swim.md Dissemination)',
    },
    check(now) {
      if (now.clock === undefined) return null;
      for (const x of Object.keys(now.views).sort()) {
        const change = member(now, x) ? latestInfoChange(now, x) : undefined;
        if (!change || now.clock < change.at + boundMs) continue;
        for (const n of Object.keys(now.views).sort()) {
          const held = now.views[n].members[x];
          if (n === x || !member(now, n) || (held && held.version >= change.version)) continue;
          return { property: 'boundedDissemination', node: n, member: x, detail: `${x} updated its NodeInfo at ${change.at} ms (incarnation ${change.version}); at ${now.clock} ms ${n} holds ${held ? `incarnation ${held.version}` : 'nothing'}` };
        }
      }
      return null;
    },
  };
}

export const SWIM_PROPERTIES: readonly Property[] = [incarnationMonotonic, noSelfDeath, noResurrection, refutation, accusationsTakeHold, tableMergesNoDeath, leaveIsFinal, failedProbeSuspects, suspicionTimeoutKills, suspicionTimeoutFalls, reapDeadlineFixed];

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
