import assert from 'node:assert/strict';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { ea, expectFailure, kg, orderIn, useOdoo } from './fixture';

for (const version of ODOO_VERSIONS) {
  describe(`odoo activities ${version}: manufacturing orders`, () => {
    const odoo = useOdoo(version);

    it('reads an order with components, work orders by operation code and producing lots', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 100, { origin: 'SAP 4711' });
      const mo = await fx.acts.odooReadManufacturingOrder({ moName });
      assert.equal(mo.name, moName);
      assert.equal(mo.state, 'draft');
      assert.equal(mo.product, 'FG-100');
      assert.deepEqual(mo.quantity, ea('100'));
      assert.deepEqual(mo.qtyProducing, ea('0'));
      assert.deepEqual(
        mo.components.map((c) => [c.product, c.quantity]),
        [
          ['RM-300', ea('100')],
          ['RM-310', ea('100')],
          ['RM-400', kg('25')],
        ],
      );
      assert.deepEqual(
        mo.workorders.map((w) => w.operation),
        ['0010', '0020'],
      );
      assert.deepEqual(mo.lotsProducing, []);
      assert.equal(mo.origin, 'SAP 4711');
      await expectFailure(
        fx.acts.odooReadManufacturingOrder({ moName: 'WH/MO/99999' }),
        'BusinessRule',
        /no manufacturing order/,
      );
    });

    it('confirms once: a retried confirmation is a no-op', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 10);
      assert.deepEqual(await fx.acts.odooConfirmManufacturingOrder({ moName }), {
        moName,
        state: 'confirmed',
        changed: true,
      });
      assert.deepEqual(await fx.acts.odooConfirmManufacturingOrder({ moName }), {
        moName,
        state: 'confirmed',
        changed: false,
      });
      assert.equal(fx.applied('mrp.production.action_confirm'), 1);
      assert.equal(orderIn(fx.db(), moName).state, 'confirmed');
    });

    it('cancel as compensation tolerates missing, draft and cancelled orders and refuses a done one', async () => {
      const fx = odoo();
      assert.equal((await fx.acts.odooCancelManufacturingOrder({ moName: 'WH/MO/00404' })).status, 'not_found');
      const moName = await fx.createOrder('FG-200', 5);
      assert.equal((await fx.acts.odooCancelManufacturingOrder({ moName })).status, 'not_confirmed');
      assert.equal(orderIn(fx.db(), moName).state, 'draft', 'a compensation arriving first leaves the order alone');
      await fx.acts.odooConfirmManufacturingOrder({ moName });
      assert.equal((await fx.acts.odooCancelManufacturingOrder({ moName })).status, 'cancelled');
      assert.equal((await fx.acts.odooCancelManufacturingOrder({ moName })).status, 'already_cancelled');
      assert.equal(fx.applied('mrp.production.action_cancel'), 1);
      assert.equal(orderIn(fx.db(), moName).state, 'cancel');
      await expectFailure(fx.acts.odooConfirmManufacturingOrder({ moName }), 'BusinessRule', /cancelled/);

      const done = await fx.createOrder('FG-200', 1, { confirm: true });
      await fx.acts.odooRecordProduction({ moName: done, lot: 'SC-1', quantity: ea('1'), idempotencyKey: 'p' });
      await fx.passChecks(done);
      await fx.acts.odooMarkDone({ moName: done, mode: 'complete' });
      await expectFailure(fx.acts.odooCancelManufacturingOrder({ moName: done }), 'BusinessRule', /done/);
    });

    it('marks done completely: components and lots posted, finished stock in WH/Stock, once', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-200', 10, { confirm: true });
      await fx.acts.odooRecordConsumption({
        moName,
        component: 'RM-320',
        lot: 'S-3001',
        quantity: ea('10'),
        idempotencyKey: 'c',
      });
      await fx.acts.odooRecordProduction({ moName, lot: 'SC-100', quantity: ea('10'), idempotencyKey: 'p' });
      await fx.passChecks(moName);
      const first = await fx.acts.odooMarkDone({ moName, mode: 'complete' });
      assert.deepEqual(first, { moName, state: 'done', changed: true });
      assert.deepEqual(await fx.acts.odooMarkDone({ moName, mode: 'complete' }), {
        moName,
        state: 'done',
        changed: false,
      });
      assert.equal(fx.applied('mrp.production.button_mark_done'), 1);
      const db = fx.db();
      const lot = db.all('stock.lot').find((l) => l.name === 'SC-100')!;
      const quant = db.all('stock.quant').find((q) => q.lot_id === lot.id)!;
      assert.equal(quant.quantity, 10);
      const component = db.all('stock.quant').find((q) => db.get('stock.lot', q.lot_id).name === 'S-3001')!;
      assert.equal(component.quantity, 990);
    });

    it('complete with less produced returns the backorder wizard as an outcome, changing nothing', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-200', 10, { confirm: true });
      await fx.acts.odooRecordProduction({ moName, lot: 'SC-6', quantity: ea('6'), idempotencyKey: 'p' });
      await fx.passChecks(moName);
      const result = await fx.acts.odooMarkDone({ moName, mode: 'complete' });
      assert.equal(result.wizard, 'mrp.production.backorder');
      assert.notEqual(result.state, 'done');
      assert.equal(orderIn(fx.db(), moName).state, 'progress');
    });

    it('backorder mode splits off the rest; the renamed order is still found by its first name', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-200', 100, { confirm: true });
      await fx.acts.odooRecordConsumption({
        moName,
        component: 'RM-320',
        lot: 'S-3001',
        quantity: ea('60'),
        idempotencyKey: 'c',
      });
      await fx.acts.odooRecordProduction({ moName, lot: 'SC-60', quantity: ea('60'), idempotencyKey: 'p' });
      await fx.passChecks(moName);
      const result = await fx.acts.odooMarkDone({ moName, mode: 'backorder' });
      assert.deepEqual(result, {
        moName: `${moName}-001`,
        state: 'done',
        changed: true,
        backorderName: `${moName}-002`,
      });
      assert.deepEqual(await fx.acts.odooMarkDone({ moName, mode: 'backorder' }), { ...result, changed: false });
      const backorder = fx
        .db()
        .all('mrp.production')
        .find((m) => m.name === `${moName}-002`)!;
      assert.equal(backorder.product_qty, 40);
      assert.equal(backorder.state, 'confirmed');
      assert.equal(fx.applied('mrp.production.button_mark_done'), 1);
      assert.equal((await fx.acts.odooReadManufacturingOrder({ moName })).name, `${moName}-001`);
    });

    it('short close finishes what was produced without a backorder', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-200', 100, { confirm: true });
      await fx.acts.odooRecordProduction({ moName, lot: 'SC-70', quantity: ea('70'), idempotencyKey: 'p' });
      await fx.passChecks(moName);
      const result = await fx.acts.odooMarkDone({ moName, mode: 'short_close' });
      assert.deepEqual(result, { moName, state: 'done', changed: true });
      const db = fx.db();
      assert.equal(db.all('mrp.production').length, 1);
      assert.equal(db.value('mrp.production', orderIn(db, moName), 'qty_produced'), 70);
    });

    it('refuses to mark done a draft order (BusinessRule)', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-200', 1);
      await expectFailure(fx.acts.odooMarkDone({ moName, mode: 'complete' }), 'BusinessRule', /draft/);
    });
  });
}
