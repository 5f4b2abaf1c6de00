/**
 * `majority-hardened`: the majority design with versioned self-sovereign records (spec/majority.md
 * §The hardened variant). One statement of the rule, which the model (model/majority) and the core
 * (impl/majority) both call, so that the variant cannot mean two things.
 *
 * The fix, in full:
 *  1. Every record a node states about itself carries a version that only that node advances: +1 on
 *     each update, and +1 on each restart (the counter is kept with the node's configuration, as its
 *     id is, so a restarted node never reuses a version its peers may hold for another record).
 *  2. Registration replies carry each record with the version its holder has for it.
 *  3. A registration, an update or a resolved record is applied only when its version is strictly
 *     newer than the one held (`supersedes`): nothing replaces a newer record.
 *  4. Resolution takes, per node, the entry with the highest version (`resolveNewest`). The owner is
 *     the only writer of its record, so its versions order the record totally and a vote has nothing
 *     left to decide; entries are compared by content, never by arrival, so any order of the same
 *     replies gives the same result.
 */
import { AliceError, DecodeError } from './errors.js';
import { MAJORITY_DEFAULTS, type MajorityConfig } from './majority.js';
import { MAJORITY_ASSUMPTIONS } from './majority-properties.js';
import type { PeerInfo } from './node.js';
import type { Assumptions } from './properties.js';

declare module './majority.js' {
  interface MajorityConfig {
    /**
     * On: the `majority-hardened` variant (this file's rule). Absent or false: the baseline, as
     * Inferno's docs describe it, which is what `majority` and `majority-mesh` are. Declared here,
     * not among the knobs of spec/majority.ts, because it picks a protocol rather than tuning one.
     */
    readonly versionedRecords?: boolean;
  }
}

/** A registration-reply entry of the hardened variant: the record and its owner's version. */
export interface VersionedPeerInfo extends PeerInfo {
  readonly version: number;
}

/** Inferno's defaults with versioned records on: the configuration `majority-hardened` runs. */
export const MAJORITY_HARDENED_DEFAULTS: MajorityConfig = { ...MAJORITY_DEFAULTS, versionedRecords: true };

/** Whether a record at version `incoming` replaces the one held at `held` (undefined: none held). */
export function supersedes(incoming: number, held: number | undefined): boolean {
  return held === undefined || incoming > held;
}

/** The version a node starts at: 0 the first time, one past the last version it stated after a restart. */
export function restartVersion(previous: number): number {
  return previous + 1;
}

/** The record of a versioned entry, version dropped (a PeerInfo as the registry stores it). */
export function peerOf(entry: VersionedPeerInfo): PeerInfo {
  return { id: entry.id, address: entry.address, metricsPort: entry.metricsPort, nodeType: entry.nodeType, isLoadBalancer: entry.isLoadBalancer, lastUpdated: entry.lastUpdated };
}

/**
 * A resolution's entries as versioned ones. The property harness hands resolvers plain PeerInfo
 * (spec/properties.ts knows no protocol); a hardened reply always carries versions, so an entry
 * without one is a bug to report, not a version 0 to guess.
 */
export function asVersioned(entries: readonly PeerInfo[]): readonly VersionedPeerInfo[] {
  for (const e of entries) versioned(e);
  return entries as readonly VersionedPeerInfo[];
}

function versioned(e: PeerInfo): VersionedPeerInfo {
  const v = (e as Partial<VersionedPeerInfo>).version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new DecodeError(`reply entry ${e.id}.version`, `a hardened reply carries a whole version ≥ 0, got ${String(v)}`);
  }
  return e as VersionedPeerInfo;
}

/**
 * A total order on entries of one id: version first, then content. Two honest entries with the same
 * version are the same record; the content order only makes a forged or corrupted tie resolve the
 * same way in every arrival order.
 */
function newer(a: VersionedPeerInfo, b: VersionedPeerInfo): boolean {
  // Field by field, no strings built: nearly every comparison is of two copies of one record.
  if (a.version !== b.version) return a.version > b.version;
  if (a.lastUpdated !== b.lastUpdated) return a.lastUpdated > b.lastUpdated;
  if (a.address !== b.address) return a.address > b.address;
  if (a.metricsPort !== b.metricsPort) return a.metricsPort > b.metricsPort;
  if (a.nodeType !== b.nodeType) return a.nodeType > b.nodeType;
  return a.isLoadBalancer && !b.isLoadBalancer;
}

/**
 * The hardened resolution: per id, the newest entry across every response, ids in ascending order.
 * No response is an error, as in the baseline ("No peer responses provided for consensus").
 */
export function resolveNewest(responses: readonly (readonly PeerInfo[])[]): VersionedPeerInfo[] {
  if (responses.length === 0) throw new AliceError('CONSENSUS', 'No peer responses provided for consensus');
  const best = new Map<string, VersionedPeerInfo>();
  for (const response of responses) {
    for (const raw of response) {
      const e = versioned(raw);
      const held = best.get(e.id);
      if (held === undefined || newer(e, held)) best.set(e.id, e);
    }
  }
  return [...best.keys()].sort().map((id) => best.get(id)!);
}

/**
 * What the hardened variant claims. noRegression and orderIndependence become claims, so a violation
 * fails a check instead of being expected; both are local rules (compare versions, compare content),
 * so they are claimed under any network. The rest is the baseline's: health checks are unchanged, so
 * flaw 5 (only load balancers forget a crashed node) stays.
 */
export const MAJORITY_HARDENED_ASSUMPTIONS: Readonly<Record<string, Assumptions>> = {
  ...MAJORITY_ASSUMPTIONS,
  noRegression: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'versioned records: only strictly newer versions apply' },
  orderIndependence: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'the newest version wins, compared by content, never by arrival' },
};
