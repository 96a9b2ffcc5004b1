import { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { OrderClient } from '../../client/orders';
import { PlantflowClient } from '../../client';
import { buildApiServer } from '../../client/api/server';
import { createOdooActivities } from '../../activities/odoo/activities';
import { createSapActivities } from '../../activities/sap/activities';
import { startSimulators, type RunningSimulator, type SimulatedSystem } from '../../simulators';
import { SimulatorAdmin } from '../../simulators/shared/admin-client';
import type { OdooVersion, PlantflowConfig, WorkerGroup } from '../../runtime/config';
import { createLogger } from '../../runtime/logger';
import { createWorkerMetrics, type WorkerMetrics } from '../../runtime/business-metrics';
import { createWorkers, runWorkers, type PlantflowWorker } from '../../workers/workers';
import { devServerEnv, testDataConverter } from '../setup/temporal-env';
import { PLANTFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { workflowBundle, FAST_TUNING } from '../workflows/support/order-harness';
import { testConfig } from './api';

export interface PlantStack {
  env: TestWorkflowEnvironment;
  /** This stack's own Temporal namespace: no run of another test file is seen or served here. */
  namespace: string;
  /** A client of that namespace. */
  client: Client;
  config: PlantflowConfig;
  sims: Record<SimulatedSystem, SimulatorAdmin>;
  running: Record<SimulatedSystem, RunningSimulator>;
  orders: OrderClient;
  plantflow: PlantflowClient;
  /** The real adapters, used by tests to read what Odoo and SAP hold (through their own APIs). */
  odoo: ReturnType<typeof createOdooActivities>;
  sap: ReturnType<typeof createSapActivities>;
  /** Applied writes per operation name in one simulator's journal. */
  writeCounts(system: SimulatedSystem): Promise<Record<string, number>>;
  /** The workers' business metrics (the API's /metrics includes them, as in `npm start`). */
  workerMetrics: WorkerMetrics;
  /** Starts the HTTP API on a free loopback port (once) and returns it. */
  api(): Promise<FastifyInstance>;
  stopWorkers(groups: WorkerGroup[]): Promise<void>;
  startWorkers(groups: WorkerGroup[]): Promise<void>;
  teardown(): Promise<void>;
}

const ALL: WorkerGroup[] = ['workflows', 'odoo', 'sap', 'qms', 'plant'];

/** The Odoo versions the version-sensitive scenarios run on: the newest and the oldest JSON-RPC one. */
export const SCENARIO_ODOO_VERSIONS = ['19', '17'] as const;

/**
 * The integration tier: the dev server, the four simulators on free ports, and the real workers with
 * the real activities, configured exactly as production configures real systems (only the URLs differ).
 */
export async function startPlantStack(
  options: {
    odooVersion?: OdooVersion;
    /** A dev server of the file's own (default: the one the process shares). */
    env?: TestWorkflowEnvironment;
  } = {},
): Promise<PlantStack> {
  const env = options.env ?? (await devServerEnv());
  const { namespace, client } = await isolatedNamespace(env);
  const base = testConfig({
    TEMPORAL_NAMESPACE: namespace,
    PLANTFLOW_ODOO_VERSION: options.odooVersion ?? '19',
    PLANTFLOW_SAP_TIMEOUT_MS: '10000',
    PLANTFLOW_ODOO_TIMEOUT_MS: '10000',
    // The tests of a file share its namespace while the simulators reset per test: NCRs of FG-100
    // from earlier tests must not add up to a recurrence CAPA that the reset QMS cannot link. The
    // recurrence test opens its NCRs through a client with the default policy.
    PLANTFLOW_NCR_POLICY: JSON.stringify({ capa: { recurrenceCount: 1000 } }),
    PLANTFLOW_LOT_RELEASE_WITHIN: '7 days',
    // Reconciliation runs when a test triggers it, never on the clock in the middle of another scenario.
    PLANTFLOW_RECONCILE_PAUSED: 'true',
  });
  const running = await startSimulators(base, {
    ports: { odoo: 0, sap: 0, qms: 0, mes: 0 },
    only: ['odoo', 'sap', 'qms', 'mes'],
  });
  const bySystem = Object.fromEntries(running.map((r) => [r.system, r])) as Record<SimulatedSystem, RunningSimulator>;
  const config: PlantflowConfig = {
    ...base,
    odoo: { ...base.odoo, url: bySystem.odoo.url },
    sap: { ...base.sap, url: bySystem.sap.url },
    qms: { ...base.qms, url: bySystem.qms.url },
    mes: { ...base.mes, url: bySystem.mes.url },
  };
  const logger = createLogger('silent');
  const bundle = await workflowBundle();
  const workerMetrics = createWorkerMetrics();
  let workers: Array<PlantflowWorker & { done: Promise<void> }> = [];
  const startWorkers = async (groups: WorkerGroup[]) => {
    const created = await createWorkers({
      config,
      connection: env.nativeConnection,
      client,
      logger,
      workflowBundle: bundle,
      groups,
      metrics: workerMetrics,
    });
    workers.push(...created.map((w) => ({ ...w, done: runWorkers([w]) })));
  };
  const stopWorkers = async (groups: WorkerGroup[]) => {
    const stopping = workers.filter((w) => groups.includes(w.group));
    workers = workers.filter((w) => !groups.includes(w.group));
    for (const w of stopping) w.worker.shutdown();
    await Promise.all(stopping.map((w) => w.done));
  };
  await startWorkers(ALL);
  const plantflow = new PlantflowClient(client, { tuning: FAST_TUNING });
  let api: FastifyInstance | undefined;
  return {
    env,
    namespace,
    client,
    config,
    running: bySystem,
    sims: Object.fromEntries(running.map((r) => [r.system, new SimulatorAdmin(r.url)])) as Record<
      SimulatedSystem,
      SimulatorAdmin
    >,
    orders: plantflow.orders,
    plantflow,
    odoo: createOdooActivities(config.odoo),
    sap: createSapActivities(config.sap),
    workerMetrics,
    async writeCounts(system) {
      const writes = await new SimulatorAdmin(bySystem[system].url).writes({ applied: true });
      return writes.reduce<Record<string, number>>(
        (acc, w) => ((acc[w.operation] = (acc[w.operation] ?? 0) + 1), acc),
        {},
      );
    },
    async api() {
      if (!api) {
        api = await buildApiServer({
          config,
          temporal: client,
          logger,
          clientOptions: { tuning: FAST_TUNING },
          workerMetrics: workerMetrics.registry,
          // Counts kept a second, not 15: a test waits for a fresh count, not for the cache to expire.
          healthCacheMs: 1_000,
        });
        await api.listen({ host: '127.0.0.1', port: 0 });
      }
      return api;
    },
    stopWorkers,
    startWorkers,
    async teardown() {
      // Runs still open when the file ends are ended here. One still at work (an activity under way) fails
      // the file: its test ended before what it started did. Runs waiting for people are simply ended.
      const working = await endOpenRuns(client);
      await api?.close();
      await stopWorkers(ALL);
      await Promise.all(running.map((r) => r.stop()));
      if (working.length > 0) throw new Error(`runs still at work when the file ended: ${working.join('; ')}`);
    },
  };
}

let stacks = 0;

/**
 * A namespace of its own for each stack on the shared dev server, with plantflow's search attributes:
 * the simulators of each file restart their document numbers, and a run of another file must never act
 * on them (nor count in this file's visibility queries).
 */
async function isolatedNamespace(env: TestWorkflowEnvironment): Promise<{ namespace: string; client: Client }> {
  const namespace = `plantflow-it-${process.pid}-${++stacks}`;
  await env.connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  const { IndexedValueType } = temporal.api.enums.v1;
  const typeOf: Record<string, number> = {
    KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  };
  const client = new Client({ connection: env.connection, namespace, dataConverter: testDataConverter });
  // The server learns of a new namespace on its own clock: wait until it takes requests.
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      await env.connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(PLANTFLOW_SEARCH_ATTRIBUTES.map((sa) => [sa.name, typeOf[sa.type]!])),
      });
      await client.workflow.count(`OrderRef = 'none'`);
      return { namespace, client };
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Terminates every open run of the namespace; returns those that were still calling a system. */
async function endOpenRuns(client: Client): Promise<string[]> {
  const working: string[] = [];
  for await (const run of client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
    const handle = client.workflow.getHandle(run.workflowId, run.runId);
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    if (pending.length > 0)
      working.push(`${run.workflowId} (${pending.map((a) => a.activityType?.name ?? '?').join(', ')})`);
    await handle.terminate('test file ended').catch(() => undefined);
  }
  return working;
}
