import assert from 'node:assert/strict';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { ea, expectFailure, useOdoo } from './fixture';

for (const version of ODOO_VERSIONS) {
  describe(`odoo activities ${version}: several consumptions of one MO in one call`, () => {
    const odoo = useOdoo(version);

    it('loads each line once, in order; the same batch again loads nothing', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 100, { confirm: true });
      const consumptions = [
        { moName, component: 'RM-300', lot: 'H-1001', quantity: ea('10'), idempotencyKey: 'order:1710:B/evt-1' },
        { moName, component: 'RM-300', lot: 'H-1002', quantity: ea('20'), idempotencyKey: 'order:1710:B/evt-2' },
      ];
      const first = await fx.acts.odooRecordConsumptions({ consumptions });
      assert.deepEqual(
        first.results.map((r) => r.status),
        ['posted', 'posted'],
      );
      const again = await fx.acts.odooRecordConsumptions({ consumptions });
      assert.deepEqual(
        again.results.map((r) => r.status),
        ['already_posted', 'already_posted'],
      );
      assert.equal(fx.applied('stock.move.line.load'), 2);
      const db = fx.db();
      const lines = db.all('stock.move.line').filter((l) => first.results.some((r) => r.moveLineId === l.id));
      assert.deepEqual(
        lines.map((l) => [db.get('stock.lot', l.lot_id).name, l.quantity, l.picked]),
        [
          ['H-1001', 10, true],
          ['H-1002', 20, true],
        ],
      );
    });

    it('refuses a batch that mixes manufacturing orders, and an empty one, loading nothing', async () => {
      const fx = odoo();
      const a = await fx.createOrder('FG-100', 100, { confirm: true });
      const b = await fx.createOrder('FG-100', 100, { confirm: true });
      const line = (moName: string, key: string) => ({
        moName,
        component: 'RM-300',
        lot: 'H-1001',
        quantity: ea('1'),
        idempotencyKey: key,
      });
      await expectFailure(
        fx.acts.odooRecordConsumptions({ consumptions: [line(a, 'k1'), line(b, 'k2')] }),
        'BusinessRule',
        /one manufacturing order/,
      );
      await expectFailure(fx.acts.odooRecordConsumptions({ consumptions: [] }), 'BusinessRule', /consumptions/);
      assert.equal(fx.applied('stock.move.line.load'), 0);
    });
  });
}
