/**
 * The majority design's own properties and its claims on the shared ones (spec/majority.md
 * §Properties).
 *
 * The claims: where the design does not guarantee a shared property at all (a flaw Inferno's docs
 * imply and its code keeps), every violation is expected: the checker reports it as such and it fails
 * nothing, while a violation of a property the design does claim fails the run.
 *
 * The rule properties state the resolution rule and the version rule of spec/majority.md clause by
 * clause, as post-conditions of one resolution or one delivered update. The flaws are what these rules
 * allow, so the flaws' symptoms (noRegression, orderIndependence) cannot tell a node that follows the
 * rules from one that breaks them; these can.
 */
import type { NodeId, PeerInfo } from './node.js';
import { samePeerFields } from './node.js';
import type { Assumptions, Observation, Property, Resolution, Violation } from './properties.js';
import type { MajorityMessage } from './majority.js';
import { sameAtWirePrecision } from './view.js';

const NO_LOSS_CRASHES = { loss: false, partitions: false, crashes: true } as const;
const ANY = { loss: true, partitions: true, crashes: true } as const;

export const MAJORITY_ASSUMPTIONS: Readonly<Record<string, Assumptions>> = {
  noRegression: { timing: 'async', tolerates: NO_LOSS_CRASHES, note: 'flaws 2 and 3', never: 'a stale majority or a delayed register replaces a newer record (spec/majority.md flaws 2, 3)' },
  orderIndependence: { timing: 'async', tolerates: NO_LOSS_CRASHES, note: 'flaw 1', never: 'timestamp ties break by arrival order (spec/majority.md flaw 1)' },
  completeness: { timing: 'async', tolerates: NO_LOSS_CRASHES, note: 'flaw 5', never: 'only load balancers forget a crashed node (spec/majority.md flaw 5)' },
  agreement: { timing: 'async', tolerates: { loss: false, partitions: false, crashes: false }, note: 'flaw 5: with a crash, load balancers and backends disagree about it' },
};

/** One id's entries in one resolution: all of them in arrival order, and the version (if any) a majority holds. */
interface Ballot {
  readonly entries: readonly PeerInfo[];
  /** The entries of the version held by ⌊R/2⌋+1 of them or more, R the number of responses. */
  readonly majority?: readonly PeerInfo[];
}

function ballot(r: Resolution, id: NodeId): Ballot {
  const entries = r.responses.flat().filter((e) => e.id === id);
  const needed = Math.floor(r.responses.length / 2) + 1;
  const held = entries.find((e) => entries.filter((f) => samePeerFields(e, f)).length >= needed);
  return { entries, ...(held ? { majority: entries.filter((f) => samePeerFields(held, f)) } : {}) };
}

/** The first result entry of a resolution that `wrong` objects to, as a violation. */
function firstWrong(obs: Observation, name: string, wrong: (b: Ballot, chosen: PeerInfo) => string | null): Violation | null {
  for (const r of obs.resolutions ?? []) {
    for (const chosen of r.result) {
      const b = ballot(r, chosen.id);
      const why = b.entries.length > 1 ? wrong(b, chosen) : null;
      if (why) return { property: name, node: r.node, member: chosen.id, detail: `${r.node} resolved ${r.responses.length} responses and took ${chosen.id}'s ${show(chosen)}: ${why}` };
    }
  }
  return null;
}

const show = (p: PeerInfo): string => `${p.address} stamped ${p.lastUpdated} ms`;
const newest = (entries: readonly PeerInfo[]): number => Math.max(...entries.map((e) => e.lastUpdated));

export const majorityWins: Property = {
  name: 'majorityWins',
  temporal: 'always',
  meaning: "a version of X held by ⌊R/2⌋+1 of the entries of R responses is the one resolution takes, whatever its timestamp",
  assumptions: { timing: 'async', tolerates: ANY, note: 'checked at every resolution (spec/majority.md §The resolution rule); a version is the record but its timestamp' },
  check(obs) {
    return firstWrong(obs, this.name, (b, chosen) => (b.majority && !samePeerFields(b.majority[0], chosen) ? `${b.majority.length} of ${b.entries.length} entries hold ${b.majority[0].address}` : null));
  },
};

export const newestWins: Property = {
  name: 'newestWins',
  temporal: 'always',
  meaning: "resolution takes X's newest lastUpdated among the majority version's entries, or among all of X's entries when no version has a majority",
  assumptions: { timing: 'async', tolerates: ANY, note: 'checked at every resolution; only bounded timing separates timestamps (under async every clock reads 0)' },
  check(obs) {
    return firstWrong(obs, this.name, (b, chosen) => {
      const max = newest(b.majority ?? b.entries);
      return chosen.lastUpdated === max ? null : `${b.majority ? 'the majority version' : 'with no majority, an entry'} is stamped ${max} ms`;
    });
  },
};

export const firstSeenBreaksTies: Property = {
  name: 'firstSeenBreaksTies',
  temporal: 'always',
  meaning: 'with no majority, of the versions of X tied on the newest lastUpdated, the one whose first entry arrived first wins (flaw 1, as Inferno does it)',
  assumptions: { timing: 'async', tolerates: ANY, note: 'checked at every resolution, over the responses in the order they arrived' },
  check(obs) {
    return firstWrong(obs, this.name, (b, chosen) => {
      if (b.majority) return null;
      const max = newest(b.entries);
      // Versions in the order their first entry arrived; the first with an entry at the newest timestamp.
      const tied = b.entries.filter((e, i) => b.entries.findIndex((f) => samePeerFields(e, f)) === i && b.entries.some((f) => samePeerFields(e, f) && f.lastUpdated === max));
      return tied.length > 1 && !samePeerFields(tied[0], chosen) ? `${tied.length} versions tie at ${max} ms and ${tied[0].address} arrived first` : null;
    });
  },
};

export const staleUpdateIgnored: Property = {
  name: 'staleUpdateIgnored',
  temporal: 'always',
  meaning: "an update whose version is not above the one a node holds for its originator changes nothing of that record",
  assumptions: { timing: 'async', tolerates: ANY, note: 'step property over the delivered update (spec/majority.md Update: versions must increase; Alice is stricter than Inferno)' },
  needs: { step: true },
  check(now, before) {
    const step = now.step;
    if (!before || !step || step.input.type !== 'receive' || !before.up[step.node] || !now.up[step.node]) return null;
    const m = step.input.message as MajorityMessage;
    if (m.kind !== 'update') return null;
    const was = before.views[step.node]?.members[m.originator];
    const is = now.views[step.node]?.members[m.originator];
    if (!was || m.version > was.version || (is && is.version === was.version && sameAtWirePrecision(is.info, was.info))) return null;
    return {
      property: this.name,
      node: step.node,
      member: m.originator,
      detail: `${step.node} held ${m.originator} at version ${was.version} and took its update at version ${m.version}: now ${is ? `version ${is.version}, ${is.info.address}` : 'nothing'}`,
    };
  },
};

/** The rules of the baseline; the hardened variant resolves by version instead (spec/majority-hardened.ts), so it takes only the version rule. */
export const MAJORITY_RULE_PROPERTIES: readonly Property[] = [majorityWins, newestWins, firstSeenBreaksTies, staleUpdateIgnored];
