import { z } from 'zod';
import { OdooClient } from '../activities/odoo/client';
import { SapODataClient } from '../activities/sap/odata-client';
import { quantityToSap, sapKey, toSapDate } from '../activities/sap/odata-values';
import { readBatch } from '../activities/sap/batches';
import { readProductionOrder } from '../activities/sap/orders';
import { sapPlant } from '../activities/sap/plant';
import type { SapProductionOrder } from '../activities/sap/types';
import { plantCustomizing } from '../contracts/sap-customizing';
import type { PlantflowConfig } from '../runtime/config';

/**
 * What the plant's planner and warehouse do in the ERPs themselves, before plantflow takes over: create
 * the production order in SAP (POST A_ProductionOrder_2) and the manufacturing order in Odoo
 * (mrp.production.create), and book a supplier's delivery into stock (SAP movement 501, Odoo inventory
 * adjustment). Each goes through the system's real API; plantflow itself never creates these.
 */
export type ErpConfig = Pick<PlantflowConfig, 'odoo' | 'sap'>;

const TIMEOUT_MS = 10_000;

/** The demo and `plantflow sim` write planning data: they refuse to touch a real ERP. */
export function assertSimulatedErps(config: ErpConfig, what: string): void {
  for (const [system, variable] of [
    ['odoo', 'PLANTFLOW_ODOO_URL'],
    ['sap', 'PLANTFLOW_SAP_URL'],
  ] as const) {
    if (!config[system].simulated)
      throw new Error(`${what} works against the simulators only, and ${variable} points at a real system`);
  }
}

function sapClient(config: ErpConfig): SapODataClient {
  const { url, user, password, client } = config.sap;
  return new SapODataClient({ url, user, password, client, timeoutMs: TIMEOUT_MS });
}

const odooClient = (config: ErpConfig) => OdooClient.fromConnection({ ...config.odoo, timeoutMs: TIMEOUT_MS });

async function odooProduct(odoo: OdooClient, material: string): Promise<number> {
  const [product] = await odoo.search('product.product', [['default_code', '=', material]]);
  if (product === undefined) throw new Error(`Odoo has no product ${material}`);
  return product;
}

/** The planner's documents for one order: an SAP production order and an Odoo MO for the same material. */
export async function createErpOrders(
  config: ErpConfig,
  opts: { material: string; quantity: number; origin: string; site?: string },
): Promise<{ sapOrder: string; odooMo: string }> {
  const plant = sapPlant(opts.site ?? '1710').plant;
  const created = await sapClient(config).create(
    'API_PRODUCTION_ORDER_2_SRV',
    'A_ProductionOrder_2',
    {
      Material: opts.material,
      ProductionPlant: plant,
      TotalQuantity: String(opts.quantity),
      // The plant's production order type (PLANTFLOW_SAP_PLANTS; SAP's standard YN01 by default).
      ManufacturingOrderType: plantCustomizing(config.sap.customizing, plant).productionOrderType,
    },
    z.object({ ManufacturingOrder: sapKey }).loose(),
    'production order',
  );
  const odoo = odooClient(config);
  const product = await odooProduct(odoo, opts.material);
  const [bom] = await odoo.search('mrp.bom', [['product_tmpl_id.default_code', '=', opts.material]]);
  const id = await odoo.create('mrp.production', {
    product_id: product,
    product_qty: opts.quantity,
    bom_id: bom,
    origin: opts.origin,
  });
  const mo = await odoo.readOne('mrp.production', id, ['name'], z.object({ name: z.string() }).loose());
  return { sapOrder: created.data.ManufacturingOrder, odooMo: mo.name };
}

/**
 * The SAP production order as SAP planned it (A_ProductionOrder_2 with its operations and components, which
 * SAP copied from the routing and the BOM): what plantflow's order carries to the shop floor.
 */
export function readSapOrder(config: ErpConfig, sapOrder: string): Promise<SapProductionOrder> {
  return readProductionOrder(sapClient(config), { order: sapOrder });
}

/** Where a lot stands in each ERP, read back through their APIs: the SAP batch's restricted use, the Odoo lot's location. */
export async function lotStanding(config: ErpConfig, material: string, lotId: string): Promise<string> {
  const batch = await readBatch(sapClient(config), { material, batch: lotId });
  const odoo = odooClient(config);
  const lot = await odoo.searchOne(
    'stock.lot',
    [
      ['name', '=', lotId],
      ['product_id', '=', await odooProduct(odoo, material)],
    ],
    ['location_id'],
    z.object({ location_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]) }).loose(),
  );
  const sap = !batch.exists ? 'no batch' : batch.restricted ? 'batch restricted' : 'batch unrestricted';
  const inOdoo = !lot ? 'no lot' : lot.location_id ? `in ${lot.location_id[1]}` : 'in no single location';
  return `SAP ${sap}, Odoo ${inOdoo}`;
}

export interface SupplierDelivery {
  material: string;
  lotId: string;
  quantity: { value: string; uom: string };
  supplier: string;
  site?: string;
}

/**
 * A supplier lot booked into unrestricted stock: SAP goods receipt without purchase order (501,
 * GoodsMovementCode 05) into the component storage location, and an Odoo inventory adjustment of the
 * lot in WH/Stock. Both ERPs then hold the same lot with the same quantity.
 */
export async function receiveSupplierLot(
  config: ErpConfig,
  delivery: SupplierDelivery,
): Promise<{ materialDocument: string }> {
  const setup = sapPlant(delivery.site ?? '1710');
  const q = quantityToSap(delivery.quantity);
  const today = new Date().toISOString().slice(0, 10);
  const document = await sapClient(config).create(
    'API_MATERIAL_DOCUMENT_SRV',
    'A_MaterialDocumentHeader',
    {
      GoodsMovementCode: '05',
      PostingDate: toSapDate(today),
      DocumentDate: toSapDate(today),
      MaterialDocumentHeaderText: `delivery ${delivery.supplier}`.slice(0, 25),
      to_MaterialDocumentItem: {
        results: [
          {
            Material: delivery.material,
            Plant: setup.plant,
            StorageLocation: setup.componentStorageLocation,
            Batch: delivery.lotId,
            GoodsMovementType: '501',
            EntryUnit: q.unit,
            QuantityInEntryUnit: q.value,
          },
        ],
      },
    },
    z.object({ MaterialDocument: sapKey }).loose(),
    `goods receipt of supplier lot ${delivery.lotId}`,
  );

  const odoo = odooClient(config);
  const product = await odooProduct(odoo, delivery.material);
  const warehouse = await odoo.searchOne(
    'stock.warehouse',
    [],
    ['lot_stock_id'],
    z.object({ lot_stock_id: z.tuple([z.number(), z.string()]) }).loose(),
  );
  if (!warehouse) throw new Error('Odoo has no warehouse');
  const lot = await odoo.create('stock.lot', { name: delivery.lotId, product_id: product, ref: delivery.supplier });
  const quant = await odoo.create(
    'stock.quant',
    {
      product_id: product,
      location_id: warehouse.lot_stock_id[0],
      lot_id: lot,
      inventory_quantity: Number(delivery.quantity.value),
    },
    { inventory_mode: true },
  );
  await odoo.call('stock.quant', 'action_apply_inventory', { ids: [quant] });
  return { materialDocument: document.data.MaterialDocument };
}
