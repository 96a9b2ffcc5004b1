import { setTimeout as sleep } from 'node:timers/promises';
import { statusProgress, type RunKind } from '../domain/lifecycles';

/**
 * Polls a run's status until it reaches `target` (or a later status on the same path). A run that
 * does not exist yet counts as not there yet; a run that turned away, or time running out, is an error
 * that says where the run stands.
 */
export async function waitForStatus<T extends { status: string }>(
  kind: RunKind,
  what: string,
  read: () => Promise<T>,
  target: string,
  options: { timeoutMs: number; intervalMs?: number; notYet?: (err: unknown) => boolean },
): Promise<T> {
  const until = Date.now() + options.timeoutMs;
  let last = 'not started';
  for (;;) {
    try {
      const view = await read();
      last = view.status;
      const progress = statusProgress(kind, view.status, target);
      if (progress === 'reached') return view;
      if (progress === 'missed') throw new Error(`${what} is ${view.status} and will not become ${target}`);
    } catch (err) {
      if (!options.notYet?.(err)) throw err;
    }
    if (Date.now() >= until)
      throw new Error(
        `${what} is still ${last} after ${Math.round(options.timeoutMs / 1000)} s (waiting for ${target})`,
      );
    await sleep(options.intervalMs ?? 500);
  }
}
