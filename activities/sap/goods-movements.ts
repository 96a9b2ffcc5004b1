import { z } from 'zod';
import { headerTextKey } from './idempotency';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { literal, quantityToSap, sapKey, toSapDate } from './odata-values';
import { plantCustomizing, type SapCustomizing } from '../../contracts/sap-customizing';
import { defaultStorageLocation } from './plant';
import type { SapPostGoodsMovementInput, SapPostGoodsMovementResult } from './types';

export const MATERIAL_DOCUMENT_SERVICE = 'API_MATERIAL_DOCUMENT_SRV';

/** GoodsMovementCode (BAPI GM_CODE) per movement type: 02 GR for order, 03 goods issue, 04 transfer posting. */
const GM_CODE: Record<SapPostGoodsMovementInput['movementType'], string> = {
  '101': '02',
  '102': '02',
  '261': '03',
  '262': '03',
  '551': '03',
  '553': '03',
  '555': '03',
  '321': '04',
  '322': '04',
  '343': '04',
  '344': '04',
  '349': '04',
  '350': '04',
};
const TRANSFERS = new Set(['321', '322', '343', '344', '349', '350']);
/** Scrapping (from unrestricted, QI, blocked) posts to a cost center: the plant's, unless SAP defaults one (OKB9). */
const SCRAPPING = new Set(['551', '553', '555']);

const headerSchema = z.object({ MaterialDocument: sapKey, MaterialDocumentYear: z.string().regex(/^\d{4}$/) });

/**
 * Posts one goods movement as a material document (header + one item, deep insert). Exactly once: the
 * header text carries a hash of the idempotency key and is searched before posting.
 */
export async function postGoodsMovement(
  client: SapODataClient,
  input: SapPostGoodsMovementInput,
  customizing?: SapCustomizing,
): Promise<SapPostGoodsMovementResult> {
  const i = checkInput(inputSchemas.goodsMovement, input, 'sapPostGoodsMovement');
  const headerText = headerTextKey(i.idempotencyKey);
  const what = `goods movement ${i.movementType} of ${i.material}`;
  const existing = await client.list(MATERIAL_DOCUMENT_SERVICE, 'A_MaterialDocumentHeader', headerSchema, what, {
    $filter: `MaterialDocumentHeaderText eq ${literal.string(headerText)}`,
    $select: 'MaterialDocument,MaterialDocumentYear',
  });
  if (existing[0])
    return {
      materialDocument: existing[0].MaterialDocument,
      year: existing[0].MaterialDocumentYear,
      alreadyPosted: true,
      messages: [],
    };
  const q = quantityToSap(i.quantity);
  const storageLocation = i.storageLocation ?? defaultStorageLocation(i.plant, i.movementType);
  const item: Record<string, unknown> = {
    Material: i.material,
    Plant: i.plant,
    StorageLocation: storageLocation,
    ...(i.batch ? { Batch: i.batch } : {}),
    GoodsMovementType: i.movementType,
    EntryUnit: q.unit,
    QuantityInEntryUnit: q.value,
    ...(i.order ? { ManufacturingOrder: i.order } : {}),
    ...(i.movementType === '101' || i.movementType === '102' ? { GoodsMovementRefDocType: 'F' } : {}),
    ...(i.reasonCode ? { GoodsMovementReasonCode: i.reasonCode } : {}),
  };
  const costCenter = SCRAPPING.has(i.movementType) ? plantCustomizing(customizing, i.plant).scrapCostCenter : undefined;
  if (costCenter) item.CostCenter = costCenter;
  if (TRANSFERS.has(i.movementType)) {
    // Stock-type transfers stay on the same material, plant, location and batch.
    Object.assign(item, {
      IssgOrRcvgMaterial: i.material,
      IssuingOrReceivingPlant: i.plant,
      IssuingOrReceivingStorageLoc: storageLocation,
      ...(i.batch ? { IssgOrRcvgBatch: i.batch } : {}),
    });
  }
  const today = new Date().toISOString().slice(0, 10);
  const created = await client.create(
    MATERIAL_DOCUMENT_SERVICE,
    'A_MaterialDocumentHeader',
    {
      GoodsMovementCode: GM_CODE[i.movementType],
      PostingDate: toSapDate(i.postingDate ?? today),
      DocumentDate: toSapDate(today),
      MaterialDocumentHeaderText: headerText,
      to_MaterialDocumentItem: { results: [item] },
    },
    headerSchema,
    what,
  );
  return {
    materialDocument: created.data.MaterialDocument,
    year: created.data.MaterialDocumentYear,
    alreadyPosted: false,
    messages: created.messages,
  };
}
