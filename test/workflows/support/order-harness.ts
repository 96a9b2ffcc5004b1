import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { OrderClient } from '../../../client/orders';
import type { RetryTuning } from '../../../domain/tuning';
import { MockSystems } from '../../support/mock-activities';
import { orderWorkflowId } from '../../../domain/ids';
import type { MesEventInput } from '../../../domain/events';
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
export function defaultOrderSystems(): MockSystems {
  return new MockSystems({
    odooReadManufacturingOrder: (i) => ({
      name: i.moName,
      state: 'draft',
      product: 'FG-100',
      quantity: qtyOf('100'),
      components: [{ product: 'RM-300' }, { product: 'RM-310' }, { product: 'RM-400' }],
    }),
    odooConfirmManufacturingOrder: () => ({ state: 'confirmed' }),
    odooCancelManufacturingOrder: () => ({ state: 'cancel' }),
    odooStartWorkorder: () => ({ state: 'progress' }),
    odooFinishWorkorder: () => ({ state: 'done' }),
    odooRecordConsumption: () => ({ moveLineId: 1, alreadyRecorded: false }),
    odooRecordProduction: () => ({ alreadyRecorded: false }),
    odooScrap: () => ({ status: 'done', scrapId: 1 }),
    odooMarkDone: (i) => ({
      state: 'done',
      backorderName: i.mode === 'backorder' ? `${String(i.moName)}-002` : undefined,
    }),
    sapReadProductionOrder: (i) => ({
      order: i.order,
      material: 'FG-100',
      plant: '1710',
      totalQuantity: qtyOf('100'),
      systemStatuses: ['CRTD'],
      operations: [
        { operation: '0010', workCenter: 'ASSY1' },
        { operation: '0020', workCenter: 'TEST1' },
      ],
      components: [{ material: 'RM-300' }, { material: 'RM-310' }, { material: 'RM-400' }],
    }),
    sapReleaseProductionOrder: () => ({ statuses: ['REL'] }),
    sapTechnicallyCompleteOrder: () => ({ statuses: ['TECO'] }),
    sapPostConfirmation: () => ({ confirmationGroup: '1', confirmationCount: '1', alreadyPosted: false }),
    sapPostGoodsMovement: () => ({ materialDocument: '4900000001', year: '2026', alreadyPosted: false }),
    qmsActivateInspectionPlan: () => ({ activationId: 'ACT-1', characteristics: [] }),
    qmsDeactivateInspectionPlan: () => ({ deactivated: true }),
    mesDispatchOrder: () => ({ dispatchId: 'D-1', status: 'dispatched' }),
    mesRecallDispatch: () => ({ status: 'recalled' }),
    mesHoldOrder: () => ({ status: 'held' }),
    mesResumeOrder: () => ({ status: 'dispatched' }),
    plantflowRegisterLot: (i) => ({ workflowId: `lot:${String(i.material)}:${String(i.lotId)}` }),
    plantflowNotify: () => ({ delivered: 'log' }),
    plantflowOpenNcr: (i) => ({
      workflowId: `ncr:${String((i.start as { ncrId: string }).ncrId)}`,
      alreadyExisted: false,
    }),
  });
}

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
