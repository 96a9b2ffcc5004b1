import { edmTime, utcMidnight } from '../odata/edm';
import type { SapModel } from './model';
import type { InspectionLot, MaterialDocument, MaterialDocumentItem } from './types';

/**
 * A goods receipt from production into QI stock opens an inspection lot (origin 04).
 */
export function openInspectionLot(model: SapModel, doc: MaterialDocument, item: MaterialDocumentItem): InspectionLot {
  const now = model.stamp();
  const lot: InspectionLot = {
    InspectionLot: model.next('inspectionLot'),
    Material: item.Material,
    Batch: item.Batch,
    Plant: item.Plant,
    InspectionLotOrigin: '04',
    InspectionLotType: '04',
    ManufacturingOrder: item.ManufacturingOrder,
    InspectionLotText: `GR from production order ${item.ManufacturingOrder}`.slice(0, 40),
    InspectionLotQuantity: item.QuantityInEntryUnit,
    InspectionLotActualQuantity: item.QuantityInEntryUnit,
    InspectionLotQuantityUnit: item.EntryUnit,
    InspectionLotStorageLocation: item.StorageLocation,
    MaterialDocumentYear: doc.MaterialDocumentYear,
    MaterialDocument: doc.MaterialDocument,
    MaterialDocumentItem: item.MaterialDocumentItem,
    GoodsMovementType: item.GoodsMovementType,
    InspectionLotCreatedOn: utcMidnight(now),
    InspectionLotCreatedOnTime: edmTime(new Date(now)),
    InspLotQtyToFree: '0',
    InspLotQtyToScrap: '0',
    InspLotQtyToBlocked: '0',
    InspLotQtyToBePosted: item.QuantityInEntryUnit,
    ChangedDateTime: now,
    canceled: false,
    usageDecision: null,
    stockPostings: [],
  };
  model.state.inspectionLots.push(lot);
  return lot;
}

/** Reversing the goods receipt of a lot without decision or postings cancels the lot (status LTCA). */
