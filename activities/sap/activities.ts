import { ensureBatch, readBatch, setBatchRestricted } from './batches';
import { postConfirmation } from './confirmations';
import { postGoodsMovement } from './goods-movements';
import { postBatch, type SapPostBatchInput, type SapPostBatchResult } from './posting-batch';
import { findInspectionLot, postInspectionLotStock, recordUsageDecision } from './inspection';
import type { SapCustomizing } from '../../contracts/sap-customizing';
import { SapODataClient, type SapClientDeps } from './odata-client';
import { readBatchStock } from './stock';
import { readProductionOrder, releaseProductionOrder, technicallyCompleteOrder } from './orders';
import { completeQualityNotification, createQualityNotification } from './quality';
import {
  checkConfirmations,
  readConfirmations,
  readBatches,
  type SapCheckConfirmationsInput,
  type SapReadBatchesInput,
} from './reconciliation';
import { checkMaterialDocuments, type SapCheckMaterialDocumentsInput } from './material-documents-read';
import { createReworkOrder, type SapCreateReworkOrderInput, type SapCreateReworkOrderResult } from './rework';
import type {
  SapBatchInfo,
  SapBatchStock,
  SapBatchResult,
  SapCompleteQualityNotificationInput,
  SapCompleteQualityNotificationResult,
  SapCreateQualityNotificationInput,
  SapCreateQualityNotificationResult,
  SapEnsureBatchInput,
  SapFindInspectionLotInput,
  SapFindInspectionLotResult,
  SapOrderActionInput,
  SapPostConfirmationInput,
  SapPostConfirmationResult,
  SapPostGoodsMovementInput,
  SapPostGoodsMovementResult,
  SapPostInspectionLotStockInput,
  SapPostInspectionLotStockResult,
  SapProductionOrder,
  SapReadBatchInput,
  SapReadBatchStockInput,
  SapReadProductionOrderInput,
  SapRecordUsageDecisionInput,
  SapRecordUsageDecisionResult,
  SapReleaseProductionOrderResult,
  SapSetBatchRestrictedInput,
  SapTechnicallyCompleteOrderResult,
} from './types';

export type * from './types';
export type { SapBatchedPosting, SapPostBatchInput, SapPostBatchResult } from './posting-batch';

/** Shape of PlantflowConfig['sap'] the adapter needs (url, user, password, client?, timeoutMs, customizing). */
export type SapActivityDeps = SapClientDeps & { customizing?: SapCustomizing };

/**
 * The SAP S/4HANA activities (task queue plantflow-sap). Plain async functions, one JSON-safe object in and
 * out; every write is idempotent (see each verb). One protocol client — one session and cookie jar — per
 * factory call.
 */
export function createSapActivities(deps: SapActivityDeps) {
  const client = new SapODataClient(deps);
  return {
    sapReadProductionOrder: (input: SapReadProductionOrderInput): Promise<SapProductionOrder> =>
      readProductionOrder(client, input),
    sapReleaseProductionOrder: (input: SapOrderActionInput): Promise<SapReleaseProductionOrderResult> =>
      releaseProductionOrder(client, input),
    sapTechnicallyCompleteOrder: (input: SapOrderActionInput): Promise<SapTechnicallyCompleteOrderResult> =>
      technicallyCompleteOrder(client, input),
    sapPostConfirmation: (input: SapPostConfirmationInput): Promise<SapPostConfirmationResult> =>
      postConfirmation(client, input),
    sapPostGoodsMovement: (input: SapPostGoodsMovementInput): Promise<SapPostGoodsMovementResult> =>
      postGoodsMovement(client, input, deps.customizing),
    /** Several confirmations and goods movements of one order, each exactly once, in one call. */
    sapPostBatch: (input: SapPostBatchInput): Promise<SapPostBatchResult> => postBatch(client, input, deps.customizing),
    sapEnsureBatch: (input: SapEnsureBatchInput): Promise<SapBatchResult> => ensureBatch(client, input),
    sapSetBatchRestricted: (input: SapSetBatchRestrictedInput): Promise<SapBatchResult> =>
      setBatchRestricted(client, input),
    sapReadBatch: (input: SapReadBatchInput): Promise<SapBatchInfo> => readBatch(client, input),
    sapReadBatchStock: (input: SapReadBatchStockInput): Promise<SapBatchStock> => readBatchStock(client, input),
    /** Reconciliation: recorded confirmations against SAP's, many orders per read. */
    sapCheckConfirmations: (input: SapCheckConfirmationsInput) => checkConfirmations(client, input),
    /** Reconciliation: the same read, with SAP's active confirmed yield per order and operation. */
    sapReadConfirmations: (input: SapCheckConfirmationsInput) => readConfirmations(client, input),
    /** Reconciliation: many batches' restriction in one read. */
    sapReadBatches: (input: SapReadBatchesInput) => readBatches(client, input),
    /** Reconciliation: the material documents of up to 10 recorded goods movements, by their key. */
    sapCheckMaterialDocuments: (input: SapCheckMaterialDocumentsInput) => checkMaterialDocuments(client, input),
    sapFindInspectionLot: (input: SapFindInspectionLotInput): Promise<SapFindInspectionLotResult> =>
      findInspectionLot(client, input),
    sapRecordUsageDecision: (input: SapRecordUsageDecisionInput): Promise<SapRecordUsageDecisionResult> =>
      recordUsageDecision(client, input, deps.customizing),
    sapPostInspectionLotStock: (input: SapPostInspectionLotStockInput): Promise<SapPostInspectionLotStockResult> =>
      postInspectionLotStock(client, input, deps.customizing),
    sapCreateQualityNotification: (
      input: SapCreateQualityNotificationInput,
    ): Promise<SapCreateQualityNotificationResult> => createQualityNotification(client, input, deps.customizing),
    sapCompleteQualityNotification: (
      input: SapCompleteQualityNotificationInput,
    ): Promise<SapCompleteQualityNotificationResult> => completeQualityNotification(client, input, deps.customizing),
    sapCreateReworkOrder: (input: SapCreateReworkOrderInput): Promise<SapCreateReworkOrderResult> =>
      createReworkOrder(client, input, deps.customizing),
  };
}

export type SapActivities = ReturnType<typeof createSapActivities>;
