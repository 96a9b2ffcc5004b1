// HTTP API process entry point (production: one or more behind a load balancer).
import { systemProbes } from '../../activities/probes';
import { loadConfig } from '../../runtime/config';
import { createLogger } from '../../runtime/logger';
import { connectClient } from '../../runtime/connection';
import { buildApiServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'plantflow-api', undefined, config.logFormat);
  const temporal = await connectClient(config);
  const app = await buildApiServer({ config, temporal, logger, probes: systemProbes });
  await app.listen({ host: config.api.host, port: config.api.port });
  const stop = async () => {
    await app.close();
    await temporal.connection.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
