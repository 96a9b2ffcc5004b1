import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { OdooClient } from '../../../activities/odoo/client';
import { createSapActivities } from '../../../activities/sap/activities';
import { loadConfig } from '../../../runtime/config';
import { startSimulators, type RunningSimulator } from '../../../simulators';
import { SimulatorAdmin } from '../../../simulators/shared/admin-client';
import { ROOT, runCli } from '../../support/spawn';

/** `plantflow sim create-order`: the planner's documents in the simulated ERPs, from the example order. */
describe('plantflow sim create-order (the CLI, against the Odoo and SAP simulators)', function () {
  this.timeout(60_000);
  let sims: RunningSimulator[] = [];
  const admin = (system: string) => new SimulatorAdmin(sims.find((s) => s.system === system)!.url);
  const cli = (args: string[]) => {
    const port = (system: string) => new URL(sims.find((s) => s.system === system)!.url).port;
    return runCli(args, {
      PLANTFLOW_SIM_ODOO_PORT: port('odoo'),
      PLANTFLOW_SIM_SAP_PORT: port('sap'),
      PLANTFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'pf-cli-')),
    });
  };

  before(async () => {
    sims = await startSimulators(loadConfig({}), { ports: { odoo: 0, sap: 0 }, only: ['odoo', 'sap'] });
  });
  after(async () => Promise.all(sims.map((s) => s.stop())));

  it('creates the SAP order and the Odoo MO and prints the order with their erp references', async () => {
    const { code, stdout, stderr } = await cli(['sim', 'create-order', 'examples/order.json', '--order-ref', 'PO-T9']);
    assert.equal(code, 0, stderr);
    const order = JSON.parse(stdout) as { orderRef: string; erp: { sapOrder: string; odooMo: string } };
    assert.equal(order.orderRef, 'PO-T9');
    assert.match(stderr, new RegExp(`created SAP production order ${order.erp.sapOrder} and Odoo ${order.erp.odooMo}`));
    const sapOrders = await admin('sap').writes({ operation: 'A_ProductionOrder_2.create', applied: true });
    assert.equal(sapOrders.length, 1);
    const mos = await admin('odoo').writes({ operation: 'mrp.production.create', applied: true });
    assert.equal(mos.length, 1);
    // What they hold, read back through the ERPs' APIs: the example order's material and quantity.
    const config = loadConfig({
      PLANTFLOW_SIM_ODOO_PORT: new URL(sims.find((s) => s.system === 'odoo')!.url).port,
      PLANTFLOW_SIM_SAP_PORT: new URL(sims.find((s) => s.system === 'sap')!.url).port,
    });
    const sap = await createSapActivities(config.sap).sapReadProductionOrder({ order: order.erp.sapOrder });
    assert.deepEqual(
      [sap.material, sap.plant, sap.totalQuantity, sap.orderType],
      ['FG-100', '1710', { value: '100', uom: 'EA' }, 'YN01'],
    );
    const [mo] = await OdooClient.fromConnection(config.odoo).searchRead(
      'mrp.production',
      [['name', '=', order.erp.odooMo]],
      ['product_id', 'product_qty', 'origin', 'state'],
      z
        .object({
          product_id: z.tuple([z.number(), z.string()]),
          product_qty: z.number(),
          origin: z.string(),
          state: z.string(),
        })
        .loose(),
    );
    assert.deepEqual(
      [mo?.product_id[1].includes('FG-100'), mo?.product_qty, mo?.origin, mo?.state],
      [true, 100, 'PO-T9', 'draft'],
    );
  });

  it('refuses a bad order in one line naming the field, and creates nothing', async () => {
    const [sapBefore, odooBefore] = [await admin('sap').writes(), await admin('odoo').writes()];
    const file = join(mkdtempSync(join(tmpdir(), 'pf-bad-')), 'order.json');
    const example = JSON.parse(readFileSync(join(ROOT, 'examples/order.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...example, quantity: { value: '-5', uom: 'EA' } }));
    const { code, stdout, stderr } = await cli(['sim', 'create-order', file]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^plantflow: invalid order in .*: quantity\.value: [^\n]+\n$/);
    assert.deepEqual([await admin('sap').writes(), await admin('odoo').writes()], [sapBefore, odooBefore]);
  });
});
