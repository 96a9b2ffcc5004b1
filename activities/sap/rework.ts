import { z } from 'zod';
import type { Quantity } from '../../domain/quantity';
import { businessRuleFailure } from '../shared/failures';
import type { SapODataClient } from './odata-client';
import { literal, quantityToSap, sapKey, toSapDate } from './odata-values';
import { PRODUCTION_ORDER_SERVICE, readProductionOrder } from './orders';
import { plantCustomizing, type SapCustomizing } from '../../contracts/sap-customizing';
import { sapPlant } from './plant';

/**
 * Rework orders for nonconformances: POST A_ProductionOrder_2 (internal numbering; SAP explodes the
 * routing and BOM). API_PRODUCTION_ORDER_2_SRV offers no field for an external key, so a retried create
 * finds its order by fingerprint — material, plant, quantity and the planned dates the workflow fixes
 * for this rework — among orders still only created (CRTD): the rework is released right after, so a
 * created-but-unreleased twin can only be a lost answer of this very call. (With a real S/4 system,
 * put the key in OrderLongText or a custom field and search that instead.)
 */
export interface SapCreateReworkOrderInput {
  idempotencyKey: string;
  material: string;
  /** Plant or plantflow site. */
  plant: string;
  quantity: Quantity;
  /** YYYY-MM-DD, fixed by the workflow (the fingerprint of a retry). */
  plannedStart: string;
  plannedEnd: string;
  /** ManufacturingOrderType; default: the plant's rework order type (customizing, standard YN01). */
  orderType?: string;
}

export interface SapCreateReworkOrderResult {
  order: string;
  created: boolean;
  operations: Array<{ operation: string; workCenter: string; description: string }>;
  components: string[];
}

const headerSchema = z.object({ ManufacturingOrder: sapKey });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export async function createReworkOrder(
  client: SapODataClient,
  input: SapCreateReworkOrderInput,
  customizing?: SapCustomizing,
): Promise<SapCreateReworkOrderResult> {
  if (
    !input.idempotencyKey ||
    !date.safeParse(input.plannedStart).success ||
    !date.safeParse(input.plannedEnd).success
  ) {
    throw businessRuleFailure('sapCreateReworkOrder needs an idempotency key and planned dates as YYYY-MM-DD', {
      system: 'sap',
    });
  }
  const plant = sapPlant(input.plant).plant;
  const orderType = input.orderType ?? plantCustomizing(customizing, plant).reworkOrderType;
  const q = quantityToSap(input.quantity);
  const what = `rework order for ${input.material}`;
  const twins = await client.list(PRODUCTION_ORDER_SERVICE, 'A_ProductionOrder_2', headerSchema, what, {
    $filter: [
      `Material eq ${literal.string(input.material)}`,
      `ProductionPlant eq ${literal.string(plant)}`,
      `ManufacturingOrderType eq ${literal.string(orderType)}`,
      `TotalQuantity eq ${literal.decimal(q.value)}`,
      `MfgOrderPlannedStartDate eq ${literal.datetime(input.plannedStart)}`,
      `MfgOrderPlannedEndDate eq ${literal.datetime(input.plannedEnd)}`,
      `OrderIsReleased eq ''`,
      `OrderIsTechnicallyCompleted eq ''`,
    ].join(' and '),
    $select: 'ManufacturingOrder',
  });
  let order = twins[0]?.ManufacturingOrder;
  const created = order === undefined;
  if (!order) {
    const answer = await client.create(
      PRODUCTION_ORDER_SERVICE,
      'A_ProductionOrder_2',
      {
        Material: input.material,
        ProductionPlant: plant,
        TotalQuantity: q.value,
        ProductionUnit: q.unit,
        // SAP needs the order type to create an order (no default through this API).
        ManufacturingOrderType: orderType,
        MfgOrderPlannedStartDate: toSapDate(input.plannedStart),
        MfgOrderPlannedEndDate: toSapDate(input.plannedEnd),
      },
      headerSchema,
      what,
    );
    order = answer.data.ManufacturingOrder;
  }
  const read = await readProductionOrder(client, { order });
  return {
    order: read.order,
    created,
    operations: read.operations.map((o) => ({ operation: o.operation, workCenter: o.workCenter, description: o.text })),
    components: read.components.map((c) => c.material),
  };
}
