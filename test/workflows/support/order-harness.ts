import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { OrderClient } from '../../../client/orders';
import type { RetryTuning } from '../../../domain/tuning';
import { FakeSystems, type Fakes } from './fakes';
import { orderWorkflowId } from '../../../domain/ids';
import type { MesEventInput } from '../../../domain/events';
import { demoOrderInput } from '../../support/orders';
import type { ProductionOrderInput } from '../../../domain/order';
import { eventually, trackRun, withPlantWorkers, workflowBundle } from './workers';

export { eventually, workflowBundle };

export const FAST_TUNING: RetryTuning = {
  initialInterval: '100 milliseconds',
  maximumInterval: '1 second',
  postingWindow: '1 hour',
  callTimeout: '10 seconds',
};

const qtyOf = (value: string, uom = 'EA') => ({ value, uom });

/** What the fakes answer when a test does not say otherwise: a healthy plant and agreeing ERPs. */
export function defaultOrderSystems(): FakeSystems {
  return new FakeSystems(ORDER_DEFAULTS);
}

const ZERO = qtyOf('0');
const NO_MESSAGES: never[] = [];
const component = (product: string) => ({
  product,
  quantity: qtyOf('100'),
  moveId: 1,
  pickedQuantity: ZERO,
  lots: [],
  state: 'confirmed',
});
export const sapOperation = (op: string, workCenter: string) => ({
  operation: op,
  text: op,
  workCenter,
  plannedQuantity: qtyOf('100'),
  confirmedYield: ZERO,
  status: 'CRTD' as const,
});
export const sapComponent = (material: string) => ({
  material,
  operation: '0010',
  required: qtyOf('100'),
  withdrawn: ZERO,
  storageLocation: '0001',
  reservation: '1',
  reservationItem: '1',
  finallyIssued: false,
});
const activation = {
  activationId: 'ACT-1',
  planId: 'PLAN-1',
  planVersion: 1,
  site: '1710',
  orderRef: 'PO-1',
  material: 'FG-100',
  quantity: qtyOf('100'),
  status: 'active' as const,
  characteristics: [],
  activatedAt: '2026-01-01T00:00:00Z',
  deactivatedAt: null,
  deactivationReason: null,
};

export const ORDER_DEFAULTS: Fakes = {
  odooReadManufacturingOrder: (i) => ({
    id: 1,
    name: i.moName,
    state: 'draft',
    product: 'FG-100',
    quantity: qtyOf('100'),
    qtyProducing: ZERO,
    components: ['RM-300', 'RM-310', 'RM-400'].map(component),
    workorders: [],
    lotsProducing: [],
    origin: null,
  }),
  odooConfirmManufacturingOrder: (i) => ({ moName: i.moName, state: 'confirmed', changed: true }),
  odooCancelManufacturingOrder: (i) => ({ moName: i.moName, status: 'cancelled', state: 'cancel' }),
  odooStartWorkorder: (i) => ({
    moName: i.moName,
    operation: i.operation,
    workorderId: 1,
    state: 'progress',
    changed: true,
  }),
  odooFinishWorkorder: (i) => ({
    moName: i.moName,
    operation: i.operation,
    workorderId: 1,
    state: 'done',
    changed: true,
  }),
  odooRecordConsumption: (i) => ({ status: 'posted', moveLineId: 1, moName: i.moName, pickedQuantity: i.quantity }),
  odooRecordProduction: (i) => ({
    status: 'posted',
    moveLineId: 2,
    moName: i.moName,
    qtyProducing: i.quantity,
    lotsProducing: [i.lot],
  }),
  odooScrap: () => ({ status: 'done', scrapId: 1, scrapName: 'SP/00001', created: true }),
  odooOpenProduction: (i) => ({
    moName: i.moName,
    open: true,
    state: 'progress',
    lot: null,
    quantity: qtyOf('100'),
    qtyProducing: ZERO,
    pendingChecks: [],
    chain: [],
  }),
  odooRecordQualityCheck: () => ({ checkId: 1, checkName: 'QC/00001', state: 'pass', created: false }),
  qmsListInspectionResults: () => [],
  odooMarkDone: (i) => ({
    moName: i.moName,
    state: 'done',
    changed: true,
    backorderName: i.mode === 'backorder' ? `${i.moName}-002` : undefined,
  }),
  sapReadProductionOrder: (i) => ({
    order: i.order,
    orderType: 'YBM1',
    material: 'FG-100',
    plant: '1710',
    storageLocation: '0001',
    totalQuantity: qtyOf('100'),
    confirmedYield: ZERO,
    flags: {
      created: true,
      released: false,
      partiallyConfirmed: false,
      confirmed: false,
      partiallyDelivered: false,
      delivered: false,
      technicallyCompleted: false,
      closed: false,
    },
    systemStatuses: ['CRTD'],
    lastChange: '20260101000000',
    operations: [sapOperation('0010', 'ASSY1'), sapOperation('0020', 'TEST1')],
    components: ['RM-300', 'RM-310', 'RM-400'].map(sapComponent),
  }),
  sapReleaseProductionOrder: (i) => ({
    order: i.order,
    alreadyReleased: false,
    systemStatuses: ['REL'],
    messages: NO_MESSAGES,
  }),
  sapTechnicallyCompleteOrder: (i) => ({
    order: i.order,
    alreadyCompleted: false,
    systemStatuses: ['TECO'],
    messages: NO_MESSAGES,
  }),
  sapPostConfirmation: (i) => ({
    confirmationGroup: '1',
    confirmationCount: '1',
    alreadyPosted: false,
    externalSystemConfirmation: i.idempotencyKey,
    messages: NO_MESSAGES,
  }),
  sapPostGoodsMovement: () => ({
    materialDocument: '4900000001',
    year: '2026',
    alreadyPosted: false,
    messages: NO_MESSAGES,
  }),
  qmsActivateInspectionPlan: () => ({ outcome: 'activated', activation }),
  qmsDeactivateInspectionPlan: () => ({ outcome: 'deactivated', activationIds: ['ACT-1'] }),
  mesDispatchOrder: () => ({
    outcome: 'dispatched',
    dispatchId: 'D-1',
    status: 'dispatched',
    dispatchedAt: '2026-01-01T00:00:00Z',
  }),
  mesRecallDispatch: () => ({ outcome: 'recalled', status: 'recalled' }),
  mesHoldOrder: (i) => ({ outcome: 'held', status: 'held', activeHoldIds: [i.holdId] }),
  mesResumeOrder: () => ({ outcome: 'resumed', status: 'dispatched', activeHoldIds: [] }),
  plantflowRegisterLot: (i) => ({ workflowId: `lot:${i.material}:${i.lotId}`, parentsTold: 0 }),
  plantflowNotify: () => ({ delivered: 'log' }),
  plantflowOpenNcr: (i) => ({ workflowId: `ncr:${i.start.ncrId}`, alreadyExisted: false }),
  plantflowReportException: (r) => ({ exceptionId: `${r.kind}:${r.key}` }),
};

/** Order tests run the plant's workers with the fakes; see withPlantWorkers for the clean-up. */
export const withOrderWorkers = withPlantWorkers;

/** An order client that remembers the runs it starts, so the test's end can close them. */
class TrackedOrderClient extends OrderClient {
  override release(order: ProductionOrderInput) {
    trackRun(orderWorkflowId(order.site, order.orderRef));
    return super.release(order);
  }
  override reportMesEvent(event: MesEventInput) {
    trackRun(orderWorkflowId(event.site, event.correlation.orderRef));
    return super.reportMesEvent(event);
  }
  override reportMesEvents(events: MesEventInput[]) {
    for (const e of events) trackRun(orderWorkflowId(e.site, e.correlation.orderRef));
    return super.reportMesEvents(events);
  }
}

export function orderClient(env: TestWorkflowEnvironment, maxHistoryEvents?: number): OrderClient {
  return new TrackedOrderClient(env.client, { tuning: FAST_TUNING, maxHistoryEvents });
}

let refs = 0;
/** An order reference no other test uses (prefix names the test file). */
export const uniqueOrderRef = (prefix: string) => `${prefix}${Date.now() % 100000}-${++refs}`;

/** Releases the demo order under `ref` and waits until its run says released. */
export async function releasedOrder(orders: OrderClient, ref: string): Promise<void> {
  await orders.release(demoOrderInput({ orderRef: ref }));
  await eventually(
    () => orders.status('1710', ref),
    (s) => s.status === 'released',
  );
}
