import type { BusinessException } from '../../domain/exceptions';
import type { GenealogyTrace } from '../../domain/lot-genealogy';
import type { ReviewCategory, ReviewException } from '../../domain/lot-review';
import type { Quantity } from '../../domain/quantity';
import type { Signature } from '../../domain/signature';
import type { ReleaseStepRecord, TimelineEntry } from '../../workflows/order/state';
import type { LotTimelineEntry } from '../../workflows/lot/state';

/**
 * The lot's record: one trace from the order's release to the final posting, in the words a QA reviewer reads.
 * Built on request from the runs' own state and histories (closed runs included); nothing is stored twice.
 */
export interface LotRecord {
  lot: {
    material: string;
    lotId: string;
    key: string;
    site: string;
    workflowId: string;
    status: string;
    disposition: string;
    origin: 'produced' | 'received';
    quantity: Quantity | null;
    received?: { receivedBy: string; supplier?: string; reference?: string; receivedAt: string };
    releaseDeadline: string;
    overdue: boolean;
    /** The lot run's own fingerprint (its status query): the Update checks it again when the release is signed. */
    fingerprint: string;
  };
  /** The orders that made the lot: who released them, when, with which ERP documents. */
  orders: RecordOrder[];
  /** Every shop-floor event of those orders, by effectiveAt. */
  mesEvents: RecordMesEvent[];
  /** Every ERP write made for the lot, with the document the ERP returned, by time. */
  postings: RecordPosting[];
  inspections: RecordInspection[];
  refusedResults: Array<{ eventId: string; characteristic: string; reason: string; at: string }>;
  holds: RecordHold[];
  ncrs: RecordNcr[];
  /** Every signature on the lot and its NCRs, by time. */
  signatures: RecordSignature[];
  /** Steps that parked (any run of the record) and the operator's decision on each. */
  parked: RecordParking[];
  /** Business exceptions about the lot, and drift reconciliation found on it (the site's exception record). */
  exceptions: BusinessException[];
  drift: BusinessException[];
  genealogy: { backward: GenealogyTrace; forward: GenealogyTrace };
  timeline: LotTimelineEntry[];
  review: RecordReview;
}

export interface RecordOrder {
  orderRef: string;
  workflowId: string;
  site: string;
  status: string;
  material?: string;
  quantity?: Quantity;
  erp: { odooMo?: string; sapOrder?: string; owner?: string };
  releasedBy?: string;
  releasedAt?: string;
  release: ReleaseStepRecord[];
  /** Documents the ERPs returned while releasing (SAP order status, Odoo MO state). */
  releaseDocuments: RecordPosting[];
  completion?: { mode: string; by: string; reason?: string; at: string };
}

export interface RecordMesEvent extends TimelineEntry {
  orderRef: string;
}

export interface RecordPosting {
  at: string;
  system: 'odoo' | 'sap';
  /** The run that posted it: order:…, lot:… or ncr:…. */
  by: string;
  activity: string;
  summary: string;
  outcome: 'completed' | 'failed' | 'pending';
  /** What the ERP returned: document numbers, ids, states (SAP confirmation, material document; Odoo move line, MO). */
  documents: Record<string, string>;
  failure?: string;
}

export interface RecordInspection {
  characteristic: string;
  description?: string;
  required: boolean;
  specification: { lowerLimit: string | null; upperLimit: string | null; unit: string | null } | null;
  result: 'pass' | 'fail';
  value?: string;
  unit?: string;
  inspector: string;
  effectiveAt: string;
  receivedAt: string;
  eventId: string;
  /** Against the specification's limits when the result has a value and the plan limits; else the result. */
  withinSpecification: boolean;
  /** Superseded by a later result of the same characteristic. */
  superseded: boolean;
  ncrId?: string;
}

export interface RecordHold {
  holdId: string;
  source: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  ncrId?: string;
  lifted?: { by: string; reason: string; at: string };
}

export interface RecordNcr {
  ncrId: string;
  workflowId: string;
  origin: string;
  severity?: string;
  status: string;
  description?: string;
  openedAt?: string;
  dispositions: Array<{
    lineId: string;
    lotId?: string;
    decision: string;
    quantity?: Quantity;
    status: string;
    reason?: string;
    signatures: Signature[];
  }>;
  rootCause?: { category: string; description: string; by: string };
  closedBy?: Signature;
}

export interface RecordSignature extends Signature {
  /** What was signed: "lot disposition LOT-…-D1", "NCR … line L1", "NCR … closure". */
  context: string;
  /** A lot disposition's record id, and whether a QP override released it despite a blocker. */
  recordId?: string;
  override?: boolean;
}

export interface RecordParking {
  source: string;
  step: string;
  summary: string;
  reason: string;
  parkedAt: string;
  decision?: { action: string; by: string; reason: string; at: string };
}

/** What the reviewer must look at, and what the system reviewed for them. */
export interface RecordReview {
  exceptions: ReviewException[];
  counts: Partial<Record<ReviewCategory, number>>;
  /** Sections with nothing to look at, checked by the system. */
  reviewedBySystem: string[];
}

/** What the API serves: the record, its hash (what a release signature binds to) and when it was read. */
export interface ServedLotRecord {
  hash: string;
  generatedAt: string;
  record: LotRecord;
  /** The genealogy both ways as a self-contained SVG, each lot coloured by its status (drawn from the record). */
  genealogySvg: string;
}
