import { alpha, dec, str, type PropDef, type Row } from '../odata/edm';
import type { ServiceDef } from '../odata/model';
import type { SapModel } from '../state/model';
import { STOCK_TYPE_CODE } from '../state/movements';
import type { StockRecord, StockType } from '../state/types';

/**
 * API_MATERIAL_STOCK_SRV (read-only): stock per material, plant, storage location, batch and stock type,
 * one row per stock type that holds a quantity, as A_MatlStkInAcctMod lists it. InventoryStockType
 * 01 unrestricted, 02 quality inspection, 07 blocked; quantities in the material's base unit.
 */
const STOCK_PROPS: PropDef[] = [
  str('Material', 40),
  str('Plant', 4),
  str('StorageLocation', 4),
  str('Batch', 10),
  str('Supplier', 10),
  str('Customer', 10),
  str('WBSElementInternalID', 24),
  str('SDDocument', 10),
  alpha('SDDocumentItem', 6),
  str('InventorySpecialStockType', 1),
  str('InventoryStockType', 2),
  str('MaterialBaseUnit', 3),
  dec('MatlWrhsStkQtyInMatlBaseUnit', 31, 14, 'MaterialBaseUnit'),
];

export function materialStockService(model: SapModel): ServiceDef {
  const rows = (s: StockRecord): Row[] =>
    (Object.keys(STOCK_TYPE_CODE) as StockType[])
      .filter((type) => Number(s[type]) !== 0)
      .map((type) => ({
        Material: s.Material,
        Plant: s.Plant,
        StorageLocation: s.StorageLocation,
        Batch: s.Batch,
        Supplier: '',
        Customer: '',
        WBSElementInternalID: '',
        SDDocument: '',
        SDDocumentItem: '',
        InventorySpecialStockType: '',
        InventoryStockType: STOCK_TYPE_CODE[type],
        MaterialBaseUnit: model.material(s.Material)?.BaseUnit ?? 'EA',
        MatlWrhsStkQtyInMatlBaseUnit: s[type],
      }));
  return {
    name: 'API_MATERIAL_STOCK_SRV',
    namespace: 'API_MATERIAL_STOCK_SRV',
    complexTypes: [],
    functions: [],
    sets: [
      {
        name: 'A_MatlStkInAcctMod',
        type: 'A_MatlStkInAcctModType',
        keys: [
          'Material',
          'Plant',
          'StorageLocation',
          'Batch',
          'Supplier',
          'Customer',
          'WBSElementInternalID',
          'SDDocument',
          'SDDocumentItem',
          'InventorySpecialStockType',
          'InventoryStockType',
        ],
        props: STOCK_PROPS,
        rows: () => model.state.stock.flatMap(rows),
      },
    ],
  };
}
