import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { PLANTFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { createDataConverter } from '../../runtime/data-converter';
import { TEST_CODEC } from '../support/codec';
import { temporalCliPath, temporalTestServerPath } from './toolchain';

// One environment of each kind per mocha process: starting a server costs seconds, and the tests use
// their own task queues and workflow ids so they do not see each other.
let timeSkipping: Promise<TestWorkflowEnvironment> | undefined;
let devServer: Promise<TestWorkflowEnvironment> | undefined;

export const testDataConverter = createDataConverter(TEST_CODEC);

/** Dynamic config the dev server needs for plantflow: update-with-start and fresh search attributes. */
export const DEV_SERVER_ARGS = [
  '--dynamic-config-value',
  'frontend.enableExecuteMultiOperation=true',
  '--dynamic-config-value',
  'frontend.enableUpdateWorkflowExecution=true',
  '--dynamic-config-value',
  'system.forceSearchAttributesCacheRefreshOnRead=true',
];

/**
 * The SDK gives a server five seconds to answer after it was spawned. A JVM on a loaded two-core machine
 * (CI with other work) can take longer: a server that did not come up in time is started again, on a new port.
 */
async function startServer(
  start: () => Promise<TestWorkflowEnvironment>,
  attempts = 3,
): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= attempts || !/did not start within/.test((err as Error).message)) throw err;
      console.warn(`[test] Temporal server slow to start (attempt ${attempt} of ${attempts}), starting it again`);
    }
  }
}

/** Java time-skipping test server: for workflow tests with mocked activities and long timers. */
export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  timeSkipping ??= startServer(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
      client: { dataConverter: testDataConverter },
    }),
  ).then(async (env) => {
    // The Java test server takes no search attributes at start-up; register them through its operator API.
    const { IndexedValueType } = temporal.api.enums.v1;
    const typeOf: Record<string, number> = {
      KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
      BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    };
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(PLANTFLOW_SEARCH_ATTRIBUTES.map((sa) => [sa.name, typeOf[sa.type]!])),
    });
    return env;
  });
  return timeSkipping;
}

export function createDevServerEnv(dbFilename?: string): Promise<TestWorkflowEnvironment> {
  return startServer(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: temporalCliPath() },
        ip: '127.0.0.1',
        searchAttributes: PLANTFLOW_SEARCH_ATTRIBUTES,
        extraArgs: DEV_SERVER_ARGS,
        dbFilename,
        log: { format: 'json', level: 'error' },
      },
      client: { dataConverter: testDataConverter },
    }),
  );
}

/** The Temporal CLI dev server: for integration tests with real activities and visibility queries. */
export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  devServer ??= createDevServerEnv();
  return devServer;
}

/**
 * Test files get a fresh time-skipping server: a run one file leaves behind (started by a workflow the
 * file did not track) would otherwise hold the server's clock for every later file.
 */
export async function resetTimeSkippingEnv(): Promise<void> {
  const env = timeSkipping;
  timeSkipping = undefined;
  if (env) await (await env).teardown();
}

export async function teardownTemporalEnvs(): Promise<void> {
  const envs = [timeSkipping, devServer];
  timeSkipping = devServer = undefined;
  await Promise.all(envs.map(async (env) => (env ? (await env).teardown() : undefined)));
}
