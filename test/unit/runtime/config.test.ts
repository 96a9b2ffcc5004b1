import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../../../runtime/config';
import { createLogger } from '../../../runtime/logger';

function expectConfigError(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (err: unknown) => err instanceof ConfigError && err.variable === variable && err.message.startsWith(`${variable}:`),
  );
}

describe('configuration', () => {
  it('defaults to the embedded stack: simulators on their ports, local Temporal', () => {
    const config = loadConfig({});
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.temporal.namespace, 'default');
    assert.deepEqual(
      [config.odoo.url, config.sap.url, config.qms.url, config.mes.url],
      ['http://127.0.0.1:8069', 'http://127.0.0.1:8071', 'http://127.0.0.1:8072', 'http://127.0.0.1:8073'],
    );
    assert.ok(config.odoo.simulated && config.sap.simulated && config.qms.simulated && config.mes.simulated);
    assert.deepEqual(config.sites, ['1710']);
  });

  it('a real URL replaces the simulator and then requires its secret', () => {
    expectConfigError({ PLANTFLOW_SAP_URL: 'https://s4.example.com' }, 'PLANTFLOW_SAP_PASSWORD');
    const config = loadConfig({ PLANTFLOW_SAP_URL: 'https://s4.example.com', PLANTFLOW_SAP_PASSWORD: 'pw' });
    assert.equal(config.sap.simulated, false);
    assert.equal(config.sap.url, 'https://s4.example.com');
    assert.equal(config.odoo.simulated, true);
  });

  it("reads each plant's SAP customizing over SAP's standard values; the simulator's demo plant is preset", () => {
    const demo = loadConfig({}).sap.customizing;
    assert.deepEqual(demo.plants['1710']!.usageDecision, {
      catalog: '3',
      level: 'L',
      selectedSet: '01',
      codeGroup: '01',
      accept: { code: 'A', valuation: 'A' },
      reject: { code: 'R', valuation: 'R' },
    });
    assert.deepEqual(
      [demo.plants['1710']!.reworkOrderType, demo.plants['1710']!.scrapCostCenter, demo.notificationCompleteAction],
      ['YN01', '17101101', undefined],
    );
    const real = { PLANTFLOW_SAP_URL: 'https://s4.example.com', PLANTFLOW_SAP_PASSWORD: 'pw' };
    assert.deepEqual(loadConfig(real).sap.customizing.plants, {}, 'a real tenant has only what is configured');
    const configured = loadConfig({
      ...real,
      PLANTFLOW_SAP_PLANTS: JSON.stringify({ '1010': { usageDecision: { selectedSet: 'UD04', codeGroup: 'UD04' } } }),
      PLANTFLOW_SAP_QN_COMPLETE_ACTION: 'SAP__self.Complete',
    }).sap.customizing;
    const plant = configured.plants['1010']!;
    assert.deepEqual(
      [plant.usageDecision.selectedSet, plant.usageDecision.accept.code, plant.reworkOrderType, plant.notificationType],
      ['UD04', 'A', 'YN01', 'Q3'],
    );
    assert.equal(configured.notificationCompleteAction, 'SAP__self.Complete');
    expectConfigError(
      { PLANTFLOW_SAP_PLANTS: '{"1010": {"reworkOrderType": "far too long"}}' },
      'PLANTFLOW_SAP_PLANTS',
    );
    expectConfigError({ PLANTFLOW_SAP_PLANTS: '{"1010": {"costCentre": "1"}}' }, 'PLANTFLOW_SAP_PLANTS');
    expectConfigError({ PLANTFLOW_SAP_PLANTS: 'not json' }, 'PLANTFLOW_SAP_PLANTS');
    expectConfigError({ PLANTFLOW_SAP_QN_COMPLETE_ACTION: 'no spaces allowed' }, 'PLANTFLOW_SAP_QN_COMPLETE_ACTION');
  });

  it('reads secrets from *_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-cfg-'));
    const file = join(dir, 'odoo-key');
    writeFileSync(file, 'file-secret-value\n');
    const config = loadConfig({ PLANTFLOW_ODOO_URL: 'https://erp.example.com', PLANTFLOW_ODOO_API_KEY_FILE: file });
    assert.equal(config.odoo.apiKey, 'file-secret-value');
    expectConfigError({ PLANTFLOW_ODOO_API_KEY_FILE: join(dir, 'missing') }, 'PLANTFLOW_ODOO_API_KEY_FILE');
    expectConfigError({ PLANTFLOW_ODOO_API_KEY: 'a', PLANTFLOW_ODOO_API_KEY_FILE: file }, 'PLANTFLOW_ODOO_API_KEY');
  });

  it('names the variable when a value is bad', () => {
    expectConfigError({ TEMPORAL_ADDRESS: 'no-port' }, 'TEMPORAL_ADDRESS');
    expectConfigError({ PLANTFLOW_ODOO_VERSION: '16' }, 'PLANTFLOW_ODOO_VERSION');
    expectConfigError({ PLANTFLOW_API_PORT: 'eighty' }, 'PLANTFLOW_API_PORT');
    expectConfigError({ PLANTFLOW_SAP_URL: 'ftp://x' }, 'PLANTFLOW_SAP_URL');
    expectConfigError({ PLANTFLOW_SITES: 'bad site!' }, 'PLANTFLOW_SITES');
    expectConfigError({ PLANTFLOW_API_KEYS: '{"short": ["qa"]}' }, 'PLANTFLOW_API_KEYS');
    expectConfigError({ PLANTFLOW_API_KEYS: '{"a-long-enough-key-123": ["emperor"]}' }, 'PLANTFLOW_API_KEYS');
    expectConfigError({ PLANTFLOW_CODEC_KEYS: 'k1:tooshort' }, 'PLANTFLOW_CODEC_KEYS');
    expectConfigError({ TEMPORAL_TLS_CERT: 'cert-only' }, 'TEMPORAL_TLS_KEY');
  });

  it('reads the signer lockout policy: 5 failures in 15 minutes lock for 15 minutes unless set', () => {
    assert.deepEqual(loadConfig({}).signing, { maxFailures: 5, windowMs: 900_000, lockoutMs: 900_000 });
    const config = loadConfig({
      PLANTFLOW_SIGNING_MAX_FAILURES: '3',
      PLANTFLOW_SIGNING_FAILURE_WINDOW: '10 minutes',
      PLANTFLOW_SIGNING_LOCKOUT: '1 hour',
    });
    assert.deepEqual(config.signing, { maxFailures: 3, windowMs: 600_000, lockoutMs: 3_600_000 });
    expectConfigError({ PLANTFLOW_SIGNING_MAX_FAILURES: '0' }, 'PLANTFLOW_SIGNING_MAX_FAILURES');
    expectConfigError({ PLANTFLOW_SIGNING_LOCKOUT: 'forever' }, 'PLANTFLOW_SIGNING_LOCKOUT');
  });

  it("reads the plant's NCR policy and lot release deadline; a bad one names the variable and the field", () => {
    assert.deepEqual(loadConfig({}).policies, {
      ncr: undefined,
      lotReleaseWithin: undefined,
      orphanEventsGrace: undefined,
    });
    const config = loadConfig({
      PLANTFLOW_NCR_POLICY: '{"dispositionWithin":"3 days","capa":{"recurrenceCount":4}}',
      PLANTFLOW_LOT_RELEASE_WITHIN: '2 days',
      PLANTFLOW_ORPHAN_EVENTS_GRACE: '30 minutes',
    });
    assert.deepEqual(config.policies, {
      ncr: { dispositionWithin: '3 days', capa: { recurrenceCount: 4 } },
      lotReleaseWithin: '2 days',
      orphanEventsGrace: '30 minutes',
    });
    expectConfigError({ PLANTFLOW_ORPHAN_EVENTS_GRACE: 'a while' }, 'PLANTFLOW_ORPHAN_EVENTS_GRACE');
    expectConfigError({ PLANTFLOW_NCR_POLICY: '{not json' }, 'PLANTFLOW_NCR_POLICY');
    expectConfigError({ PLANTFLOW_NCR_POLICY: '{"containWithin":"soon"}' }, 'PLANTFLOW_NCR_POLICY');
    expectConfigError({ PLANTFLOW_NCR_POLICY: '{"capaOwner":"quality"}' }, 'PLANTFLOW_NCR_POLICY');
    expectConfigError({ PLANTFLOW_LOT_RELEASE_WITHIN: 'a week' }, 'PLANTFLOW_LOT_RELEASE_WITHIN');
    assert.throws(
      () => loadConfig({ PLANTFLOW_NCR_POLICY: '{"capa":{"recurrenceCount":1}}' }),
      /PLANTFLOW_NCR_POLICY: .*capa\.recurrenceCount: /,
    );
  });

  it('turns TLS on for Temporal Cloud API keys', () => {
    const config = loadConfig({ TEMPORAL_API_KEY: 'cloud-key', TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233' });
    assert.ok(config.temporal.tls);
    assert.equal(config.temporal.apiKey, 'cloud-key');
  });

  it('configures the plant edge: defaults for the embedded plant, PLANTFLOW_EDGE_*, secrets from *_FILE', () => {
    const defaults = loadConfig({ PLANTFLOW_SITES: '1720,1710', PLANTFLOW_DATA_DIR: '/srv/pf' }).edge;
    assert.equal(defaults.site, '1720');
    assert.equal(defaults.id, 'edge-1720');
    assert.equal(defaults.host, '127.0.0.1');
    assert.equal(defaults.port, 8090);
    assert.equal(defaults.database, '/srv/pf/edge-1720.sqlite');
    assert.equal(defaults.centralUrl, 'http://127.0.0.1:8080');
    assert.equal(defaults.centralApiKey, undefined);
    assert.equal(defaults.rememberForwardedMs, 7 * 86_400_000);
    assert.equal(defaults.silentAfterMs, 300_000);

    const dir = mkdtempSync(join(tmpdir(), 'pf-edge-cfg-'));
    writeFileSync(join(dir, 'central'), 'central-key-from-a-file\n');
    writeFileSync(join(dir, 'keys'), JSON.stringify({ 'mes-key-from-a-file-0000': ['mes'] }));
    const edge = loadConfig({
      PLANTFLOW_EDGE_SITE: '1710',
      PLANTFLOW_EDGE_ID: 'edge-1710-b',
      PLANTFLOW_EDGE_CENTRAL_URL: 'https://plantflow.example.com/',
      PLANTFLOW_EDGE_CENTRAL_API_KEY_FILE: join(dir, 'central'),
      PLANTFLOW_EDGE_API_KEYS_FILE: join(dir, 'keys'),
      PLANTFLOW_EDGE_MAX_BACKLOG_EVENTS: '5000',
      PLANTFLOW_EDGE_BATCH_SIZE: '50',
      PLANTFLOW_EDGE_SILENT_AFTER: '2 minutes',
    }).edge;
    assert.equal(edge.id, 'edge-1710-b');
    assert.equal(edge.centralUrl, 'https://plantflow.example.com');
    assert.equal(edge.centralApiKey, 'central-key-from-a-file');
    assert.deepEqual(edge.keys, { 'mes-key-from-a-file-0000': ['mes'] });
    assert.equal(edge.maxBacklogEvents, 5000);
    assert.equal(edge.batchSize, 50);
    assert.equal(edge.silentAfterMs, 120_000);

    expectConfigError({ PLANTFLOW_EDGE_BATCH_SIZE: '501' }, 'PLANTFLOW_EDGE_BATCH_SIZE');
    expectConfigError({ PLANTFLOW_EDGE_CENTRAL_URL: 'ftp://x' }, 'PLANTFLOW_EDGE_CENTRAL_URL');
    expectConfigError({ PLANTFLOW_EDGE_API_KEYS: '{"short": ["mes"]}' }, 'PLANTFLOW_EDGE_API_KEYS');
    expectConfigError({ PLANTFLOW_EDGE_REMEMBER_FORWARDED: 'a week' }, 'PLANTFLOW_EDGE_REMEMBER_FORWARDED');
    expectConfigError({ PLANTFLOW_EDGE_ID: 'edge 1710' }, 'PLANTFLOW_EDGE_ID');
  });

  it('never writes secrets to the log', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger('info', 'test', sink);
    const config = loadConfig({
      PLANTFLOW_SAP_URL: 'https://s4.example.com',
      PLANTFLOW_SAP_PASSWORD: 'sap-secret-pw',
      PLANTFLOW_API_KEYS: JSON.stringify({ 'api-key-secret-0123456789': ['qa'] }),
      TEMPORAL_API_KEY: 'temporal-secret-key',
      PLANTFLOW_EDGE_API_KEYS: JSON.stringify({ 'edge-mes-key-secret-012345': ['mes'] }),
      PLANTFLOW_EDGE_CENTRAL_API_KEY: 'edge-central-secret-key',
    });
    logger.info({ config }, 'configuration loaded');
    logger.info(config, 'configuration loaded');
    logger.info({ headers: { authorization: 'Bearer api-key-secret-0123456789' } }, 'request');
    const out = lines.join('');
    for (const secret of [
      'sap-secret-pw',
      'api-key-secret-0123456789',
      'temporal-secret-key',
      'plantflow-odoo-simulator-api-key',
      'edge-mes-key-secret-012345',
      'edge-central-secret-key',
    ]) {
      assert.ok(!out.includes(secret), `${secret} leaked into the log`);
    }
    assert.ok(out.includes('[redacted]'));
  });
});
