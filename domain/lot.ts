import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { z } from 'zod';
import { businessRefSchemaPattern, lotIdSchema, lotKey } from './ids';
import { positiveQuantitySchema, type Quantity } from './quantity';
import { durationSchema } from './duration';

/**
 * The material lot (ISA-95 MaterialLot): its plantflow status, the ISA-95 disposition it stands for, and
 * what Odoo and SAP hold for it in that status. One table, so no status string is scattered around.
 */
export const LOT_STATUSES = [
  'registering', // being found-or-created in Odoo and SAP
  'restricted', // registered, quarantined, waiting for inspections and a disposition
  'on_hold', // restricted and held (a person, a hold decision or an NCR)
  'releasing', // release signed; being executed in the systems
  'released',
  'rejecting', // reject signed; being executed
  'rejected',
  'aborted', // an operator aborted a parked step of the execution
] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

/** B2MML MaterialLot Disposition values plantflow uses. */
export type IsaLotDisposition = 'Restricted' | 'UnRestricted' | 'Closed';

export interface LotStatusMapping {
  isa95: IsaLotDisposition;
  /** Odoo stock location of the lot's quants (null: no stock yet / not decided by this status). */
  odooLocation: 'Quarantine' | 'WH/Stock' | 'Scrap' | null;
  /** SAP batch master "restricted use" flag and the stock type its quantity is in. */
  sapBatchRestricted: boolean;
  sapStock: 'quality_inspection' | 'unrestricted' | 'scrap';
}

export const LOT_STATUS_MAPPING: Record<LotStatus, LotStatusMapping> = {
  registering: { isa95: 'Restricted', odooLocation: null, sapBatchRestricted: true, sapStock: 'quality_inspection' },
  restricted: {
    isa95: 'Restricted',
    odooLocation: 'Quarantine',
    sapBatchRestricted: true,
    sapStock: 'quality_inspection',
  },
  on_hold: {
    isa95: 'Restricted',
    odooLocation: 'Quarantine',
    sapBatchRestricted: true,
    sapStock: 'quality_inspection',
  },
  releasing: {
    isa95: 'Restricted',
    odooLocation: 'Quarantine',
    sapBatchRestricted: true,
    sapStock: 'quality_inspection',
  },
  released: { isa95: 'UnRestricted', odooLocation: 'WH/Stock', sapBatchRestricted: false, sapStock: 'unrestricted' },
  rejecting: {
    isa95: 'Restricted',
    odooLocation: 'Quarantine',
    sapBatchRestricted: true,
    sapStock: 'quality_inspection',
  },
  // A rejected lot stays restricted in SAP: its batch must never become usable again by accident.
  rejected: { isa95: 'Closed', odooLocation: 'Scrap', sapBatchRestricted: true, sapStock: 'scrap' },
  aborted: { isa95: 'Restricted', odooLocation: null, sapBatchRestricted: true, sapStock: 'quality_inspection' },
};

export const FINAL_LOT_STATUSES: readonly LotStatus[] = ['released', 'rejected', 'aborted'];
export const DECIDED_LOT_STATUSES: readonly LotStatus[] = ['releasing', 'released', 'rejecting', 'rejected', 'aborted'];

/** Default time from registration to a final disposition before the lot escalates (docs/architecture.md §2.2). */
export const DEFAULT_RELEASE_WITHIN = '5 days';

const ref = z.string().min(1).max(64).regex(businessRefSchemaPattern, 'letters, digits and . _ / - only');

/** A lot that arrives from outside (a supplier delivery, a transfer): started by a person or the QMS. */
export const receivedLotSchema = z.object({
  material: ref,
  lotId: lotIdSchema,
  site: ref,
  quantity: positiveQuantitySchema,
  receivedBy: z.string().min(1).max(64),
  supplier: z.string().min(1).max(120).optional(),
  /** Delivery note, purchase order or transfer reference. */
  reference: z.string().min(1).max(120).optional(),
  /** Lots it was made from, when known (a transfer from a sister plant). */
  parents: z
    .array(z.object({ material: ref, lotId: ref, quantity: positiveQuantitySchema }))
    .max(200)
    .default([]),
  /** How long until the lot must be dispositioned, e.g. "3 days" (default 5 days). */
  releaseWithin: durationSchema.optional(),
});
export type ReceivedLot = z.infer<typeof receivedLotSchema>;
export type ReceivedLotInput = z.input<typeof receivedLotSchema>;

const shortHash = (text: string) => bytesToHex(sha256(utf8ToBytes(text))).slice(0, 16);

/** Business ids of records a lot creates, kept within the QMS identifier limit (80) by hashing long ones. */
function bounded(prefix: string, body: string, suffix: string, max = 80): string {
  const full = `${prefix}${body}${suffix}`;
  return full.length <= max ? full : `${prefix}${shortHash(body)}${suffix}`;
}

/** Subject of the lot's signed records in the QMS: the same string as its workflow id when it fits. */
export function lotSubject(material: string, lotId: string): string {
  return bounded('lot:', lotKey(material, lotId), '');
}

/** The n-th signed disposition record of a lot. */
export function dispositionRecordId(material: string, lotId: string, sequence: number): string {
  return bounded('LOT-', `${material}-${lotId}`, `-D${sequence}`);
}

/**
 * The nonconformance a failed characteristic opens: deterministic, so a retried start finds the first.
 * A later NCR for the same characteristic (after the first closed) takes the next number.
 */
export function inspectionNcrId(material: string, lotId: string, characteristic: string, nth: number): string {
  return bounded('NCR-', `${material}-${lotId}-${characteristic}`, nth > 1 ? `-${nth}` : '', 64).replace(
    /[^A-Za-z0-9._/-]/g,
    '-',
  );
}

export interface LotRef {
  material: string;
  lotId: string;
}

export type { Quantity };
