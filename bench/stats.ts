/** Small statistics for the benchmarks' latency samples (pure). */

const round3 = (n: number): number => Number(n.toFixed(3));

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export interface Summary {
  readonly n: number;
  readonly mean_ms: number;
  readonly sd_ms: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  const variance = sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, sorted.length - 1);
  return {
    n: sorted.length,
    mean_ms: round3(mean),
    sd_ms: round3(Math.sqrt(variance)),
    p50_ms: round3(percentile(sorted, 0.5)),
    p99_ms: round3(percentile(sorted, 0.99)),
    min_ms: round3(sorted[0] ?? 0),
    max_ms: round3(sorted.at(-1) ?? 0),
  };
}

// ---- CRUD: cluster-gateway's create → update → delete ----
