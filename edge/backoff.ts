const RETRY_AFTER_CAP_MS = 3_600_000;

/**
 * Exponential backoff with full jitter: each wait is drawn between zero and a ceiling that doubles per
 * failure up to a maximum, so edges that lost the same WAN do not all knock at once when it returns. A
 * server's Retry-After is a floor: the edge never comes back sooner than it was asked to (a Retry-After
 * beyond an hour counts as an hour, so a wrong header cannot park the plant's events for days).
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt, after one more failure. */
  next(retryAfterMs?: number): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    const jittered = Math.round(this.random() * ceiling);
    return Math.max(jittered, Math.min(retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
