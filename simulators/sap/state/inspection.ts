import Decimal from 'decimal.js';
import { edmTime, utcMidnight } from '../odata/edm';
import { ODataError } from '../odata/errors';
import { messages } from './messages';
import type { SapModel } from './model';
import { postDocument } from './movements';
import { PLANT_CUSTOMIZING } from './seed';
import type { InspLotStockPosting, MaterialDocument, MaterialDocumentItem, UsageDecision } from './types';

/**
 * Quality inspection: the usage decision is made once; stock postings move the lot quantity out of QI
 * stock (a goods receipt opens the lot: inspection-lot.ts).
 */
export function cancelLotOfReceipt(model: SapModel, doc: MaterialDocument, item: MaterialDocumentItem): void {
  const lot = model.state.inspectionLots.find(
    (l) =>
      l.MaterialDocument === doc.MaterialDocument &&
      l.MaterialDocumentYear === doc.MaterialDocumentYear &&
      l.MaterialDocumentItem === item.MaterialDocumentItem,
  );
  if (!lot || lot.canceled) return;
  if (lot.usageDecision || lot.stockPostings.length > 0) throw messages.inspectionLotDecided(lot.InspectionLot);
  lot.canceled = true;
  lot.InspLotQtyToBePosted = '0';
  lot.ChangedDateTime = model.stamp();
}

export interface UsageDecisionInput {
  InspectionLot: string;
  InspectionLotUsageDecisionCode: string;
  InspLotUsageDecisionCodeGroup?: string;
  InspLotUsgeDcsnSelectedSet?: string;
  SelectedCodeSetPlant?: string;
  InspLotUsageDecisionValuation?: string;
  InspLotUsageDecisionLevel?: string;
  InspectionLotQualityScore?: string;
  InspectionLotUsageDecidedBy?: string;
  /** The lot's change stamp as the caller read it (epoch ms); a lot changed since refuses the decision. */
  ChangedDateTime?: number;
}

/**
 * A usage decision names the code set the plant customised (plant, selected set, code group, code); the
 * code's valuation comes from the set. One decision per lot, on the lot as the caller last read it.
 */
export function recordUsageDecision(
  model: SapModel,
  input: UsageDecisionInput,
  now: number,
  user: string,
): UsageDecision {
  const lot = model.inspectionLot(input.InspectionLot) ?? fail(messages.inspectionLotMissing(input.InspectionLot));
  if (lot.canceled) throw messages.invalid('QA/108', `Inspection lot ${lot.InspectionLot} is cancelled`);
  if (lot.usageDecision) throw messages.usageDecisionMade(lot.InspectionLot);
  if (!input.InspectionLotUsageDecisionCode) throw messages.invalid('QA/095', 'Enter a usage decision code');
  if (!input.SelectedCodeSetPlant || !input.InspLotUsgeDcsnSelectedSet)
    throw messages.invalid('QA/096', 'Enter the plant and the selected set of the usage decision code');
  const set = PLANT_CUSTOMIZING.usageDecision;
  const code = input.InspectionLotUsageDecisionCode.toUpperCase();
  const group = input.InspLotUsageDecisionCodeGroup || set.codeGroup;
  if (input.SelectedCodeSetPlant !== lot.Plant || input.InspLotUsgeDcsnSelectedSet !== set.selectedSet)
    throw messages.invalid(
      'QA/097',
      `Selected set ${input.InspLotUsgeDcsnSelectedSet} is not defined for plant ${input.SelectedCodeSetPlant}`,
    );
  const valuation = group === set.codeGroup ? set.codes[code] : undefined;
  if (!valuation)
    throw messages.invalid(
      'QA/098',
      `Code ${group}/${code} is not in selected set ${set.selectedSet} of plant ${lot.Plant}`,
    );
  if (input.InspLotUsageDecisionValuation && input.InspLotUsageDecisionValuation !== valuation)
    throw messages.invalid(
      'QA/099',
      `Code ${group}/${code} is valuated ${valuation}, not ${input.InspLotUsageDecisionValuation}`,
    );
  if (input.ChangedDateTime !== undefined && input.ChangedDateTime !== lot.ChangedDateTime)
    throw new ODataError(412, 'QA/100', `Inspection lot ${lot.InspectionLot} was changed since it was read`);
  const at = model.stamp();
  const decision: UsageDecision = {
    InspectionLot: lot.InspectionLot,
    InspLotUsageDecisionLevel: input.InspLotUsageDecisionLevel || 'L',
    InspLotUsageDecisionCatalog: '3',
    SelectedCodeSetPlant: input.SelectedCodeSetPlant,
    InspLotUsgeDcsnSelectedSet: input.InspLotUsgeDcsnSelectedSet,
    InspLotUsageDecisionCodeGroup: group,
    InspectionLotUsageDecisionCode: code,
    InspLotUsageDecisionValuation: valuation,
    InspectionLotQualityScore: input.InspectionLotQualityScore ?? (valuation === 'R' ? '1' : '100'),
    InspectionLotUsageDecidedBy: input.InspectionLotUsageDecidedBy || user,
    InspectionLotUsageDecidedOn: utcMidnight(now),
    InspLotUsageDecisionTime: edmTime(new Date(now)),
    ChangedDateTime: at,
  };
  lot.usageDecision = decision;
  lot.ChangedDateTime = at;
  return decision;
}

/**
 * UsageDecisionStockType → the QI movement it posts. The stock types are the UD posting-proposal fields
 * (VMENGE01 to unrestricted, 02 to scrap, 04 to blocked); LMENGE0x are the quantities already posted.
 */
const POSTING_TARGETS: Record<
  string,
  { movement: string; field: 'InspLotQtyToFree' | 'InspLotQtyToScrap' | 'InspLotQtyToBlocked'; code: string }
> = {
  VMENGE01: { movement: '321', field: 'InspLotQtyToFree', code: '04' },
  VMENGE02: { movement: '553', field: 'InspLotQtyToScrap', code: '03' },
  VMENGE04: { movement: '350', field: 'InspLotQtyToBlocked', code: '04' },
};

export interface StockPostingInput {
  InspectionLot: string;
  InspLotQtyPosted: string;
  UsageDecisionStockType: string;
  StorageLocation?: string;
  MaterialDocumentItemText?: string;
}

export function postLotStock(
  model: SapModel,
  input: StockPostingInput,
  now: number,
  user: string,
): InspLotStockPosting {
  const lot = model.inspectionLot(input.InspectionLot) ?? fail(messages.inspectionLotMissing(input.InspectionLot));
  if (lot.canceled) throw messages.invalid('QA/108', `Inspection lot ${lot.InspectionLot} is cancelled`);
  const target = POSTING_TARGETS[input.UsageDecisionStockType];
  if (/^LMENGE\d\d$/.test(input.UsageDecisionStockType))
    throw messages.invalid(
      'QA/202',
      `${input.UsageDecisionStockType} is a quantity already posted, not a posting proposal: use VMENGE${input.UsageDecisionStockType.slice(6)}`,
    );
  if (!target)
    throw messages.invalid(
      'QA/201',
      `Stock type ${input.UsageDecisionStockType} is not supported for inspection lot stock postings`,
    );
  const qty = new Decimal(input.InspLotQtyPosted || '0');
  if (!qty.gt(0)) throw messages.invalid('M7/063', 'Enter a quantity greater than zero');
  if (qty.gt(lot.InspLotQtyToBePosted))
    throw messages.inspectionQuantityExceeded(lot.InspectionLot, lot.InspLotQtyToBePosted);
  const doc = postDocument(
    model,
    {
      GoodsMovementCode: target.code,
      PostingDate: utcMidnight(now),
      MaterialDocumentHeaderText: `Inspection lot ${lot.InspectionLot}`.slice(0, 25),
      items: [
        {
          GoodsMovementType: target.movement,
          Material: lot.Material,
          Plant: lot.Plant,
          StorageLocation: lot.InspectionLotStorageLocation,
          Batch: lot.Batch,
          QuantityInEntryUnit: qty.toFixed(),
          EntryUnit: lot.InspectionLotQuantityUnit,
          MaterialDocumentItemText: input.MaterialDocumentItemText ?? '',
        },
      ],
    },
    now,
    user,
  );
  lot[target.field] = new Decimal(lot[target.field]).plus(qty).toFixed();
  lot.InspLotQtyToBePosted = new Decimal(lot.InspLotQtyToBePosted).minus(qty).toFixed();
  lot.ChangedDateTime = model.stamp();
  const posting: InspLotStockPosting = {
    InspectionLot: lot.InspectionLot,
    InspLotMatlDocItem: String(lot.stockPostings.length + 1),
    InspLotQtyPosted: qty.toFixed(),
    UsageDecisionStockType: input.UsageDecisionStockType,
    StorageLocation: lot.InspectionLotStorageLocation,
    InspLotMaterialPostedTo: lot.Material,
    InspLotBatchTransferredTo: lot.Batch,
    MaterialDocumentItemText: input.MaterialDocumentItemText ?? '',
    MaterialDocument: doc.MaterialDocument,
    MaterialDocumentYear: doc.MaterialDocumentYear,
    MaterialDocumentItem: '1',
  };
  lot.stockPostings.push(posting);
  return posting;
}

function fail(err: Error): never {
  throw err;
}
