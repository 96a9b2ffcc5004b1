import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../client/api/server';
import { loadConfig } from '../../runtime/config';
import { EMBEDDED_FILES } from '../../runtime/embedded-data';
import { createLogger } from '../../runtime/logger';
import { ensureEmbeddedSecrets } from '../../scripts/embedded-secrets';
import { FAST_TUNING } from '../workflows/support/order-harness';
import { TEST_CODEC } from './codec';
import type { PlantStack } from './stack';

export interface EmbeddedApi {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  dataDir: string;
  /**
   * The environment a second terminal has after `npm start` with these ports: the data directory with
   * the seeded keys, the stack's Temporal and simulators. The CLI and the demo read everything else.
   */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The HTTP API as `npm start` runs it, over an integration stack: keys, signers and the codec key
 * seeded into a data directory of its own (the codec key is the stack's), listening on a free port.
 */
export async function embeddedApi(stack: PlantStack): Promise<EmbeddedApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-data-'));
  const [keyId, key] = Object.entries(TEST_CODEC.keys)[0]!;
  writeFileSync(join(dataDir, EMBEDDED_FILES.codecKeys), `${keyId}:${key}\n`, { mode: 0o600 });
  const seeded: NodeJS.ProcessEnv = {};
  ensureEmbeddedSecrets(dataDir, seeded);
  const own = loadConfig({ ...seeded, PLANTFLOW_LOG_LEVEL: 'silent' });
  const app = await buildApiServer({
    config: { ...stack.config, api: { ...stack.config.api, keys: own.api.keys }, usersFile: own.usersFile },
    temporal: stack.client,
    logger: createLogger('silent'),
    clientOptions: { tuning: FAST_TUNING },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const portOf = (url: string) => new URL(url).port;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    env: {
      PLANTFLOW_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: stack.env.address,
      TEMPORAL_NAMESPACE: stack.namespace,
      PLANTFLOW_API_PORT: String(port),
      PLANTFLOW_SIM_ODOO_PORT: portOf(stack.config.odoo.url),
      PLANTFLOW_SIM_SAP_PORT: portOf(stack.config.sap.url),
      PLANTFLOW_SIM_QMS_PORT: portOf(stack.config.qms.url),
      PLANTFLOW_SIM_MES_PORT: portOf(stack.config.mes.url),
      PLANTFLOW_LOG_LEVEL: 'silent',
    },
    close: () => app.close(),
  };
}
