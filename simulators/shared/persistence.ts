import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Keeps a simulator's business state in a JSON file so the embedded stack survives a restart the way a
 * real ERP would. Writes are coalesced and atomic (write-then-rename).
 */
export class StateFile<T> {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly delayMs = 200,
  ) {}

  load(): T | undefined {
    if (!existsSync(this.path)) return undefined;
    return JSON.parse(readFileSync(this.path, 'utf8')) as T;
  }

  scheduleSave(read: () => T): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.saveNow(read());
    }, this.delayMs);
    this.timer.unref();
  }

  saveNow(state: T): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
  }

  flush(read: () => T): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.saveNow(read());
  }
}
