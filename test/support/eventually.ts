/** Polls until the check passes: tests wait for an observable fact, never for a fixed time. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
  pollMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`condition not met in time; last value: ${lastValue(last)}`);
}

/** A run's view is long: its start, then what it did last and what waits for an operator. */
function lastValue(last: unknown): string {
  const text = JSON.stringify(last)?.slice(0, 1500) ?? 'undefined';
  const view = (last ?? {}) as { timeline?: unknown; parked?: unknown };
  const timeline = Array.isArray(view.timeline)
    ? `\n  timeline (last 12): ${JSON.stringify(view.timeline.slice(-12))}`
    : '';
  const parked =
    Array.isArray(view.parked) && view.parked.length > 0 ? `\n  parked: ${JSON.stringify(view.parked)}` : '';
  return text + timeline + parked;
}
