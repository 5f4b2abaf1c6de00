/**
 * The kernel's ARP table is one table for every network namespace, capped by the host's
 * net.ipv4.neigh.default.gc_thresh1..3 (128 / 512 / 1024 on Debian). A cluster of n agents that all
 * talk to each other needs about n² entries: at 52 agents (2,700) the kernel logged "arp_cache:
 * neighbor table overflow!", dropped ARP entries, queued datagrams behind unresolved neighbours until
 * the agents' UDP send buffers filled (UdpSndbufErrors 1,586 in one namespace), and the cluster
 * drowned in false suspicions (36,009 in six minutes) that were the test bed's, not SWIM's.
 * The suite raises the thresholds for its run and puts the host's values back on the way out.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type NeighbourLimits = readonly [thresh1: number, thresh2: number, thresh3: number];

const PATHS = [1, 2, 3].map((k) => `/proc/sys/net/ipv4/neigh/default/gc_thresh${k}`);

/**
 * The thresholds a run over `slots` agent namespaces (plus the hub) needs, never below `current`:
 * thresh1 (below it nothing is collected) at the all-pairs count, so no live entry is ever dropped,
 * and 2× / 4× that above it. Null when `current` already covers it (then nothing is written).
 */
export function neighbourLimitsFor(slots: number, current: NeighbourLimits): NeighbourLimits | null {
  const pairs = (slots + 1) * slots;
  const want: NeighbourLimits = [pairs, 2 * pairs, 4 * pairs];
  const next = want.map((w, i) => Math.max(w, current[i] as number)) as unknown as NeighbourLimits;
  return next.every((v, i) => v === current[i]) ? null : next;
}

export function readNeighbourLimits(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): NeighbourLimits {
  return PATHS.map((p) => Number(read(p).trim())) as unknown as NeighbourLimits;
}

/** Writes thresh3 first when raising and last when lowering, so thresh1 ≤ thresh2 ≤ thresh3 holds throughout. */
export function writeNeighbourLimits(limits: NeighbourLimits, from: NeighbourLimits, write: (path: string, text: string) => void = writeFileSync): void {
  const raising = limits[2] >= from[2];
  const order = raising ? [2, 1, 0] : [0, 1, 2];
  for (const i of order) write(PATHS[i] as string, `${limits[i]}\n`);
}
