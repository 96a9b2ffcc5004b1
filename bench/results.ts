import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';

/** One line of the results table: a ratio against a baseline measured in the same run, and its goal. */
export interface Figure {
  mode: string;
  name: string;
  /** What is measured, with its absolute figure. */
  subject: string;
  /** What it is compared with, with its absolute figure (or the goal's bound). */
  baseline: string;
  ratio?: number;
  /** The goal, e.g. "≥ 0.85×" or "≤ 5 s"; met is undefined for figures without a goal. */
  goal?: string;
  met?: boolean;
  /** Raw numbers for the JSON file. */
  values?: Record<string, number | string>;
}

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: `${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtEnd: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.mode,
    f.name,
    f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`,
    f.goal ?? '',
    f.met === undefined ? '' : f.met ? 'met' : 'NOT met',
    `${f.subject}  vs  ${f.baseline}`,
  ]);
  const head = ['mode', 'figure', 'ratio', 'goal', '', 'measured'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

/** Writes bench/results/<date>.json (one file per day and kind; a later run the same day replaces it). */
export function writeResults(kind: string, body: Record<string, unknown>): string {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const file = join(dir, `${date}${kind === 'bench' ? '' : `-${kind}`}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine: machine(), ...body }, null, 2) + '\n');
  return file;
}
