import Decimal from 'decimal.js';
import { z } from 'zod';
import { businessRuleFailure } from '../shared/failures';
import { headerTextKey } from './idempotency';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { entityPath, literal, quantityFromSap, quantityToSap, sapDecimal, sapKey } from './odata-values';
import { plantCustomizing, type SapCustomizing } from '../../contracts/sap-customizing';
import { isBusinessRule } from './sap-errors';
import type {
  SapFindInspectionLotInput,
  SapFindInspectionLotResult,
  SapInspectionLot,
  SapPostInspectionLotStockInput,
  SapPostInspectionLotStockResult,
  SapRecordUsageDecisionInput,
  SapRecordUsageDecisionResult,
} from './types';

export const INSPECTION_LOT_SERVICE = 'API_INSPECTIONLOT_SRV';

const lotSchema = z.object({
  InspectionLot: sapKey,
  Material: z.string(),
  Batch: z.string(),
  Plant: z.string(),
  ManufacturingOrder: z.string(),
  InspectionLotOrigin: z.string(),
  InspectionLotQuantityUnit: z.string(),
  InspectionLotQuantity: sapDecimal,
  InspLotQtyToBePosted: sapDecimal,
  InspLotQtyToFree: sapDecimal,
  InspLotQtyToScrap: sapDecimal,
  InspLotQtyToBlocked: sapDecimal,
  InspectionLotHasUsageDecision: z.boolean(),
  InspLotIsStockPostingCompleted: z.boolean(),
  to_InspectionLotWithStatus: z.object({ InspLotStatusCanceled: z.string() }).nullable(),
});
const LOT_QUERY = { $expand: 'to_InspectionLotWithStatus' };

function toLot(l: z.infer<typeof lotSchema>): SapInspectionLot {
  const q = (v: string, field: string) =>
    quantityFromSap(v, l.InspectionLotQuantityUnit, `inspection lot ${l.InspectionLot} ${field}`);
  const cancelled = l.to_InspectionLotWithStatus?.InspLotStatusCanceled === 'X';
  return {
    inspectionLot: l.InspectionLot,
    material: l.Material,
    batch: l.Batch,
    plant: l.Plant,
    ...(l.ManufacturingOrder ? { order: l.ManufacturingOrder.replace(/^0+(?=\d)/, '') } : {}),
    origin: l.InspectionLotOrigin,
    quantity: q(l.InspectionLotQuantity, 'InspectionLotQuantity'),
    toBePosted: q(l.InspLotQtyToBePosted, 'InspLotQtyToBePosted'),
    postedToUnrestricted: q(l.InspLotQtyToFree, 'InspLotQtyToFree'),
    postedToScrap: q(l.InspLotQtyToScrap, 'InspLotQtyToScrap'),
    postedToBlocked: q(l.InspLotQtyToBlocked, 'InspLotQtyToBlocked'),
    hasUsageDecision: l.InspectionLotHasUsageDecision,
    stockPostingCompleted: l.InspLotIsStockPostingCompleted,
    status: cancelled
      ? 'cancelled'
      : l.InspLotIsStockPostingCompleted && l.InspectionLotHasUsageDecision
        ? 'posted'
        : l.InspectionLotHasUsageDecision
          ? 'decided'
          : 'open',
  };
}

/** The inspection lots SAP opened for a batch (one per goods receipt into QI), oldest first. */
export async function findInspectionLot(
  client: SapODataClient,
  input: SapFindInspectionLotInput,
): Promise<SapFindInspectionLotResult> {
  const i = checkInput(inputSchemas.findInspectionLot, input, 'sapFindInspectionLot');
  const filter = [
    `Material eq ${literal.string(i.material)}`,
    `Batch eq ${literal.string(i.batch)}`,
    ...(i.order ? [`ManufacturingOrder eq ${literal.string(i.order)}`] : []),
  ];
  const rows = await client.list(
    INSPECTION_LOT_SERVICE,
    'A_InspectionLot',
    lotSchema,
    `inspection lots of batch ${i.material}/${i.batch}`,
    {
      $filter: filter.join(' and '),
      $orderby: 'InspectionLot',
      ...LOT_QUERY,
    },
  );
  const lots = rows.map(toLot).sort((a, b) => (BigInt(a.inspectionLot) < BigInt(b.inspectionLot) ? -1 : 1));
  const active = lots.filter((l) => l.status !== 'cancelled');
  const pick = active.find((l) => !l.hasUsageDecision) ?? active[active.length - 1] ?? lots[lots.length - 1];
  return {
    found: pick !== undefined,
    ...(pick ? { inspectionLot: pick.inspectionLot, status: pick.status } : {}),
    lots,
  };
}

const decisionSchema = z.object({
  InspectionLot: sapKey,
  InspectionLotUsageDecisionCode: z.string(),
  InspLotUsageDecisionValuation: z.string(),
});

/**
 * Usage decision (POST A_InspLotUsageDecision) with the code set the lot's plant customised (selected set,
 * code group, code and its valuation, catalog, decision level) and the lot's change stamp. One per lot:
 * the same code again is a no-op, another code a refusal.
 */
export async function recordUsageDecision(
  client: SapODataClient,
  input: SapRecordUsageDecisionInput,
  customizing?: SapCustomizing,
): Promise<SapRecordUsageDecisionResult> {
  const i = checkInput(inputSchemas.usageDecision, input, 'sapRecordUsageDecision');
  const what = `usage decision of inspection lot ${i.inspectionLot}`;
  const lot = await client.read(
    INSPECTION_LOT_SERVICE,
    entityPath('A_InspectionLot', { InspectionLot: literal.string(i.inspectionLot) }),
    z.object({ InspectionLot: sapKey, Plant: z.string(), ChangedDateTime: z.string().nullable() }),
    `inspection lot ${i.inspectionLot}`,
  );
  const codes = plantCustomizing(customizing, lot.data.Plant).usageDecision;
  const wanted = i.code ?? codes[i.decision].code;
  const path = entityPath('A_InspLotUsageDecision', { InspectionLot: literal.string(i.inspectionLot) });
  const compare = (d: z.infer<typeof decisionSchema>): SapRecordUsageDecisionResult => {
    if (d.InspectionLotUsageDecisionCode !== wanted) {
      throw businessRuleFailure(
        `SAP: inspection lot ${i.inspectionLot} already has usage decision ${d.InspectionLotUsageDecisionCode}, not ${wanted}`,
        {
          system: 'sap',
          inspectionLot: i.inspectionLot,
          existing: d.InspectionLotUsageDecisionCode,
          wanted,
        },
      );
    }
    return {
      inspectionLot: d.InspectionLot,
      code: d.InspectionLotUsageDecisionCode,
      valuation: d.InspLotUsageDecisionValuation,
      alreadyDecided: true,
    };
  };
  const existing = await client.readOptional(INSPECTION_LOT_SERVICE, path, decisionSchema, what);
  if (existing) return compare(existing.data);
  try {
    const created = await client.create(
      INSPECTION_LOT_SERVICE,
      'A_InspLotUsageDecision',
      {
        InspectionLot: i.inspectionLot,
        InspLotUsageDecisionLevel: codes.level,
        InspLotUsageDecisionCatalog: codes.catalog,
        SelectedCodeSetPlant: lot.data.Plant,
        InspLotUsgeDcsnSelectedSet: codes.selectedSet,
        InspLotUsageDecisionCodeGroup: codes.codeGroup,
        InspectionLotUsageDecisionCode: wanted,
        ...(i.code ? {} : { InspLotUsageDecisionValuation: codes[i.decision].valuation }),
        InspectionLotUsageDecidedBy: i.decidedBy.toUpperCase().slice(0, 12),
        // The lot as read: SAP refuses a decision on a lot changed since (a retry reads it again).
        ...(lot.data.ChangedDateTime ? { ChangedDateTime: lot.data.ChangedDateTime } : {}),
      },
      decisionSchema,
      what,
    );
    return {
      inspectionLot: created.data.InspectionLot,
      code: created.data.InspectionLotUsageDecisionCode,
      valuation: created.data.InspLotUsageDecisionValuation,
      alreadyDecided: false,
    };
  } catch (err) {
    const now = isBusinessRule(err)
      ? await client.readOptional(INSPECTION_LOT_SERVICE, path, decisionSchema, what)
      : undefined;
    if (now) return compare(now.data);
    throw err;
  }
}

const postingSchema = z.object({
  InspectionLot: sapKey,
  InspLotMatlDocItem: sapKey,
  MaterialDocument: z.string(),
  MaterialDocumentYear: z.string(),
  MaterialDocumentItemText: z.string(),
});

/** Moves lot quantity out of QI stock (A_InspLotMatlDocItem); the item text carries the idempotency key. */
export async function postInspectionLotStock(
  client: SapODataClient,
  input: SapPostInspectionLotStockInput,
  customizing?: SapCustomizing,
): Promise<SapPostInspectionLotStockResult> {
  const i = checkInput(inputSchemas.lotStock, input, 'sapPostInspectionLotStock');
  const marker = headerTextKey(i.idempotencyKey, 'inspection-lot-stock');
  const what = `stock posting of inspection lot ${i.inspectionLot}`;
  const posted = await client.list(INSPECTION_LOT_SERVICE, 'A_InspLotMatlDocItem', postingSchema, what, {
    $filter: `InspectionLot eq ${literal.string(i.inspectionLot)}`,
  });
  const existing = posted.find((p) => p.MaterialDocumentItemText === marker);
  const result = (p: z.infer<typeof postingSchema>, already: boolean): SapPostInspectionLotStockResult => ({
    inspectionLot: p.InspectionLot,
    item: p.InspLotMatlDocItem,
    materialDocument: p.MaterialDocument.replace(/^0+(?=\d)/, ''),
    year: p.MaterialDocumentYear,
    alreadyPosted: already,
  });
  if (existing) return result(existing, true);
  const lot = await client.read(
    INSPECTION_LOT_SERVICE,
    entityPath('A_InspectionLot', { InspectionLot: literal.string(i.inspectionLot) }),
    z.object({ InspectionLotQuantityUnit: z.string(), Plant: z.string() }),
    `inspection lot ${i.inspectionLot}`,
  );
  if (lot.data.InspectionLotQuantityUnit !== quantityToSap(i.quantity).unit) {
    throw businessRuleFailure(
      `${what}: quantity is in ${i.quantity.uom} but the lot is kept in SAP unit ${lot.data.InspectionLotQuantityUnit}`,
      { system: 'sap' },
    );
  }
  const created = await client.create(
    INSPECTION_LOT_SERVICE,
    'A_InspLotMatlDocItem',
    {
      InspectionLot: i.inspectionLot,
      InspLotQtyPosted: new Decimal(quantityToSap(i.quantity).value).toFixed(),
      // The UD posting proposal (VMENGE0x), not LMENGE0x: those are the quantities already posted.
      UsageDecisionStockType: plantCustomizing(customizing, lot.data.Plant).lotStockProposal[i.to],
      MaterialDocumentItemText: marker,
    },
    postingSchema,
    what,
  );
  return result(created.data, false);
}
