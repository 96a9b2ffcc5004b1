import { connectClient } from '../runtime/connection';
import { connectWorkers } from '../runtime/worker-connection';
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { createWorkerMetrics, serveMetrics } from '../runtime/business-metrics';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { createWorkers, prebuiltWorkflowBundle, runWorkers, type WorkerDeps } from './workers';

/**
 * A worker process: the groups named by PLANTFLOW_WORKERS, until SIGINT/SIGTERM (the Runtime shuts the
 * workers down; this resolves once they have drained). `extras` is for the bench's baseline only.
 */
export async function runWorkerProcess(
  extras: Pick<WorkerDeps, 'workflowBundle' | 'extraActivities' | 'workflowWorkerOptions'> = {},
): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'plantflow-workers', undefined, config.logFormat);
  installTemporalRuntime(logger, config.metrics.bindAddress);
  const connection = await connectWorkers(config);
  const client = await connectClient(config);
  const metrics = createWorkerMetrics();
  const metricsServer = config.businessMetricsBind
    ? await serveMetrics(metrics.registry, config.businessMetricsBind)
    : undefined;
  const workers = await createWorkers({ config, connection, client, logger, metrics, ...extras });
  const bundle = extras.workflowBundle ?? prebuiltWorkflowBundle();
  logger.info(
    {
      taskQueues: workers.map((w) => w.taskQueue),
      workflowBundle: bundle && 'codePath' in bundle ? bundle.codePath : 'built at start',
    },
    'workers polling',
  );
  await runWorkers(workers);
  metricsServer?.close();
  await connection.close();
  await client.connection.close();
}
