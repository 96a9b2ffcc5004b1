import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import {
  bundleWorkflowCode,
  Worker,
  type BundleOptions,
  type NativeConnection,
  type WorkerOptions,
  type WorkflowBundleOption,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Logger } from 'pino';
import { createMesActivities } from '../activities/mes/activities';
import { createOdooActivities } from '../activities/odoo/activities';
import { createPlantflowActivities } from '../activities/plantflow/activities';
import { createQmsActivities } from '../activities/qms/activities';
import { createSapActivities } from '../activities/sap/activities';
import { verifyOdooVersion } from './odoo-version';
import { activityMetrics } from './activity-metrics';
import type { WorkerMetrics } from '../runtime/business-metrics';
import { PlantflowClient, policyOptions } from '../client';
import { plantflowRuns } from '../client/runs';
import { ReconciliationClient } from '../client/reconciliation';
import { plantTaskQueue, TaskQueue } from '../workflows/task-queues';
import type { PlantflowConfig, WorkerGroup } from '../runtime/config';
import { createDataConverter } from '../runtime/data-converter';

export interface WorkerDeps {
  config: PlantflowConfig;
  connection: NativeConnection;
  /** For the activities that talk to Temporal itself (lot registration, visibility counts). */
  client: Client;
  logger: Logger;
  /** Workflow bundle (tests share one); default: the prebuilt one of `npm run build`, else built from workflows/. */
  workflowBundle?: WorkflowBundleOption;
  /** Restricts the groups (e.g. a test stops only the plant worker); defaults to config.workers. */
  groups?: WorkerGroup[];
  /** Overrides the sites served by plant workers (defaults to config.sites). */
  sites?: string[];
  /** Business metrics the activities count into (GET /metrics of the worker process). */
  metrics?: WorkerMetrics;
  /** Activities registered on every worker besides its own (the bench's no-op baseline activity). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Options of the workflow worker over the config's (the bench's memory probe runs workflows in the main thread). */
  workflowWorkerOptions?: Pick<WorkerOptions, 'debugMode'>;
}

export interface PlantflowWorker {
  group: WorkerGroup;
  taskQueue: string;
  worker: Worker;
}

/** File name of the workflow bundle `npm run build` writes into dist/. */
export const PREBUILT_WORKFLOW_BUNDLE = 'workflow-bundle.js';

/**
 * The bundle a worker started from dist/ finds beside its compiled code (dist/workflow-bundle.js). A
 * worker run from the TypeScript sources (development) has none and bundles at start.
 */
export function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  const codePath = join(__dirname, '..', PREBUILT_WORKFLOW_BUNDLE);
  return __filename.endsWith('.js') && existsSync(codePath) ? { codePath } : undefined;
}

/** How plantflow bundles workflow code: production (`npm run build`), the tests and the bench alike. */
export function workflowBundleOptions(workflowsPath = require.resolve('../workflows')): BundleOptions {
  return {
    workflowsPath,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  };
}

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode(workflowBundleOptions());
}

/**
 * Creates the workers of the chosen groups: the workflow worker on `plantflow`, one activity worker per
 * external system on its own queue with a server-side rate limit, and one plant worker per site.
 */
export async function createWorkers(deps: WorkerDeps): Promise<PlantflowWorker[]> {
  const { config, connection } = deps;
  const groups = deps.groups ?? config.workers;
  const common: Pick<WorkerOptions, 'connection' | 'namespace' | 'dataConverter'> = {
    connection,
    namespace: config.temporal.namespace,
    dataConverter: createDataConverter(config.codec),
  };
  const workers: PlantflowWorker[] = [];
  const metrics = deps.metrics;
  const add = async (group: WorkerGroup, taskQueue: string, options: Partial<WorkerOptions>) => {
    const system = group === 'workflows' ? 'plantflow' : group === 'plant' ? 'mes' : group;
    const interceptors = metrics ? { activity: [activityMetrics(metrics, system)] } : undefined;
    const activities = deps.extraActivities ? { ...options.activities, ...deps.extraActivities } : options.activities;
    workers.push({
      group,
      taskQueue,
      worker: await Worker.create({ ...common, taskQueue, interceptors, ...options, activities }),
    });
  };

  if (groups.includes('workflows')) {
    await add('workflows', TaskQueue.workflows, {
      workflowBundle: deps.workflowBundle ?? prebuiltWorkflowBundle() ?? (await bundleWorkflows()),
      // Sized, not the SDK's default (a share of the whole heap): a cached run holds its whole V8 state.
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
      activities: createPlantflowActivities({
        runs: plantflowRuns(new PlantflowClient(deps.client, policyOptions(config))),
        logger: deps.logger,
        notifyWebhookUrl: config.notifyWebhookUrl,
      }),
      ...deps.workflowWorkerOptions,
    });
    await ensureReconciliationSchedules(deps);
  }
  if (groups.includes('odoo')) {
    await verifyOdooVersion(config.odoo, deps.logger);
    await add('odoo', TaskQueue.odoo, {
      activities: createOdooActivities(config.odoo),
      maxTaskQueueActivitiesPerSecond: config.odoo.maxActivitiesPerSecond,
    });
  }
  if (groups.includes('sap')) {
    await add('sap', TaskQueue.sap, {
      activities: createSapActivities(config.sap),
      maxTaskQueueActivitiesPerSecond: config.sap.maxActivitiesPerSecond,
    });
  }
  if (groups.includes('qms')) {
    await add('qms', TaskQueue.qms, {
      activities: createQmsActivities(config.qms),
      maxTaskQueueActivitiesPerSecond: config.qms.maxActivitiesPerSecond,
    });
  }
  if (groups.includes('plant')) {
    for (const site of deps.sites ?? config.sites) {
      await add('plant', plantTaskQueue(site), {
        activities: createMesActivities(config.mes),
        maxTaskQueueActivitiesPerSecond: config.mes.maxActivitiesPerSecond,
      });
    }
  }
  return workers;
}

/** One reconciliation schedule per site, created (or brought to the configured interval) by the workflow worker. */
async function ensureReconciliationSchedules(deps: WorkerDeps): Promise<void> {
  const reconciliation = new ReconciliationClient(deps.client, deps.config.reconcile);
  for (const site of deps.config.sites) {
    const outcome = await reconciliation.ensureSchedule(site);
    deps.logger.info({ site, interval: deps.config.reconcile.interval, outcome }, 'reconciliation schedule');
  }
}

/** Runs workers until each is shut down; resolves when all have stopped. */
export async function runWorkers(workers: PlantflowWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.worker.run()));
}

export function shutdownWorkers(workers: PlantflowWorker[]): void {
  for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
}
