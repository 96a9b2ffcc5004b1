import { setTimeout as sleep } from 'node:timers/promises';
import { statusProgress, type RunKind } from '../domain/lifecycles';

/**
 * Reads until `done` holds. A read that throws stops the wait unless `notYet` says the thing is just not
 * there yet; time running out is an error `timedOut` words from the last value read.
 */
export async function pollUntil<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  options: {
    timeoutMs: number;
    intervalMs?: number;
    notYet?: (err: unknown) => boolean;
    timedOut: (last: T | undefined) => string;
  },
): Promise<T> {
  const until = Date.now() + options.timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (err) {
      if (!options.notYet?.(err)) throw err;
    }
    if (Date.now() >= until) throw new Error(options.timedOut(last));
    await sleep(options.intervalMs ?? 500);
  }
}

/**
 * Polls a run's status until it reaches `target` (or a later status on the same path). A run that
 * does not exist yet counts as not there yet; a run that turned away, or time running out, is an error
 * that says where the run stands.
 */
export function waitForStatus<T extends { status: string }>(
  kind: RunKind,
  what: string,
  read: () => Promise<T>,
  target: string,
  options: { timeoutMs: number; intervalMs?: number; notYet?: (err: unknown) => boolean },
): Promise<T> {
  return pollUntil(
    read,
    (view) => {
      const progress = statusProgress(kind, view.status, target);
      if (progress === 'missed') throw new Error(`${what} is ${view.status} and will not become ${target}`);
      return progress === 'reached';
    },
    {
      ...options,
      timedOut: (last) =>
        `${what} is still ${last?.status ?? 'not started'} after ${Math.round(options.timeoutMs / 1000)} s (waiting for ${target})`,
    },
  );
}
