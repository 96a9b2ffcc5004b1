import assert from 'node:assert/strict';
import type { MesEventInput } from '../../domain/events';
import type { OrderStatusReport } from '../../client/orders';
import { eventually } from './eventually';
import type { PlantStack } from './stack';

/** Waits until the order's run is at `status` (released, completed, …) and returns its view. */
export function orderAt(
  stack: PlantStack,
  ref: string,
  status: OrderStatusReport['status'],
  timeoutMs = 120_000,
): Promise<OrderStatusReport> {
  return eventually(
    () => stack.orders.status('1710', ref),
    (s) => s.status === status,
    timeoutMs,
  );
}

/** The MES reports the events in turn; each is accepted. */
export async function report(stack: PlantStack, events: MesEventInput[]): Promise<void> {
  for (const e of events) assert.equal((await stack.orders.reportMesEvent(e)).outcome, 'accepted', e.type);
}

/** The shop floor on a just released order: once its run is `released`, the MES reports the events. */
export async function produce(stack: PlantStack, ref: string, events: MesEventInput[]): Promise<void> {
  await orderAt(stack, ref, 'released', 60_000);
  await report(stack, events);
}
