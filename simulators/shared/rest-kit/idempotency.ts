import { createHash } from 'node:crypto';

/**
 * Idempotency-Key semantics after the IETF httpapi draft and Stripe: the first final answer to a key is
 * kept; the same key with the same request replays it; the same key with a different request is refused
 * (422); a key whose first request is still running is refused (409) so the caller retries later.
 */
export interface IdempotencyRecord {
  key: string;
  /** Hash of method, URL and canonical body: what "the same request" means. */
  fingerprint: string;
  method: string;
  url: string;
  status: number;
  /** The serialised response body, replayed byte for byte. */
  body: string;
  /** What the first request wrote, so a replay shows up in the journal under the same operation. */
  operation?: string;
  refs?: Record<string, string>;
  storedAt: string;
}

/** Only final business outcomes are kept; validation errors, conflicts and outages may be retried. */
export function isStorableStatus(status: number): boolean {
  return (status >= 200 && status < 300) || status === 422;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method.toUpperCase(), url, canonical(body ?? null)]))
    .digest('hex');
}

export class IdempotencyStore {
  private records = new Map<string, IdempotencyRecord>();
  private readonly inFlight = new Set<string>();

  get(key: string): IdempotencyRecord | undefined {
    return this.records.get(key);
  }

  /** false when the key is already being served (a concurrent retry). */
  begin(key: string): boolean {
    if (this.inFlight.has(key)) return false;
    this.inFlight.add(key);
    return true;
  }

  end(key: string): void {
    this.inFlight.delete(key);
  }

  save(record: IdempotencyRecord): void {
    if (!this.records.has(record.key)) this.records.set(record.key, record);
  }

  get size(): number {
    return this.records.size;
  }

  clear(): void {
    this.records.clear();
    this.inFlight.clear();
  }

  snapshot(): IdempotencyRecord[] {
    return [...this.records.values()];
  }

  restore(records: IdempotencyRecord[]): void {
    this.records = new Map(records.map((r) => [r.key, r]));
  }
}
