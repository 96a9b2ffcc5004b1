// The plant edge process (`npm run edge`, `plantflow edge`): one per plant, next to the plant worker.
import { loadConfig, ConfigError } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { startEdge } from './edge';

export async function runEdgeProcess(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'plantflow-edge', undefined, config.logFormat);
  const edge = await startEdge(config.edge, logger);
  const stop = async () => {
    await edge.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  runEdgeProcess().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? `configuration error — ${err.message}` : err);
    process.exit(1);
  });
}
