/**
 * Inferno's majority-rule consensus, reproduced rule for rule (consensus.rs, resolve_consensus):
 *
 *  1. Group every entry of every response by node id.
 *  2. An id seen in exactly one entry is taken as is.
 *  3. Otherwise group its entries into versions by (address, metricsPort, nodeType, isLoadBalancer);
 *     more than one version counts one conflict.
 *  4. A version held by at least floor(R/2)+1 entries (R = number of responses) wins, and within it
 *     the entry with the newest lastUpdated.
 *  5. Failing that, count one tie-break and take the entry with the newest lastUpdated among all.
 *
 * Where this is order-dependent (kept on purpose: it is the baseline being evaluated, spec/majority.md):
 *  - Newest-lastUpdated selection keeps the FIRST entry among equals (Rust's stable sort). Timestamps
 *    travel in whole seconds, so two different versions stamped in the same second tie and the
 *    response that happens to come first wins: the result depends on response order.
 *  - The threshold counts entries, not distinct responders: a response that lists an id twice votes twice.
 *  - Rust iterates its HashMaps in random order; here groups iterate in first-seen order, which makes
 *    every run reproducible but is still an order, not a rule.
 * Where it can regress an update: a majority version always beats a minority one, whatever their
 * timestamps, so a node's own newer announcement held by a minority loses to a stale majority.
 */
import { AliceError } from '../../spec/errors.js';
import type { PeerInfo } from '../../spec/node.js';

export interface ConsensusMetrics {
  /** R: the number of responses resolved. */
  readonly peerCount: number;
  /** Entries seen across all responses. */
  readonly totalNodes: number;
  readonly conflictsDetected: number;
  /** Ids resolved (Inferno names it so; it counts every resolved id, majority or not). */
  readonly majorityNodes: number;
  readonly tieBreaks: number;
  readonly durationMicros: number;
}

export interface ConsensusResult {
  readonly peers: PeerInfo[];
  readonly metrics: ConsensusMetrics;
}

export class ConsensusError extends AliceError {
  constructor(reason: string) {
    super('CONSENSUS', `consensus failed: ${reason}`);
  }
}

/** Same Inferno version: equal on every field an update can change, the timestamp aside. */
function sameVersion(a: PeerInfo, b: PeerInfo): boolean {
  return a.address === b.address && a.metricsPort === b.metricsPort && a.nodeType === b.nodeType && a.isLoadBalancer === b.isLoadBalancer;
}

/** One version of one id: its first entry, how many entries hold it, and its first newest entry. */
interface VersionTally {
  readonly representative: PeerInfo;
  count: number;
  newest: PeerInfo;
}

/**
 * Everything resolution needs about one id, gathered in a single pass: no per-entry strings or arrays,
 * since at 100 responses × 1000 nodes the resolver sees 100,000 entries. Versions are few per id (one
 * or two in practice), so finding an entry's version is a short linear scan.
 */
interface IdTally {
  readonly versions: VersionTally[];
  entries: number;
}

function tally(responses: readonly (readonly PeerInfo[])[]): { byId: Map<string, IdTally>; totalNodes: number } {
  const byId = new Map<string, IdTally>();
  let totalNodes = 0;
  for (const response of responses) {
    for (const entry of response) {
      totalNodes++;
      const t = byId.get(entry.id);
      if (!t) {
        byId.set(entry.id, { versions: [{ representative: entry, count: 1, newest: entry }], entries: 1 });
        continue;
      }
      t.entries++;
      const v = t.versions.find((x) => sameVersion(x.representative, entry));
      if (!v) t.versions.push({ representative: entry, count: 1, newest: entry });
      else {
        v.count++;
        // Strictly newer only: among equal timestamps the first entry stays, as a stable sort keeps it.
        if (entry.lastUpdated > v.newest.lastUpdated) v.newest = entry;
      }
    }
  }
  return { byId, totalNodes };
}

/** Rules 2 to 5 for one id, counting conflicts and tie-breaks. */
function resolveId(t: IdTally, threshold: number, counts: { conflicts: number; tieBreaks: number }): PeerInfo {
  const versions = t.versions;
  if (t.entries === 1) return versions[0].representative;
  if (versions.length > 1) counts.conflicts++;
  for (const v of versions) if (v.count >= threshold) return v.newest;
  counts.tieBreaks++;
  // Inferno flattens the version groups in order and takes the first newest: that is the newest of
  // the earliest version whose newest entry is the latest.
  let best = versions[0].newest;
  for (let i = 1; i < versions.length; i++) if (versions[i].newest.lastUpdated > best.lastUpdated) best = versions[i].newest;
  return best;
}

export function resolveConsensus(responses: readonly (readonly PeerInfo[])[]): ConsensusResult {
  const started = process.hrtime.bigint();
  if (responses.length === 0) throw new ConsensusError('No peer responses provided for consensus');
  const { byId, totalNodes } = tally(responses);
  const threshold = Math.floor(responses.length / 2) + 1;
  const counts = { conflicts: 0, tieBreaks: 0 };
  const peers: PeerInfo[] = [];
  for (const t of byId.values()) peers.push(resolveId(t, threshold, counts));
  return {
    peers,
    metrics: {
      peerCount: responses.length,
      totalNodes,
      conflictsDetected: counts.conflicts,
      majorityNodes: peers.length,
      tieBreaks: counts.tieBreaks,
      durationMicros: Number(process.hrtime.bigint() - started) / 1000,
    },
  };
}

/** The resolved peers only: the pure function the node core and the properties use. */
export function resolvePeers(responses: readonly (readonly PeerInfo[])[]): PeerInfo[] {
  return resolveConsensus(responses).peers;
}
