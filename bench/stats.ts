/** Small helpers shared by the benchmark scripts: medians over repeated timed samples. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times `fn` in `samples` samples of `batch` calls each (after a warm-up of one sample) and returns
 * the per-call times of each sample in microseconds.
 */
export function sampleMicros(fn: () => unknown, samples: number, batch: number): number[] {
  const out: number[] = [];
  for (let s = -1; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    const per = Number(process.hrtime.bigint() - t0) / 1000 / batch;
    if (s >= 0) out.push(per);
  }
  return out;
}
