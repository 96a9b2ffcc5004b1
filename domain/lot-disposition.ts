import { z } from 'zod';
import type { InspectionSummaryLine } from './lot-inspection';
import { LOT_STATUS_MAPPING, type IsaLotDisposition, type LotStatus } from './lot';
import { lotReviewSchema, reviewRefusal, type LotReview } from './lot-review';
import type { Quantity } from './quantity';
import {
  MAX_REAUTH_AGE_MS,
  SIGNATURE_MEANINGS,
  sign,
  verifiedSignerSchema,
  type Signature,
  type SignatureMeaning,
  type VerifiedSigner,
} from './signature';

/**
 * Lot disposition (docs/architecture.md §2.2, §5): who may sign what, when a release is allowed, and the record the
 * signature is bound to. Pure, so the Update validator and the unit tests share every rule.
 */
export const LOT_DECISIONS = ['release', 'reject', 'hold'] as const;
export type LotDecision = (typeof LOT_DECISIONS)[number];

/** The one meaning from the controlled list that fits each decision. */
export const DECISION_MEANING: Record<LotDecision, SignatureMeaning> = {
  release: 'approved_for_release',
  reject: 'rejected',
  hold: 'placed_on_hold',
};

/** EU GMP Annex 11 §15: only a Qualified Person certifies a release; the QC unit (qa) may reject or hold. */
export const DECISION_SIGNER_ROLES: Record<LotDecision, readonly string[]> = {
  release: ['qp'],
  reject: ['qa', 'qp'],
  hold: ['qa', 'qp'],
};

/** Decisions where the signer must not be a person who executed the order's steps. */
export const SEPARATION_OF_DUTIES: readonly LotDecision[] = ['release', 'reject'];

/** What the person decides (the API adds the verified signer). */
export const dispositionInputSchema = z.object({
  decision: z.enum(LOT_DECISIONS),
  meaning: z.string().min(1).max(60),
  /** Mandatory for reject, hold and an override (then it is the written justification). */
  reason: z.string().trim().max(2000).optional(),
  /** Release although required inspections have not passed or an NCR is open (qp only, with a justification). */
  override: z.boolean().optional(),
});
export type LotDispositionInput = z.input<typeof dispositionInputSchema>;

export const dispositionRequestSchema = dispositionInputSchema.extend({
  signer: verifiedSignerSchema,
  /** A release reviewed on the lot record: the hash of the record as reviewed and every exception acknowledged. */
  review: lotReviewSchema.optional(),
});
export type LotDispositionRequest = z.infer<typeof dispositionRequestSchema>;

export interface HoldView {
  holdId: string;
  source: 'person' | 'ncr' | 'disposition';
  reason: string;
  ncrId?: string;
}

/** What the validator needs to know about the lot at the moment of signing. */
export interface DispositionContext {
  status: LotStatus;
  /** The final decision already signed, if any. */
  decided?: { decision: LotDecision; by: string; at: string };
  holds: HoldView[];
  requiredNotPassed: string[];
  openNcrs: string[];
  executors: string[];
  nowMs: number;
}

export interface Refusal {
  type:
    | 'InvalidDisposition'
    | 'SignatureRefused'
    | 'ReleaseBlocked'
    | 'DispositionConflict'
    | 'LotNotReady'
    | 'ReviewRequired'
    | 'ReviewIncomplete';
  message: string;
}

const issues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/** A signer whose roles may not sign this decision (checked first: before any review of the record). */
export function signerRoleRefusal(
  decision: LotDecision,
  signer: Pick<VerifiedSigner, 'userId' | 'roles'>,
): Refusal | undefined {
  const allowed = DECISION_SIGNER_ROLES[decision];
  if (signer.roles.some((r) => allowed.includes(r))) return undefined;
  const who = `${signer.userId} has role(s) ${signer.roles.join(', ')}`;
  return {
    type: 'SignatureRefused',
    message:
      decision === 'release'
        ? `only a Qualified Person (role qp) may sign a release; ${who}`
        : `a ${decision} needs role qa or qp; ${who}`,
  };
}

/** Why this disposition cannot be signed now, or undefined. Checks run in the order a person would fix them. */
export function dispositionRefusal(ctx: DispositionContext, raw: unknown): Refusal | undefined {
  const parsed = dispositionRequestSchema.safeParse(raw);
  if (!parsed.success) return { type: 'InvalidDisposition', message: `invalid disposition: ${issues(parsed.error)}` };
  const req = parsed.data;
  const refuse = (type: Refusal['type'], message: string): Refusal => ({ type, message });

  if (ctx.status === 'registering')
    return refuse('LotNotReady', 'the lot is still being registered in Odoo and SAP; try again shortly');
  if (ctx.decided)
    return refuse(
      'DispositionConflict',
      `the lot already has a final decision: ${ctx.decided.decision} signed by ${ctx.decided.by} at ${ctx.decided.at}`,
    );
  if (ctx.status === 'aborted') return refuse('DispositionConflict', 'the lot run was aborted by an operator');

  if (!(req.meaning in SIGNATURE_MEANINGS)) {
    return refuse(
      'InvalidDisposition',
      `meaning "${req.meaning}" is not in the controlled list (${Object.keys(SIGNATURE_MEANINGS).join(', ')})`,
    );
  }
  const wanted = DECISION_MEANING[req.decision];
  if (req.meaning !== wanted)
    return refuse(
      'InvalidDisposition',
      `a ${req.decision} is signed with the meaning "${wanted}" (${SIGNATURE_MEANINGS[wanted]}), not "${req.meaning}"`,
    );
  if (req.override && req.decision !== 'release')
    return refuse('InvalidDisposition', 'only a release can be an override');
  if (req.review && req.decision !== 'release')
    return refuse('InvalidDisposition', 'only a release is signed on the reviewed lot record');
  // Review by exception is the release's own rule, not the API's: a service signing through the client library
  // reviews the lot record too (client/lot-record: LotRecords.release).
  if (req.decision === 'release' && !req.review)
    return refuse(
      'ReviewRequired',
      "a release is signed on the reviewed lot record: read the lot's record, acknowledge each of its exceptions and send the hash as reviewed",
    );
  const unreviewed = req.review && reviewRefusal(req.review.exceptions, req.review.acknowledgements);
  if (unreviewed) return refuse('ReviewIncomplete', unreviewed);
  if (!req.reason && (req.decision !== 'release' || req.override)) {
    return refuse(
      'InvalidDisposition',
      req.override ? 'an override needs a written justification (reason)' : `a ${req.decision} needs a reason`,
    );
  }

  const signer = req.signer;
  const unauthorised = signerRoleRefusal(req.decision, signer);
  if (unauthorised) return unauthorised;
  const reauthAge = ctx.nowMs - Date.parse(signer.reauth.at);
  if (!(reauthAge <= MAX_REAUTH_AGE_MS)) {
    return refuse(
      'SignatureRefused',
      `the signer re-authenticated at ${signer.reauth.at}; signing needs a re-authentication within ${MAX_REAUTH_AGE_MS / 60_000} minutes`,
    );
  }
  if (SEPARATION_OF_DUTIES.includes(req.decision) && ctx.executors.includes(signer.userId)) {
    return refuse(
      'SignatureRefused',
      `${signer.userId} executed steps of the producing order and may not sign its ${req.decision} (separation of duties)`,
    );
  }

  if (req.decision === 'release') {
    if (ctx.holds.length > 0) {
      const list = ctx.holds
        .map((h) => `${h.holdId} (${h.source}${h.ncrId ? ` ${h.ncrId}` : ''}: ${h.reason})`)
        .join('; ');
      return refuse(
        'ReleaseBlocked',
        `the lot is on hold: ${list}. Every hold must be lifted first; an NCR's hold is lifted by the NCR`,
      );
    }
    const blockers = [
      ...ctx.requiredNotPassed.map((c) => `required inspection ${c}`),
      ...ctx.openNcrs.map((n) => `open nonconformance ${n}`),
    ];
    if (blockers.length > 0 && !req.override) {
      return refuse(
        'ReleaseBlocked',
        `cannot release: ${blockers.join('; ')}. A Qualified Person may override with a written justification`,
      );
    }
  }
  return undefined;
}

/** The record a disposition signature is bound to (Part 11 §11.70): everything the decision rested on. */
export interface LotDispositionRecord {
  recordId: string;
  sequence: number;
  subject: string;
  material: string;
  lotId: string;
  site: string;
  quantity: Quantity | null;
  producedBy: string[];
  decision: LotDecision;
  fromDisposition: IsaLotDisposition;
  toDisposition: IsaLotDisposition;
  inspections: InspectionSummaryLine[];
  openNcrs: string[];
  holds: string[];
  /** What a QP override released despite (empty when nothing was overridden). */
  overridden?: string[];
  justification?: string;
  signer: { userId: string; printedName: string; roles: string[] };
  /** A reviewed release: the lot record's hash as reviewed (the signature binds to it) and the acknowledgements. */
  review?: LotReview;
  meaning: SignatureMeaning;
  meaningText: string;
  signedAt: string;
  previousRecordHash: string | null;
}

export interface SignedLotDisposition {
  recordId: string;
  record: LotDispositionRecord;
  signature: Signature;
  /** Human-readable manifestation (§11.50): printed name, date and time, meaning. */
  manifestation: string;
}

export const TARGET_STATUS: Record<LotDecision, LotStatus> = {
  release: 'released',
  reject: 'rejected',
  hold: 'on_hold',
};

export function buildDispositionRecord(args: {
  recordId: string;
  sequence: number;
  subject: string;
  lot: { material: string; lotId: string; site: string; quantity: Quantity | null; producedBy: string[] };
  request: LotDispositionRequest;
  inspections: InspectionSummaryLine[];
  openNcrs: string[];
  holds: string[];
  requiredNotPassed: string[];
  signedAt: string;
  previousRecordHash: string | null;
}): LotDispositionRecord {
  const { request: req } = args;
  const from = LOT_STATUS_MAPPING.restricted.isa95;
  return {
    recordId: args.recordId,
    sequence: args.sequence,
    subject: args.subject,
    ...args.lot,
    decision: req.decision,
    fromDisposition: from,
    toDisposition: LOT_STATUS_MAPPING[TARGET_STATUS[req.decision]].isa95,
    inspections: args.inspections,
    openNcrs: args.openNcrs,
    holds: args.holds,
    ...(req.override
      ? {
          overridden: [
            ...args.requiredNotPassed.map((c) => `required inspection ${c}`),
            ...args.openNcrs.map((n) => `open nonconformance ${n}`),
          ],
        }
      : {}),
    ...(req.reason ? { justification: req.reason } : {}),
    ...(req.review ? { review: req.review } : {}),
    signer: { userId: req.signer.userId, printedName: req.signer.printedName, roles: req.signer.roles },
    meaning: req.meaning as SignatureMeaning,
    meaningText: SIGNATURE_MEANINGS[req.meaning as SignatureMeaning],
    signedAt: args.signedAt,
    previousRecordHash: args.previousRecordHash,
  };
}

/**
 * The signature of a disposition. A reviewed release is bound to the hash of the lot record as the QP reviewed
 * it (what was signed is exactly what was shown); the disposition record names that hash and carries the
 * acknowledgements. Any other disposition is bound to its own record.
 */
export function signDisposition(record: LotDispositionRecord, request: LotDispositionRequest): Signature {
  const signature = sign(record, request.signer, record.meaning, record.signedAt, request.reason || undefined);
  return record.review ? { ...signature, recordHash: record.review.recordHash } : signature;
}

/** "Approved for release — Marc Dubois (qp.marc) — 2026-11-23T10:15:00.000Z — reason: …" */
export function manifestation(signature: Signature): string {
  const reason = signature.reason ? ` — reason: ${signature.reason}` : '';
  return `${signature.meaningText} — ${signature.printedName} (${signature.userId}) — ${signature.signedAt}${reason}`;
}

export type { Signature, VerifiedSigner };
