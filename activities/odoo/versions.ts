/**
 * Everything that differs between the Odoo versions the adapter drives, in one table (docs/odoo-simulator.md).
 * Verbs ask these traits; no other file compares version strings.
 */
export type OdooVersion = '17' | '18' | '19';

export interface OdooTraits {
  version: OdooVersion;
  /** 17/18: JSON-RPC `/jsonrpc`; 19: JSON-2 `/json/2/<model>/<method>`. */
  protocol: 'jsonrpc' | 'json2';
  /** Finished lot(s) on mrp.production: M2O `lot_producing_id` (17/18) or M2M `lot_producing_ids` (19). */
  lotProducingField: 'lot_producing_id' | 'lot_producing_ids';
  /** quality.check / quality.alert lot field: M2O `lot_id` (17/18) or M2M `lot_ids` (19). */
  qualityLotField: 'lot_id' | 'lot_ids';
  /** stock.move flag of scrap moves: `scrapped` (17/18) or `is_scrap` (19). */
  moveScrapField: 'scrapped' | 'is_scrap';
  /** mrp.workorder states: 19 adds `blocked` and drops `pending`/`waiting`. */
  workorderStates: readonly string[];
}

const TRAITS: Record<OdooVersion, OdooTraits> = {
  '17': {
    version: '17',
    protocol: 'jsonrpc',
    lotProducingField: 'lot_producing_id',
    qualityLotField: 'lot_id',
    moveScrapField: 'scrapped',
    workorderStates: ['pending', 'waiting', 'ready', 'progress', 'done', 'cancel'],
  },
  '18': {
    version: '18',
    protocol: 'jsonrpc',
    lotProducingField: 'lot_producing_id',
    qualityLotField: 'lot_id',
    moveScrapField: 'scrapped',
    workorderStates: ['pending', 'waiting', 'ready', 'progress', 'done', 'cancel'],
  },
  '19': {
    version: '19',
    protocol: 'json2',
    lotProducingField: 'lot_producing_ids',
    qualityLotField: 'lot_ids',
    moveScrapField: 'is_scrap',
    workorderStates: ['blocked', 'ready', 'progress', 'done', 'cancel'],
  },
};

export function odooTraits(version: OdooVersion): OdooTraits {
  return TRAITS[version];
}

/** The value that makes `lotId` the one lot of a field of the given kind (M2O id, or an M2M "set" command). */
export function lotSetValue(field: string, lotId: number): number | [number, number, number[]][] {
  return field.endsWith('_ids') ? [[6, 0, [lotId]]] : lotId;
}

/** Lot ids held by an M2O ([id, name] | false) or M2M (ids) value. */
export function lotIdsOf(value: unknown): number[] {
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string')
    return [value[0]];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number');
  return typeof value === 'number' ? [value] : [];
}
