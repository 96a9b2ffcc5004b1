import assert from 'node:assert/strict';
import { z } from 'zod';
import { OdooClient } from '../../../activities/odoo/client';
import { createSapActivities } from '../../../activities/sap/activities';
import { sapPlantCustomizingSchema } from '../../../contracts/sap-customizing';
import { assertSimulatedErps, createErpOrders, receiveSupplierLot } from '../../../demo/erp';
import { loadConfig, type PlantflowConfig } from '../../../runtime/config';
import { startSimulators, type RunningSimulator } from '../../../simulators';
import { SimulatorAdmin } from '../../../simulators/shared/admin-client';
import type { StockRecord } from '../../../simulators/sap/state/types';

/** The planner's and the warehouse's own ERP work, through the real APIs of the Odoo and SAP simulators. */
describe('demo ERP set-up: orders and supplier deliveries in the simulated Odoo and SAP', () => {
  let sims: RunningSimulator[] = [];
  let config: PlantflowConfig;
  const admin = (system: string) => new SimulatorAdmin(sims.find((s) => s.system === system)!.url);

  before(async () => {
    const base = loadConfig({ PLANTFLOW_LOG_LEVEL: 'silent' });
    sims = await startSimulators(base, { ports: { odoo: 0, sap: 0 }, only: ['odoo', 'sap'] });
    const url = (system: string) => sims.find((s) => s.system === system)!.url;
    config = { ...base, odoo: { ...base.odoo, url: url('odoo') }, sap: { ...base.sap, url: url('sap') } };
  });
  beforeEach(async () => {
    for (const s of ['odoo', 'sap']) await admin(s).reset();
  });
  after(async () => Promise.all(sims.map((s) => s.stop())));

  const odoo = () => OdooClient.fromConnection({ ...config.odoo, timeoutMs: 5_000 });
  const odooLot = async (lot: string) =>
    odoo().searchOne(
      'stock.lot',
      [['name', '=', lot]],
      ['product_qty', 'location_id', 'ref'],
      z.object({ product_qty: z.number(), location_id: z.tuple([z.number(), z.string()]), ref: z.string() }).loose(),
    );
  const sapStock = async (material: string, batch: string) => {
    const state = await admin('sap').state<{ stock: StockRecord[]; batches: Array<{ Batch: string }> }>();
    return {
      stock: state.stock.filter((s) => s.Material === material && s.Batch === batch),
      batch: state.batches.some((b) => b.Batch === batch),
    };
  };

  it('books a supplier lot into unrestricted stock in SAP (501) and Odoo (inventory adjustment), same quantity', async () => {
    const { materialDocument } = await receiveSupplierLot(config, {
      material: 'RM-400',
      lotId: 'R-9001',
      quantity: { value: '40', uom: 'KGM' },
      supplier: 'Resinex',
    });
    assert.match(materialDocument, /^\d+$/);
    const sap = await sapStock('RM-400', 'R-9001');
    assert.ok(sap.batch, 'the receipt created the batch');
    assert.deepEqual(
      sap.stock.map((s) => [s.StorageLocation, s.unrestricted, s.qualityInspection, s.blocked]),
      [['171B', '40', '0', '0']],
    );
    const lot = await odooLot('R-9001');
    assert.deepEqual([lot?.product_qty, lot?.location_id[1], lot?.ref], [40, 'WH/Stock', 'Resinex']);
    const posted = await admin('sap').writes({ operation: 'A_MaterialDocumentHeader.create', applied: true });
    assert.equal(posted.length, 1);
  });

  it('refuses a quant created over RPC outside inventory mode, and changes nothing', async () => {
    const client = odoo();
    const [product] = await client.search('product.product', [['default_code', '=', 'RM-300']]);
    const [stock] = await client.search('stock.location', [['complete_name', '=', 'WH/Stock']]);
    const before = await client.search('stock.quant', []);
    await assert.rejects(
      client.create('stock.quant', { product_id: product, location_id: stock, quantity: 999 }),
      /Quant's creation is restricted/,
    );
    assert.deepEqual(await client.search('stock.quant', []), before);
  });

  it('creates the SAP production order and the Odoo MO of one planned order', async () => {
    const erp = await createErpOrders(config, { material: 'FG-100', quantity: 40, origin: 'PO-T1' });
    assert.match(erp.sapOrder, /^\d+$/);
    assert.match(erp.odooMo, /^WH\/MO\/\d+$/);
    const [mo] = await odoo().searchRead(
      'mrp.production',
      [['name', '=', erp.odooMo]],
      ['product_qty', 'origin', 'state'],
      z.object({ product_qty: z.number(), origin: z.string(), state: z.string() }).loose(),
    );
    assert.deepEqual([mo?.product_qty, mo?.origin, mo?.state], [40, 'PO-T1', 'draft']);
    const sap = await createSapActivities(config.sap).sapReadProductionOrder({ order: erp.sapOrder });
    assert.deepEqual(
      [sap.orderType, sap.material, sap.plant, sap.totalQuantity.value],
      ['YN01', 'FG-100', '1710', '40'],
      "SAP's standard production order type",
    );
  });

  it("sends the plant's own production order type from its customizing (SAP refuses one the plant lacks)", async () => {
    const plants = { '1710': sapPlantCustomizingSchema.parse({ productionOrderType: 'ZP01' }) };
    const custom = { ...config, sap: { ...config.sap, customizing: { ...config.sap.customizing, plants } } };
    await assert.rejects(
      createErpOrders(custom, { material: 'FG-100', quantity: 10, origin: 'PO-T2' }),
      /CO\/073 Order type ZP01 is not defined for plant 1710/,
    );
    assert.deepEqual(await admin('sap').writes({ operation: 'A_ProductionOrder_2.create', applied: true }), []);
  });

  it('refuses to plan in a real ERP', () => {
    assert.throws(
      () => assertSimulatedErps({ ...config, sap: { ...config.sap, simulated: false } }, 'the demo'),
      /the demo works against the simulators only, and PLANTFLOW_SAP_URL points at a real system/,
    );
  });
});
