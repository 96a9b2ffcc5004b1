import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Keeps a simulator's business state in a JSON file so it survives a restart, and a crash, the way a real
 * ERP does: a real ERP commits before it answers, so no answer leaves the simulator before the state it
 * reveals is on disk (the server awaits `commit()` before sending, see SimulatorServer). Commits are
 * grouped: while one snapshot is being written, every request that changed or read state meanwhile waits
 * for the next, so a burst costs a few writes, not one per request. Each write is atomic (write, fsync,
 * rename) and the state is read back whole at start.
 */
export class StateFile<T> {
  private dirty = false;
  /** The write in progress, if any. */
  private writing: Promise<void> | undefined;
  /** The write that will start once the current one is done: what new changes wait for. */
  private next: Promise<void> | undefined;
  /** Bumped by every write; a synchronous flush makes an older write in flight stale. */
  private generation = 0;

  constructor(
    private readonly path: string,
    private readonly read: () => T,
  ) {}

  load(): T | undefined {
    if (!existsSync(this.path)) return undefined;
    return JSON.parse(readFileSync(this.path, 'utf8')) as T;
  }

  /** The state was changed in memory; the next commit writes it. */
  changed(): void {
    this.dirty = true;
  }

  /** Resolves once every change made before this call is on disk. */
  commit(): Promise<void> {
    // Nothing changed since the last snapshot was taken: only the write in flight (if any) holds news.
    if (!this.dirty) return this.writing ?? Promise.resolve();
    if (!this.writing) return (this.writing = this.writeSnapshot());
    // Changes made after the write in flight took its snapshot go with the following one.
    this.next ??= this.writing.then(() => {
      this.next = undefined;
      return (this.writing = this.writeSnapshot());
    });
    return this.next;
  }

  private async writeSnapshot(): Promise<void> {
    this.dirty = false;
    const generation = ++this.generation;
    const json = JSON.stringify(this.read());
    const tmp = `${this.path}.${generation}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const file = await open(tmp, 'w');
      try {
        await file.writeFile(json);
        await file.datasync();
      } finally {
        await file.close();
      }
      // A flush since this snapshot was taken wrote newer state: this one must not replace it.
      if (generation === this.generation) await rename(tmp, this.path);
      else await rm(tmp, { force: true });
    } catch (err) {
      this.dirty = true;
      throw err;
    } finally {
      if (!this.next) this.writing = undefined;
    }
  }

  /** Writes the state now, synchronously (a planned stop, a reset). */
  flush(): void {
    this.dirty = false;
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${++this.generation}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.read()));
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
