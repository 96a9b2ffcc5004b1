import Decimal from 'decimal.js';
import { edmTime, renderDecimal, utcMidnight } from '../odata/edm';
import { openInspectionLot } from './inspection-lot';
import { messages } from './messages';
import type { SapModel } from './model';
import { applyIssue, applyReceipt, assertPostable } from './orders';
import type { MaterialDocument, MaterialDocumentItem, StockRecord, StockType } from './types';

/**
 * Inventory management: movement types move quantities between stock types of one
 * material/plant/storage location/batch; 101/102 and 261/262 also update the production order.
 */
type Side = StockType | 'receipt';
interface MovementRule {
  codes: string[];
  from?: Side;
  to?: Side;
  order?: 'receipt' | 'issue';
  sign?: 1 | -1;
  debitCredit: 'S' | 'H';
}

export const MOVEMENT_RULES: Record<string, MovementRule> = {
  '101': { codes: ['02'], to: 'receipt', order: 'receipt', sign: 1, debitCredit: 'S' },
  '102': { codes: ['02'], from: 'receipt', order: 'receipt', sign: -1, debitCredit: 'H' },
  '261': { codes: ['03'], from: 'unrestricted', order: 'issue', sign: 1, debitCredit: 'H' },
  '262': { codes: ['03'], to: 'unrestricted', order: 'issue', sign: -1, debitCredit: 'S' },
  '321': { codes: ['04'], from: 'qualityInspection', to: 'unrestricted', debitCredit: 'S' },
  '322': { codes: ['04'], from: 'unrestricted', to: 'qualityInspection', debitCredit: 'S' },
  '343': { codes: ['04'], from: 'blocked', to: 'unrestricted', debitCredit: 'S' },
  '344': { codes: ['04'], from: 'unrestricted', to: 'blocked', debitCredit: 'S' },
  '349': { codes: ['04'], from: 'blocked', to: 'qualityInspection', debitCredit: 'S' },
  '350': { codes: ['04'], from: 'qualityInspection', to: 'blocked', debitCredit: 'S' },
  '551': { codes: ['03'], from: 'unrestricted', debitCredit: 'H' },
  '552': { codes: ['03'], to: 'unrestricted', debitCredit: 'S' },
  '553': { codes: ['03'], from: 'qualityInspection', debitCredit: 'H' },
  '554': { codes: ['03'], to: 'qualityInspection', debitCredit: 'S' },
  '555': { codes: ['03'], from: 'blocked', debitCredit: 'H' },
  '556': { codes: ['03'], to: 'blocked', debitCredit: 'S' },
  // Goods receipt without a purchase order (a supplier delivery booked in by the warehouse) and its reversal.
  '501': { codes: ['05'], to: 'receipt', debitCredit: 'S' },
  '502': { codes: ['05'], from: 'receipt', debitCredit: 'H' },
};

/** Cancelling a movement posts its counterpart: 101↔102, 261↔262, 321↔322, 551↔552 … */
export const reversalType = (type: string): string =>
  String(Number(type) % 2 === 1 ? Number(type) + 1 : Number(type) - 1);

export const STOCK_TYPE_CODE: Record<StockType, string> = {
  unrestricted: '01',
  qualityInspection: '02',
  blocked: '07',
};

export interface MovementInput {
  GoodsMovementType: string;
  Material: string;
  Plant: string;
  StorageLocation: string;
  Batch: string;
  QuantityInEntryUnit: string;
  EntryUnit?: string;
  ManufacturingOrder?: string;
  Reservation?: string;
  ReservationItem?: string;
  ReservationIsFinallyIssued?: boolean;
  InventoryUsabilityCode?: string;
  GoodsMovementReasonCode?: string;
  CostCenter?: string;
  MaterialDocumentItemText?: string;
  /** Fixed stock type of the receipt side (reversals take it from the original item). */
  receiptStockType?: StockType;
  reverses?: { MaterialDocument: string; MaterialDocumentYear: string; MaterialDocumentItem: string };
}

export interface DocumentInput {
  GoodsMovementCode: string;
  PostingDate: number;
  DocumentDate?: number;
  MaterialDocumentHeaderText?: string;
  ReferenceDocument?: string;
  items: MovementInput[];
}

function stockRecord(model: SapModel, m: MovementInput): StockRecord {
  let rec = model.state.stock.find(
    (s) =>
      s.Material === m.Material &&
      s.Plant === m.Plant &&
      s.StorageLocation === m.StorageLocation &&
      s.Batch === m.Batch,
  );
  if (!rec) {
    rec = {
      Material: m.Material,
      Plant: m.Plant,
      StorageLocation: m.StorageLocation,
      Batch: m.Batch,
      unrestricted: '0',
      qualityInspection: '0',
      blocked: '0',
    };
    model.state.stock.push(rec);
  }
  return rec;
}

function receiptSide(model: SapModel, m: MovementInput): StockType {
  if (m.receiptStockType) return m.receiptStockType;
  if (model.material(m.Material)?.inspectionManaged) return 'qualityInspection';
  const code = (m.InventoryUsabilityCode ?? '').toUpperCase();
  if (code === 'X' || code === '2') return 'qualityInspection';
  if (code === 'S' || code === '3') return 'blocked';
  return 'unrestricted';
}

/** Posts one material document atomically (callers run it inside model.transaction). */
export function postDocument(model: SapModel, input: DocumentInput, now: number, user: string): MaterialDocument {
  model.assertPeriodOpen(input.PostingDate);
  if (input.items.length === 0) throw messages.invalid('M7/097', 'Enter at least one item');
  const year = String(new Date(input.PostingDate).getUTCFullYear());
  const doc: MaterialDocument = {
    MaterialDocumentYear: year,
    MaterialDocument: model.next('materialDocument'),
    GoodsMovementCode: input.GoodsMovementCode,
    InventoryTransactionType: '',
    DocumentDate: input.DocumentDate ?? input.PostingDate,
    PostingDate: input.PostingDate,
    CreationDate: utcMidnight(now),
    CreationTime: edmTime(new Date(now)),
    CreatedByUser: user,
    MaterialDocumentHeaderText: input.MaterialDocumentHeaderText ?? '',
    ReferenceDocument: input.ReferenceDocument ?? '',
    items: [],
  };
  model.state.materialDocuments.push(doc);
  input.items.forEach((m, i) => doc.items.push(postItem(model, doc, m, i + 1)));
  return doc;
}

function postItem(model: SapModel, doc: MaterialDocument, m: MovementInput, index: number): MaterialDocumentItem {
  const rule = MOVEMENT_RULES[m.GoodsMovementType];
  if (!rule || (doc.GoodsMovementCode !== '06' && !rule.codes.includes(doc.GoodsMovementCode))) {
    throw messages.movementTypeInvalid(m.GoodsMovementType, doc.GoodsMovementCode);
  }
  const material = model.material(m.Material);
  if (!material || m.Plant !== '1710') throw messages.materialMissing(m.Material, m.Plant);
  if (!m.StorageLocation) throw messages.invalid('M7/018', `Enter a storage location for material ${m.Material}`);
  if (material.batchManaged && !m.Batch) throw messages.batchRequired(m.Material);
  const unit = m.EntryUnit || material.BaseUnit;
  if (unit !== material.BaseUnit) throw messages.unitMismatch(unit, material.BaseUnit);
  const qty = new Decimal(m.QuantityInEntryUnit || '0');
  if (!qty.gt(0)) throw messages.invalid('M7/063', 'Enter a quantity greater than zero');
  const isReceipt = rule.to !== undefined && rule.from === undefined;
  if (m.Batch && !model.batch(m.Material, m.Batch)) {
    // A receipt creates the batch master on the fly; an issue from an unknown batch is refused.
    if (!isReceipt) throw messages.batchMissing(m.Material, m.Batch);
    const at = model.stamp();
    model.state.batches.push({
      Material: m.Material,
      BatchIdentifyingPlant: '',
      Batch: m.Batch,
      BatchIsMarkedForDeletion: false,
      MatlBatchIsInRstrcdUseStock: false,
      ShelfLifeExpirationDate: null,
      ManufactureDate: null,
      CreationDateTime: at,
      LastChangeDateTime: at,
    });
  }
  const rec = stockRecord(model, m);
  const from = rule.from === 'receipt' ? receiptSide(model, m) : rule.from;
  const to = rule.to === 'receipt' ? receiptSide(model, m) : rule.to;
  if (from) {
    const restricted =
      from === 'unrestricted' && model.batch(m.Material, m.Batch)?.MatlBatchIsInRstrcdUseStock === true;
    const available = restricted ? new Decimal(0) : new Decimal(rec[from]);
    if (available.lt(qty)) {
      const missing = renderDecimal(
        qty.minus(available).toFixed(),
        { name: 'q', type: 'Decimal', unit: 'u' },
        { u: unit },
      );
      throw messages.deficit(from, missing, unit, m.Material, m.Plant, m.StorageLocation, m.Batch);
    }
    rec[from] = new Decimal(rec[from]).minus(qty).toFixed();
  }
  if (to) rec[to] = new Decimal(rec[to]).plus(qty).toFixed();

  const item: MaterialDocumentItem = {
    MaterialDocumentItem: String(index),
    Material: m.Material,
    Plant: m.Plant,
    StorageLocation: m.StorageLocation,
    Batch: m.Batch,
    GoodsMovementType: m.GoodsMovementType,
    InventoryStockType: STOCK_TYPE_CODE[(from ?? to)!],
    InventoryUsabilityCode: m.InventoryUsabilityCode ?? '',
    ManufacturingOrder: m.ManufacturingOrder ?? '',
    ManufacturingOrderItem: rule.order === 'receipt' ? '1' : '',
    GoodsMovementRefDocType: rule.order === 'receipt' ? 'F' : '',
    GoodsMovementReasonCode: m.GoodsMovementReasonCode ?? '',
    CostCenter: m.CostCenter ?? '',
    EntryUnit: unit,
    QuantityInEntryUnit: qty.toFixed(),
    MaterialBaseUnit: material.BaseUnit,
    QuantityInBaseUnit: qty.toFixed(),
    IssgOrRcvgMaterial: from && to ? m.Material : '',
    IssgOrRcvgBatch: from && to ? m.Batch : '',
    IssuingOrReceivingPlant: from && to ? m.Plant : '',
    IssuingOrReceivingStorageLoc: from && to ? m.StorageLocation : '',
    IssuingOrReceivingStockType: from && to ? STOCK_TYPE_CODE[to] : '',
    Reservation: m.Reservation ?? '',
    ReservationItem: m.ReservationItem ?? '',
    ReservationIsFinallyIssued: false,
    IsCompletelyDelivered: false,
    MaterialDocumentItemText: m.MaterialDocumentItemText ?? '',
    GoodsMovementIsCancelled: false,
    ReversedMaterialDocumentYear: m.reverses?.MaterialDocumentYear ?? '',
    ReversedMaterialDocument: m.reverses?.MaterialDocument ?? '',
    ReversedMaterialDocumentItem: m.reverses?.MaterialDocumentItem ?? '',
    DebitCreditCode: rule.debitCredit,
  };
  if (rule.order) {
    if (!m.ManufacturingOrder)
      throw messages.invalid('M7/029', `Enter an order for movement type ${m.GoodsMovementType}`);
    const order = model.order(m.ManufacturingOrder) ?? fail(messages.orderMissing(m.ManufacturingOrder));
    if (!m.reverses) assertPostable(order);
    item.ManufacturingOrder = order.ManufacturingOrder;
    const signed = rule.sign === -1 ? qty.negated() : qty;
    if (rule.order === 'receipt') item.IsCompletelyDelivered = applyReceipt(model, order, m.Material, signed);
    else {
      const res = applyIssue(
        model,
        order,
        {
          Material: m.Material,
          Reservation: m.Reservation ?? '',
          ReservationItem: m.ReservationItem ?? '',
          ReservationIsFinallyIssued: m.ReservationIsFinallyIssued,
        },
        signed,
      );
      if (res)
        Object.assign(item, {
          Reservation: res.Reservation,
          ReservationItem: res.ReservationItem,
          ReservationIsFinallyIssued: res.finallyIssued,
        });
    }
  }
  if (m.GoodsMovementType === '101' && to === 'qualityInspection' && material.inspectionManaged)
    openInspectionLot(model, doc, item);
  return item;
}

function fail(err: Error): never {
  throw err;
}

/** The stock type an item's receipt went to / issue came from, for its reversal. */
export function stockTypeOf(code: string): StockType {
  return code === '02' ? 'qualityInspection' : code === '07' ? 'blocked' : 'unrestricted';
}
