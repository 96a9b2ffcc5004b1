import { alpha, bool, dec, date, dto, str, time, type PropDef, type Row } from '../odata/edm';
import type { ServiceDef } from '../odata/model';
import { postLotStock, recordUsageDecision } from '../state/inspection';
import type { SapModel } from '../state/model';
import type { InspectionLot } from '../state/types';

/** API_INSPECTIONLOT_SRV: lots, their status, usage decisions (POST = decide), stock postings. */
const LOT_PROPS: PropDef[] = [
  alpha('InspectionLot', 12),
  str('Material', 40),
  str('Batch', 10),
  str('Plant', 4),
  str('InspectionLotOrigin', 2),
  str('InspectionLotType', 8),
  alpha('ManufacturingOrder', 12),
  str('InspectionLotText', 40),
  str('InspectionLotQuantityUnit', 3),
  dec('InspectionLotQuantity', 13, 3, 'InspectionLotQuantityUnit'),
  dec('InspectionLotActualQuantity', 13, 3, 'InspectionLotQuantityUnit'),
  bool('InspectionLotHasUsageDecision'),
  bool('InspLotIsStockPostingCompleted'),
  bool('InspectionLotHasQuantity'),
  bool('InspLotIsBatchRequired'),
  bool('MaterialIsBatchManaged'),
  str('InspectionLotStorageLocation', 4),
  str('InspectionLotPlant', 4),
  str('MaterialDocumentYear', 4),
  alpha('MaterialDocument', 10),
  alpha('MaterialDocumentItem', 4),
  str('GoodsMovementType', 3),
  date('InspectionLotCreatedOn'),
  time('InspectionLotCreatedOnTime'),
  dec('InspLotQtyToFree', 13, 3, 'InspectionLotQuantityUnit'),
  dec('InspLotQtyToScrap', 13, 3, 'InspectionLotQuantityUnit'),
  dec('InspLotQtyToBlocked', 13, 3, 'InspectionLotQuantityUnit'),
  dec('InspLotQtyToBePosted', 13, 3, 'InspectionLotQuantityUnit'),
  dto('ChangedDateTime'),
];

const STATUS_PROPS: PropDef[] = [
  alpha('InspectionLot', 12),
  str('InspectionLotStatusCreated', 1),
  str('InspectionLotStatusReleased', 1),
  str('InspLotStatusRsltsConfirmed', 1),
  str('InspLotStatusInspCompleted', 1),
  str('InspLotStatusCanceled', 1),
  dto('ChangedDateTime'),
];

const DECISION_PROPS: PropDef[] = [
  alpha('InspectionLot', 12),
  str('InspLotUsageDecisionLevel', 1),
  dec('InspectionLotQualityScore', 3, 0),
  str('InspLotUsageDecisionCatalog', 1),
  str('SelectedCodeSetPlant', 4),
  str('InspLotUsgeDcsnSelectedSet', 8),
  str('InspLotUsageDecisionCodeGroup', 8),
  str('InspectionLotUsageDecisionCode', 4),
  str('InspLotUsageDecisionValuation', 1),
  str('InspectionLotUsageDecidedBy', 12),
  date('InspectionLotUsageDecidedOn'),
  time('InspLotUsageDecisionTime'),
  dto('ChangedDateTime'),
];

const POSTING_PROPS: PropDef[] = [
  alpha('InspectionLot', 12),
  alpha('InspLotMatlDocItem', 6),
  dec('InspLotQtyPosted', 13, 3),
  str('UsageDecisionStockType', 10),
  str('StorageLocation', 4),
  str('InspLotMaterialPostedTo', 40),
  str('InspLotBatchTransferredTo', 10),
  str('MaterialDocumentItemText', 50),
  str('MaterialDocumentYear', 4),
  alpha('MaterialDocument', 10),
  alpha('MaterialDocumentItem', 4),
];

const flag = (on: boolean): string => (on ? 'X' : '');

function lotRow(l: InspectionLot): Row {
  return {
    ...l,
    InspectionLotHasUsageDecision: l.usageDecision !== null,
    InspLotIsStockPostingCompleted: l.InspLotQtyToBePosted === '0' && !l.canceled,
    InspectionLotHasQuantity: true,
    InspLotIsBatchRequired: true,
    MaterialIsBatchManaged: true,
    InspectionLotPlant: l.Plant,
  };
}

const statusRow = (l: InspectionLot): Row => ({
  InspectionLot: l.InspectionLot,
  InspectionLotStatusCreated: 'X',
  InspectionLotStatusReleased: flag(!l.canceled),
  InspLotStatusRsltsConfirmed: '',
  InspLotStatusInspCompleted: flag(l.usageDecision !== null),
  InspLotStatusCanceled: flag(l.canceled),
  ChangedDateTime: l.ChangedDateTime,
});

export function inspectionLotService(model: SapModel): ServiceDef {
  const lots = () => model.state.inspectionLots;
  const lotOf = (r: Row) => model.inspectionLot(String(r.InspectionLot))!;
  return {
    name: 'API_INSPECTIONLOT_SRV',
    namespace: 'API_INSPECTIONLOT_SRV',
    complexTypes: [],
    functions: [],
    sets: [
      {
        name: 'A_InspectionLot',
        type: 'A_InspectionLotType',
        keys: ['InspectionLot'],
        props: LOT_PROPS,
        etag: 'ChangedDateTime',
        navs: [
          {
            name: 'to_InspectionLotWithStatus',
            target: 'A_InspectionLotWithStatus',
            many: false,
            resolve: (r) => [statusRow(lotOf(r))],
          },
        ],
        rows: () => lots().map(lotRow),
      },
      {
        name: 'A_InspectionLotWithStatus',
        type: 'A_InspectionLotWithStatusType',
        keys: ['InspectionLot'],
        props: STATUS_PROPS,
        rows: () => lots().map(statusRow),
      },
      {
        name: 'A_InspLotUsageDecision',
        type: 'A_InspLotUsageDecisionType',
        keys: ['InspectionLot'],
        props: DECISION_PROPS,
        etag: 'ChangedDateTime',
        creatable: true,
        rows: () => lots().flatMap((l) => (l.usageDecision ? [{ ...l.usageDecision }] : [])),
        create: (input, ctx) => {
          const v = input.values as Record<string, string | undefined>;
          const decision = model.transaction(() =>
            recordUsageDecision(
              model,
              {
                InspectionLot: String(v.InspectionLot ?? ''),
                InspectionLotUsageDecisionCode: String(v.InspectionLotUsageDecisionCode ?? ''),
                InspLotUsageDecisionCodeGroup: v.InspLotUsageDecisionCodeGroup,
                InspLotUsgeDcsnSelectedSet: v.InspLotUsgeDcsnSelectedSet,
                SelectedCodeSetPlant: v.SelectedCodeSetPlant,
                InspLotUsageDecisionValuation: v.InspLotUsageDecisionValuation,
                InspLotUsageDecisionLevel: v.InspLotUsageDecisionLevel,
                InspectionLotQualityScore: v.InspectionLotQualityScore,
                InspectionLotUsageDecidedBy: v.InspectionLotUsageDecidedBy,
                ChangedDateTime:
                  typeof input.values.ChangedDateTime === 'number' ? input.values.ChangedDateTime : undefined,
              },
              ctx.now,
              ctx.user,
            ),
          );
          return {
            row: { ...decision },
            refs: { inspectionLot: decision.InspectionLot, code: decision.InspectionLotUsageDecisionCode },
          };
        },
      },
      {
        name: 'A_InspLotMatlDocItem',
        type: 'A_InspLotMatlDocItemType',
        keys: ['InspectionLot', 'InspLotMatlDocItem'],
        props: POSTING_PROPS,
        creatable: true,
        rows: () => lots().flatMap((l) => l.stockPostings.map((p) => ({ ...p }))),
        create: (input, ctx) => {
          const v = input.values as Record<string, string | undefined>;
          const posting = model.transaction(() =>
            postLotStock(
              model,
              {
                InspectionLot: String(v.InspectionLot ?? ''),
                InspLotQtyPosted: String(v.InspLotQtyPosted ?? '0'),
                UsageDecisionStockType: String(v.UsageDecisionStockType ?? ''),
                StorageLocation: v.StorageLocation,
                MaterialDocumentItemText: v.MaterialDocumentItemText,
              },
              ctx.now,
              ctx.user,
            ),
          );
          return {
            row: { ...posting },
            refs: {
              inspectionLot: posting.InspectionLot,
              stockType: posting.UsageDecisionStockType,
              materialDocument: posting.MaterialDocument,
              itemText: posting.MaterialDocumentItemText,
            },
          };
        },
      },
    ],
  };
}
