/**
 * One side-by-side run's figures, as both sides print them (one JSON object): the Go program
 * (memberlist-side/main.go) and alice-side.ts write the same fields.
 */
export interface RunResult {
  readonly impl: 'alice' | 'memberlist';
  readonly n: number;
  readonly probeIntervalMs: number;
  /** From the first node's start until every node holds all n members. */
  readonly joinMs: number;
  readonly joined: boolean;
  readonly steadySeconds: number;
  /** UDP datagrams and their bytes sent per node per second while nothing happens. */
  readonly bytesPerNodePerSec: number;
  readonly packetsPerNodePerSec: number;
  /** Stream (TCP) bytes per node per second in the same window (push-pull); 0 when not counted. */
  readonly tcpBytesPerNodePerSec: number;
  /** Per crash and observer that noticed it: ms from the kill until it declared the node dead, pooled, sorted. */
  readonly detectMs: readonly number[];
  /** Observer declarations expected, summed over the crashes (n − 1, then n − 2, …). */
  readonly observers: number;
  /** Death declarations of members that did not crash, over the whole run. */
  readonly falseDeaths: number;
}

/** Parses a side's stdout; the last JSON line is the result. Throws naming what is wrong. */
export function parseRunResult(stdout: string, side: string): RunResult {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line === undefined) throw new Error(`${side}: printed no result line (stdout: ${JSON.stringify(stdout.slice(-300))})`);
  const r = JSON.parse(line) as RunResult;
  if (typeof r.n !== 'number' || !Array.isArray(r.detectMs)) throw new Error(`${side}: result line lacks n or detectMs: ${line}`);
  return { ...r, detectMs: r.detectMs ?? [] };
}

export interface Detection {
  readonly first: number;
  readonly median: number;
  readonly last: number;
  /** Every expected observer noticed within the run's cap. */
  readonly complete: boolean;
}

export function detectionOf(r: RunResult): Detection | undefined {
  const d = [...r.detectMs].sort((a, b) => a - b);
  if (d.length === 0) return undefined;
  const mid = d.length >> 1;
  return { first: d[0], median: d.length % 2 ? d[mid] : (d[mid - 1] + d[mid]) / 2, last: d[d.length - 1], complete: d.length >= r.observers };
}

/** Whether Alice's detection met the target against memberlist's in the same setting, and by how much not. */
export interface DetectionVerdict {
  readonly met: boolean;
  /** Alice − memberlist, ms (positive: Alice later). */
  readonly medianGapMs: number;
  readonly lastGapMs: number;
}

/**
 * Undefined when the run is no fair comparison: a side saw no detection, or memberlist itself did not
 * join, missed detections or declared live members dead (an overloaded machine), so beating it says nothing.
 */
export function compareDetection(alice: RunResult, memberlist: RunResult): DetectionVerdict | undefined {
  const a = detectionOf(alice);
  const m = detectionOf(memberlist);
  if (!a || !m || !m.complete || !memberlist.joined || memberlist.falseDeaths > 0) return undefined;
  const medianGapMs = a.median - m.median;
  const lastGapMs = a.last - m.last;
  return { met: a.complete && medianGapMs <= 0 && lastGapMs <= 0, medianGapMs, lastGapMs };
}

/**
 * Several runs of one side in one setting as one: detections and expected observers pooled, false
 * deaths summed, traffic averaged, joined only if every run joined (join time the slowest). One run
 * is one draw of which round first probes each victim; pooling draws is what makes medians comparable.
 */
export function pooled(runs: readonly RunResult[]): RunResult {
  const first = runs[0];
  if (first === undefined) throw new RangeError('pooled: no runs');
  const mean = (f: (r: RunResult) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  return {
    ...first,
    joinMs: Math.max(...runs.map((r) => r.joinMs)),
    joined: runs.every((r) => r.joined),
    bytesPerNodePerSec: mean((r) => r.bytesPerNodePerSec),
    packetsPerNodePerSec: mean((r) => r.packetsPerNodePerSec),
    tcpBytesPerNodePerSec: mean((r) => r.tcpBytesPerNodePerSec),
    detectMs: runs.flatMap((r) => r.detectMs).sort((a, b) => a - b),
    observers: runs.reduce((s, r) => s + r.observers, 0),
    falseDeaths: runs.reduce((s, r) => s + r.falseDeaths, 0),
  };
}
