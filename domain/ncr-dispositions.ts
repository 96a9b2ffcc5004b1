import { lotKey } from './ids';
import { NCR_DECISIONS, type NcrDecision, type NcrLot, type NcrSeverity } from './ncr';
import { qty, type Quantity } from './quantity';
import {
  MAX_REAUTH_AGE_MS,
  recordHash,
  sign,
  type Signature,
  type SignatureMeaning,
  type VerifiedSigner,
} from './signature';

/**
 * Disposition lines of an NCR (Material Review Board decisions by quantity), their signatures and the
 * rules a new line, a co-signature or a closure must satisfy. Pure: the workflow's Update validators
 * call these with the workflow clock.
 */

/** What a person asks for (the signer comes from the API's re-authentication, never from the body). */
export interface DispositionRequest {
  /** Caller's id for the line, so a retried request is recognised; the workflow numbers it otherwise. */
  lineId?: string;
  lotId: string;
  /** Needed only when two affected lots share a lot id. */
  material?: string;
  decision: NcrDecision;
  quantity: Quantity;
  /** Why: the signature's reason. */
  reason: string;
  /** regrade: the material the quantity becomes. */
  regradeTo?: string;
  /** return_to_vendor: the supplier (and its RMA, when known). */
  returnTo?: string;
  /** rework: work instructions for the rework order. */
  instructions?: string;
}

/** Exactly what is signed and hashed (§11.70): the decision, not the signing time. */
export interface DispositionRecord {
  ncrId: string;
  lineId: string;
  material: string;
  lotId: string;
  decision: NcrDecision;
  quantity: Quantity;
  reason: string;
  regradeTo?: string;
  returnTo?: string;
  instructions?: string;
}

export type LineStatus =
  'pending_cosign' | 'approved' | 'executing' | 'awaiting_confirmation' | 'executed' | 'withdrawn';

export interface ExecutedStep {
  step: string;
  system: 'odoo' | 'sap' | 'qms' | 'plantflow' | 'person';
  summary: string;
  outcome: 'done' | 'skipped' | 'nothing_to_do';
  /** The document the system answered with (material document, scrap, order number …). */
  reference?: string;
  at: string;
}

export interface ReworkOrderLink {
  orderRef: string;
  workflowId: string;
  odooMo?: string;
  sapOrder?: string;
  /** The routing SAP exploded for it: the rework order's canonical operations. */
  operations?: Array<{ operation: string; workCenter: string; description: string }>;
  released?: boolean;
}

export interface DispositionLine {
  record: DispositionRecord;
  recordHash: string;
  signatures: Signature[];
  requiredSignatures: number;
  status: LineStatus;
  decidedAt: string;
  approvedAt?: string;
  executedAt?: string;
  withdrawn?: { by: string; reason: string; at: string };
  steps: ExecutedStep[];
  confirmation?: { by: string; reference: string; note?: string; at: string };
  rework?: ReworkOrderLink;
  /** The QMS signed-record id once written there. */
  signedRecordId?: string;
  /** An operator skipped writing the signed record to the QMS: the QMS holds none. */
  signedRecordSkipped?: boolean;
  /** The QMS holds the line (its disposition list). */
  inQms?: boolean;
  /** Facts a step needs again if it is retried (e.g. the SAP inspection lot it posts from). */
  memo?: Record<string, string>;
}

export const DISPOSITION_ROLES = ['qa', 'qp'];

/** Critical nonconformances need a second, different person to co-sign each decision. */
export function requiredSignatures(severity: NcrSeverity): number {
  return severity === 'critical' ? 2 : 1;
}

export const activeLines = (lines: DispositionLine[]): DispositionLine[] =>
  lines.filter((l) => l.status !== 'withdrawn');
export const approvedLines = (lines: DispositionLine[]): DispositionLine[] =>
  lines.filter((l) => l.status !== 'withdrawn' && l.status !== 'pending_cosign');

export function lineLotKey(line: DispositionLine): string {
  return lotKey(line.record.material, line.record.lotId);
}

export function quantityOf(lines: DispositionLine[], unit: string, key?: string): Quantity {
  return qty.sum(
    lines.filter((l) => key === undefined || lineLotKey(l) === key).map((l) => l.record.quantity),
    unit,
  );
}

/** Every nonconforming unit has a signed (and, when critical, co-signed) decision. */
export function fullyDispositioned(lines: DispositionLine[], total: Quantity): boolean {
  return qty.eq(quantityOf(approvedLines(lines), total.uom), total);
}

export function findAffectedLot(lots: NcrLot[], lotId: string, material?: string): NcrLot | undefined {
  const matches = lots.filter((l) => l.lotId === lotId && (material === undefined || l.material === material));
  return matches.length === 1 ? matches[0] : undefined;
}

/** Why this signer may not sign now, or undefined. `now` is the workflow clock (ms). */
export function signerProblem(
  signer: VerifiedSigner,
  now: number,
  roles: string[] = DISPOSITION_ROLES,
): string | undefined {
  if (!signer?.userId || !signer.printedName)
    return "a signature needs the signer's user id and printed name (re-authenticate)";
  if (!signer.roles?.some((r) => roles.includes(r)))
    return `${signer.userId} may not sign this: it needs one of the roles ${roles.join(', ')}`;
  const at = Date.parse(signer.reauth?.at ?? '');
  if (Number.isNaN(at)) return 'the signature carries no re-authentication time';
  if (now - at > MAX_REAUTH_AGE_MS)
    return `${signer.userId} re-authenticated at ${signer.reauth.at}; signing needs a re-authentication within ${MAX_REAUTH_AGE_MS / 60_000} minutes`;
  if (at - now > MAX_REAUTH_AGE_MS) return `the re-authentication time ${signer.reauth.at} lies in the future`;
  return undefined;
}

export interface DispositionContext {
  ncrId: string;
  severity: NcrSeverity;
  lots: NcrLot[];
  quantity: Quantity;
  lines: DispositionLine[];
  /** Set once the NCR is closed or closing: no more decisions. */
  closedReason?: string;
}

/** Why a new line is refused (quantity rules, lot, details), or undefined. */
export function dispositionProblem(ctx: DispositionContext, req: DispositionRequest): string | undefined {
  if (ctx.closedReason) return ctx.closedReason;
  if (!NCR_DECISIONS.includes(req.decision))
    return `unknown decision ${String(req.decision)}: one of ${NCR_DECISIONS.join(', ')}`;
  if (!req.reason?.trim()) return "a disposition needs a reason (it is the signature's reason)";
  const lot = findAffectedLot(ctx.lots, req.lotId, req.material);
  if (!lot)
    return `lot ${req.lotId}${req.material ? ` of ${req.material}` : ''} is not one of the nonconforming lots (${ctx.lots.map((l) => l.lotId).join(', ')})`;
  if (!req.quantity || !/^\d+(\.\d+)?$/.test(req.quantity.value) || qty.isZero(req.quantity))
    return 'the quantity must be a positive decimal';
  if (req.quantity.uom !== lot.quantity.uom)
    return `lot ${lot.lotId} is dispositioned in ${lot.quantity.uom}, not ${req.quantity.uom}`;
  if (req.lineId !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(req.lineId)) return 'a line id is 1–40 letters, digits, . _ -';
    if (ctx.lines.some((l) => l.record.lineId === req.lineId)) return `disposition line ${req.lineId} already exists`;
  }
  const key = lotKey(lot.material, lot.lotId);
  const active = activeLines(ctx.lines);
  const lotAfter = qty.add(quantityOf(active, lot.quantity.uom, key), req.quantity);
  if (qty.gt(lotAfter, lot.quantity)) {
    const taken = qty.format(quantityOf(active, lot.quantity.uom, key));
    const exceeds = `${qty.format(lotAfter)} would exceed its nonconforming ${qty.format(lot.quantity)}`;
    return `lot ${lot.lotId}: ${exceeds} (already decided or awaiting co-signature: ${taken})`;
  }
  const totalAfter = qty.add(quantityOf(active, ctx.quantity.uom), req.quantity);
  if (qty.gt(totalAfter, ctx.quantity))
    return `${qty.format(totalAfter)} would exceed the nonconforming ${qty.format(ctx.quantity)} of ${ctx.ncrId}`;
  if (req.decision === 'regrade' && !req.regradeTo?.trim())
    return 'a regrade names the material it becomes (regradeTo)';
  if (req.decision === 'return_to_vendor' && !req.returnTo?.trim())
    return 'a return to vendor names the supplier (returnTo)';
  if (req.decision === 'return_to_vendor' && lot.wip) return 'units still in production cannot go back to a vendor';
  return undefined;
}

export function buildRecord(ncrId: string, lineId: string, lot: NcrLot, req: DispositionRequest): DispositionRecord {
  return {
    ncrId,
    lineId,
    material: lot.material,
    lotId: lot.lotId,
    decision: req.decision,
    quantity: req.quantity,
    reason: req.reason.trim(),
    regradeTo: req.regradeTo?.trim() || undefined,
    returnTo: req.returnTo?.trim() || undefined,
    instructions: req.instructions?.trim() || undefined,
  };
}

/** A new line, signed by its first signer; approved at once unless a second signature is required. */
export function newLine(
  record: DispositionRecord,
  signer: VerifiedSigner,
  severity: NcrSeverity,
  signedAt: string,
): DispositionLine {
  const required = requiredSignatures(severity);
  const meaning: SignatureMeaning = 'disposition_approved';
  return {
    record,
    recordHash: recordHash(record),
    signatures: [sign(record, signer, meaning, signedAt, record.reason)],
    requiredSignatures: required,
    status: required > 1 ? 'pending_cosign' : 'approved',
    decidedAt: signedAt,
    approvedAt: required > 1 ? undefined : signedAt,
    steps: [],
  };
}

/** Why a co-signature is refused, or undefined: a second, different person on a pending line. */
export function coSignProblem(
  line: DispositionLine | undefined,
  signer: VerifiedSigner,
  reason: string,
  now: number,
): string | undefined {
  if (!line) return 'no such disposition line';
  if (line.status !== 'pending_cosign')
    return `line ${line.record.lineId} is ${line.status}, it awaits no co-signature`;
  if (!reason?.trim()) return 'a co-signature needs a reason';
  if (line.signatures.some((s) => s.userId === signer?.userId)) {
    return `${signer.userId} already signed line ${line.record.lineId}: the second signature must come from a different person`;
  }
  return signerProblem(signer, now);
}

export function coSign(
  line: DispositionLine,
  signer: VerifiedSigner,
  reason: string,
  signedAt: string,
): DispositionLine {
  const signatures = [...line.signatures, sign(line.record, signer, 'verified', signedAt, reason.trim())];
  const approved = signatures.length >= line.requiredSignatures;
  return {
    ...line,
    signatures,
    status: approved ? 'approved' : 'pending_cosign',
    approvedAt: approved ? signedAt : undefined,
  };
}

/** QMS signed-record id of a line: `<ncrId>-<lineId>`, shortened to the QMS's 80 characters. */
export function signedRecordIdOf(ncrId: string, lineId: string): string {
  const full = `${ncrId}-${lineId}`;
  if (full.length <= 80) return full.replace(/[^A-Za-z0-9._:/-]/g, '-');
  return `${ncrId.slice(0, 79 - lineId.length - 9)}-${recordHash(ncrId).slice(0, 8)}-${lineId}`.replace(
    /[^A-Za-z0-9._:/-]/g,
    '-',
  );
}

/** Ordinal for the next workflow-numbered line (L1, L2 …), never reusing a withdrawn number. */
export function nextLineId(lines: DispositionLine[]): string {
  let n = lines.length + 1;
  while (lines.some((l) => l.record.lineId === `L${n}`)) n += 1;
  return `L${n}`;
}
