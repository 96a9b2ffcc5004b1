import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../client/api/server';
import { loadConfig, type PlantflowConfig } from '../../runtime/config';
import { createLogger } from '../../runtime/logger';
import { TEST_CODEC } from './codec';

/** One API key per role, as the embedded default seeds them. */
export const TEST_KEYS = {
  planner: 'test-planner-key-0000000000',
  mes: 'test-mes-key-00000000000000000',
  qms: 'test-qms-key-00000000000000000',
  qa: 'test-qa-key-000000000000000000',
  qp: 'test-qp-key-000000000000000000',
  operator: 'test-operator-key-000000000000',
  viewer: 'test-viewer-key-00000000000000',
  /** A plant edge: forwards MES events and reports itself. */
  edge: 'test-edge-key-000000000000000000',
} as const;

export function testConfig(env: Record<string, string> = {}): PlantflowConfig {
  const keys = Object.fromEntries(
    Object.entries(TEST_KEYS).map(([role, key]) => [key, role === 'edge' ? ['edge', 'mes'] : [role]]),
  );
  const config = loadConfig({ PLANTFLOW_API_KEYS: JSON.stringify(keys), PLANTFLOW_LOG_LEVEL: 'silent', ...env });
  return { ...config, codec: TEST_CODEC };
}

/** An API whose Temporal client connects lazily: enough for routes that fail before reaching Temporal. */
export async function buildTestApi(
  options: { config?: PlantflowConfig; client?: Client } = {},
): Promise<FastifyInstance> {
  const config = options.config ?? testConfig();
  const temporal = options.client ?? new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = await buildApiServer({ config, temporal, logger: createLogger('silent') });
  await app.ready();
  return app;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
