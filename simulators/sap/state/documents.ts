import { unpad } from '../odata/edm';
import { cancelLotOfReceipt } from './inspection';
import { messages } from './messages';
import type { SapModel } from './model';
import { postDocument, reversalType, stockTypeOf, type MovementInput } from './movements';
import type { MaterialDocument } from './types';

/** Material documents: lookup and reversal (Cancel function import, confirmation cancellation). */
export function findDocument(model: SapModel, doc: string, year: string): MaterialDocument | undefined {
  const key = unpad(doc);
  return model.state.materialDocuments.find((d) => d.MaterialDocument === key && d.MaterialDocumentYear === year);
}

type ItemRef = { MaterialDocument: string; MaterialDocumentYear: string; MaterialDocumentItem: string };

/**
 * Posts the reversal of the given items as one document (movement type ±1, same stock type, batch and
 * storage location); marks the originals cancelled. Returns undefined when every item was already reversed.
 */
export function cancelMaterialDocumentItems(
  model: SapModel,
  refs: ItemRef[],
  postingDate: number,
  now: number,
  user: string,
): MaterialDocument | undefined {
  const originals = refs
    .map((r) => {
      const doc = findDocument(model, r.MaterialDocument, r.MaterialDocumentYear);
      const item = doc?.items.find((i) => i.MaterialDocumentItem === r.MaterialDocumentItem);
      return doc && item ? { doc, item } : undefined;
    })
    .filter((x): x is NonNullable<typeof x> => x !== undefined && !x.item.GoodsMovementIsCancelled);
  if (originals.length === 0) return undefined;
  for (const { doc, item } of originals) if (item.GoodsMovementType === '101') cancelLotOfReceipt(model, doc, item);
  const items: MovementInput[] = originals.map(({ doc, item }) => ({
    GoodsMovementType: reversalType(item.GoodsMovementType),
    Material: item.Material,
    Plant: item.Plant,
    StorageLocation: item.StorageLocation,
    Batch: item.Batch,
    QuantityInEntryUnit: item.QuantityInEntryUnit,
    EntryUnit: item.EntryUnit,
    ManufacturingOrder: item.ManufacturingOrder || undefined,
    Reservation: item.Reservation || undefined,
    ReservationItem: item.ReservationItem || undefined,
    GoodsMovementReasonCode: item.GoodsMovementReasonCode || undefined,
    CostCenter: item.CostCenter || undefined,
    receiptStockType: stockTypeOf(item.InventoryStockType),
    reverses: {
      MaterialDocument: doc.MaterialDocument,
      MaterialDocumentYear: doc.MaterialDocumentYear,
      MaterialDocumentItem: item.MaterialDocumentItem,
    },
  }));
  const reversal = postDocument(model, { GoodsMovementCode: '06', PostingDate: postingDate, items }, now, user);
  for (const { item } of originals) item.GoodsMovementIsCancelled = true;
  return reversal;
}

/** Cancel(MaterialDocumentYear, MaterialDocument, PostingDate?): reverses every open item of the document. */
export function cancelDocument(
  model: SapModel,
  input: { MaterialDocument: string; MaterialDocumentYear: string; PostingDate?: number },
  now: number,
  user: string,
): MaterialDocument {
  const doc =
    findDocument(model, input.MaterialDocument, input.MaterialDocumentYear) ??
    fail(messages.documentMissing(input.MaterialDocument, input.MaterialDocumentYear));
  const postingDate = model.postingDate(input.PostingDate, now);
  const refs = doc.items.map((i) => ({
    MaterialDocument: doc.MaterialDocument,
    MaterialDocumentYear: doc.MaterialDocumentYear,
    MaterialDocumentItem: i.MaterialDocumentItem,
  }));
  const reversal = cancelMaterialDocumentItems(model, refs, postingDate, now, user);
  if (!reversal) throw messages.documentReversed(doc.MaterialDocument, doc.MaterialDocumentYear);
  return reversal;
}

function fail(err: Error): never {
  throw err;
}
