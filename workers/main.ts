// Worker process entry point: runs the worker groups named by PLANTFLOW_WORKERS (all by default).
import { connectClient } from '../runtime/connection';
import { connectWorkers } from '../runtime/worker-connection';
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { createWorkerMetrics, serveMetrics } from '../runtime/business-metrics';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { createWorkers, prebuiltWorkflowBundle, runWorkers } from './workers';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'plantflow-workers', undefined, config.logFormat);
  installTemporalRuntime(logger, config.metrics.bindAddress);
  const connection = await connectWorkers(config);
  const client = await connectClient(config);
  const metrics = createWorkerMetrics();
  const metricsServer = config.businessMetricsBind
    ? await serveMetrics(metrics.registry, config.businessMetricsBind)
    : undefined;
  const workers = await createWorkers({ config, connection, client, logger, metrics });
  const bundle = prebuiltWorkflowBundle();
  logger.info(
    { taskQueues: workers.map((w) => w.taskQueue), workflowBundle: bundle?.codePath ?? 'built at start' },
    'workers polling',
  );
  // The Runtime shuts workers down on SIGINT/SIGTERM; run() resolves once they have drained.
  await runWorkers(workers);
  metricsServer?.close();
  await connection.close();
  await client.connection.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
