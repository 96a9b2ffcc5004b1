import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../runtime/config';
import { startSimulators, type RunningSimulator } from '../../../simulators';
import { SimulatorAdmin } from '../../../simulators/shared/admin-client';

const ROOT = resolve(__dirname, '../../..');

/** `plantflow sim create-order`: the planner's documents in the simulated ERPs, from the example order. */
describe('plantflow sim create-order (the CLI, against the Odoo and SAP simulators)', function () {
  this.timeout(60_000);
  let sims: RunningSimulator[] = [];
  const admin = (system: string) => new SimulatorAdmin(sims.find((s) => s.system === system)!.url);
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const port = (system: string) => new URL(sims.find((s) => s.system === system)!.url).port;
      const child = spawn(process.execPath, [join(ROOT, 'bin/plantflow.js'), ...args], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          PLANTFLOW_SIM_ODOO_PORT: port('odoo'),
          PLANTFLOW_SIM_SAP_PORT: port('sap'),
          PLANTFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'pf-cli-')),
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    });

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
