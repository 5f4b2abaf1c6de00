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

/** Inferno's version key: the fields an update can change, without the timestamp. */
function versionKey(p: PeerInfo): string {
  return `${p.address}\u0000${p.metricsPort}\u0000${p.nodeType}\u0000${p.isLoadBalancer}`;
}

/** The first entry with the greatest lastUpdated (a stable descending sort's head). */
function newest(entries: readonly PeerInfo[]): PeerInfo {
  let best = entries[0];
  for (let i = 1; i < entries.length; i++) if (entries[i].lastUpdated > best.lastUpdated) best = entries[i];
  return best;
}

/** Resolves the entries of one id (rules 2 to 5), counting conflicts and tie-breaks. */
function resolveId(entries: readonly PeerInfo[], threshold: number, counts: { conflicts: number; tieBreaks: number }): PeerInfo {
  if (entries.length === 1) return entries[0];
  const versions = new Map<string, PeerInfo[]>();
  for (const e of entries) {
    const key = versionKey(e);
    const group = versions.get(key);
    if (group) group.push(e);
    else versions.set(key, [e]);
  }
  if (versions.size > 1) counts.conflicts++;
  for (const group of versions.values()) if (group.length >= threshold) return newest(group);
  counts.tieBreaks++;
  // All entries in version-group order, as Inferno flattens its groups before sorting.
  const all: PeerInfo[] = [];
  for (const group of versions.values()) for (const e of group) all.push(e);
  return newest(all);
}

export function resolveConsensus(responses: readonly (readonly PeerInfo[])[]): ConsensusResult {
  const started = process.hrtime.bigint();
  if (responses.length === 0) throw new ConsensusError('No peer responses provided for consensus');
  const byId = new Map<string, PeerInfo[]>();
  let totalNodes = 0;
  for (const response of responses) {
    for (const entry of response) {
      totalNodes++;
      const group = byId.get(entry.id);
      if (group) group.push(entry);
      else byId.set(entry.id, [entry]);
    }
  }
  const threshold = Math.floor(responses.length / 2) + 1;
  const counts = { conflicts: 0, tieBreaks: 0 };
  const peers: PeerInfo[] = [];
  for (const entries of byId.values()) peers.push(resolveId(entries, threshold, counts));
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
