import { alpha, bool, dec, date, str, time, type PropDef, type Row } from '../odata/edm';
import type { EntitySetDef, ServiceDef } from '../odata/model';
import { cancelDocument, findDocument } from '../state/documents';
import { messages } from '../state/messages';
import type { SapModel } from '../state/model';
import { MOVEMENT_RULES, postDocument } from '../state/movements';
import { PLANT_CUSTOMIZING } from '../state/seed';
import type { MaterialDocument } from '../state/types';

/** Scrapping from unrestricted, QI and blocked stock (551/553/555). */
const SCRAPPING = new Set(['551', '553', '555']);

/** API_MATERIAL_DOCUMENT_SRV: create-only headers with deep-inserted items; Cancel. No ETags (§2.3). */
const HEADER_PROPS: PropDef[] = [
  str('MaterialDocumentYear', 4),
  alpha('MaterialDocument', 10),
  str('InventoryTransactionType', 2),
  date('DocumentDate'),
  date('PostingDate'),
  date('CreationDate'),
  time('CreationTime'),
  str('CreatedByUser', 12),
  str('MaterialDocumentHeaderText', 25),
  str('ReferenceDocument', 16),
  str('GoodsMovementCode', 2),
];

const ITEM_PROPS: PropDef[] = [
  str('MaterialDocumentYear', 4),
  alpha('MaterialDocument', 10),
  alpha('MaterialDocumentItem', 4),
  str('Material', 40),
  str('Plant', 4),
  str('StorageLocation', 4),
  str('Batch', 10),
  str('GoodsMovementType', 3),
  str('InventoryStockType', 2),
  str('InventoryUsabilityCode', 1),
  alpha('ManufacturingOrder', 12),
  alpha('ManufacturingOrderItem', 4),
  str('GoodsMovementRefDocType', 1),
  str('GoodsMovementReasonCode', 4),
  str('CostCenter', 10),
  str('MaterialBaseUnit', 3),
  dec('QuantityInBaseUnit', 13, 3, 'MaterialBaseUnit'),
  str('EntryUnit', 3),
  dec('QuantityInEntryUnit', 13, 3, 'EntryUnit'),
  str('IssgOrRcvgMaterial', 40),
  str('IssgOrRcvgBatch', 10),
  str('IssuingOrReceivingPlant', 4),
  str('IssuingOrReceivingStorageLoc', 4),
  str('IssuingOrReceivingStockType', 2),
  alpha('Reservation', 10),
  alpha('ReservationItem', 4),
  bool('ReservationIsFinallyIssued'),
  bool('IsCompletelyDelivered'),
  str('MaterialDocumentItemText', 50),
  bool('GoodsMovementIsCancelled'),
  str('ReversedMaterialDocumentYear', 4),
  alpha('ReversedMaterialDocument', 10),
  alpha('ReversedMaterialDocumentItem', 4),
  str('DebitCreditCode', 1),
  date('ManufactureDate'),
  date('ShelfLifeExpirationDate'),
];

const VALID_CODES = new Set(['01', '02', '03', '04', '05', '06', '07']);

export function materialDocumentService(model: SapModel): ServiceDef {
  const headerRow = (d: MaterialDocument): Row => ({ ...d });
  const itemRows = (d: MaterialDocument): Row[] =>
    d.items.map((i) => ({
      ...i,
      MaterialDocument: d.MaterialDocument,
      MaterialDocumentYear: d.MaterialDocumentYear,
      ManufactureDate: null,
      ShelfLifeExpirationDate: null,
    }));
  const byKey = (row: Row) => findDocument(model, String(row.MaterialDocument), String(row.MaterialDocumentYear))!;
  const header: EntitySetDef = {
    name: 'A_MaterialDocumentHeader',
    type: 'A_MaterialDocumentHeaderType',
    keys: ['MaterialDocumentYear', 'MaterialDocument'],
    props: HEADER_PROPS,
    creatable: true,
    navs: [
      {
        name: 'to_MaterialDocumentItem',
        target: 'A_MaterialDocumentItem',
        many: true,
        deepInsert: true,
        resolve: (r) => itemRows(byKey(r)),
      },
    ],
    rows: () => model.state.materialDocuments.map(headerRow),
    create: (input, ctx) => {
      const v = input.values;
      const code = String(v.GoodsMovementCode ?? '');
      if (!VALID_CODES.has(code))
        throw messages.invalid('M7/064', `Goods movement code ${code || '(empty)'} is not defined`);
      const items = (input.nested.to_MaterialDocumentItem ?? []).map((n) => n.values as Record<string, unknown>);
      if (items.length === 0) throw messages.invalid('M7/097', 'Enter at least one item');
      for (const i of items) {
        const type = String(i.GoodsMovementType ?? '');
        if (!MOVEMENT_RULES[type]) throw messages.movementTypeInvalid(type, code);
        // Scrapping is charged to a cost center; plant 1710 defaults none (no OKB9 entry).
        if (SCRAPPING.has(type)) {
          const costCenter = typeof i.CostCenter === 'string' ? i.CostCenter : '';
          if (!costCenter)
            throw messages.invalid(
              'KI/235',
              `Account assignment mandatory for movement type ${type}: enter a cost center`,
            );
          if (!PLANT_CUSTOMIZING.costCenters.includes(costCenter))
            throw messages.invalid('KI/248', `Cost center ${costCenter} does not exist in controlling area A000`);
        }
      }
      const doc = model.transaction(() =>
        postDocument(
          model,
          {
            GoodsMovementCode: code,
            PostingDate: model.postingDate(v.PostingDate, ctx.now),
            DocumentDate: v.DocumentDate as number | undefined,
            MaterialDocumentHeaderText: v.MaterialDocumentHeaderText as string | undefined,
            ReferenceDocument: v.ReferenceDocument as string | undefined,
            items: items.map((i) => ({
              GoodsMovementType: String(i.GoodsMovementType),
              Material: String(i.Material ?? ''),
              Plant: String(i.Plant ?? ''),
              StorageLocation: String(i.StorageLocation ?? ''),
              Batch: String(i.Batch ?? '').toUpperCase(),
              QuantityInEntryUnit: String(i.QuantityInEntryUnit ?? '0'),
              EntryUnit: i.EntryUnit as string | undefined,
              ManufacturingOrder: (i.ManufacturingOrder as string) || undefined,
              Reservation: (i.Reservation as string) || undefined,
              ReservationItem: (i.ReservationItem as string) || undefined,
              ReservationIsFinallyIssued: i.ReservationIsFinallyIssued as boolean | undefined,
              InventoryUsabilityCode: i.InventoryUsabilityCode as string | undefined,
              GoodsMovementReasonCode: i.GoodsMovementReasonCode as string | undefined,
              CostCenter: (i.CostCenter as string) || undefined,
              MaterialDocumentItemText: i.MaterialDocumentItemText as string | undefined,
            })),
          },
          ctx.now,
          ctx.user,
        ),
      );
      const saved = findDocument(model, doc.MaterialDocument, doc.MaterialDocumentYear)!;
      return {
        row: headerRow(saved),
        refs: {
          materialDocument: saved.MaterialDocument,
          year: saved.MaterialDocumentYear,
          movementTypes: saved.items.map((i) => i.GoodsMovementType).join(','),
        },
      };
    },
  };
  return {
    name: 'API_MATERIAL_DOCUMENT_SRV',
    namespace: 'API_MATERIAL_DOCUMENT_SRV',
    complexTypes: [],
    sets: [
      header,
      {
        name: 'A_MaterialDocumentItem',
        type: 'A_MaterialDocumentItemType',
        keys: ['MaterialDocumentYear', 'MaterialDocument', 'MaterialDocumentItem'],
        props: ITEM_PROPS,
        navs: [
          {
            name: 'to_MaterialDocumentHeader',
            target: 'A_MaterialDocumentHeader',
            many: false,
            resolve: (r) => [headerRow(byKey(r))],
          },
        ],
        rows: () => model.state.materialDocuments.flatMap(itemRows),
      },
    ],
    functions: [
      {
        name: 'Cancel',
        httpMethod: 'POST',
        returns: { kind: 'entity', set: 'A_MaterialDocumentHeader' },
        actionFor: 'A_MaterialDocumentHeaderType',
        params: [
          { ...str('MaterialDocumentYear', 4), required: true },
          { ...alpha('MaterialDocument', 10), required: true },
          date('PostingDate'),
        ],
        invoke: (params, ctx) => {
          const reversal = model.transaction(() =>
            cancelDocument(
              model,
              {
                MaterialDocument: String(params.MaterialDocument),
                MaterialDocumentYear: String(params.MaterialDocumentYear),
                PostingDate: params.PostingDate as number | undefined,
              },
              ctx.now,
              ctx.user,
            ),
          );
          return {
            result: headerRow(reversal),
            refs: {
              materialDocument: String(params.MaterialDocument),
              year: String(params.MaterialDocumentYear),
              reversalDocument: reversal.MaterialDocument,
            },
          };
        },
      },
    ],
  };
}
