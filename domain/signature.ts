import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { z } from 'zod';

/**
 * Electronic signatures (21 CFR Part 11 §11.50/§11.70, EU GMP Annex 11 §14): printed name, signing
 * time and meaning on every signature, bound to a SHA-256 of the exact record signed. Pure: the
 * workflow signs with its own deterministic clock.
 */
export const SIGNATURE_MEANINGS = {
  approved_for_release: 'Approved for release',
  rejected: 'Rejected',
  placed_on_hold: 'Placed on hold',
  disposition_approved: 'Disposition approved',
  reviewed: 'Reviewed',
  verified: 'Verified (second person)',
} as const;
export type SignatureMeaning = keyof typeof SIGNATURE_MEANINGS;
export const signatureMeaningSchema = z.enum(
  Object.keys(SIGNATURE_MEANINGS) as [SignatureMeaning, ...SignatureMeaning[]],
);

/** Who signs, as the API established it at signing time (never taken from the caller's word). */
export interface VerifiedSigner {
  userId: string;
  printedName: string;
  roles: string[];
  /** How the signer re-authenticated for this signature, and when. */
  reauth: { method: 'password' | 'oidc'; at: string };
}

export const verifiedSignerSchema = z.object({
  userId: z.string().min(1).max(64),
  printedName: z.string().min(1).max(120),
  roles: z.array(z.string()).min(1),
  reauth: z.object({ method: z.enum(['password', 'oidc']), at: z.iso.datetime({ offset: true }) }),
});

export interface Signature {
  userId: string;
  printedName: string;
  meaning: SignatureMeaning;
  meaningText: string;
  reason?: string;
  signedAt: string;
  /** SHA-256 (hex) of the canonical JSON of the record signed. */
  recordHash: string;
  reauth: VerifiedSigner['reauth'];
}

/** JSON with sorted keys and no whitespace: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function recordHash(record: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(record))));
}

export function sign(
  record: unknown,
  signer: VerifiedSigner,
  meaning: SignatureMeaning,
  signedAt: string,
  reason?: string,
): Signature {
  return {
    userId: signer.userId,
    printedName: signer.printedName,
    meaning,
    meaningText: SIGNATURE_MEANINGS[meaning],
    reason,
    signedAt,
    recordHash: recordHash(record),
    reauth: signer.reauth,
  };
}

/** True when the signature was made over exactly this record (§11.70: it cannot be moved to another). */
export function signatureMatches(record: unknown, signature: Signature): boolean {
  return recordHash(record) === signature.recordHash;
}

/** Re-authentication older than this does not count for a signing (outside one continuous session). */
export const MAX_REAUTH_AGE_MS = 5 * 60 * 1000;
