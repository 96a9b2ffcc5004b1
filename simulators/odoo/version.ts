/**
 * What differs between the Odoo versions the simulator speaks (docs/odoo-simulator.md). Business code asks
 * these traits instead of comparing version strings, so every difference is visible in one table.
 */
export type OdooVersion = '17' | '18' | '19';
export const ODOO_VERSIONS: readonly OdooVersion[] = ['17', '18', '19'];

export interface OdooVersionTraits {
  version: OdooVersion;
  major: number;
  /** JSON-RPC error envelope `code`: 200 up to 18.0, 0 in the type='jsonrpc' era (19.0). */
  jsonRpcErrorCode: 200 | 0;
  /** `/json/2/<model>/<method>` exists from 19.0. */
  json2: boolean;
  /** 19 replaced `mrp.production.lot_producing_id` (M2O) by `lot_producing_ids` (M2M). */
  lotProducingField: 'lot_producing_id' | 'lot_producing_ids';
  /** quality.check / quality.alert: `lot_id` (17/18) vs `lot_ids` (19). */
  qualityLotField: 'lot_id' | 'lot_ids';
  /** stock.move scrap flag: `scrapped` (17/18) vs `is_scrap` (19). */
  moveScrapField: 'scrapped' | 'is_scrap';
  /** mrp.workorder.state selection. */
  workorderStates: readonly string[];
  /** State of a work order waiting for an earlier one: `pending` (17/18) or `blocked` (19). */
  workorderWaitingState: 'pending' | 'blocked';
  /** stock.location.scrap_location exists up to 18. */
  locationScrapFlag: boolean;
  /** product `type` 'product' (17) vs `is_storable` boolean (18+). */
  storableFlag: boolean;
  /** mrp.production.set_qty_producing is public in 17/18. */
  hasSetQtyProducing: boolean;
  /** 19 call_kw turns any recordset result into `.ids`; 17/18 honour @api.returns (an int). */
  recordsetResultAsIds: boolean;
  /** Wizard returned by button_mark_done when nothing was produced yet. */
  massProduceWizard: 'mrp.batch.produce' | 'mrp.production.serials';
}

const WO_17_18 = ['pending', 'waiting', 'ready', 'progress', 'done', 'cancel'] as const;
const WO_19 = ['blocked', 'ready', 'progress', 'done', 'cancel'] as const;

export function versionTraits(version: OdooVersion): OdooVersionTraits {
  const v19 = version === '19';
  return {
    version,
    major: Number(version),
    jsonRpcErrorCode: v19 ? 0 : 200,
    json2: v19,
    lotProducingField: v19 ? 'lot_producing_ids' : 'lot_producing_id',
    qualityLotField: v19 ? 'lot_ids' : 'lot_id',
    moveScrapField: v19 ? 'is_scrap' : 'scrapped',
    workorderStates: v19 ? WO_19 : WO_17_18,
    workorderWaitingState: v19 ? 'blocked' : 'pending',
    locationScrapFlag: !v19,
    storableFlag: version !== '17',
    hasSetQtyProducing: !v19,
    recordsetResultAsIds: v19,
    massProduceWizard: v19 ? 'mrp.production.serials' : 'mrp.batch.produce',
  };
}
