// Lot messages (DESIGN §2.2): how a lot learns where it came from.
import { defineSignal } from '@temporalio/workflow';
import type { LotQuantity } from '../../domain/execution';
import type { Quantity } from '../../domain/quantity';

/** Workflow type name of the lot process (workflows/lot.ts), for starts from outside the bundle. */
export const LOT_WORKFLOW_TYPE = 'materialLot';

export interface LotWorkflowStart {
  material: string;
  lotId: string;
  site: string;
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
}
/** Workflow-to-workflow hold and lift (an NCR containing a lot); people use the lot's Updates. */
export const placeLotHoldSignal = defineSignal<[LotHoldRequest]>('placeLotHold');
export const liftLotHoldSignal = defineSignal<[LotLiftHoldRequest]>('liftLotHold');
