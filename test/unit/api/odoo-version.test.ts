import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { checkStackHealth } from '../../../client/health';
import { loadConfig, type PlantflowConfig } from '../../../runtime/config';
import { judgeOdooVersion, majorOdooVersion } from '../../../runtime/odoo-version';
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
  // Visibility listings run under a deadline (client/visibility.ts).
  withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
} as unknown as Client;

describe('the Odoo version at worker start-up and in /health; /health apart from the edges', () => {
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
    const wrong = await checkStackHealth(servedTemporal, configFor('19'));
    const { checkedAt, ...version } = odoo(wrong).version!;
    assert.ok(Date.parse(checkedAt) > 0);
    assert.deepEqual(version, {
      configured: '19',
      served: '17.0',
      matches: false,
      message: `Odoo at ${url} serves 17.0, but plantflow is configured for Odoo 19 (PLANTFLOW_ODOO_VERSION=19): set PLANTFLOW_ODOO_VERSION=17`,
    });
    assert.equal(wrong.status, 'degraded');
    const right = await checkStackHealth(servedTemporal, configFor('17'));
    assert.deepEqual([right.status, odoo(right).version?.matches], ['ok', true]);
    const silent = await checkStackHealth(servedTemporal, configFor('17', 'http://127.0.0.1:9'));
    assert.match(odoo(silent).version!.message, /did not answer the version check \(configured: 17\)/);
  });

  it('/health asks Odoo at most once a minute: a probe within it gets the kept answer, even with Odoo gone', async () => {
    const other = createOdooSimulator({ version: '19' });
    const otherUrl = await other.server.start(0);
    const config = { ...configFor('19', otherUrl), odoo: { ...configFor('19', otherUrl).odoo, apiKey: other.apiKey } };
    const first = (await checkStackHealth(servedTemporal, config)).systems.find((s) => s.system === 'odoo')!.version!;
    assert.deepEqual([first.served, first.matches], ['19.0', true]);
    await other.server.stop();
    const second = (await checkStackHealth(servedTemporal, config)).systems.find((s) => s.system === 'odoo')!.version!;
    assert.deepEqual(second, first, 'the kept answer, not a call to the stopped Odoo');
  });

  it('a served version of Odoo Online (saas~17.4) is Odoo 17', () => {
    const endpoint = { url: 'https://acme.odoo.com', version: '17' as const };
    assert.equal(judgeOdooVersion('saas~17.4', endpoint).versionMatches, true);
    assert.equal(majorOdooVersion('18.0+e'), '18');
    assert.match(judgeOdooVersion('saas~18.2', endpoint).message, /set PLANTFLOW_ODOO_VERSION=18$/);
  });

  it('a worker refuses to start when something other than Odoo answers at the URL', async () => {
    const notOdoo = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Welcome to nginx!</body></html>');
    });
    await new Promise<void>((resolve) => notOdoo.listen(0, '127.0.0.1', resolve));
    const notOdooUrl = `http://127.0.0.1:${(notOdoo.address() as AddressInfo).port}`;
    try {
      for (const version of ['17', '19'] as const)
        await assert.rejects(
          verifyOdooVersion(configFor(version, notOdooUrl).odoo, pino({ level: 'silent' })),
          /answered 200 without an Odoo version \(is it Odoo 1[79]\?\): <html><body>Welcome to nginx!/,
        );
    } finally {
      notOdoo.close();
    }
  });

  it('/health lists the task queues even when the plant edges cannot be listed, and says why apart', async () => {
    const noVisibility = {
      ...servedTemporal,
      workflow: {
        list: () => ({
          [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('Site is not a search attribute')) }),
        }),
      },
    } as unknown as Client;
    const health = await checkStackHealth(noVisibility, configFor('17'));
    assert.ok(health.taskQueues.length > 0 && health.taskQueues.every((q) => q.pollers === 1), 'pollers still read');
    assert.equal(health.temporal.error, undefined);
    assert.equal(health.edgesError, 'the plant edges could not be listed: Site is not a search attribute');
    assert.equal(health.status, 'degraded');
  });
});
