/**
 * The model's own statement of Inferno's resolution rule, written from spec/majority.md and not shared
 * with the implementation: conformance compares the two. For each id, in the order ids are first seen:
 * a lone entry stands; otherwise the first newest entry of a version that has floor(R/2)+1 entries,
 * else the first newest entry overall.
 */
import type { PeerInfo } from '../../spec/node.js';

const sameVersion = (a: PeerInfo, b: PeerInfo): boolean =>
  a.address === b.address && a.metricsPort === b.metricsPort && a.nodeType === b.nodeType && a.isLoadBalancer === b.isLoadBalancer;

const firstNewest = (entries: readonly PeerInfo[]): PeerInfo =>
  entries.reduce((best, e) => (e.lastUpdated > best.lastUpdated ? e : best));

export function modelResolve(responses: readonly (readonly PeerInfo[])[]): PeerInfo[] {
  const entries = responses.flat();
  const ids = [...new Set(entries.map((e) => e.id))];
  const needed = Math.floor(responses.length / 2) + 1;
  return ids.map((id) => {
    const mine = entries.filter((e) => e.id === id);
    // Versions in first-seen order, each with its entries in arrival order.
    const versions: PeerInfo[][] = [];
    for (const e of mine) {
      const v = versions.find((group) => sameVersion(group[0], e));
      if (v) v.push(e);
      else versions.push([e]);
    }
    const majority = versions.find((v) => v.length >= needed);
    return firstNewest(majority ?? versions.flat());
  });
}
