import assert from 'node:assert/strict';
import { keyXmlid } from '../../../../activities/odoo/keys';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { ea, expectFailure, kg, orderIn, useOdoo } from './fixture';

for (const version of ODOO_VERSIONS) {
  describe(`odoo activities ${version}: production postings`, () => {
    const odoo = useOdoo(version);

    it('records consumption once per key: a picked line with the lot, Odoo reservations removed', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 100, { confirm: true });
      const input = {
        moName,
        component: 'RM-300',
        lot: 'H-1002',
        quantity: ea('60'),
        idempotencyKey: 'order:1710:A/evt-1',
      };
      const first = await fx.acts.odooRecordConsumption(input);
      const again = await fx.acts.odooRecordConsumption(input);
      assert.equal(first.status, 'posted');
      assert.equal(again.status, 'already_posted');
      assert.equal(again.moveLineId, first.moveLineId);
      assert.deepEqual(again.pickedQuantity, ea('60'));
      assert.equal(fx.applied('stock.move.line.load'), 1);
      const [entry] = fx.sim.server.journal.list({ operation: 'stock.move.line.load' });
      assert.deepEqual(entry!.refs, { moName, lot: 'H-1002', key: keyXmlid(input.idempotencyKey).full });
      const db = fx.db();
      const move = db.get('stock.move', db.get('stock.move.line', first.moveLineId).move_id);
      const lines = db.all('stock.move.line').filter((l) => l.move_id === move.id);
      assert.deepEqual(
        lines.map((l) => [db.get('stock.lot', l.lot_id).name, l.quantity, l.picked]),
        [['H-1002', 60, true]],
      );
      assert.equal(move.picked, true);
    });

    it('one finished lot per MO: a second lot is refused until the MO is done with a backorder, then goes on the backorder', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 100, { confirm: true });
      await fx.acts.odooRecordProduction({ moName, lot: 'P-1', quantity: ea('40'), idempotencyKey: 'k1' });
      const more = await fx.acts.odooRecordProduction({ moName, lot: 'P-1', quantity: ea('20'), idempotencyKey: 'k2' });
      assert.deepEqual([more.qtyProducing, more.lotsProducing], [ea('60'), ['P-1']]);
      await expectFailure(
        fx.acts.odooRecordProduction({ moName, lot: 'P-2', quantity: ea('40'), idempotencyKey: 'k3' }),
        'BusinessRule',
        /produces lot P-1; Odoo keeps one finished lot per order/,
      );
      assert.equal(fx.applied('stock.move.line.load'), 2, 'the refused lot loaded nothing');
      const open = await fx.acts.odooOpenProduction({ moName });
      assert.deepEqual([open.moName, open.open, open.lot, open.qtyProducing], [moName, true, 'P-1', ea('60')]);

      await fx.acts.odooRecordConsumption({
        moName,
        component: 'RM-300',
        lot: 'H-1001',
        quantity: ea('60'),
        idempotencyKey: 'c1',
      });
      const closed = await fx.acts.odooMarkDone({
        moName: open.moName,
        mode: 'backorder',
        onlyReportedComponents: true,
      });
      assert.deepEqual([closed.moName, closed.backorderName], [`${moName}-001`, `${moName}-002`]);
      const held = (lot: string) => {
        const db = fx.db();
        return db
          .all('stock.quant')
          .filter(
            (q) =>
              q.lot_id &&
              db.get('stock.lot', q.lot_id).name === lot &&
              db.get('stock.location', q.location_id).usage === 'internal',
          )
          .reduce((sum, q) => sum + (q.quantity as number), 0);
      };
      // Only what was reported is consumed on the closed MO: its work orders took no BoM quantity.
      assert.deepEqual([held('H-1001'), held('I-2001'), held('R-4001')], [440, 500, 200]);
      await fx.acts.odooRecordConsumption({
        moName,
        component: 'RM-400',
        lot: 'R-4001',
        quantity: kg('25'),
        idempotencyKey: 'c2',
      });
      assert.equal(held('R-4001'), 200, 'reported later, on the backorder: consumed when it is done');
      const second = await fx.acts.odooRecordProduction({
        moName,
        lot: 'P-2',
        quantity: ea('40'),
        idempotencyKey: 'k3',
      });
      const retried = await fx.acts.odooRecordProduction({
        moName,
        lot: 'P-2',
        quantity: ea('40'),
        idempotencyKey: 'k3',
      });
      assert.deepEqual(
        [second.moName, second.lotsProducing, second.qtyProducing],
        [`${moName}-002`, ['P-2'], ea('40')],
      );
      assert.deepEqual([retried.status, retried.moName], ['already_posted', `${moName}-002`]);
      // The first lot's retry, after the order moved on, still answers from the MO its line is on.
      const first = await fx.acts.odooRecordProduction({
        moName,
        lot: 'P-1',
        quantity: ea('20'),
        idempotencyKey: 'k2',
      });
      assert.deepEqual([first.status, first.moName], ['already_posted', `${moName}-001`]);
      const after = await fx.acts.odooOpenProduction({ moName });
      assert.deepEqual(
        after.chain.map((m) => [m.moName, m.state, m.lot]),
        [
          [`${moName}-001`, 'done', 'P-1'],
          [`${moName}-002`, 'progress', 'P-2'],
        ],
      );
      await fx.acts.odooMarkDone({ moName: after.moName, mode: 'complete' });
      const db = fx.db();
      assert.deepEqual([held('P-1'), held('P-2')], [60, 40], 'each lot holds exactly its quantity');
      assert.equal(held('R-4001'), 175);
      const field = version === '19' ? 'lot_producing_ids' : 'lot_producing_id';
      const linked = (name: string) => {
        const value = db.all('mrp.production').find((m) => m.name === name)![field];
        return (Array.isArray(value) ? value : [value]).map((id) => db.get('stock.lot', id as number).name);
      };
      assert.deepEqual([linked(`${moName}-001`), linked(`${moName}-002`)], [['P-1'], ['P-2']]);
    });

    it('commit-then-error: the retry after a lost answer posts nothing twice and finishes the follow-up writes', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 10, { confirm: true });
      await fx.acts.odooFindOrCreateLot({ material: 'FG-100', lot: 'P-9' });
      fx.faults({ special: { commitThenErrorRate: 1 } });
      const input = { moName, lot: 'P-9', quantity: ea('10'), idempotencyKey: 'lost-answer' };
      await expectFailure(fx.acts.odooRecordProduction(input), 'Transient');
      assert.equal(orderIn(fx.db(), moName).qty_producing, 0, 'the lost answer came before qty_producing was written');
      fx.faults({});
      const retried = await fx.acts.odooRecordProduction(input);
      assert.equal(retried.status, 'already_posted');
      assert.equal(fx.applied('stock.move.line.load'), 1);
      assert.equal(orderIn(fx.db(), moName).qty_producing, 10);

      fx.faults({ special: { commitThenErrorRate: 1 } });
      const consumption = {
        moName,
        component: 'RM-400',
        lot: 'R-4001',
        quantity: kg('2.5'),
        idempotencyKey: 'lost-consumption',
      };
      await expectFailure(fx.acts.odooRecordConsumption(consumption), 'Transient');
      fx.faults({});
      assert.equal((await fx.acts.odooRecordConsumption(consumption)).status, 'already_posted');
      assert.equal(fx.applied('stock.move.line.load'), 2);
      const db = fx.db();
      const move = db
        .all('stock.move')
        .find(
          (m) =>
            m.raw_material_production_id === orderIn(db, moName).id &&
            db.get('product.product', m.product_id).default_code === 'RM-400',
        )!;
      assert.equal(move.picked, true, 'the retry completed the follow-up write');
    });

    it('refuses postings on orders that are not running, unknown lots and mismatched units', async () => {
      const fx = odoo();
      const draft = await fx.createOrder('FG-100', 10);
      await expectFailure(
        fx.acts.odooRecordProduction({ moName: draft, lot: 'X', quantity: ea('1'), idempotencyKey: 'a' }),
        'BusinessRule',
        /draft/,
      );
      const moName = await fx.createOrder('FG-100', 10, { confirm: true });
      await expectFailure(
        fx.acts.odooRecordConsumption({
          moName,
          component: 'RM-300',
          lot: 'NO-SUCH',
          quantity: ea('1'),
          idempotencyKey: 'b',
        }),
        'BusinessRule',
        /no lot NO-SUCH/,
      );
      await expectFailure(
        fx.acts.odooRecordConsumption({
          moName,
          component: 'RM-400',
          lot: 'R-4001',
          quantity: ea('1'),
          idempotencyKey: 'c',
        }),
        'BusinessRule',
        /kg/,
      );
      await expectFailure(
        fx.acts.odooRecordConsumption({
          moName,
          component: 'RM-320',
          lot: 'S-3001',
          quantity: ea('1'),
          idempotencyKey: 'd',
        }),
        'BusinessRule',
        /no open component move/,
      );
      assert.equal(fx.applied('stock.move.line.load'), 0);
    });

    it('genealogy: after mark-done the produced lot links the consumed component lots', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 10, { confirm: true });
      await fx.acts.odooRecordConsumption({
        moName,
        component: 'RM-300',
        lot: 'H-1001',
        quantity: ea('10'),
        idempotencyKey: 'c1',
      });
      await fx.acts.odooRecordConsumption({
        moName,
        component: 'RM-310',
        lot: 'I-2002',
        quantity: ea('10'),
        idempotencyKey: 'c2',
      });
      await fx.acts.odooRecordConsumption({
        moName,
        component: 'RM-400',
        lot: 'R-4001',
        quantity: kg('2.5'),
        idempotencyKey: 'c3',
      });
      await fx.acts.odooRecordProduction({ moName, lot: 'FG-G1', quantity: ea('10'), idempotencyKey: 'p' });
      await fx.acts.odooMarkDone({ moName, mode: 'complete' });
      const db = fx.db();
      const produced = db
        .all('stock.move.line')
        .find((l) => l.lot_id && db.get('stock.lot', l.lot_id).name === 'FG-G1')!;
      const parents = (produced.consume_line_ids as number[]).map(
        (id) => db.get('stock.lot', db.get('stock.move.line', id).lot_id).name,
      );
      assert.deepEqual(parents.sort(), ['H-1001', 'I-2002', 'R-4001']);
    });
  });

  describe(`odoo activities ${version}: work orders`, () => {
    const odoo = useOdoo(version);

    it('starts and finishes work orders by operation code, each once', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 10, { confirm: true });
      const started = await fx.acts.odooStartWorkorder({ moName, operation: '0010' });
      assert.equal(started.state, 'progress');
      assert.equal((await fx.acts.odooStartWorkorder({ moName, operation: '0010' })).changed, false);
      const finished = await fx.acts.odooFinishWorkorder({ moName, operation: '0010', quantity: ea('9') });
      assert.deepEqual([finished.state, finished.changed], ['done', true]);
      assert.equal(
        (await fx.acts.odooFinishWorkorder({ moName, operation: '0010', quantity: ea('9') })).changed,
        false,
      );
      assert.equal(fx.applied('mrp.workorder.button_start'), 1);
      assert.equal(fx.applied('mrp.workorder.button_finish'), 1);
      const db = fx.db();
      const [first, second] = db.all('mrp.workorder');
      assert.equal(first!.qty_produced, 9);
      assert.equal(second!.state, 'ready', 'the next operation is ready once the first is done');
      assert.equal(orderIn(db, moName).state, 'progress');
    });

    it('a completion before its start is recorded (button_finish from ready)', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-200', 5, { confirm: true });
      assert.equal((await fx.acts.odooFinishWorkorder({ moName, operation: '0010', quantity: ea('5') })).state, 'done');
      assert.equal((await fx.acts.odooStartWorkorder({ moName, operation: '0010' })).changed, false);
      assert.equal(orderIn(fx.db(), moName).state, 'to_close');
    });

    it('a consumption reported after its operation was finished replaces the BoM quantity Odoo picked: consumed once', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 10, { confirm: true });
      // Out of order: production and the operation's final completion are posted first; button_finish picks
      // the reserved impellers (I-2001) with the BoM quantity of what is producing.
      await fx.acts.odooRecordProduction({
        moName,
        lot: 'P-1',
        quantity: ea('10'),
        idempotencyKey: 'order:1710:C/evt-1',
      });
      await fx.acts.odooFinishWorkorder({ moName, operation: '0010', quantity: ea('10') });
      const impellers = () => {
        const db = fx.db();
        const impeller = db.all('product.product').find((p) => p.default_code === 'RM-310')!;
        const move = db
          .all('stock.move')
          .find((m) => m.raw_material_production_id === orderIn(db, moName).id && m.product_id === impeller.id)!;
        return db
          .all('stock.move.line')
          .filter((l) => l.move_id === move.id)
          .map((l) => [db.get('stock.lot', l.lot_id).name, l.quantity, l.picked]);
      };
      assert.deepEqual(impellers(), [['I-2001', 10, true]], 'Odoo backflushed the BoM quantity');
      const input = {
        moName,
        component: 'RM-310',
        lot: 'I-2002',
        quantity: ea('10'),
        idempotencyKey: 'order:1710:C/evt-3',
      };
      const posted = await fx.acts.odooRecordConsumption(input);
      assert.deepEqual(posted.pickedQuantity, ea('10'));
      assert.deepEqual(impellers(), [['I-2002', 10, true]], 'the MES lot replaces the theoretical one');
      assert.equal((await fx.acts.odooRecordConsumption(input)).status, 'already_posted');
      assert.deepEqual(impellers(), [['I-2002', 10, true]]);
    });

    it('refuses an unknown operation and a draft order', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 10);
      await expectFailure(fx.acts.odooStartWorkorder({ moName, operation: '0030' }), 'BusinessRule', /0010, 0020/);
      await expectFailure(fx.acts.odooStartWorkorder({ moName, operation: '0010' }), 'BusinessRule', /confirm/);
    });
  });
}
