import { z } from 'zod';
import { OdooClient } from '../../activities/odoo/client';
import { SapODataClient } from '../../activities/sap/odata-client';
import type { ProductionOrderInput } from '../../domain/order';
import type { PlantflowConfig } from '../../runtime/config';
import { demoOrderInput } from './orders';

/**
 * What planners do before plantflow releases an order: create it in SAP (POST A_ProductionOrder_2) and
 * in Odoo (mrp.production.create) through each system's real API.
 */
export async function createErpOrders(
  config: PlantflowConfig,
  opts: { material?: string; quantity?: number; origin: string },
): Promise<{ sapOrder: string; odooMo: string }> {
  const material = opts.material ?? 'FG-100';
  const quantity = opts.quantity ?? 100;
  const sap = new SapODataClient({
    url: config.sap.url,
    user: config.sap.user,
    password: config.sap.password,
    client: config.sap.client,
    timeoutMs: 10_000,
  });
  const created = await sap.create(
    'API_PRODUCTION_ORDER_2_SRV',
    'A_ProductionOrder_2',
    { Material: material, ProductionPlant: '1710', TotalQuantity: String(quantity), ManufacturingOrderType: 'YN01' },
    z.object({ ManufacturingOrder: z.string() }).loose(),
    'production order',
  );
  const odoo = OdooClient.fromConnection({ ...config.odoo, timeoutMs: 10_000 });
  const [product] = await odoo.search('product.product', [['default_code', '=', material]]);
  const [bom] = await odoo.search('mrp.bom', [['product_tmpl_id.default_code', '=', material]]);
  const id = await odoo.create('mrp.production', {
    product_id: product,
    product_qty: quantity,
    bom_id: bom,
    origin: opts.origin,
  });
  const [mo] = await odoo.read('mrp.production', [id], ['name'], z.object({ name: z.string() }).loose());
  return { sapOrder: created.data.ManufacturingOrder, odooMo: mo!.name };
}

/** A canonical order for S1-style tests, with fresh documents in both ERPs. */
export async function releasableOrder(
  config: PlantflowConfig,
  orderRef: string,
  overrides: Partial<ProductionOrderInput> = {},
): Promise<ProductionOrderInput> {
  const quantity = Number(overrides.quantity?.value ?? 100);
  const erp = await createErpOrders(config, { origin: orderRef, quantity, material: overrides.material });
  const components = (demoOrderInput().components ?? []).map((c) => ({
    ...c,
    quantity: { value: String((Number(c.quantity.value) * quantity) / 100), uom: c.quantity.uom },
  }));
  return demoOrderInput({ orderRef, erp, components, ...overrides });
}
