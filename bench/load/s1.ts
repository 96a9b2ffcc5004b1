import { randomUUID } from 'node:crypto';
import type { MesEventInput } from '../../domain/events';
import type { ProductionOrderInput } from '../../domain/order';
import { receiveSupplierLot } from '../../demo/erp';
import { releasableOrder } from '../../test/support/erp-fixtures';
import type { Plant } from '../stack/plant';

/** Supplier lots the bench's orders consume, booked once per plant with room for any run. */
export const BENCH_LOTS = { heatA: 'BH-1', heatB: 'BH-2', impeller: 'BI-1', resin: 'BR-1' } as const;

export async function bookBenchSupply(plant: Plant): Promise<void> {
  const deliveries = [
    { material: 'RM-300', lotId: BENCH_LOTS.heatA, uom: 'EA' },
    { material: 'RM-300', lotId: BENCH_LOTS.heatB, uom: 'EA' },
    { material: 'RM-310', lotId: BENCH_LOTS.impeller, uom: 'EA' },
    { material: 'RM-400', lotId: BENCH_LOTS.resin, uom: 'KGM' },
  ];
  for (const d of deliveries)
    await receiveSupplierLot(plant.config, {
      material: d.material,
      lotId: d.lotId,
      quantity: { value: '100000000', uom: d.uom },
      supplier: 'bench supplier',
    });
}

/** An order with fresh documents in both ERPs (the planner's work: not timed). */
export function plannedOrder(
  plant: Plant,
  orderRef: string,
  overrides: Partial<ProductionOrderInput> = {},
): Promise<ProductionOrderInput> {
  return releasableOrder(plant.config, orderRef, overrides);
}

const source = { system: 'mes' as const, instance: 'mes-1710' };

/** One MES event stamped now: the generator is the MES, recordedAt is when it reports. */
export function mesEvent(
  orderRef: string,
  type: MesEventInput['type'],
  correlation: { operation?: string; lotId?: string },
  payload: Record<string, unknown>,
): MesEventInput {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    type,
    effectiveAt: now,
    recordedAt: now,
    source,
    site: '1710',
    correlation: { orderRef, ...correlation },
    payload,
  } as MesEventInput;
}

const q = (value: string, uom = 'EA') => ({ value, uom });

/** The nine events of scenario S1 for a 100 EA order: two operations, four lots consumed, one lot made. */
export function s1Events(orderRef: string, lotId: string): Array<() => MesEventInput> {
  const op = 'op.sam';
  return [
    () => mesEvent(orderRef, 'OperationStarted', { operation: '0010' }, { operator: op }),
    () =>
      mesEvent(
        orderRef,
        'MaterialConsumed',
        { lotId: BENCH_LOTS.heatA },
        { material: 'RM-300', quantity: q('60'), operator: op },
      ),
    () =>
      mesEvent(
        orderRef,
        'MaterialConsumed',
        { lotId: BENCH_LOTS.heatB },
        { material: 'RM-300', quantity: q('40'), operator: op },
      ),
    () =>
      mesEvent(
        orderRef,
        'MaterialConsumed',
        { lotId: BENCH_LOTS.impeller },
        { material: 'RM-310', quantity: q('100'), operator: op },
      ),
    () =>
      mesEvent(orderRef, 'OperationCompleted', { operation: '0010' }, { yield: q('100'), final: true, operator: op }),
    () => mesEvent(orderRef, 'OperationStarted', { operation: '0020' }, { operator: op }),
    () =>
      mesEvent(
        orderRef,
        'MaterialConsumed',
        { lotId: BENCH_LOTS.resin },
        { material: 'RM-400', quantity: q('25', 'KGM'), operator: op },
      ),
    () =>
      mesEvent(orderRef, 'OperationCompleted', { operation: '0020' }, { yield: q('100'), final: true, operator: op }),
    () => mesEvent(orderRef, 'MaterialProduced', { lotId }, { material: 'FG-100', quantity: q('100'), operator: op }),
  ];
}

/** A lot id of at most 10 characters, unique per run and index. */
export const benchLotId = (tag: string, i: number): string => `L${tag}${i.toString(36).toUpperCase()}`.slice(0, 10);

/** Polls `read` until `done` says so; the interval grows to a second so waiting costs the stack little. */
export async function until<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  timeoutMs = 600_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let wait = 100;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(1_000, wait * 1.5);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)?.slice(0, 500)}`);
}

/**
 * One S1 order end to end through the HTTP API, as the planner's system and the MES drive it: release,
 * the nine events one by one, then wait until the order is completed and its lot registered.
 */
export async function runS1OrderOverHttp(plant: Plant, order: ProductionOrderInput, lotId: string): Promise<void> {
  const planner = plant.http('planner');
  const mesApi = plant.http('mes');
  const released = await planner.post('/orders', order);
  if (released.status !== 202)
    throw new Error(`release of ${order.orderRef}: ${released.status} ${JSON.stringify(released.data)}`);
  const status = async () => {
    const s = (await planner.get(`/orders/1710/${order.orderRef}`)).data as {
      status: string;
      needsAttention?: boolean;
      parked?: unknown;
    };
    // A parked step waits for an operator: the bench has none, and says why instead of waiting.
    if (s.needsAttention) throw new Error(`${order.orderRef} parked: ${JSON.stringify(s.parked)}`);
    return s;
  };
  await until(
    status,
    (s) => s.status !== 'validating' && s.status !== 'releasing' && s.status !== 'awaiting_order',
    `${order.orderRef} released`,
  );
  for (const make of s1Events(order.orderRef, lotId)) {
    const answer = await mesApi.post('/mes/events', make());
    const outcome = (answer.data as { outcome?: string }).outcome;
    if (answer.status >= 300 || outcome !== 'accepted')
      throw new Error(`event of ${order.orderRef}: ${answer.status} ${JSON.stringify(answer.data)}`);
  }
  await until(status, (s) => s.status === 'completed' || s.status === 'closed', `${order.orderRef} completed`);
  await until(
    () =>
      planner
        .get(`/lots/FG-100/${lotId}`)
        .then((r) => (r.status === 200 ? (r.data as { status: string }) : { status: 'none' })),
    (l) => l.status === 'restricted',
    `lot ${lotId} registered`,
  );
}
