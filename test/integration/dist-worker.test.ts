import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { PlantflowClient } from '../../client';
import type { PlantflowConfig } from '../../runtime/config';
import { startSimulators, type RunningSimulator } from '../../simulators';
import { SimulatorAdmin } from '../../simulators/shared/admin-client';
import { PREBUILT_WORKFLOW_BUNDLE } from '../../workers/workers';
import { createDevServerEnv } from '../setup/temporal-env';
import { testConfig } from '../support/api';
import { TEST_CODEC } from '../support/codec';
import { releasableOrder } from '../support/erp-fixtures';
import { mes } from '../support/orders';
import { runCommand } from '../support/spawn';
import { eventually } from '../support/eventually';
import { FAST_TUNING } from '../workflows/support/order-harness';

const ROOT = resolve(__dirname, '../..');
/** The production build, made by `npm run build` into a directory of the test's own (dist/ stays as it is). */
const OUT = join(ROOT, '.toolchain', 'dist-test');

/** Runs a command from the checkout; its output, or an error with it when it fails. */
async function exec(command: string, args: string[]): Promise<string> {
  const done = await runCommand(command, args);
  if (done.code !== 0) throw new Error(`${command} ${args.join(' ')}: ${done.output}`);
  return done.output;
}

/**
 * The production path: `npm run build` compiles to JavaScript and bundles the workflows ahead of time; a
 * worker process started with `node` from the build loads that bundle and runs S1's order workflow
 * against the simulators, with nothing else polling its dev server.
 */
describe('production build: a worker started from the compiled build with the prebuilt workflow bundle', function () {
  this.timeout(300_000);
  let env: TestWorkflowEnvironment;
  let sims: RunningSimulator[] = [];
  let config: PlantflowConfig;
  let worker: ChildProcess | undefined;
  let logs = '';

  before(async () => {
    const built = await exec('npm', ['run', '--silent', 'build', '--', '--out-dir', OUT]);
    assert.match(built, /workflow bundle workflow-bundle\.js/);
    env = await createDevServerEnv();
    const base = testConfig();
    sims = await startSimulators(base, { ports: { odoo: 0, sap: 0, qms: 0, mes: 0 } });
    const url = (system: string) => sims.find((s) => s.system === system)!.url;
    config = {
      ...base,
      odoo: { ...base.odoo, url: url('odoo') },
      sap: { ...base.sap, url: url('sap') },
      qms: { ...base.qms, url: url('qms') },
      mes: { ...base.mes, url: url('mes') },
    };
    const port = (system: string) => new URL(url(system)).port;
    const [keyId, key] = Object.entries(TEST_CODEC.keys)[0]!;
    worker = spawn(process.execPath, [join(OUT, 'workers', 'main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: env.address,
        PLANTFLOW_CODEC_KEYS: `${keyId}:${key}`,
        PLANTFLOW_SIM_ODOO_PORT: port('odoo'),
        PLANTFLOW_SIM_SAP_PORT: port('sap'),
        PLANTFLOW_SIM_QMS_PORT: port('qms'),
        PLANTFLOW_SIM_MES_PORT: port('mes'),
        PLANTFLOW_LOG_LEVEL: 'info',
      },
    });
    worker.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
  });
  after(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    await Promise.all(sims.map((s) => s.stop()));
    await env?.teardown();
  });

  it('S1: the compiled worker releases, posts and completes the order from the prebuilt bundle; logs are JSON lines', async () => {
    assert.ok(existsSync(join(OUT, PREBUILT_WORKFLOW_BUNDLE)), 'the build wrote the workflow bundle');
    const polling = await eventually(
      async () => logs.split('\n').find((l) => l.includes('"workers polling"')),
      (line) => line !== undefined,
      60_000,
    );
    const entry = JSON.parse(polling!) as { workflowBundle: string; taskQueues: string[] };
    assert.equal(entry.workflowBundle, join(OUT, PREBUILT_WORKFLOW_BUNDLE), 'loaded the prebuilt bundle');
    assert.ok(entry.taskQueues.includes('plantflow') && entry.taskQueues.includes('plantflow-plant-1710'));

    const ref = `S1D-${Date.now()}`;
    const orders = new PlantflowClient(env.client, { tuning: FAST_TUNING }).orders;
    await orders.release(await releasableOrder(config, ref));
    await eventually(
      () => orders.status('1710', ref),
      (s) => s.status === 'released',
      60_000,
    );
    for (const e of [
      mes.started('0010', { orderRef: ref }),
      mes.consumed('RM-300', 'H-1001', '100', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2001', '100', 'EA', { orderRef: ref }),
      mes.completed('0010', '100', { orderRef: ref, final: true }),
      mes.consumed('RM-400', 'R-4001', '25', 'KGM', { orderRef: ref }),
      mes.completed('0020', '100', { orderRef: ref, final: true }),
      mes.produced(`D${Date.now().toString(36).toUpperCase()}`.slice(0, 10), '100', { orderRef: ref }),
    ])
      assert.equal((await orders.reportMesEvent(e)).outcome, 'accepted');
    await eventually(
      () => orders.status('1710', ref),
      (s) => s.status === 'completed',
      120_000,
    );
    const sap = new SimulatorAdmin(config.sap.url);
    assert.equal((await sap.writes({ operation: 'ProdnOrdConf2.create', applied: true })).length, 2);
    assert.equal((await sap.writes({ operation: 'ReleaseOrder', applied: true })).length, 1);
    const odoo = new SimulatorAdmin(config.odoo.url);
    assert.equal((await odoo.writes({ operation: 'mrp.production.button_mark_done', applied: true })).length, 1);
    for (const line of logs.split('\n').filter(Boolean)) assert.doesNotThrow(() => JSON.parse(line), line);
  });
});
