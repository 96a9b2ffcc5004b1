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
