import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { OrderClient } from '../../../client/orders';
import type { RetryTuning } from '../../../workflows/shared/tuning';
import { plantTaskQueue, TaskQueue } from '../../../workflows/task-queues';
import { testDataConverter } from '../../setup/temporal-env';
import { MockSystems } from '../../support/mock-activities';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The production workflows, bundled once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../../workflows'), logger: quiet });
  return bundle;
}

export const FAST_TUNING: RetryTuning = { initialInterval: '100 milliseconds', maximumInterval: '1 second', postingWindow: '1 hour', callTimeout: '10 seconds' };

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
    odooMarkDone: (i) => ({ state: 'done', backorderName: i.mode === 'backorder' ? `${String(i.moName)}-002` : undefined }),
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
    plantflowOpenNcr: (i) => ({ workflowId: `ncr:${String((i.start as { ncrId: string }).ncrId)}`, alreadyExisted: false }),
  });
}

/** Runs one worker per plantflow task queue with the fakes until `fn` settles. */
export async function withOrderWorkers<T>(env: TestWorkflowEnvironment, systems: MockSystems, fn: () => Promise<T>): Promise<T> {
  const common = { connection: env.nativeConnection, dataConverter: testDataConverter };
  const workers = await Promise.all([
    Worker.create({ ...common, taskQueue: TaskQueue.workflows, workflowBundle: await workflowBundle(), activities: systems.activities('plantflow') }),
    Worker.create({ ...common, taskQueue: TaskQueue.odoo, activities: systems.activities('odoo') }),
    Worker.create({ ...common, taskQueue: TaskQueue.sap, activities: systems.activities('sap') }),
    Worker.create({ ...common, taskQueue: TaskQueue.qms, activities: systems.activities('qms') }),
    Worker.create({ ...common, taskQueue: plantTaskQueue('1710'), activities: systems.activities('mes') }),
  ]);
  const runs = workers.map((w) => w.run());
  try {
    return await fn();
  } finally {
    for (const w of workers) w.shutdown();
    await Promise.all(runs);
  }
}

export function orderClient(env: TestWorkflowEnvironment, maxHistoryEvents?: number): OrderClient {
  return new OrderClient(env.client, { tuning: FAST_TUNING, maxHistoryEvents });
}

/** Polls until the check passes (queries do not move the test server's clock). */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000, pollMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`condition not met in time; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
}
