/**
 * Signer lockout (21 CFR 11.300(d): attempts at unauthorized use are detected and acted on): after
 * `maxFailures` failed re-authentications of one signer within `windowMs`, the signer is locked for
 * `lockoutMs`. Pure: the per-signer run (workflows/signer.ts) applies it with workflow time.
 */
export interface SigningPolicy {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

export const DEFAULT_SIGNING_POLICY: SigningPolicy = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
};

/** The recent attempts kept for a QA lead to read. */
const KEPT_ATTEMPTS = 20;

export interface SigningAttempt {
  at: string;
  outcome: 'failed' | 'refused_locked';
  /** Which API key made the attempt (never the password). */
  via?: string;
}

export interface SignerRecord {
  userId: string;
  /** Failed re-authentications inside the window (epoch ms), oldest first. */
  failures: number[];
  lockedUntil?: number;
  lockouts: number;
  recent: SigningAttempt[];
}

export interface SignerView {
  userId: string;
  locked: boolean;
  lockedUntil?: string;
  failuresInWindow: number;
  lockouts: number;
  recent: SigningAttempt[];
  policy: SigningPolicy;
}

export function emptySignerRecord(userId: string): SignerRecord {
  return { userId, failures: [], lockouts: 0, recent: [] };
}

export function isLocked(record: SignerRecord, now: number): boolean {
  return record.lockedUntil !== undefined && record.lockedUntil > now;
}

function remember(record: SignerRecord, attempt: SigningAttempt): SigningAttempt[] {
  return [...record.recent, attempt].slice(-KEPT_ATTEMPTS);
}

/** One failed re-authentication; the record after it, and whether this failure locked the signer. */
export function recordFailure(
  record: SignerRecord,
  policy: SigningPolicy,
  now: number,
  via?: string,
): { record: SignerRecord; lockedNow: boolean } {
  const at = new Date(now).toISOString();
  if (isLocked(record, now)) {
    return {
      record: { ...record, recent: remember(record, { at, outcome: 'refused_locked', via }) },
      lockedNow: false,
    };
  }
  const failures = [...record.failures.filter((t) => t > now - policy.windowMs), now];
  const recent = remember(record, { at, outcome: 'failed', via });
  if (failures.length >= policy.maxFailures) {
    return {
      record: { ...record, failures: [], lockedUntil: now + policy.lockoutMs, lockouts: record.lockouts + 1, recent },
      lockedNow: true,
    };
  }
  return { record: { ...record, failures, recent }, lockedNow: false };
}

/** A successful re-authentication outside a lockout starts the count again. */
export function recordSuccess(record: SignerRecord, now: number): SignerRecord {
  return isLocked(record, now) ? record : { ...record, failures: [] };
}

/** Milliseconds until the record holds nothing that still counts (no lockout, no failure in the window). */
export function quietIn(record: SignerRecord, policy: SigningPolicy, now: number): number {
  const lastFailure = record.failures.length ? record.failures[record.failures.length - 1]! + policy.windowMs : 0;
  return Math.max(0, (record.lockedUntil ?? 0) - now, lastFailure - now);
}

export function signerView(record: SignerRecord, policy: SigningPolicy, now: number): SignerView {
  const locked = isLocked(record, now);
  return {
    userId: record.userId,
    locked,
    ...(locked ? { lockedUntil: new Date(record.lockedUntil!).toISOString() } : {}),
    failuresInWindow: record.failures.filter((t) => t > now - policy.windowMs).length,
    lockouts: record.lockouts,
    recent: record.recent,
    policy,
  };
}
