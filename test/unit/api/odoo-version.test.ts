import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { systemProbes } from '../../../activities/probes';
import { checkStackHealth } from '../../../client/health';
import { loadConfig, type PlantflowConfig } from '../../../runtime/config';
import { createOdooSimulator, type OdooSimulator } from '../../../simulators/odoo';
import { verifyOdooVersion } from '../../../workers/odoo-version';

/**
 * A Temporal server whose every queue has a poller and where no plant edge reported: the stack's status then
 * depends on the systems.
 */
const servedTemporal = {
  workflowService: {
    getSystemInfo: () => Promise.resolve({ serverVersion: '1.27.0' }),
    describeTaskQueue: () => Promise.resolve({ pollers: [{}] }),
  },
  workflow: { list: async function* () {} },
} as unknown as Client;

describe('the Odoo version at worker start-up and in /health', () => {
  let sim: OdooSimulator;
  let url: string;
  before(async () => {
    sim = createOdooSimulator({ version: '17' });
    url = await sim.server.start(0);
  });
  after(() => sim.server.stop());

  const configFor = (version: '17' | '19', odooUrl = url): PlantflowConfig => {
    const base = loadConfig({ PLANTFLOW_ODOO_VERSION: version });
    // The other systems count as real ones (reported, not probed): only Odoo decides the status here.
    const elsewhere = { url: 'http://127.0.0.1:9', simulated: false };
    return {
      ...base,
      odoo: { ...base.odoo, url: odooUrl, apiKey: sim.apiKey },
      sap: { ...base.sap, ...elsewhere },
      qms: { ...base.qms, ...elsewhere },
      mes: { ...base.mes, ...elsewhere },
    };
  };

  it('a worker refuses to start against another Odoo version, naming both; the right one starts', async () => {
    const logger = pino({ level: 'silent' });
    await assert.rejects(
      verifyOdooVersion(configFor('19').odoo, logger),
      new Error(
        `Odoo at ${url} serves 17.0, but plantflow is configured for Odoo 19 (PLANTFLOW_ODOO_VERSION=19): set PLANTFLOW_ODOO_VERSION=17`,
      ),
    );
    await verifyOdooVersion(configFor('17').odoo, logger);
    // An Odoo that does not answer does not stop the worker: its activities wait the outage out.
    await verifyOdooVersion(configFor('17', 'http://127.0.0.1:9').odoo, logger);
  });

  it('/health reports a version mismatch with the served and the configured version, and is degraded', async () => {
    const odoo = (h: Awaited<ReturnType<typeof checkStackHealth>>) => h.systems.find((s) => s.system === 'odoo')!;
    const wrong = await checkStackHealth(servedTemporal, configFor('19'), systemProbes);
    assert.deepEqual(odoo(wrong).version, {
      configured: '19',
      served: '17.0',
      matches: false,
      message: `Odoo at ${url} serves 17.0, but plantflow is configured for Odoo 19 (PLANTFLOW_ODOO_VERSION=19): set PLANTFLOW_ODOO_VERSION=17`,
    });
    assert.equal(wrong.status, 'degraded');
    const right = await checkStackHealth(servedTemporal, configFor('17'), systemProbes);
    assert.deepEqual([right.status, odoo(right).version?.matches], ['ok', true]);
    const silent = await checkStackHealth(servedTemporal, configFor('17', 'http://127.0.0.1:9'), systemProbes);
    assert.match(odoo(silent).version!.message, /did not answer the version check \(configured: 17\)/);
  });
});
