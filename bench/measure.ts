import { performance } from 'node:perf_hooks';

/** Median wall time of `fn` over `rounds` runs (after one warm-up), in milliseconds. */
export async function medianMs(fn: () => unknown | Promise<unknown>, rounds = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface BenchResult {
  name: string;
  /** What the ratio compares: subject ÷ baseline, both measured in this run. */
  ratio: number;
  subject: string;
  baseline: string;
  note: string;
}

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
