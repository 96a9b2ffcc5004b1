import type { Quantity } from './quantity';
import type { ExceptionAction, ExceptionReport } from './exceptions';

/**
 * The SAP material documents an order posted (goods receipts 101, goods issues 261) against what SAP holds
 * by their key (the header text carries a hash of the posting's idempotency key). A document cancelled in SAP
 * or absent is drift; re-applying posts the movement again under the next key of its chain.
 */

export interface RecordedGoodsMovement {
  step: string;
  /** The posting's idempotency key (workflow id + step). */
  key: string;
  movementType: '101' | '261';
  material: string;
  lotId: string;
  quantity: Quantity;
  postingDate: string;
}

/** What SAP holds for a recorded goods movement, following the chain of re-applied postings. */
export interface MaterialDocumentReading {
  key: string;
  state: 'posted' | 'reversed' | 'missing';
  reversals: number;
  /** The material document found, when there is one. */
  document?: string;
  reapplyKey: string;
}

export interface GoodsMovementRepair {
  kind: 'postGoodsMovement';
  movementType: '101' | '261';
  material: string;
  plant: string;
  batch: string;
  quantity: Quantity;
  order: string;
  postingDate: string;
  idempotencyKey: string;
}

export function materialDocumentDrift(
  base: Pick<ExceptionReport, 'kind' | 'site' | 'at'>,
  order: { orderRef: string; sapOrder: string },
  movement: RecordedGoodsMovement,
  found: MaterialDocumentReading | undefined,
  actions: ExceptionAction[],
): { report: ExceptionReport; repair: GoodsMovementRepair; provablyOurs: boolean } | undefined {
  if (!found || found.state === 'posted') return undefined;
  const reversed = found.state === 'reversed';
  const what = movement.movementType === '101' ? 'goods receipt' : 'goods issue';
  const repair: GoodsMovementRepair = {
    kind: 'postGoodsMovement',
    movementType: movement.movementType,
    material: movement.material,
    plant: base.site,
    batch: movement.lotId,
    quantity: movement.quantity,
    order: order.sapOrder,
    postingDate: movement.postingDate,
    idempotencyKey: found.reapplyKey,
  };
  return {
    provablyOurs: !reversed,
    repair,
    report: {
      ...base,
      key: `sap-material-document:${movement.key}:${reversed ? `reversed-${found.reversals}` : 'missing'}`,
      subject: { orderRef: order.orderRef, material: movement.material, lotId: movement.lotId, system: 'sap' },
      summary: reversed
        ? `SAP ${what} ${movement.movementType} of ${movement.material} lot ${movement.lotId} (order ${order.orderRef}) was cancelled in SAP`
        : `SAP lacks the ${what} ${movement.movementType} of ${movement.material} lot ${movement.lotId} plantflow posted for order ${order.orderRef}`,
      reason: {
        code: reversed ? 'MaterialDocumentCancelled' : 'MaterialDocumentMissing',
        message: `plantflow posted step ${movement.step} to SAP order ${order.sapOrder}; SAP holds no active material document for it`,
      },
      expected: {
        value: {
          movementType: movement.movementType,
          material: movement.material,
          lotId: movement.lotId,
          quantity: movement.quantity,
        },
      },
      actual: { state: found.state, reversals: found.reversals, document: found.document },
      actions,
    },
  };
}
