import Decimal from 'decimal.js';
import { edmTime, utcMidnight } from '../odata/edm';
import type { SapMessage } from '../odata/errors';
import { ODataError } from '../odata/errors';
import { cancelMaterialDocumentItems } from './documents';
import { messages } from './messages';
import type { SapModel } from './model';
import { postDocument, type MovementInput } from './movements';
import { assertPostable, recomputeConfirmationStatus, setStatuses, touch } from './orders';
import { PLANT } from './seed';
import type { Confirmation, OrderRecord } from './types';

/**
 * Production order confirmations (API_PROD_ORDER_CONFIRMATION_2_SRV): yield/scrap/rework per operation,
 * partial or final, optional goods movements posted with them. A failing goods movement goes to the error
 * pool (COGI) while the confirmation itself is saved — the way the BAPI behind the API works.
 */
export interface ConfirmationInput {
  OrderID: string;
  OrderOperation: string;
  ConfirmationUnit?: string;
  ConfirmationYieldQuantity?: string;
  ConfirmationScrapQuantity?: string;
  ConfirmationReworkQuantity?: string;
  VarianceReasonCode?: string;
  IsFinalConfirmation?: boolean;
  APIConfHasNoGoodsMovements?: boolean;
  ExternalSystemConfirmation?: string;
  ConfirmationText?: string;
  PostingDate?: number;
  Personnel?: string;
  EnteredByExternalUser?: string;
  goodsMovements: Array<
    Partial<MovementInput> & { GoodsMovementType: string; Material: string; QuantityInEntryUnit: string }
  >;
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const dec = (v: string | undefined): Decimal => new Decimal(v || '0');

export function createConfirmation(
  model: SapModel,
  input: ConfirmationInput,
  now: number,
  user: string,
): { confirmation: Confirmation; warnings: SapMessage[] } {
  const postingDate = model.postingDate(input.PostingDate, now);
  model.assertPeriodOpen(postingDate);
  if (!input.OrderID) throw messages.invalid('RU/001', 'Enter an order number');
  const order = model.order(input.OrderID) ?? fail(messages.orderMissing(input.OrderID));
  model.assertNotLocked(order.ManufacturingOrder);
  assertPostable(order);
  if (order.statuses.includes('TECO')) throw messages.statusActive('TECO', order.ManufacturingOrder);
  const op =
    order.operations.find((o) => o.ManufacturingOrderOperation === input.OrderOperation) ??
    fail(messages.operationMissing(order.ManufacturingOrder, input.OrderOperation));
  if (op.statuses.includes('CNF'))
    throw messages.operationFinallyConfirmed(order.ManufacturingOrder, op.ManufacturingOrderOperation);
  const unit = input.ConfirmationUnit || order.ProductionUnit;
  if (unit !== order.ProductionUnit) throw messages.unitMismatch(unit, order.ProductionUnit);
  const yieldQty = dec(input.ConfirmationYieldQuantity);
  const scrap = dec(input.ConfirmationScrapQuantity);
  const rework = dec(input.ConfirmationReworkQuantity);
  if (yieldQty.isNegative() || scrap.isNegative() || rework.isNegative())
    throw messages.invalid('RU/011', 'Quantities must not be negative');

  const group = op.ConfirmationGroup;
  const confirmation: Confirmation = {
    ConfirmationGroup: group,
    ConfirmationCount: nextCount(model, group),
    OrderID: order.ManufacturingOrder,
    OrderOperation: op.ManufacturingOrderOperation,
    Sequence: '0',
    OrderType: order.ManufacturingOrderType,
    Material: order.Material,
    Plant: order.ProductionPlant,
    WorkCenter: op.WorkCenter,
    ConfirmationUnit: unit,
    ConfirmationYieldQuantity: yieldQty.toFixed(),
    ConfirmationScrapQuantity: scrap.toFixed(),
    ConfirmationReworkQuantity: rework.toFixed(),
    VarianceReasonCode: input.VarianceReasonCode ?? '',
    IsFinalConfirmation: input.IsFinalConfirmation === true,
    FinalConfirmationType: input.IsFinalConfirmation ? 'X' : '',
    OpenReservationsIsCleared: false,
    IsReversed: false,
    IsReversal: false,
    APIConfHasNoGoodsMovements: input.APIConfHasNoGoodsMovements === true,
    ExternalSystemConfirmation: input.ExternalSystemConfirmation ?? ZERO_GUID,
    ConfirmationText: input.ConfirmationText ?? '',
    PostingDate: postingDate,
    ConfirmationEntryDate: utcMidnight(now),
    ConfirmationEntryTime: edmTime(new Date(now)),
    EnteredByUser: user,
    EnteredByExternalUser: input.EnteredByExternalUser ?? '',
    Personnel: input.Personnel ?? '',
    OrderConfirmationRecordType: 'L40',
    cancelledCount: '',
    goodsMovements: [],
  };
  op.OpTotalConfirmedYieldQty = dec(op.OpTotalConfirmedYieldQty).plus(yieldQty).toFixed();
  op.OpTotalConfirmedScrapQty = dec(op.OpTotalConfirmedScrapQty).plus(scrap).toFixed();
  op.statuses = setStatuses(
    op.statuses,
    [confirmation.IsFinalConfirmation ? 'CNF' : 'PCNF'],
    confirmation.IsFinalConfirmation ? ['PCNF'] : [],
  );
  recomputeConfirmationStatus(order);
  touch(model, order);
  model.state.confirmations.push(confirmation);

  const warnings: SapMessage[] = [];
  if (!confirmation.APIConfHasNoGoodsMovements && input.goodsMovements.length > 0) {
    postConfirmationMovements(model, order, confirmation, input.goodsMovements, now, user, warnings);
  }
  return { confirmation, warnings };
}

function postConfirmationMovements(
  model: SapModel,
  order: OrderRecord,
  confirmation: Confirmation,
  lines: ConfirmationInput['goodsMovements'],
  now: number,
  user: string,
  warnings: SapMessage[],
): void {
  const items: MovementInput[] = lines.map((l) => ({
    GoodsMovementType: l.GoodsMovementType,
    Material: l.Material,
    Plant: l.Plant || PLANT,
    StorageLocation:
      l.StorageLocation ||
      (l.GoodsMovementType === '101'
        ? order.StorageLocation
        : (order.components.find((c) => c.Material === l.Material)?.StorageLocation ?? '')),
    Batch: l.Batch ?? '',
    QuantityInEntryUnit: l.QuantityInEntryUnit,
    EntryUnit: l.EntryUnit,
    ManufacturingOrder: order.ManufacturingOrder,
    Reservation: l.Reservation,
    ReservationItem: l.ReservationItem,
    ReservationIsFinallyIssued: l.ReservationIsFinallyIssued,
    InventoryUsabilityCode: l.InventoryUsabilityCode,
    MaterialDocumentItemText: l.MaterialDocumentItemText,
  }));
  const hasReceipt = items.some((i) => i.GoodsMovementType === '101' || i.GoodsMovementType === '102');
  try {
    const doc = model.transaction(() =>
      postDocument(
        model,
        { GoodsMovementCode: hasReceipt ? '02' : '03', PostingDate: confirmation.PostingDate, items },
        now,
        user,
      ),
    );
    confirmation.goodsMovements = doc.items.map((i) => ({
      MaterialDocument: doc.MaterialDocument,
      MaterialDocumentYear: doc.MaterialDocumentYear,
      MaterialDocumentItem: i.MaterialDocumentItem,
    }));
  } catch (err) {
    if (!(err instanceof ODataError) || err.status !== 400) throw err;
    // The transaction restored the state: re-find the records this function was given.
    const saved = model.state.confirmations.find(
      (c) =>
        c.ConfirmationGroup === confirmation.ConfirmationGroup &&
        c.ConfirmationCount === confirmation.ConfirmationCount,
    )!;
    for (const i of items) {
      model.state.failedGoodsMovements.push({
        ConfirmationGroup: saved.ConfirmationGroup,
        ConfirmationCount: saved.ConfirmationCount,
        Material: i.Material,
        Batch: i.Batch,
        GoodsMovementType: i.GoodsMovementType,
        QuantityInEntryUnit: i.QuantityInEntryUnit,
        EntryUnit: i.EntryUnit ?? '',
        message: err.message,
      });
    }
    warnings.push({
      code: err.code,
      message: `Goods movements of confirmation ${saved.ConfirmationGroup}/${saved.ConfirmationCount} failed and were saved for reprocessing (COGI): ${err.message}`,
      severity: 'warning',
    });
  }
}

function nextCount(model: SapModel, group: string): string {
  const counts = model.state.confirmations
    .filter((c) => c.ConfirmationGroup === group)
    .map((c) => Number(c.ConfirmationCount));
  return String(counts.length ? Math.max(...counts) + 1 : 1);
}

export function findConfirmation(model: SapModel, group: string, count: string): Confirmation | undefined {
  return model.state.confirmations.find((c) => c.ConfirmationGroup === group && c.ConfirmationCount === count);
}

/** CancelProdnOrdConf: a cancellation record, quantities rolled back, goods movements reversed (262/102). */
export function cancelConfirmation(
  model: SapModel,
  input: {
    ConfirmationGroup: string;
    ConfirmationCount: string;
    PostingDate?: number;
    ConfirmationText?: string;
    ExternalSystemConfirmation?: string;
  },
  now: number,
  user: string,
): Confirmation {
  const original =
    findConfirmation(model, input.ConfirmationGroup, input.ConfirmationCount) ??
    fail(messages.confirmationMissing(input.ConfirmationGroup, input.ConfirmationCount));
  const postingDate = model.postingDate(input.PostingDate, now);
  model.assertPeriodOpen(postingDate);
  model.assertNotLocked(original.OrderID);
  if (original.IsReversal) throw messages.cancelOfCancellation(original.ConfirmationGroup, original.ConfirmationCount);
  if (original.IsReversed) throw messages.confirmationCancelled(original.ConfirmationGroup, original.ConfirmationCount);
  const order = model.order(original.OrderID)!;
  const op = order.operations.find((o) => o.ManufacturingOrderOperation === original.OrderOperation)!;
  const reversal: Confirmation = {
    ...original,
    ConfirmationCount: nextCount(model, original.ConfirmationGroup),
    IsReversal: true,
    IsReversed: false,
    ExternalSystemConfirmation: input.ExternalSystemConfirmation ?? ZERO_GUID,
    ConfirmationText: input.ConfirmationText ?? original.ConfirmationText,
    PostingDate: postingDate,
    ConfirmationEntryDate: utcMidnight(now),
    ConfirmationEntryTime: edmTime(new Date(now)),
    EnteredByUser: user,
    cancelledCount: original.ConfirmationCount,
    goodsMovements: [],
  };
  original.IsReversed = true;
  op.OpTotalConfirmedYieldQty = dec(op.OpTotalConfirmedYieldQty).minus(original.ConfirmationYieldQuantity).toFixed();
  op.OpTotalConfirmedScrapQty = dec(op.OpTotalConfirmedScrapQty).minus(original.ConfirmationScrapQuantity).toFixed();
  const stillConfirmed = model.state.confirmations.some(
    (c) => c !== original && c.ConfirmationGroup === original.ConfirmationGroup && !c.IsReversal && !c.IsReversed,
  );
  if (original.IsFinalConfirmation || !stillConfirmed) {
    op.statuses = setStatuses(op.statuses, stillConfirmed ? ['PCNF'] : [], [
      'CNF',
      ...(stillConfirmed ? [] : ['PCNF']),
    ]);
  }
  recomputeConfirmationStatus(order);
  touch(model, order);
  model.state.confirmations.push(reversal);
  if (original.goodsMovements.length > 0) {
    const doc = cancelMaterialDocumentItems(model, original.goodsMovements, postingDate, now, user);
    if (doc) {
      reversal.goodsMovements = doc.items.map((i) => ({
        MaterialDocument: doc.MaterialDocument,
        MaterialDocumentYear: doc.MaterialDocumentYear,
        MaterialDocumentItem: i.MaterialDocumentItem,
      }));
    }
  }
  return reversal;
}

function fail(err: Error): never {
  throw err;
}
