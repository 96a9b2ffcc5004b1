import assert from 'node:assert/strict';
import { createOdooActivities } from '../../../../activities/odoo/activities';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { ea, expectFailure, useOdoo } from './fixture';

for (const version of ODOO_VERSIONS) {
  describe(`odoo activities ${version}: failures`, () => {
    const odoo = useOdoo(version);

    it('a wrong API key is Auth (non-retryable)', async () => {
      const fx = odoo();
      const acts = createOdooActivities({ ...fx.deps, apiKey: 'not-the-key' });
      const failure = await expectFailure(acts.odooReadManufacturingOrder({ moName: 'WH/MO/00001' }), 'Auth');
      assert.equal(failure.nonRetryable, true);
    });

    it('a maintenance page instead of the protocol is InvalidResponse (non-retryable)', async () => {
      const fx = odoo();
      fx.faults({ special: { malformedResponseRate: 1 } });
      const failure = await expectFailure(
        fx.acts.odooReadManufacturingOrder({ moName: 'WH/MO/00001' }),
        'InvalidResponse',
      );
      assert.equal(failure.nonRetryable, true);
    });

    it('429 with Retry-After is RateLimited with the server’s delay', async () => {
      const fx = odoo();
      fx.faults({ rateLimitRate: 1, retryAfterSeconds: 7 });
      const failure = await expectFailure(
        fx.acts.odooConfirmManufacturingOrder({ moName: 'WH/MO/00001' }),
        'RateLimited',
      );
      assert.equal(failure.nextRetryDelay, 7000);
    });

    it('proxy 502/503 and unreachable servers are Transient', async () => {
      const fx = odoo();
      fx.faults({ errorRate: 1, errorStatus: 502 });
      await expectFailure(fx.acts.odooReadManufacturingOrder({ moName: 'WH/MO/00001' }), 'Transient', /502/);
      const down = createOdooActivities({ ...fx.deps, url: 'http://127.0.0.1:9' });
      await expectFailure(down.odooReadManufacturingOrder({ moName: 'WH/MO/00001' }), 'Transient');
    });

    it('an Odoo UserError is BusinessRule carrying Odoo’s message and exception name', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 5, { confirm: true });
      await fx.client.write('mrp.production', [1], { qty_producing: 5 });
      // Marking done without any finished lot: Odoo's own refusal, passed through.
      const failure = await expectFailure(
        fx.acts.odooMarkDone({ moName, mode: 'complete' }),
        'BusinessRule',
        /Lot\/Serial number/,
      );
      assert.equal((failure.details?.[0] as { code: string }).code, 'odoo.exceptions.UserError');
      assert.equal(
        fx.sim.server.journal.list({ operation: 'mrp.production.button_mark_done', applied: false }).length,
        1,
      );
    });

    it('a call that does not fit the server version (ValueError) is BusinessRule, not retried', async () => {
      const fx = odoo();
      const wrongField = version === '19' ? 'lot_producing_id' : 'lot_producing_ids';
      const failure = await expectFailure(
        fx.client.searchRead('mrp.production', [], [wrongField], (await import('zod')).z.unknown()),
        'BusinessRule',
      );
      assert.equal((failure.details?.[0] as { code: string }).code, 'builtins.ValueError');
    });

    it('checks the connection: server version against the configured one', async () => {
      const fx = odoo();
      assert.deepEqual(await fx.acts.odooCheckConnection(), {
        serverVersion: `${version}.0`,
        configuredVersion: version,
        versionMatches: true,
        message: `Odoo at ${fx.deps.url} serves ${version}.0, as configured (PLANTFLOW_ODOO_VERSION=${version})`,
      });
      const other = version === '19' ? '18' : '19';
      const misconfigured = createOdooActivities({ ...fx.deps, version: other });
      const check = await misconfigured.odooCheckConnection();
      assert.equal(check.versionMatches, false);
      assert.equal(
        check.message,
        `Odoo at ${fx.deps.url} serves ${version}.0, but plantflow is configured for Odoo ${other} (PLANTFLOW_ODOO_VERSION=${other}): set PLANTFLOW_ODOO_VERSION=${version}`,
      );
      if (version !== '19') {
        // JSON-2 against 17/18: the route does not exist.
        await expectFailure(
          misconfigured.odooRecordProduction({ moName: 'x', lot: 'l', quantity: ea('1'), idempotencyKey: 'k' }),
          'BusinessRule',
          /404/,
        );
      }
    });
  });
}
