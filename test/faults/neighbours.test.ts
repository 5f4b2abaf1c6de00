import { describe, expect, it } from 'vitest';
import { type NeighbourLimits, neighbourLimitsFor, readNeighbourLimits, writeNeighbourLimits } from '../../faults/neighbours.js';

const DEBIAN: NeighbourLimits = [128, 512, 1024];

describe("the host's ARP table for the fault suite", () => {
  it('holds every pair of 52 agents and the hub, which Debian defaults do not', () => {
    // 53 × 52 = 2,756 entries: over the default cap of 1,024, under the raised thresh1.
    expect(neighbourLimitsFor(52, DEBIAN)).toEqual([2756, 5512, 11024]);
  });

  it('never lowers a threshold the host already set higher', () => {
    expect(neighbourLimitsFor(4, [8192, 16384, 32768])).toBeNull();
    expect(neighbourLimitsFor(52, [128, 512, 65536])).toEqual([2756, 5512, 65536]);
  });

  it('writes thresh3 first when raising and thresh1 first when restoring, so 1 ≤ 2 ≤ 3 throughout', () => {
    const writes: string[] = [];
    const write = (path: string, text: string) => writes.push(`${path.slice(-1)}=${text.trim()}`);
    writeNeighbourLimits([2756, 5512, 11024], DEBIAN, write);
    writeNeighbourLimits(DEBIAN, [2756, 5512, 11024], write);
    expect(writes).toEqual(['3=11024', '2=5512', '1=2756', '1=128', '2=512', '3=1024']);
  });

  it('reads the three thresholds from /proc/sys', () => {
    const files: Record<string, string> = { 1: '128\n', 2: '512\n', 3: '1024\n' };
    expect(readNeighbourLimits((p) => files[p.slice(-1)] as string)).toEqual(DEBIAN);
  });
});
