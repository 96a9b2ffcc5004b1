import { alpha, bool, dec, date, guid, str, time, type PropDef, type Row } from '../odata/edm';
import { badRequest } from '../odata/errors';
import type { EntitySetDef, ParsedBody, ServiceDef } from '../odata/model';
import { cancelConfirmation, createConfirmation, findConfirmation } from '../state/confirmations';
import { findDocument } from '../state/documents';
import type { SapModel } from '../state/model';
import type { Confirmation } from '../state/types';

/** API_PROD_ORDER_CONFIRMATION_2_SRV: ProdnOrdConf2 (create + read), its goods movements, CancelProdnOrdConf. */
const CONFIRMATION_PROPS: PropDef[] = [
  alpha('ConfirmationGroup', 10),
  alpha('ConfirmationCount', 8),
  alpha('OrderID', 12),
  str('Sequence', 6),
  str('OrderOperation', 4),
  str('OrderType', 4),
  str('ConfirmationText', 40),
  str('Material', 40),
  str('Plant', 4),
  str('WorkCenter', 8),
  str('FinalConfirmationType', 1),
  bool('IsFinalConfirmation'),
  bool('OpenReservationsIsCleared'),
  bool('IsReversed'),
  bool('IsReversal'),
  bool('APIConfHasNoGoodsMovements'),
  str('OrderConfirmationRecordType', 3),
  date('ConfirmationEntryDate'),
  time('ConfirmationEntryTime'),
  str('EnteredByUser', 12),
  str('EnteredByExternalUser', 12),
  guid('ExternalSystemConfirmation'),
  str('Personnel', 8),
  date('PostingDate'),
  str('ConfirmationUnit', 3),
  dec('ConfirmationYieldQuantity', 13, 3, 'ConfirmationUnit'),
  dec('ConfirmationScrapQuantity', 13, 3, 'ConfirmationUnit'),
  dec('ConfirmationReworkQuantity', 13, 3, 'ConfirmationUnit'),
  str('VarianceReasonCode', 4),
];

const MATL_DOC_ITEM_PROPS: PropDef[] = [
  alpha('ConfirmationGroup', 10),
  alpha('ConfirmationCount', 8),
  alpha('MaterialDocument', 10),
  alpha('MaterialDocumentItem', 4),
  str('MaterialDocumentYear', 4),
  str('OrderType', 4),
  alpha('OrderID', 12),
  str('Material', 40),
  str('Plant', 4),
  alpha('Reservation', 10),
  alpha('ReservationItem', 4),
  str('StorageLocation', 4),
  str('Batch', 10),
  str('GoodsMovementType', 3),
  str('InventoryUsabilityCode', 1),
  bool('ReservationIsFinallyIssued'),
  bool('IsCompletelyDelivered'),
  date('ManufactureDate'),
  date('ShelfLifeExpirationDate'),
  str('MaterialDocumentItemText', 50),
  str('EntryUnit', 3),
  dec('QuantityInEntryUnit', 13, 3, 'EntryUnit'),
];

const confirmationRow = (c: Confirmation): Row => ({ ...c });

export function confirmationService(model: SapModel): ServiceDef {
  const docItemRows = (c: Confirmation): Row[] =>
    c.goodsMovements.flatMap((ref) => {
      const doc = findDocument(model, ref.MaterialDocument, ref.MaterialDocumentYear);
      const item = doc?.items.find((i) => i.MaterialDocumentItem === ref.MaterialDocumentItem);
      if (!doc || !item) return [];
      return [
        {
          ...item,
          ...ref,
          ConfirmationGroup: c.ConfirmationGroup,
          ConfirmationCount: c.ConfirmationCount,
          OrderType: c.OrderType,
          OrderID: c.OrderID,
          ManufactureDate: null,
          ShelfLifeExpirationDate: null,
        },
      ];
    });
  const byKey = (row: Row): Confirmation =>
    findConfirmation(model, String(row.ConfirmationGroup), String(row.ConfirmationCount))!;
  const confirmations: EntitySetDef = {
    name: 'ProdnOrdConf2',
    type: 'ProdnOrdConf2Type',
    keys: ['ConfirmationGroup', 'ConfirmationCount'],
    props: CONFIRMATION_PROPS,
    creatable: true,
    queryGuard: (filter) => {
      if (!filter || !/ExternalSystemConfirmation/.test(filter)) return;
      // A tenant whose service cannot filter on the GUID (fault), and plantflow's guard against a search
      // through every confirmation of the client: the GUID is looked up within its order.
      if (model.faults.special<string>('confirmationGuidFilter', 'supported') === 'unsupported')
        throw badRequest('Property ExternalSystemConfirmation cannot be used in $filter', '/IWBEP/CM_MGW_RT/022');
      if (!/\bOrderID eq '/.test(filter))
        throw badRequest(
          'ExternalSystemConfirmation is searched within an order: add OrderID to the $filter',
          'PF_SIM/001',
        );
    },
    navs: [
      {
        name: 'to_ProdnOrdConfMatlDocItm',
        target: 'ProdnOrdConfMatlDocItm',
        many: true,
        deepInsert: true,
        resolve: (r) => docItemRows(byKey(r)),
      },
    ],
    rows: () => model.state.confirmations.map(confirmationRow),
    create: (input: ParsedBody, ctx) => {
      const v = input.values;
      const { confirmation, warnings } = model.transaction(() =>
        createConfirmation(
          model,
          {
            OrderID: String(v.OrderID ?? ''),
            OrderOperation: String(v.OrderOperation ?? ''),
            ConfirmationUnit: v.ConfirmationUnit as string | undefined,
            ConfirmationYieldQuantity: v.ConfirmationYieldQuantity as string | undefined,
            ConfirmationScrapQuantity: v.ConfirmationScrapQuantity as string | undefined,
            ConfirmationReworkQuantity: v.ConfirmationReworkQuantity as string | undefined,
            VarianceReasonCode: v.VarianceReasonCode as string | undefined,
            IsFinalConfirmation: v.IsFinalConfirmation as boolean | undefined,
            APIConfHasNoGoodsMovements: v.APIConfHasNoGoodsMovements as boolean | undefined,
            ExternalSystemConfirmation: v.ExternalSystemConfirmation as string | undefined,
            ConfirmationText: v.ConfirmationText as string | undefined,
            PostingDate: v.PostingDate as number | undefined,
            Personnel: v.Personnel as string | undefined,
            EnteredByExternalUser: v.EnteredByExternalUser as string | undefined,
            goodsMovements: (input.nested.to_ProdnOrdConfMatlDocItm ?? []).map((n) => {
              const m = n.values as Record<string, unknown>;
              return {
                GoodsMovementType: String(m.GoodsMovementType ?? ''),
                Material: String(m.Material ?? ''),
                QuantityInEntryUnit: String(m.QuantityInEntryUnit ?? '0'),
                Plant: m.Plant as string | undefined,
                StorageLocation: m.StorageLocation as string | undefined,
                Batch: m.Batch as string | undefined,
                EntryUnit: m.EntryUnit as string | undefined,
                Reservation: m.Reservation as string | undefined,
                ReservationItem: m.ReservationItem as string | undefined,
                ReservationIsFinallyIssued: m.ReservationIsFinallyIssued as boolean | undefined,
                InventoryUsabilityCode: m.InventoryUsabilityCode as string | undefined,
                MaterialDocumentItemText: m.MaterialDocumentItemText as string | undefined,
              };
            }),
          },
          ctx.now,
          ctx.user,
        ),
      );
      const saved = findConfirmation(model, confirmation.ConfirmationGroup, confirmation.ConfirmationCount)!;
      return {
        row: confirmationRow(saved),
        warnings,
        refs: {
          confirmationGroup: saved.ConfirmationGroup,
          confirmationCount: saved.ConfirmationCount,
          order: saved.OrderID,
          operation: saved.OrderOperation,
          externalId: saved.ExternalSystemConfirmation,
        },
      };
    },
  };
  return {
    name: 'API_PROD_ORDER_CONFIRMATION_2_SRV',
    namespace: 'API_PROD_ORDER_CONFIRMATION_2_SRV',
    complexTypes: [],
    sets: [
      confirmations,
      {
        name: 'ProdnOrdConfMatlDocItm',
        type: 'ProdnOrdConfMatlDocItmType',
        keys: [
          'ConfirmationGroup',
          'ConfirmationCount',
          'MaterialDocument',
          'MaterialDocumentItem',
          'MaterialDocumentYear',
        ],
        props: MATL_DOC_ITEM_PROPS,
        rows: () => model.state.confirmations.flatMap(docItemRows),
      },
    ],
    functions: [
      {
        name: 'CancelProdnOrdConf',
        httpMethod: 'POST',
        returns: { kind: 'entity', set: 'ProdnOrdConf2' },
        actionFor: 'ProdnOrdConf2Type',
        params: [
          { ...alpha('ConfirmationGroup', 10), required: true },
          { ...alpha('ConfirmationCount', 8), required: true },
          date('PostingDate'),
          str('ConfirmationText', 40),
          guid('ExternalSystemConfirmation'),
        ],
        invoke: (params, ctx) => {
          const reversal = model.transaction(() =>
            cancelConfirmation(
              model,
              {
                ConfirmationGroup: String(params.ConfirmationGroup),
                ConfirmationCount: String(params.ConfirmationCount),
                PostingDate: params.PostingDate as number | undefined,
                ConfirmationText: params.ConfirmationText as string | undefined,
                ExternalSystemConfirmation: params.ExternalSystemConfirmation as string | undefined,
              },
              ctx.now,
              ctx.user,
            ),
          );
          return {
            result: confirmationRow(reversal),
            refs: {
              order: reversal.OrderID,
              operation: reversal.OrderOperation,
              confirmationGroup: reversal.ConfirmationGroup,
              confirmationCount: reversal.cancelledCount,
              reversalCount: reversal.ConfirmationCount,
            },
          };
        },
      },
    ],
  };
}
