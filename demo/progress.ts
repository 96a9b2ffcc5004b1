import type { Writable } from 'node:stream';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The demo's progress display: one line per step, a spinner while it runs on a terminal, then a tick
 * and the time it took; indented notes say what happened in plant language. Without a terminal (CI, a
 * log file) each step is one plain line once it is done.
 */
export class Progress {
  private readonly tty: boolean;
  /** Notes of the running step, printed under its line once it is done. */
  private pending: string[] | undefined;

  constructor(private readonly out: Writable & { isTTY?: boolean } = process.stdout) {
    this.tty = out.isTTY === true;
  }

  section(title: string): void {
    this.out.write(`\n${title}\n`);
  }

  note(text: string): void {
    if (this.pending) this.pending.push(text);
    else this.out.write(`    ${text}\n`);
  }

  /** Runs one step of the plant day, showing it while it runs. */
  async step<T>(title: string, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let frame = 0;
    const spinner = this.tty
      ? setInterval(() => this.out.write(`\r  ${FRAMES[frame++ % FRAMES.length]} ${title}`), 100)
      : undefined;
    this.pending = [];
    const finish = (mark: string) => {
      if (spinner) {
        clearInterval(spinner);
        this.out.write('\r\x1b[2K');
      }
      this.out.write(`  ${mark} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      const notes = this.pending ?? [];
      this.pending = undefined;
      for (const text of notes) this.note(text);
    };
    try {
      const result = await run();
      finish('✔');
      return result;
    } catch (err) {
      finish('✘');
      throw err;
    }
  }
}
