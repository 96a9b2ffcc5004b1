/**
 * A progress bar for long runs on stderr: redrawn in place on a terminal, one line every 10 s otherwise
 * (CI logs, pipes), so a ten-minute run never looks hung.
 */
export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private lastLine = 0;
  private extra = '';
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = '',
  ) {
    this.draw();
  }

  tick(n = 1, extra?: string): void {
    this.set(this.done + n, extra);
  }

  set(done: number, extra?: string): void {
    this.done = done;
    if (extra !== undefined) this.extra = extra;
    this.draw();
  }

  private draw(final = false): void {
    const now = Date.now();
    if (!this.tty && !final && now - this.lastLine < 10_000) return;
    if (this.tty && !final && now - this.lastLine < 100) return;
    this.lastLine = now;
    const share = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const width = 28;
    const filled = Math.round(share * width);
    const seconds = (now - this.started) / 1000;
    const text =
      `${this.label.padEnd(30)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
      `${this.done}/${this.total}${this.unit ? ` ${this.unit}` : ''}  ${seconds.toFixed(0)} s` +
      (this.extra ? `  ${this.extra}` : '');
    process.stderr.write(this.tty ? `\r\x1b[2K${text}` : `${text}\n`);
  }

  finish(extra?: string): void {
    if (extra !== undefined) this.extra = extra;
    this.draw(true);
    if (this.tty) process.stderr.write('\n');
  }
}

/** Runs `work(i)` for i in [0, n) with at most `concurrency` at once. */
export async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await work(next++);
  });
  await Promise.all(lanes);
}
