import type { EventTimes } from '../../domain/postings';
import type { Quantity } from '../../domain/quantity';

/** Inputs and results of the Odoo activities: one JSON-safe object in, JSON-safe data out. */

export type OdooMoState = 'draft' | 'confirmed' | 'progress' | 'to_close' | 'done' | 'cancel';

export interface OdooMoRef {
  /** mrp.production name, e.g. "WH/MO/00042". After a backorder split Odoo renames the order to
   *  "<name>-001": verbs find it under either name. */
  moName: string;
}

export interface OdooComponentView {
  /** default_code of the component. */
  product: string;
  quantity: Quantity;
  moveId: number;
  pickedQuantity: Quantity;
  /** Lots of the picked (consumed) move lines. */
  lots: string[];
  state: string;
}

export interface OdooWorkorderView {
  id: number;
  /** Operation code, e.g. "0010": a leading 4-digit code in the operation name, else its sequence as 4 digits. */
  operation: string;
  name: string;
  state: string;
}

export interface OdooManufacturingOrder {
  id: number;
  name: string;
  state: OdooMoState;
  product: string;
  quantity: Quantity;
  qtyProducing: Quantity;
  components: OdooComponentView[];
  workorders: OdooWorkorderView[];
  lotsProducing: string[];
  origin: string | null;
}

export interface OdooStateChange {
  moName: string;
  state: string;
  /** false when the order already was where the verb would put it (a retry, or an earlier run). */
  changed: boolean;
}

export interface OdooCancelResult {
  moName: string;
  status: 'cancelled' | 'already_cancelled' | 'not_confirmed' | 'not_found';
  state: string | null;
}

export interface OdooWorkorderInput extends OdooMoRef {
  operation: string;
}

export interface OdooFinishWorkorderInput extends OdooWorkorderInput {
  quantity: Quantity;
}

export interface OdooWorkorderResult extends OdooStateChange {
  operation: string;
  workorderId: number;
}

export interface OdooRecordProductionInput extends OdooMoRef {
  /** The MES event's times, for the event-to-posting latency metric (the verb ignores them). */
  eventAt?: EventTimes;
  lot: string;
  quantity: Quantity;
  idempotencyKey: string;
}

export interface OdooRecordConsumptionInput extends OdooMoRef {
  /** The MES event's times, for the event-to-posting latency metric (the verb ignores them). */
  eventAt?: EventTimes;
  /** default_code of the component. */
  component: string;
  lot: string;
  quantity: Quantity;
  idempotencyKey: string;
}

export interface OdooPostingResult {
  status: 'posted' | 'already_posted';
  moveLineId: number;
  moName: string;
}

export interface OdooProductionResult extends OdooPostingResult {
  qtyProducing: Quantity;
  lotsProducing: string[];
}

export interface OdooConsumptionResult extends OdooPostingResult {
  pickedQuantity: Quantity;
}

export type OdooScrapLocationKind = 'stock' | 'quarantine' | 'production';

export interface OdooScrapInput {
  moName?: string;
  /** default_code of the scrapped product. */
  product: string;
  lot?: string;
  quantity: Quantity;
  /** Where the scrapped quantity is taken from. Default: 'production' for the order's own product when
   *  moName is given (units lost in production, no stock to check), otherwise 'stock' (WH/Stock). */
  locationKind?: OdooScrapLocationKind;
  idempotencyKey: string;
}

export interface OdooScrapResult {
  /** 'insufficient_quantity': Odoo answered with its insufficient-quantity wizard; the scrap stays draft. */
  status: 'done' | 'insufficient_quantity';
  scrapId: number;
  scrapName: string;
  created: boolean;
}

export interface OdooScrapLotInput {
  material: string;
  lot: string;
  /** Default: everything the lot holds. */
  quantity?: Quantity;
  idempotencyKey: string;
}

export interface OdooMarkDoneInput extends OdooMoRef {
  mode: 'complete' | 'backorder' | 'short_close';
  /** Components nobody reported are not consumed on this MO (else its work orders consume their BoM
   *  quantity): for an MO closed mid-order, whose remaining consumption is reported on the backorder. */
  onlyReportedComponents?: boolean;
}

export interface OdooMarkDoneResult {
  /** Name after marking done (a backorder split renames the order "<name>-001"). */
  moName: string;
  state: string;
  changed: boolean;
  backorderName?: string;
  /** res_model of the wizard Odoo asked for instead of finishing (the order is then not done). */
  wizard?: string;
}

/** A quality check Odoo generated for the MO (quality_mrp point measured on every MO) that is still to do. */
export interface OdooPendingCheck {
  checkId: number;
  checkName: string;
  title: string;
  /** The characteristic code of the point title ("LEAK - Seal leak test" → "LEAK"). */
  characteristic: string;
}

/** The MO of an order's chain that takes postings now (see activities/odoo/open-production.ts). */
export interface OdooOpenProduction {
  /** The latest open MO of the chain, or — every MO done or cancelled — the latest MO. */
  moName: string;
  open: boolean;
  state: OdooMoState;
  /** The finished lot it produces; null while it has produced nothing. */
  lot: string | null;
  quantity: Quantity;
  qtyProducing: Quantity;
  /** Checks that block its mark-done ("You still need to do the quality checks!"). */
  pendingChecks: OdooPendingCheck[];
  /** Every MO of the chain, oldest first, with the lot it produced. */
  chain: Array<{ moName: string; state: OdooMoState; lot: string | null }>;
}

export interface OdooLotInput {
  /** default_code of the product. */
  material: string;
  lot: string;
}

export interface OdooLotResult {
  lotId: number;
  created: boolean;
}

export interface OdooLotLocationResult {
  status: 'moved' | 'already_there' | 'no_stock' | 'not_in_quarantine';
  lotId: number;
  /** complete_name of where the lot is now, null when it holds no stock. */
  location: string | null;
  quantity: Quantity;
}

export interface OdooQualityCheckInput {
  /** default_code; defaults to the order's product when moName is given. */
  material?: string;
  moName?: string;
  lot: string;
  /** Characteristic code (matches quality.point title "<code>" or "<code> - …") or a free title. */
  characteristic: string;
  result: 'pass' | 'fail';
  note?: string;
  /** A to-do check Odoo generated (OdooPendingCheck): only that one is completed; done meanwhile, it is left as is. */
  checkId?: number;
  idempotencyKey: string;
}

export interface OdooQualityCheckResult {
  checkId: number;
  checkName: string;
  state: 'pass' | 'fail';
  created: boolean;
}

export interface OdooCreateQualityAlertInput {
  idempotencyKey: string;
  title: string;
  description?: string;
  material: string;
  lot?: string;
  moName?: string;
  /** quality.alert.team name; default: Odoo's first team. */
  team?: string;
}

export interface OdooQualityAlertResult {
  alertId: number;
  name: string;
  stage: string;
  created: boolean;
}

export interface OdooSetQualityAlertStageInput {
  alertId?: number;
  /** The key the alert was created with (alternative to alertId). */
  idempotencyKey?: string;
  stage: 'new' | 'in_progress' | 'done';
  /** quality.reason name (found or created) written to reason_id. */
  rootCause?: string;
}

export interface OdooQualityAlertStageResult {
  alertId: number;
  stage: string;
  done: boolean;
  changed: boolean;
  closedAt: string | null;
}

export type OdooChatterModel = 'mrp.production' | 'stock.lot' | 'quality.alert' | 'quality.check' | 'stock.scrap';

export interface OdooPostChatterNoteInput {
  model: OdooChatterModel;
  resId?: number;
  /** `name` of the record (for stock.lot give `material` too, lot names are unique per product only). */
  resName?: string;
  material?: string;
  body: string;
  idempotencyKey: string;
}

export interface OdooChatterResult {
  messageId: number;
  created: boolean;
}

export type { OdooVersionCheck as OdooConnectionCheck } from '../../runtime/odoo-version';
