import { createErpOrders } from '../../demo/erp';
import type { ProductionOrderInput } from '../../domain/order';
import type { PlantflowConfig } from '../../runtime/config';
import { demoOrderInput } from './orders';

/** A canonical order for S1-style tests, with fresh documents in both ERPs. */
export async function releasableOrder(
  config: PlantflowConfig,
  orderRef: string,
  overrides: Partial<ProductionOrderInput> = {},
): Promise<ProductionOrderInput> {
  const quantity = Number(overrides.quantity?.value ?? 100);
  const erp = await createErpOrders(config, {
    origin: orderRef,
    quantity,
    material: overrides.material ?? 'FG-100',
  });
  const components = (demoOrderInput().components ?? []).map((c) => ({
    ...c,
    quantity: { value: String((Number(c.quantity.value) * quantity) / 100), uom: c.quantity.uom },
  }));
  return demoOrderInput({ orderRef, erp, components, ...overrides });
}
