// Lot messages (docs/architecture.md §2.2): how a lot learns where it came from.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LotQuantity } from '../../domain/execution';
import type { LotDispositionRequest, SignedLotDisposition } from '../../domain/lot-disposition';
import type { InspectionResult } from '../../domain/lot-inspection';
import type { Quantity } from '../../domain/quantity';
import type { LotCarry, LotStatusView, ReceivedLotStart } from '../lot/state';
import type { RetryTuning } from '../shared/tuning';

/** Workflow type name of the lot process (workflows/lot.ts), for starts from outside the bundle. */
export const LOT_WORKFLOW_TYPE = 'materialLot';

export interface LotWorkflowStart {
  material: string;
  lotId: string;
  site: string;
  /** Present when the lot arrived from outside (POST /lots) rather than from a producing order. */
  received?: ReceivedLotStart;
  /** Time to a final disposition before the lot escalates, e.g. "5 days" (default DEFAULT_RELEASE_WITHIN). */
  releaseWithin?: string;
  tuning?: Partial<RetryTuning>;
  /** Continue-as-new after this many history events even if the server does not suggest it. */
  maxHistoryEvents?: number;
  carry?: LotCarry;
}

/**
 * Sent (with signal-with-start) by the producing order for every MaterialProduced of the lot. Parents
 * and executors are merged, quantities add up by source event.
 */
export interface LotProducedNotice {
  /** The producing order's event that made this quantity: repeated notices for it count once. */
  sourceEventId: string;
  quantity: Quantity;
  parents: LotQuantity[];
  producedBy: { orderRef: string; orderWorkflowId: string };
  executors: string[];
  producedAt: string;
}
export const lotProducedSignal = defineSignal<[LotProducedNotice]>('lotProduced');

/** Sent by the producing order once Odoo has received the finished goods (MO done): stock now exists to quarantine. */
export interface LotStockReceivedNotice {
  orderRef: string;
  receivedAt: string;
}
export const lotStockReceivedSignal = defineSignal<[LotStockReceivedNotice]>('lotStockReceived');

/** A hold on a lot from another workflow (an NCR's containment) or, through the API, from a person. */
export interface LotHoldRequest {
  holdId: string;
  reason: string;
  by: string;
  source: 'person' | 'ncr';
  ncrId?: string;
}
export interface LotLiftHoldRequest {
  holdId: string;
  by: string;
  reason: string;
  /** An NCR lifting its containment may name itself instead of (or beside) the hold id it used. */
  ncrId?: string;
}
/** Workflow-to-workflow hold and lift (an NCR containing a lot); people use the lot's Updates. */
export const placeLotHoldSignal = defineSignal<[LotHoldRequest]>('placeLotHold');
export const liftLotHoldSignal = defineSignal<[LotLiftHoldRequest]>('liftLotHold');

// ── The lot's own surface (workflows/lot.ts) ─────────────────────────────────────────────────────────

/**
 * A parent lot learns that a lot was made from it (sent best-effort by the registration of the child).
 * Forward genealogy does not depend on it: the child's ParentLots search attribute is the index.
 */
export interface LotChildNotice {
  material: string;
  lotId: string;
  /** How much of the parent the child's order had consumed when it registered the child. */
  quantity?: Quantity;
  orderRef?: string;
  learnedAt: string;
}
export const lotChildLearnedSignal = defineSignal<[LotChildNotice]>('lotChildLearned');

/** One inspection result (QMS / lab); duplicates (same eventId) are ignored. */
export const inspectionResultSignal = defineSignal<[InspectionResult]>('recordInspectionResult');

/**
 * An NCR tells each lot it concerns how it stands. Lifting its hold does not close it: the lot counts the
 * NCR open (a release then needs a QP override) until the NCR reports `closed`.
 */
export interface LotNcrStatusNotice {
  ncrId: string;
  status: 'open' | 'contained' | 'dispositioned' | 'closed';
  at: string;
  by: string;
}
export const lotNcrStatusSignal = defineSignal<[LotNcrStatusNotice]>('lotNcrStatus');

/** Disposition by a person: the API re-authenticated the signer and passes the verified identity. */
export const dispositionLotUpdate = defineUpdate<SignedLotDisposition, [LotDispositionRequest]>('dispositionLot');

/** Holds placed and lifted by people (roles qa/qp); NCR holds are lifted only by the NCR's signal. */
export interface PersonLotHoldRequest {
  holdId: string;
  reason: string;
  by: string;
}
export const placeLotHoldUpdate = defineUpdate<{ holds: number; status: string }, [PersonLotHoldRequest]>(
  'placeLotHoldUpdate',
);
export const liftLotHoldUpdate = defineUpdate<{ holds: number; status: string }, [LotLiftHoldRequest]>(
  'liftLotHoldUpdate',
);

export const lotStatusQuery = defineQuery<LotStatusView>('status');
