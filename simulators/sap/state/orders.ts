import Decimal from 'decimal.js';
import { edmTime, utcMidnight } from '../odata/edm';
import { DEMO_BOMS } from '../../shared/demo-plant';
import { messages } from './messages';
import type { SapModel } from './model';
import { ORDER_TYPE, PLANT, SLOC_COMPONENTS, SLOC_FINISHED, sapUnit, stampString } from './seed';
import type { OrderRecord } from './types';

/** System statuses in the sequence SAP lists them on the order (CRTD/REL first, TECO after DLV). */
const STATUS_SEQUENCE = ['CRTD', 'REL', 'PCNF', 'CNF', 'PDLV', 'DLV', 'TECO', 'CLSD', 'GMPS'];

export function setStatuses(current: string[], add: string[], remove: string[] = []): string[] {
  const next = new Set(current.filter((s) => !remove.includes(s)));
  add.forEach((s) => next.add(s));
  return STATUS_SEQUENCE.filter((s) => next.has(s));
}

/** A change to the order is a change to its operations' ETags too (they are saved together). */
export function touch(model: SapModel, order: OrderRecord): void {
  order.LastChangeDateTime = stampString(model.stamp());
  order.operations.forEach((op) => (op.LastChangeDateTime = order.LastChangeDateTime));
}

const d = (v: string): Decimal => new Decimal(v);

export interface NewOrder {
  Material: string;
  ProductionPlant: string;
  TotalQuantity: string;
  ProductionUnit?: string;
  ManufacturingOrderType?: string;
  MfgOrderPlannedStartDate?: number;
  MfgOrderPlannedEndDate?: number;
}

/** POST A_ProductionOrder_2: internal numbering, routing and BOM exploded from the demo plant. */
export function createOrder(model: SapModel, input: NewOrder, now: number): OrderRecord {
  const bom = DEMO_BOMS.find((b) => b.material === input.Material);
  const material = model.material(input.Material);
  if (!material || !bom)
    throw messages.invalid(
      'PP_ODATA_API_PRODORD/020',
      `No production version or BOM found for material ${input.Material} in plant ${input.ProductionPlant}`,
    );
  if (input.ProductionPlant !== PLANT) throw messages.materialMissing(input.Material, input.ProductionPlant);
  if (!d(input.TotalQuantity).gt(0)) throw messages.invalid('CO/031', 'Enter a total quantity greater than zero');
  if (input.ProductionUnit && input.ProductionUnit !== material.BaseUnit)
    throw messages.unitMismatch(input.ProductionUnit, material.BaseUnit);
  const total = d(input.TotalQuantity);
  const start = input.MfgOrderPlannedStartDate ?? utcMidnight(now);
  const end = input.MfgOrderPlannedEndDate ?? start + 2 * 86_400_000;
  const orderNo = model.next('order');
  const reservation = model.next('reservation');
  const stamp = stampString(model.stamp());
  const order: OrderRecord = {
    ManufacturingOrder: orderNo,
    ManufacturingOrderType: input.ManufacturingOrderType ?? ORDER_TYPE,
    Material: input.Material,
    ProductionPlant: PLANT,
    StorageLocation: SLOC_FINISHED,
    MRPController: '001',
    ProductionVersion: '0001',
    TotalQuantity: total.toFixed(),
    MfgOrderPlannedScrapQty: '0',
    ProductionUnit: material.BaseUnit,
    MfgOrderConfirmedYieldQty: '0',
    deliveredQuantity: '0',
    OrderInternalBillOfOperations: model.next('billOfOperations'),
    Reservation: reservation,
    MfgOrderCreationDate: utcMidnight(now),
    MfgOrderCreationTime: edmTime(new Date(now)),
    MfgOrderPlannedStartDate: start,
    MfgOrderPlannedEndDate: end,
    MfgOrderScheduledStartDate: start,
    MfgOrderScheduledEndDate: end,
    MfgOrderActualReleaseDate: null,
    LastChangeDateTime: stamp,
    statuses: ['CRTD'],
    operations: bom.routing.map((op, i) => ({
      OrderIntBillOfOperationsItem: String(i + 1),
      ManufacturingOrderOperation: op.operation,
      MfgOrderOperationText: op.description,
      WorkCenter: op.workCenter,
      OpPlannedTotalQuantity: total.toFixed(),
      OpTotalConfirmedYieldQty: '0',
      OpTotalConfirmedScrapQty: '0',
      ConfirmationGroup: model.next('confirmationGroup'),
      statuses: ['CRTD'],
      LastChangeDateTime: stamp,
    })),
    components: bom.lines.map((line, i) => ({
      ReservationItem: String(i + 1),
      Material: line.component,
      ManufacturingOrderOperation: line.operation,
      StorageLocation: SLOC_COMPONENTS,
      Batch: '',
      BaseUnit: sapUnit(line.uom),
      RequiredQuantity: total.times(line.perUnit).toFixed(),
      WithdrawnQuantity: '0',
      ReservationIsFinallyIssued: false,
    })),
  };
  model.state.orders.push(order);
  return order;
}

/** PATCH A_ProductionOrder_2: dates and quantities only; a new total re-explodes requirements. */
export function changeOrder(model: SapModel, order: OrderRecord, changes: Record<string, unknown>): void {
  if (order.statuses.includes('TECO') || order.statuses.includes('CLSD')) {
    throw messages.statusActive(order.statuses.includes('CLSD') ? 'CLSD' : 'TECO', order.ManufacturingOrder);
  }
  const bom = DEMO_BOMS.find((b) => b.material === order.Material)!;
  if (typeof changes.TotalQuantity === 'string') {
    const total = d(changes.TotalQuantity);
    if (!total.gt(0)) throw messages.invalid('CO/031', 'Enter a total quantity greater than zero');
    order.TotalQuantity = total.toFixed();
    order.operations.forEach((op) => (op.OpPlannedTotalQuantity = total.toFixed()));
    order.components.forEach((c) => {
      const line = bom.lines.find((l) => l.component === c.Material);
      if (line) c.RequiredQuantity = total.times(line.perUnit).toFixed();
    });
  }
  for (const [k, v] of Object.entries(changes)) {
    if (k !== 'TotalQuantity') (order as unknown as Record<string, unknown>)[k] = v;
  }
  touch(model, order);
}

export function releaseOrder(model: SapModel, order: OrderRecord, now: number): void {
  for (const blocking of ['CLSD', 'TECO'])
    if (order.statuses.includes(blocking)) throw messages.statusActive(blocking, order.ManufacturingOrder);
  if (order.statuses.includes('REL')) throw messages.orderNotChanged(order.ManufacturingOrder);
  order.statuses = setStatuses(order.statuses, ['REL'], ['CRTD']);
  order.operations.forEach((op) => (op.statuses = setStatuses(op.statuses, ['REL'], ['CRTD'])));
  order.MfgOrderActualReleaseDate = utcMidnight(now);
  touch(model, order);
}

export function technicallyCompleteOrder(model: SapModel, order: OrderRecord): void {
  if (order.statuses.includes('CLSD')) throw messages.statusActive('CLSD', order.ManufacturingOrder);
  if (order.statuses.includes('TECO')) throw messages.orderNotChanged(order.ManufacturingOrder);
  order.statuses = setStatuses(order.statuses, ['TECO']);
  order.operations.forEach((op) => (op.statuses = setStatuses(op.statuses, ['TECO'])));
  touch(model, order);
}

/** Confirmations and goods movements need a released order that is not closed. */
export function assertPostable(order: OrderRecord): void {
  if (order.statuses.includes('CLSD')) throw messages.statusActive('CLSD', order.ManufacturingOrder);
  if (!order.statuses.includes('REL')) throw messages.statusActive('CRTD', order.ManufacturingOrder);
}

/** Header yield follows the last operation; CNF when every operation is finally confirmed. */
export function recomputeConfirmationStatus(order: OrderRecord): void {
  const last = order.operations[order.operations.length - 1]!;
  order.MfgOrderConfirmedYieldQty = last.OpTotalConfirmedYieldQty;
  const allFinal = order.operations.every((op) => op.statuses.includes('CNF'));
  const anyConfirmed = order.operations.some((op) => op.statuses.includes('CNF') || op.statuses.includes('PCNF'));
  order.statuses = setStatuses(
    order.statuses,
    allFinal ? ['CNF'] : anyConfirmed ? ['PCNF'] : [],
    allFinal ? ['PCNF'] : ['CNF', ...(anyConfirmed ? [] : ['PCNF'])],
  );
}

/** Goods receipt (101 +, 102 −) against the order: PDLV/DLV follow the delivered quantity. */
export function applyReceipt(model: SapModel, order: OrderRecord, material: string, quantity: Decimal): boolean {
  if (material !== order.Material) {
    throw messages.invalid('M7/146', `Material ${material} is not the material of order ${order.ManufacturingOrder}`);
  }
  const delivered = d(order.deliveredQuantity).plus(quantity);
  if (delivered.isNegative())
    throw messages.invalid(
      'M7/395',
      `Reversal quantity exceeds the quantity received for order ${order.ManufacturingOrder}`,
    );
  order.deliveredQuantity = delivered.toFixed();
  const complete = delivered.gte(order.TotalQuantity);
  order.statuses = setStatuses(
    order.statuses,
    [...(complete ? ['DLV'] : delivered.gt(0) ? ['PDLV'] : []), 'GMPS'],
    complete ? ['PDLV'] : ['DLV', ...(delivered.gt(0) ? [] : ['PDLV'])],
  );
  touch(model, order);
  return complete;
}

/** Goods issue (261 +, 262 −) against a reservation item, found by item number or material. */
export function applyIssue(
  model: SapModel,
  order: OrderRecord,
  item: { Material: string; Reservation: string; ReservationItem: string; ReservationIsFinallyIssued?: boolean },
  quantity: Decimal,
): { Reservation: string; ReservationItem: string; finallyIssued: boolean } | undefined {
  const byItem =
    item.ReservationItem && (!item.Reservation || item.Reservation === order.Reservation)
      ? order.components.find((c) => c.ReservationItem === item.ReservationItem)
      : undefined;
  const component = byItem ?? order.components.find((c) => c.Material === item.Material);
  if (!component) return undefined; // unplanned consumption: allowed, no reservation to update
  if (component.Material !== item.Material) {
    throw messages.invalid(
      'M7/147',
      `Reservation item ${component.ReservationItem} of order ${order.ManufacturingOrder} is for material ${component.Material}`,
    );
  }
  const withdrawn = d(component.WithdrawnQuantity).plus(quantity);
  if (withdrawn.isNegative())
    throw messages.invalid('M7/395', `Reversal quantity exceeds the quantity withdrawn for ${component.Material}`);
  component.WithdrawnQuantity = withdrawn.toFixed();
  component.ReservationIsFinallyIssued =
    item.ReservationIsFinallyIssued === true || withdrawn.gte(component.RequiredQuantity);
  order.statuses = setStatuses(order.statuses, ['GMPS']);
  touch(model, order);
  return {
    Reservation: order.Reservation,
    ReservationItem: component.ReservationItem,
    finallyIssued: component.ReservationIsFinallyIssued,
  };
}
