import { z } from 'zod';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { entityPath, literal, quantityFromSap, sapDecimal, sapFlag, sapKey } from './odata-values';
import { sapCodeOf } from './sap-errors';
import type {
  SapMessageInfo,
  SapOrderActionInput,
  SapOrderStatus,
  SapProductionOrder,
  SapReadProductionOrderInput,
  SapReleaseProductionOrderResult,
  SapTechnicallyCompleteOrderResult,
} from './types';

export const PRODUCTION_ORDER_SERVICE = 'API_PRODUCTION_ORDER_2_SRV';

const operationSchema = z.object({
  ManufacturingOrderOperation: z.string(),
  MfgOrderOperationText: z.string(),
  WorkCenter: z.string(),
  OperationUnit: z.string(),
  OpPlannedTotalQuantity: sapDecimal,
  OpTotalConfirmedYieldQty: sapDecimal,
  OperationIsCreated: sapFlag,
  OperationIsReleased: sapFlag,
  OperationIsPartiallyConfirmed: sapFlag,
  OperationIsConfirmed: sapFlag,
  OperationIsTechlyCompleted: sapFlag,
  OperationIsClosed: sapFlag,
});

const componentSchema = z.object({
  Reservation: sapKey,
  ReservationItem: sapKey,
  Material: z.string(),
  ManufacturingOrderOperation: z.string(),
  StorageLocation: z.string(),
  Batch: z.string(),
  BaseUnit: z.string(),
  RequiredQuantity: sapDecimal,
  WithdrawnQuantity: sapDecimal,
  ReservationIsFinallyIssued: z.boolean(),
});

const results = <S extends z.ZodType>(item: S) =>
  z.union([z.object({ results: z.array(item) }), z.array(item)]).transform((v) => (Array.isArray(v) ? v : v.results));

const headerSchema = z.object({
  ManufacturingOrder: sapKey,
  ManufacturingOrderType: z.string(),
  Material: z.string(),
  ProductionPlant: z.string(),
  StorageLocation: z.string(),
  ProductionUnit: z.string(),
  TotalQuantity: sapDecimal,
  MfgOrderConfirmedYieldQty: sapDecimal,
  LastChangeDateTime: z.string(),
  OrderIsCreated: sapFlag,
  OrderIsReleased: sapFlag,
  OrderIsPartiallyConfirmed: sapFlag,
  OrderIsConfirmed: sapFlag,
  OrderIsPartiallyDelivered: sapFlag,
  OrderIsDelivered: sapFlag,
  OrderIsTechnicallyCompleted: sapFlag,
  OrderIsClosed: sapFlag,
  to_ProductionOrderOperation: results(operationSchema),
  to_ProductionOrderComponent: results(componentSchema),
  to_ProductionOrderStatus: results(z.object({ StatusShortName: z.string(), IsUserStatus: z.boolean() })),
});

function operationStatus(op: z.infer<typeof operationSchema>): SapOrderStatus {
  if (op.OperationIsClosed) return 'CLSD';
  if (op.OperationIsTechlyCompleted) return 'TECO';
  if (op.OperationIsConfirmed) return 'CNF';
  if (op.OperationIsPartiallyConfirmed) return 'PCNF';
  if (op.OperationIsReleased) return 'REL';
  return 'CRTD';
}

export async function readProductionOrder(
  client: SapODataClient,
  input: SapReadProductionOrderInput,
): Promise<SapProductionOrder> {
  const { order } = checkInput(inputSchemas.order, input, 'sapReadProductionOrder');
  const what = `production order ${order}`;
  const { data: h } = await client.read(
    PRODUCTION_ORDER_SERVICE,
    entityPath('A_ProductionOrder_2', { ManufacturingOrder: literal.string(order) }),
    headerSchema,
    what,
    {
      $expand: 'to_ProductionOrderOperation,to_ProductionOrderComponent,to_ProductionOrderStatus',
    },
  );
  const q = (value: string, unit: string, field: string) => quantityFromSap(value, unit, `${what} ${field}`);
  return {
    order: h.ManufacturingOrder,
    orderType: h.ManufacturingOrderType,
    material: h.Material,
    plant: h.ProductionPlant,
    storageLocation: h.StorageLocation,
    totalQuantity: q(h.TotalQuantity, h.ProductionUnit, 'TotalQuantity'),
    confirmedYield: q(h.MfgOrderConfirmedYieldQty, h.ProductionUnit, 'MfgOrderConfirmedYieldQty'),
    flags: {
      created: h.OrderIsCreated,
      released: h.OrderIsReleased,
      partiallyConfirmed: h.OrderIsPartiallyConfirmed,
      confirmed: h.OrderIsConfirmed,
      partiallyDelivered: h.OrderIsPartiallyDelivered,
      delivered: h.OrderIsDelivered,
      technicallyCompleted: h.OrderIsTechnicallyCompleted,
      closed: h.OrderIsClosed,
    },
    systemStatuses: h.to_ProductionOrderStatus.filter((s) => !s.IsUserStatus).map((s) => s.StatusShortName),
    lastChange: h.LastChangeDateTime,
    operations: h.to_ProductionOrderOperation.map((op) => ({
      operation: op.ManufacturingOrderOperation,
      text: op.MfgOrderOperationText,
      workCenter: op.WorkCenter,
      plannedQuantity: q(op.OpPlannedTotalQuantity, op.OperationUnit, 'OpPlannedTotalQuantity'),
      confirmedYield: q(op.OpTotalConfirmedYieldQty, op.OperationUnit, 'OpTotalConfirmedYieldQty'),
      status: operationStatus(op),
    })),
    components: h.to_ProductionOrderComponent.map((c) => ({
      material: c.Material,
      operation: c.ManufacturingOrderOperation,
      required: q(c.RequiredQuantity, c.BaseUnit, 'RequiredQuantity'),
      withdrawn: q(c.WithdrawnQuantity, c.BaseUnit, 'WithdrawnQuantity'),
      ...(c.Batch ? { batch: c.Batch } : {}),
      storageLocation: c.StorageLocation,
      reservation: c.Reservation,
      reservationItem: c.ReservationItem,
      finallyIssued: c.ReservationIsFinallyIssued,
    })),
  };
}

const functionMessage = z.object({ SystemMessageType: z.string(), SystemMessageLongText: z.string() }).passthrough();

/** Runs an order action unless the status shows it already happened; a lost race ("not changed") is a no-op too. */
async function orderAction(
  client: SapODataClient,
  order: string,
  fn: 'ReleaseOrder' | 'TechlyCmpltOrder',
  done: (o: SapProductionOrder) => boolean,
): Promise<{ already: boolean; statuses: string[]; messages: SapMessageInfo[] }> {
  const before = await readProductionOrder(client, { order });
  if (done(before)) return { already: true, statuses: before.systemStatuses, messages: [] };
  try {
    const answer = await client.call(
      PRODUCTION_ORDER_SERVICE,
      fn,
      { ManufacturingOrder: literal.string(order) },
      functionMessage,
      `${fn} of order ${order}`,
      true,
    );
    const after = await readProductionOrder(client, { order });
    const text = answer.data.SystemMessageLongText
      ? [{ code: fn, text: answer.data.SystemMessageLongText, severity: answer.data.SystemMessageType }]
      : [];
    return { already: false, statuses: after.systemStatuses, messages: [...answer.messages, ...text] };
  } catch (err) {
    // A concurrent attempt may have won between our read and the call.
    if (sapCodeOf(err) === 'PP_ODATA_API_PRODORD/106') {
      const after = await readProductionOrder(client, { order });
      if (done(after)) return { already: true, statuses: after.systemStatuses, messages: [] };
    }
    throw err;
  }
}

export async function releaseProductionOrder(
  client: SapODataClient,
  input: SapOrderActionInput,
): Promise<SapReleaseProductionOrderResult> {
  const { order } = checkInput(inputSchemas.order, input, 'sapReleaseProductionOrder');
  const r = await orderAction(client, order, 'ReleaseOrder', (o) => o.flags.released);
  return { order, alreadyReleased: r.already, systemStatuses: r.statuses, messages: r.messages };
}

/** TECO: closes the order for planning; used as the release compensation and at order close. */
export async function technicallyCompleteOrder(
  client: SapODataClient,
  input: SapOrderActionInput,
): Promise<SapTechnicallyCompleteOrderResult> {
  const { order } = checkInput(inputSchemas.order, input, 'sapTechnicallyCompleteOrder');
  const r = await orderAction(client, order, 'TechlyCmpltOrder', (o) => o.flags.technicallyCompleted || o.flags.closed);
  return { order, alreadyCompleted: r.already, systemStatuses: r.statuses, messages: r.messages };
}
