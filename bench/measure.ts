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

export function report(results: BenchResult[]): void {
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(22)} ${r.ratio.toFixed(2).padStart(8)}×   ${r.subject}  ÷  ${r.baseline}\n${' '.repeat(34)}${r.note}\n`,
    );
  }
}
