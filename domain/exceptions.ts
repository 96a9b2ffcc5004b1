import { z } from 'zod';
import { siteSchema } from './ids';

/**
 * Business exceptions: whatever plantflow could not apply, and whatever it found out of step between the
 * systems, kept durably with what arrived, why, and when, until an operator acts on it. Nothing is refused
 * without a trace; one record per site holds them (workflows/exceptions.ts, id exceptions:<site>).
 */
export const EXCEPTION_KINDS = [
  /** An MES event for an order whose run has ended (closed, aborted, failed). */
  'EventForClosedOrder',
  /** An MES event after the order's completion postings started. */
  'EventForCompletingOrder',
  /** MES events for an order plantflow never released, still unclaimed after the grace period. */
  'EventForUnknownOrder',
  /** A resend of an accepted eventId with a different payload. */
  'EventConflict',
  /** A disposition, hold or result for a lot whose run has ended. */
  'LateLotRequest',
  /** Failed re-authentication of a signer, and the lockout it led to (21 CFR 11.300(d)). */
  'SigningFailure',
  /** Reconciliation found a system out of step with what plantflow recorded. */
  'Drift',
  /** A system kept a record open that plantflow closed (e.g. an SAP quality notification left open). */
  'RecordLeftOpen',
  /** A report the exception record could not read (sent around the client's validation): kept, not lost. */
  'UnreadableReport',
] as const;
export const exceptionKindSchema = z.enum(EXCEPTION_KINDS);
export type ExceptionKind = z.infer<typeof exceptionKindSchema>;

/**
 * What an operator may do with an exception. `acknowledge` (seen, nothing to do) and `resolve` (handled
 * outside plantflow) fit every kind; drift also offers `reapply` (plantflow's value wins, through the normal
 * idempotent posting path), `accept` (the system's value wins) and `ignore`.
 */
export const EXCEPTION_ACTIONS = ['acknowledge', 'resolve', 'reapply', 'accept', 'ignore'] as const;
export const exceptionActionSchema = z.enum(EXCEPTION_ACTIONS);
export type ExceptionAction = z.infer<typeof exceptionActionSchema>;

export const exceptionSystemSchema = z.enum(['odoo', 'sap', 'qms', 'mes', 'plantflow', 'api']);

/** What the exception is about: the references an operator searches by. */
export const exceptionSubjectSchema = z
  .object({
    orderRef: z.string().optional(),
    material: z.string().optional(),
    lotId: z.string().optional(),
    ncrId: z.string().optional(),
    eventId: z.string().optional(),
    signerId: z.string().optional(),
    system: exceptionSystemSchema.optional(),
  })
  .strict();
export type ExceptionSubject = z.infer<typeof exceptionSubjectSchema>;

/**
 * One report of an exception, as a process or the API sends it. `key` names the situation, so the same
 * situation reported again (a resend, the next reconciliation) counts as one exception seen again.
 */
export const exceptionReportSchema = z
  .object({
    kind: exceptionKindSchema,
    key: z.string().min(1).max(300),
    site: siteSchema,
    subject: exceptionSubjectSchema,
    /** One line in plant language, e.g. "MES event 7f9c… for order PO-1001, which closed on 3 Dec". */
    summary: z.string().min(1).max(500),
    /** Why plantflow refused it or what differs: a stable code and a message an operator can act on. */
    reason: z.object({ code: z.string().min(1), message: z.string().min(1) }),
    /** What arrived (the event, the request), without secrets. */
    arrived: z.unknown().optional(),
    /** For drift: plantflow's value and the system's. */
    expected: z.unknown().optional(),
    actual: z.unknown().optional(),
    /** When it happened (the request's arrival, the reconciliation's reading). */
    at: z.iso.datetime({ offset: true }),
    /** The actions an operator may take; `acknowledge` and `resolve` when omitted. */
    actions: z.array(exceptionActionSchema).min(1).optional(),
  })
  .strict();
export type ExceptionReport = z.infer<typeof exceptionReportSchema>;

/** The operator's decision on an exception; the reason stays in the record and the history. */
export const exceptionDecisionSchema = z
  .object({
    exceptionId: z.string().min(1),
    action: exceptionActionSchema,
    by: z.string().min(1),
    reason: z.string().trim().min(1, 'a decision needs a reason'),
  })
  .strict();
export type ExceptionDecision = z.infer<typeof exceptionDecisionSchema>;

export interface BusinessException {
  /** `<kind>:<key>`: stable, so a report of the same situation finds its exception. */
  exceptionId: string;
  kind: ExceptionKind;
  site: string;
  subject: ExceptionSubject;
  summary: string;
  reason: { code: string; message: string };
  arrived?: unknown;
  expected?: unknown;
  actual?: unknown;
  firstSeenAt: string;
  lastSeenAt: string;
  occurrences: number;
  status: 'open' | 'resolved';
  actions: ExceptionAction[];
  resolution?: { action: ExceptionAction; by: string; reason: string; at: string };
}

export const DEFAULT_EXCEPTION_ACTIONS: ExceptionAction[] = ['acknowledge', 'resolve'];

export function exceptionIdOf(report: Pick<ExceptionReport, 'kind' | 'key'>): string {
  return `${report.kind}:${report.key}`;
}
