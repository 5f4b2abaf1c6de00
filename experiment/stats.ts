/** Order statistics for the report. Nearest-rank percentiles: every figure printed is an observed value. */

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export interface Distribution {
  readonly count: number;
  readonly min: number | null;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, min: null, p50: null, p99: null, max: null };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count: values.length, min: round(min), p50: round(percentile(values, 50) as number), p99: round(percentile(values, 99) as number), max: round(max) };
}

/** Three decimals: sub-millisecond latencies stay visible, and float noise never reaches the JSON. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Least-squares slope of log(y) against log(x): the growth exponent of y in x. */
export function growthExponent(points: readonly (readonly [number, number])[]): number | null {
  const ps = points.filter(([x, y]) => x > 0 && y > 0);
  if (ps.length < 2) return null;
  const lx = ps.map(([x]) => Math.log(x));
  const ly = ps.map(([, y]) => Math.log(y));
  const mx = lx.reduce((a, b) => a + b, 0) / ps.length;
  const my = ly.reduce((a, b) => a + b, 0) / ps.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < ps.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}
