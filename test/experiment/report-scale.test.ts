/**
 * The scale section reads the newest run per (protocol, scenario, N) and states the 10,000-node target
 * against what that run measured, met or not, with the load only when it was recorded.
 */
import { describe, expect, it } from 'vitest';
import { findRun, newestRuns } from '../../experiment/figures.js';
import { loadText, scaleSection, scaleTarget, skipLines } from '../../experiment/report-scale.js';
import { type ResultsFile, mergeResults } from '../../experiment/results.js';
import type { RunResult } from '../../experiment/run.js';

interface Fake {
  protocol?: string;
  scenario?: string;
  n?: number;
  status?: 'ok' | 'aborted';
  wallMs?: number;
  virtualMs?: number;
  peakHeapBytes?: number;
  maxRssBytes?: number;
  peakRssBytes?: number;
  processCpuMs?: number;
  host?: { cores: number; loadBefore: number; loadAfter: number };
  abort?: string;
}

function fakeRun(f: Fake): RunResult {
  return {
    protocol: f.protocol ?? 'swim',
    scenario: f.scenario ?? 'warm-crash-one',
    n: f.n ?? 10_000,
    seed: 1,
    network: { latency: 'lan', loss: 0, duplication: 0 },
    status: f.status ?? 'ok',
    ...(f.abort ? { abort: f.abort } : {}),
    sim: {
      virtualMs: f.virtualMs ?? 100_000,
      events: 1000,
      steps: 1000,
      coldStartMs: 0,
      eventAtMs: 10_000,
      watches: [],
      falsePositives: { members: 0, declarations: 0, acrossPartition: 0, durationMs: { count: 0, min: null, p50: null, p99: null, max: null } },
      churnPerNode: null,
      steady: { messagesPerNodePerSec: 1, bytesPerNodePerSec: 100, windowMs: 10_000 },
      during: { messagesPerNodePerSec: 1, bytesPerNodePerSec: 100, windowMs: 10_000 },
      byKind: {},
      busiestSenderRatio: 1,
      delivered: 0,
      dropped: 0,
      stateBytes: { mean: 100, max: 100, sampled: 1 },
      properties: null,
    },
    runtime: {
      wallMs: f.wallMs ?? 50_000,
      processCpuMs: f.processCpuMs ?? 40_000,
      cpuMicrosPerNodePerSimSecond: 1,
      heapUsedBytes: 1e9,
      peakHeapBytes: f.peakHeapBytes ?? 2e9,
      maxRssBytes: f.maxRssBytes ?? 3e9,
      ...(f.peakRssBytes !== undefined ? { peakRssBytes: f.peakRssBytes } : {}),
      resolverMicros: null,
    },
    ...(f.host ? { host: f.host } : {}),
  } as unknown as RunResult;
}

function file(runs: RunResult[], skipped: ResultsFile['skipped'] = []): ResultsFile {
  return {
    format: 'alice-bench-results/1',
    commit: null,
    dirty: false,
    seed: 1,
    command: 'test',
    protocols: ['majority', 'swim'],
    sizes: [...new Set(runs.map((r) => r.n))],
    scenarios: [...new Set(runs.map((r) => r.scenario))],
    run: {} as ResultsFile['run'],
    sizeNotes: {},
    runs,
    skipped,
  };
}

describe('newest run per protocol, scenario and N', () => {
  it('is the last one written when a file holds several', () => {
    const results = file([fakeRun({ wallMs: 1_561_000 }), fakeRun({ wallMs: 55_000 })]);
    expect(findRun(results, 'swim', 'warm-crash-one', 10_000)?.runtime.wallMs).toBe(55_000);
    expect(newestRuns(results)).toHaveLength(1);
    expect(scaleTarget(results)?.run.runtime.wallMs).toBe(55_000);
  });

  it('comes from the later file when files are merged', () => {
    const merged = mergeResults([
      { path: 'scale.json', results: file([fakeRun({ wallMs: 1_561_000 })]) },
      { path: 'again.json', results: file([fakeRun({ wallMs: 58_000 })]) },
    ]);
    expect(scaleTarget(merged)?.run.runtime.wallMs).toBe(58_000);
  });

  it('keeps the batches an appended file came from among the sources', () => {
    const appended = { ...file([fakeRun({})]), sources: [{ path: 's.json', commit: 'a', dirty: false, seed: 1, command: 'first' }, { path: 's.json', commit: 'b', dirty: false, seed: 1, command: 'second' }] };
    const merged = mergeResults([{ path: 'd.json', results: file([]) }, { path: 's.json', results: appended }]);
    expect(merged.sources.map((s) => s.command)).toEqual(['test', 'first', 'second']);
  });
});

describe('the 10,000-node target', () => {
  it('is not met when the wall time is over 60 s, whatever the memory', () => {
    const t = scaleTarget(file([fakeRun({ wallMs: 1_561_368, maxRssBytes: 3.04e9 })]));
    expect(t).toMatchObject({ wallMet: false, memoryMet: true });
  });

  it('is met with 100 periods in ≤ 60 s and ≤ 4 GB', () => {
    const t = scaleTarget(file([fakeRun({ wallMs: 59_000, peakHeapBytes: 2e9, maxRssBytes: 3.9e9 })]));
    expect(t).toMatchObject({ wallMet: true, memoryMet: true, periods: 100 });
  });

  it('counts memory as the larger of heap peak and RSS peak', () => {
    const t = scaleTarget(file([fakeRun({ wallMs: 59_000, peakHeapBytes: 4.2e9, maxRssBytes: 3e9 })]));
    expect(t).toMatchObject({ memoryBytes: 4.2e9, memoryMet: false });
  });

  it("judges a run's own sampled RSS peak, not the process's peak over earlier runs of its batch", () => {
    const t = scaleTarget(file([fakeRun({ wallMs: 50_000, peakHeapBytes: 1e9, maxRssBytes: 5.5e9, peakRssBytes: 1.3e9 })]));
    expect(t).toMatchObject({ memoryBytes: 1.3e9, memoryMet: true });
    const old = scaleTarget(file([fakeRun({ wallMs: 50_000, peakHeapBytes: 1e9, maxRssBytes: 5.5e9 })]));
    expect(old).toMatchObject({ memoryBytes: 5.5e9, memoryMet: false });
    expect(scaleSection(file([fakeRun({ maxRssBytes: 5.5e9 })]), ['swim']).join('\n')).toContain('| process RSS peak | 5.50 GB (process) |');
  });

  it('is not met by a run that stopped short of 100 periods', () => {
    const t = scaleTarget(file([fakeRun({ wallMs: 59_000, virtualMs: 40_000 })]));
    expect(t?.wallMet).toBe(false);
  });

  it('is reported as not measured without a 10,000-node run', () => {
    expect(scaleTarget(file([fakeRun({ n: 1000 })]))).toBeNull();
    expect(scaleSection(file([fakeRun({ n: 1000 })]), ['swim']).join('\n')).toMatch(/the target is not measured/);
  });

  it('prints wall, CPU, heap and RSS and says plainly whether it is met', () => {
    const md = scaleSection(file([fakeRun({ wallMs: 1_561_368, processCpuMs: 384_749, peakHeapBytes: 2.67e9, maxRssBytes: 3.04e9 })]), ['swim']).join('\n');
    expect(md).toContain('**Not met: wall time over the target.**');
    expect(md).toContain('| wall time | 1,561.4 s | ≤ 60 s | no (26.0×) |');
    expect(md).toContain('384.7 s');
    expect(md).toContain('| V8 heap peak | 2.67 GB |');
    expect(md).toContain('| memory (larger of heap peak and RSS peak) | 3.04 GB | ≤ 4 GB | yes |');
  });
});

describe('machine load', () => {
  it('is described only when the run recorded it', () => {
    expect(loadText(fakeRun({}))).toBeNull();
    expect(loadText(fakeRun({ host: { cores: 2, loadBefore: 3.5, loadAfter: 4.25 } }))).toMatch(/load average was 3\.50 when the run started and 4\.25 when it ended, on 2 cores/);
  });
});

describe('runs not made', () => {
  it('notes when the run that stopped a batch was re-measured since and finished', () => {
    const reason = 'swim crash-one at N=1000 stopped: wall-time budget 180000 ms spent';
    const results = file([fakeRun({ scenario: 'crash-one', n: 1000, wallMs: 531_700 })], [
      { protocol: 'swim', scenario: 'crash-one', n: 10_000, reason },
      { protocol: 'swim', scenario: 'cold-start', n: 10_000, reason },
    ]);
    const [line] = skipLines(results);
    expect(line).toMatch(/^- swim: not run: crash-one at N = 10,000, cold-start at N = 10,000\. Cause: swim crash-one at N=1000 stopped/);
    expect(line).toContain('re-measured later with a larger budget and finished: 531.7 s');
  });
});
