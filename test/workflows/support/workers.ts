import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundleOptions } from '../../../workers/workers';
import { plantTaskQueue, TaskQueue } from '../../../workflows/task-queues';
import { testDataConverter } from '../../setup/temporal-env';
import { eventually } from '../../support/eventually';
import type { FakeSystems } from './fakes';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The production workflows, bundled once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode(workflowBundleOptions());
  return bundle;
}

/** A worker of the plantflow queue with the production workflows and no activities (records, signers). */
export async function workflowsWorker(env: TestWorkflowEnvironment): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    dataConverter: testDataConverter,
    taskQueue: TaskQueue.workflows,
    workflowBundle: await workflowBundle(),
  });
}

/** Runs a test started: ended when the test ends (see withPlantWorkers). */
const openRuns = new Set<string>();

export { eventually };
export function trackRun(workflowId: string): void {
  openRuns.add(workflowId);
}

/**
 * Runs one worker per plantflow task queue with the fakes until `fn` settles, then cancels the runs the
 * test left open while the workers still serve them: a run left behind stays bound to a dead worker's
 * sticky queue, and the time-skipping server would wait for its next task and never skip time again.
 * (Terminating instead leaves its time lock held; cancelling one at a time, by polling, does not.)
 */
export async function withPlantWorkers<T>(
  env: TestWorkflowEnvironment,
  systems: FakeSystems,
  fn: () => Promise<T>,
): Promise<T> {
  const common = { connection: env.nativeConnection, dataConverter: testDataConverter };
  const workers = await Promise.all([
    Worker.create({
      ...common,
      taskQueue: TaskQueue.workflows,
      workflowBundle: await workflowBundle(),
      activities: systems.activities('plantflow'),
    }),
    Worker.create({ ...common, taskQueue: TaskQueue.odoo, activities: systems.activities('odoo') }),
    Worker.create({ ...common, taskQueue: TaskQueue.sap, activities: systems.activities('sap') }),
    Worker.create({ ...common, taskQueue: TaskQueue.qms, activities: systems.activities('qms') }),
    Worker.create({ ...common, taskQueue: plantTaskQueue('1710'), activities: systems.activities('mes') }),
  ]);
  const runs = workers.map((w) => w.run());
  try {
    return await fn();
  } finally {
    const ids = [...openRuns];
    openRuns.clear();
    for (const id of ids) {
      const handle = env.client.workflow.getHandle(id);
      if ((await handle.describe().catch(() => undefined))?.status.name !== 'RUNNING') continue;
      await handle.cancel().catch(() => undefined);
      await eventually(
        () => handle.describe().then((d) => d.status.name),
        (s) => s !== 'RUNNING',
        10_000,
      ).catch(() => undefined);
    }
    for (const w of workers) w.shutdown();
    await Promise.all(runs);
  }
}
