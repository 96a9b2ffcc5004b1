import { z } from 'zod';
import { qty, type Quantity } from '../../domain/quantity';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { literal, quantityFromSap, sapDecimal } from './odata-values';
import type { SapBatchStock, SapReadBatchStockInput } from './types';

export const MATERIAL_STOCK_SERVICE = 'API_MATERIAL_STOCK_SRV';

const stockSchema = z.object({
  StorageLocation: z.string(),
  InventoryStockType: z.string(),
  InventorySpecialStockType: z.string(),
  MaterialBaseUnit: z.string(),
  MatlWrhsStkQtyInMatlBaseUnit: sapDecimal,
});

const STOCK_TYPES: Record<string, keyof SapBatchStock['byStorageLocation'][number]['stock'] | undefined> = {
  '01': 'unrestricted',
  '02': 'qualityInspection',
  '07': 'blocked',
};

/**
 * What a batch holds on hand at a plant, per storage location and stock type (own stock only, not
 * consignment or sales-order stock), so a posting asks for no more than is there (SAP refuses a deficit, M7/021).
 */
export async function readBatchStock(client: SapODataClient, input: SapReadBatchStockInput): Promise<SapBatchStock> {
  const { material, plant, batch } = checkInput(inputSchemas.readBatchStock, input, 'sapReadBatchStock');
  const what = `stock of batch ${material}/${batch} in plant ${plant}`;
  const rows = await client.list(MATERIAL_STOCK_SERVICE, 'A_MatlStkInAcctMod', stockSchema, what, {
    $filter: [
      `Material eq ${literal.string(material)}`,
      `Plant eq ${literal.string(plant)}`,
      `Batch eq ${literal.string(batch)}`,
    ].join(' and '),
  });
  const byLocation = new Map<string, SapBatchStock['byStorageLocation'][number]>();
  for (const row of rows.filter((r) => r.InventorySpecialStockType === '')) {
    const type = STOCK_TYPES[row.InventoryStockType];
    if (!type) continue;
    const quantity = quantityFromSap(row.MatlWrhsStkQtyInMatlBaseUnit, row.MaterialBaseUnit, what);
    const entry = byLocation.get(row.StorageLocation) ?? {
      storageLocation: row.StorageLocation,
      stock: { unrestricted: zero(quantity), qualityInspection: zero(quantity), blocked: zero(quantity) },
    };
    entry.stock[type] = qty.add(entry.stock[type], quantity);
    byLocation.set(row.StorageLocation, entry);
  }
  return { material, plant, batch, byStorageLocation: [...byLocation.values()] };
}

const zero = (like: Quantity): Quantity => ({ value: '0', uom: like.uom });
