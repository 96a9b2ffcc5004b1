import { z } from 'zod';
import { recordHash } from './signature';

/**
 * Review by exception of a lot's record before the QP signs its release. The record marks what a reviewer
 * must look at (the exceptions); everything else was checked by the system. A release names the hash of the
 * record as it was reviewed and acknowledges every exception with a comment, so what was signed is exactly
 * what was shown. Pure: the API, the lot's Update validator and the tests share these rules.
 */
export const REVIEW_CATEGORIES = {
  out_of_specification: 'Out-of-specification result',
  late_result: 'Late result',
  deviation: 'Deviation (nonconformance)',
  parked_step: 'Parked step',
  manual_decision: 'Manual skip, abort or override',
  refused_event: 'Event or result refused',
  drift: 'Drift between systems',
  hold: 'Hold',
  business_exception: 'Business exception',
} as const;
export type ReviewCategory = keyof typeof REVIEW_CATEGORIES;

/** One thing the reviewer must look at: a stable id, so an acknowledgement names it across readings. */
export interface ReviewException {
  exceptionId: string;
  category: ReviewCategory;
  summary: string;
  /** When it happened, when known. */
  at?: string;
  /** Which run or system it comes from (lot:…, order:…, ncr:…, exceptions:<site>). */
  source: string;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const reviewAcknowledgementSchema = z.object({
  exceptionId: z.string().min(1).max(300),
  comment: z.string().trim().min(1, 'each exception needs a comment').max(2000),
});
export type ReviewAcknowledgement = z.infer<typeof reviewAcknowledgementSchema>;

/** What the QP sends with a release: the hash of the record as reviewed and the acknowledgements. */
export const reviewInputSchema = z.object({
  recordHash: z.string().regex(SHA256_HEX, 'the SHA-256 (hex) of the lot record as reviewed'),
  acknowledgements: z.array(reviewAcknowledgementSchema).max(500).default([]),
});
export type ReviewInput = z.input<typeof reviewInputSchema>;

/**
 * What reaches the lot's Update: the API adds the exceptions the record listed when it was checked, and the lot's
 * own fingerprint in that record, so a lot that changed between the check and the signing refuses it.
 */
export const lotReviewSchema = reviewInputSchema.extend({
  exceptions: z.array(z.string().min(1).max(300)).max(500),
  lotFingerprint: z.string().regex(SHA256_HEX).optional(),
});
export type LotReview = z.infer<typeof lotReviewSchema>;

/** Why these acknowledgements do not cover the exceptions, or undefined. */
export function reviewRefusal(
  exceptions: readonly string[],
  acknowledgements: ReviewAcknowledgement[],
): string | undefined {
  const acked = new Map(acknowledgements.map((a) => [a.exceptionId, a.comment.trim()]));
  const missing = exceptions.filter((id) => !acked.get(id));
  if (missing.length > 0)
    return `the release needs every exception of the lot record acknowledged with a comment; not acknowledged: ${missing.join(', ')}`;
  const listed = new Set(exceptions);
  const unknown = acknowledgements.filter((a) => !listed.has(a.exceptionId)).map((a) => a.exceptionId);
  if (unknown.length > 0) return `acknowledged exceptions the record does not list: ${unknown.join(', ')}`;
  return undefined;
}

/** The part of a lot's own state its record shows: statuses, holds, NCR links, results, signed records, parkings. */
export function lotFingerprint(parts: {
  status: string;
  holds: unknown[];
  ncrs: unknown[];
  inspections: unknown[];
  refusedResults: unknown[];
  dispositions: unknown[];
  parking: unknown;
}): string {
  return recordHash(parts);
}
