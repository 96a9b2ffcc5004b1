// `npm start`: the embedded plantflow stack in one command — Temporal dev server (SQLite under .data/),
// the four simulators, every worker, and the HTTP API. Ctrl-C stops it all; a restart continues runs.
import { createWorkerMetrics } from '../runtime/business-metrics';
import { join } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { connectClient } from '../runtime/connection';
import { connectWorkers } from '../runtime/worker-connection';
import { buildApiServer } from '../client/api/server';
import { pollUntil } from '../client/wait';
import { startSimulators } from '../simulators';
import { loadConfig, ConfigError } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { createWorkers, runWorkers, shutdownWorkers } from '../workers/workers';
import { startDevServer, type DevServer } from './dev-server';
import { ensureEmbeddedEdgeSecrets, ensureEmbeddedSecrets } from './embedded-secrets';
import { startEdge, type RunningEdge } from '../edge/edge';

async function main(): Promise<void> {
  const env = process.env;
  const dataDir = loadConfig(env).dataDir;
  const { apiKeys, signerPasswords } = ensureEmbeddedSecrets(dataDir, env);
  const edgeKeys = ensureEmbeddedEdgeSecrets(dataDir, env);
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, 'plantflow', undefined, config.logFormat);

  // Temporal: embedded unless TEMPORAL_ADDRESS points at a server of your own.
  let devServer: DevServer | undefined;
  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(config.temporal.address.split(':')[1]);
    logger.info('starting the Temporal dev server (first run builds the CLI with Go; this takes minutes)');
    devServer = await startDevServer({
      dataDir,
      port,
      uiPort: config.webUi.port,
      codecEndpoint: `${config.api.publicUrl}/codec`,
    });
  }
  installTemporalRuntime(logger, config.metrics.bindAddress, { handleSignals: false });

  const simulators = await startSimulators(config, { stateDir: join(dataDir, 'simulators') });
  const connection = await connectWorkers(config);
  const client = await connectClient(config);
  const workerMetrics = createWorkerMetrics();
  const workers = await createWorkers({ config, connection, client, logger, metrics: workerMetrics });
  const running = runWorkers(workers);
  const api = await buildApiServer({
    config,
    temporal: client,
    logger,
    codecOpenOnLoopback: devServer !== undefined,
    workerMetrics: workerMetrics.registry,
  });
  await api.listen({ host: config.api.host, port: config.api.port });
  // The plant edge of the embedded plant, on loopback, forwarding to the API above.
  let edge: RunningEdge | undefined;
  if (config.edge.centralApiKey) edge = await startEdge(config.edge, logger);
  else
    logger.warn('plant edge not started: set PLANTFLOW_EDGE_CENTRAL_API_KEY (a central key with roles edge and mes)');
  // The banner comes last, once every worker polls, so the start-up lines do not bury it.
  await pollUntil(
    () => workers.map((w) => `${w.taskQueue} ${w.worker.getState()}`),
    (states) => states.every((state) => state.endsWith(' RUNNING')),
    {
      timeoutMs: 120_000,
      intervalMs: 50,
      timedOut: (states) => `workers not running after 120 s: ${states?.join(', ')}`,
    },
  );
  // The SDK's buffered lines reach the terminal before the banner (pino itself writes synchronously).
  Runtime.instance().flushLogs();

  printBanner({
    devServer,
    simulators,
    apiUrl: config.api.publicUrl,
    apiKeys,
    signerPasswords,
    edge: edge && { url: edge.url, site: config.edge.site, keys: edgeKeys },
    queues: workers.map((w) => w.taskQueue),
    dataDir,
    dataDirFromEnv: env.PLANTFLOW_DATA_DIR !== undefined,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping plantflow');
    await edge?.stop();
    await api.close();
    shutdownWorkers(workers);
    await running;
    await Promise.all(simulators.map((s) => s.stop()));
    await connection.close();
    await client.connection.close();
    await devServer?.stop();
    logger.info('stopped; runs in flight continue at the next start');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function printBanner(o: {
  devServer?: DevServer;
  simulators: Array<{ system: string; url: string }>;
  apiUrl: string;
  apiKeys?: Record<string, string>;
  signerPasswords?: Record<string, string>;
  edge?: { url: string; site: string; keys?: Record<string, string> };
  queues: string[];
  dataDir: string;
  dataDirFromEnv: boolean;
}): void {
  const lines = [
    '',
    'plantflow is running',
    o.devServer
      ? `  Temporal          ${o.devServer.address}   Web UI ${o.devServer.uiUrl}`
      : '  Temporal          (external, TEMPORAL_ADDRESS)',
    `  HTTP API          ${o.apiUrl}   OpenAPI ${o.apiUrl}/openapi.json   docs ${o.apiUrl}/docs`,
    ...o.simulators.map((s) => `  ${`${s.system} simulator`.padEnd(17)} ${s.url}`),
    `  task queues       ${o.queues.join(', ')}`,
  ];
  if (o.edge) {
    lines.push(
      `  plant edge ${o.edge.site.padEnd(6)} ${o.edge.url}   POST /mes/events (the MES reports here), GET /edge/status`,
    );
    for (const [role, key] of Object.entries(o.edge.keys ?? {})) lines.push(`    edge ${role.padEnd(6)}   ${key}`);
  }
  if (o.apiKeys) {
    lines.push(`  API keys (one per role, kept in ${join(o.dataDir, 'api-keys.json')}):`);
    for (const [role, key] of Object.entries(o.apiKeys)) lines.push(`    ${role.padEnd(9)} ${key}`);
  }
  if (o.signerPasswords && Object.keys(o.signerPasswords).length > 0) {
    lines.push(
      `  Signer passwords (re-authentication at signing; kept in ${join(o.dataDir, 'signer-passwords.json')}):`,
    );
    for (const [user, password] of Object.entries(o.signerPasswords)) lines.push(`    ${user.padEnd(9)} ${password}`);
  }
  const inTerminal2 = o.dataDirFromEnv ? `PLANTFLOW_DATA_DIR=${o.dataDir} ` : '';
  lines.push(
    '',
    `  Next, in another terminal: ${inTerminal2}npm run demo   (a plant day; then node bin/plantflow.js --help)`,
    '  Ctrl-C stops everything; `npm start` again continues the runs in flight.',
    '',
  );
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `configuration error — ${err.message}` : err);
  process.exit(1);
});
