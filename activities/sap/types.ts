import type { EventTimes } from '../../domain/postings';
import type { Quantity } from '../../domain/quantity';

/** A message SAP attached to a successful write (e.g. goods movements parked in COGI). */
export interface SapMessageInfo {
  code: string;
  text: string;
  severity: string;
}

// ---- production orders ----

export type SapOrderStatus = 'CRTD' | 'REL' | 'PCNF' | 'CNF' | 'PDLV' | 'DLV' | 'TECO' | 'CLSD';

export interface SapReadProductionOrderInput {
  order: string;
}

export interface SapProductionOrderOperation {
  operation: string;
  text: string;
  workCenter: string;
  plannedQuantity: Quantity;
  confirmedYield: Quantity;
  status: SapOrderStatus;
}

export interface SapProductionOrderComponent {
  material: string;
  operation: string;
  required: Quantity;
  withdrawn: Quantity;
  batch?: string;
  storageLocation: string;
  reservation: string;
  reservationItem: string;
  finallyIssued: boolean;
}

export interface SapProductionOrder {
  order: string;
  orderType: string;
  material: string;
  plant: string;
  storageLocation: string;
  totalQuantity: Quantity;
  confirmedYield: Quantity;
  flags: {
    created: boolean;
    released: boolean;
    partiallyConfirmed: boolean;
    confirmed: boolean;
    partiallyDelivered: boolean;
    delivered: boolean;
    technicallyCompleted: boolean;
    closed: boolean;
  };
  /** System status short names as SAP lists them (CRTD, REL, PCNF, CNF, PDLV, DLV, TECO, CLSD, GMPS …). */
  systemStatuses: string[];
  /** LastChangeDateTime (the order's ETag value). */
  lastChange: string;
  operations: SapProductionOrderOperation[];
  components: SapProductionOrderComponent[];
}

export interface SapOrderActionInput {
  order: string;
}

export interface SapReleaseProductionOrderResult {
  order: string;
  /** true when the order was already released (nothing posted). */
  alreadyReleased: boolean;
  systemStatuses: string[];
  messages: SapMessageInfo[];
}

export interface SapTechnicallyCompleteOrderResult {
  order: string;
  alreadyCompleted: boolean;
  systemStatuses: string[];
  messages: SapMessageInfo[];
}

// ---- confirmations ----

export interface SapConfirmationGoodsMovement {
  material: string;
  batch?: string;
  movementType: '261' | '101';
  quantity: Quantity;
  storageLocation?: string;
}

export interface SapPostConfirmationInput {
  /** The MES event's times, for the event-to-posting latency metric (the verb ignores them). */
  eventAt?: EventTimes;
  order: string;
  operation: string;
  yield: Quantity;
  scrap?: Quantity;
  rework?: Quantity;
  final: boolean;
  /** YYYY-MM-DD; SAP uses today when absent. */
  postingDate?: string;
  idempotencyKey: string;
  goodsMovements?: SapConfirmationGoodsMovement[];
}

export interface SapPostConfirmationResult {
  confirmationGroup: string;
  confirmationCount: string;
  /** The confirmation already existed for this idempotency key (found by ExternalSystemConfirmation). */
  alreadyPosted: boolean;
  externalSystemConfirmation: string;
  /** Warnings from SAP, e.g. goods movements that went to the error pool (COGI). */
  messages: SapMessageInfo[];
}

// ---- goods movements ----

export type SapMovementType =
  '261' | '262' | '101' | '102' | '321' | '322' | '343' | '344' | '349' | '350' | '551' | '553' | '555';

export interface SapPostGoodsMovementInput {
  /** The MES event's times, for the event-to-posting latency metric (the verb ignores them). */
  eventAt?: EventTimes;
  movementType: SapMovementType;
  material: string;
  plant: string;
  storageLocation?: string;
  batch?: string;
  quantity: Quantity;
  /** Production order for 101/102/261/262. */
  order?: string;
  /** GoodsMovementReasonCode (scrapping 551/553/555). */
  reasonCode?: string;
  postingDate?: string;
  idempotencyKey: string;
}

export interface SapPostGoodsMovementResult {
  materialDocument: string;
  year: string;
  alreadyPosted: boolean;
  messages: SapMessageInfo[];
}

// ---- batches ----

export interface SapEnsureBatchInput {
  material: string;
  batch: string;
  plant: string;
  restricted: boolean;
}

export interface SapBatchResult {
  material: string;
  batch: string;
  restricted: boolean;
  created: boolean;
  changed: boolean;
}

export interface SapSetBatchRestrictedInput {
  material: string;
  batch: string;
  restricted: boolean;
}

export interface SapReadBatchInput {
  material: string;
  batch: string;
}

export type SapBatchInfo =
  | { exists: false; material: string; batch: string }
  | {
      exists: true;
      material: string;
      batch: string;
      restricted: boolean;
      markedForDeletion: boolean;
      shelfLifeExpirationDate: string | null;
      manufactureDate: string | null;
    };

// ---- quality ----

export interface SapFindInspectionLotInput {
  material: string;
  batch: string;
  order?: string;
}

export interface SapInspectionLot {
  inspectionLot: string;
  material: string;
  batch: string;
  plant: string;
  order?: string;
  origin: string;
  quantity: Quantity;
  toBePosted: Quantity;
  postedToUnrestricted: Quantity;
  postedToScrap: Quantity;
  postedToBlocked: Quantity;
  hasUsageDecision: boolean;
  stockPostingCompleted: boolean;
  status: 'open' | 'decided' | 'posted' | 'cancelled';
}

export interface SapFindInspectionLotResult {
  found: boolean;
  /** The lot to act on: the oldest one still without a usage decision, else the newest. */
  inspectionLot?: string;
  status?: SapInspectionLot['status'];
  /** Every lot for material + batch (+ order): one per goods receipt into QI. */
  lots: SapInspectionLot[];
}

export interface SapRecordUsageDecisionInput {
  inspectionLot: string;
  decision: 'accept' | 'reject';
  /** Usage decision code overriding the table default (A / R). */
  code?: string;
  /** plantflow user id; sent upper-cased and cut to SAP's 12 characters. */
  decidedBy: string;
  idempotencyKey: string;
}

export interface SapRecordUsageDecisionResult {
  inspectionLot: string;
  code: string;
  valuation: string;
  alreadyDecided: boolean;
}

export interface SapPostInspectionLotStockInput {
  inspectionLot: string;
  to: 'unrestricted' | 'blocked' | 'scrap';
  quantity: Quantity;
  idempotencyKey: string;
}

export interface SapPostInspectionLotStockResult {
  inspectionLot: string;
  item: string;
  materialDocument: string;
  year: string;
  alreadyPosted: boolean;
}

export interface SapDefectInput {
  /** `GROUP/CODE` or `CODE` (default code group from plant.ts); SAP codes are at most 4 characters. */
  code: string;
  text: string;
  quantity?: Quantity;
}

export interface SapCreateQualityNotificationInput {
  idempotencyKey: string;
  text: string;
  material: string;
  plant: string;
  batch?: string;
  inspectionLot?: string;
  defects?: SapDefectInput[];
}

export interface SapCreateQualityNotificationResult {
  notification: string;
  alreadyCreated: boolean;
}

export interface SapCompleteQualityNotificationInput {
  notification: string;
}

export interface SapCompleteQualityNotificationResult {
  notification: string;
  /** Processing phase in SAP afterwards (1 outstanding … 4 completed). */
  phase: string;
  /** `left_open`: no way to complete it through the API on this tenant (see `reason`); QM completes it in SAP. */
  outcome: 'completed' | 'already_completed' | 'left_open';
  reason?: string;
}
