import assert from 'node:assert/strict';
import { keyMarker } from '../../../../activities/odoo/keys';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { ea, expectFailure, orderIn, useOdoo, type OdooFixture } from './fixture';

/** A finished lot with stock in WH/Stock: one order produced and marked done. */
async function producedLot(fx: OdooFixture, lot: string, quantity: string): Promise<void> {
  const moName = await fx.createOrder('FG-200', Number(quantity), { confirm: true });
  await fx.acts.odooRecordProduction({ moName, lot, quantity: ea(quantity), idempotencyKey: `produce-${lot}` });
  await fx.passChecks(moName);
  await fx.acts.odooMarkDone({ moName, mode: 'complete' });
}

function lotIn(fx: OdooFixture, name: string) {
  const db = fx.db();
  const lot = db.all('stock.lot').find((l) => l.name === name)!;
  return {
    lot,
    location: db.value('stock.lot', lot, 'location_id'),
    qty: db.value('stock.lot', lot, 'product_qty'),
    db,
  };
}

for (const version of ODOO_VERSIONS) {
  describe(`odoo activities ${version}: lots`, () => {
    const odoo = useOdoo(version);

    it('finds or creates a lot once', async () => {
      const fx = odoo();
      const first = await fx.acts.odooFindOrCreateLot({ material: 'FG-100', lot: 'L-1' });
      const again = await fx.acts.odooFindOrCreateLot({ material: 'FG-100', lot: 'L-1' });
      assert.deepEqual([first.created, again.created, again.lotId], [true, false, first.lotId]);
      assert.equal(fx.applied('stock.lot.create'), 1);
      assert.equal((await fx.acts.odooFindOrCreateLot({ material: 'RM-300', lot: 'H-1001' })).created, false);
    });

    it('treats the "must be unique" ValidationError of a concurrent creation as "exists"', async () => {
      const fx = odoo();
      fx.faults({ special: { lotUniqueRaceRate: 1 } });
      const result = await fx.acts.odooFindOrCreateLot({ material: 'FG-100', lot: 'RACE-1' });
      assert.equal(result.created, false);
      const db = fx.db();
      assert.equal(db.all('stock.lot').filter((l) => l.name === 'RACE-1').length, 1);
      assert.equal(db.get('stock.lot', result.lotId).name, 'RACE-1');
    });

    it('moves a lot into Quarantine (outside WH/Stock) and releases it, each idempotently', async () => {
      const fx = odoo();
      await producedLot(fx, 'Q-1', '8');
      assert.equal(
        lotIn(fx, 'Q-1').db.displayName(
          'stock.location',
          lotIn(fx, 'Q-1').db.get('stock.location', lotIn(fx, 'Q-1').location),
        ),
        'WH/Stock',
      );
      const moved = await fx.acts.odooMoveLotToQuarantine({ material: 'FG-200', lot: 'Q-1' });
      assert.deepEqual(moved, { status: 'moved', lotId: moved.lotId, location: 'WH/Quarantine', quantity: ea('8') });
      assert.equal((await fx.acts.odooMoveLotToQuarantine({ material: 'FG-200', lot: 'Q-1' })).status, 'already_there');
      assert.equal(fx.applied('stock.lot.write'), 1);
      const held = lotIn(fx, 'Q-1');
      assert.equal(held.db.get('stock.location', held.location).name, 'Quarantine');
      assert.equal(held.qty, 8);
      const released = await fx.acts.odooReleaseLotFromQuarantine({ material: 'FG-200', lot: 'Q-1' });
      assert.equal(released.location, 'WH/Stock');
      assert.equal(
        (await fx.acts.odooReleaseLotFromQuarantine({ material: 'FG-200', lot: 'Q-1' })).status,
        'already_there',
      );
      assert.equal(fx.applied('stock.lot.write'), 2);
    });

    it('reports a lot without stock instead of pretending to move it', async () => {
      const fx = odoo();
      await fx.acts.odooFindOrCreateLot({ material: 'FG-100', lot: 'EMPTY' });
      assert.equal((await fx.acts.odooMoveLotToQuarantine({ material: 'FG-100', lot: 'EMPTY' })).status, 'no_stock');
      assert.equal(fx.applied('stock.lot.write'), 0);
    });
  });

  describe(`odoo activities ${version}: scrap`, () => {
    const odoo = useOdoo(version);

    it('scraps component stock once per key', async () => {
      const fx = odoo();
      const input = { product: 'RM-310', lot: 'I-2001', quantity: ea('5'), idempotencyKey: 'scrap-1' };
      const first = await fx.acts.odooScrap(input);
      const again = await fx.acts.odooScrap(input);
      assert.deepEqual(
        [first.status, first.created, again.created, again.scrapId],
        ['done', true, false, first.scrapId],
      );
      assert.equal(fx.applied('stock.scrap.create'), 1);
      assert.equal(fx.applied('stock.scrap.action_validate'), 1);
      assert.equal(lotIn(fx, 'I-2001').qty, 495);
      const [entry] = fx.sim.server.journal.list({ operation: 'stock.scrap.create' });
      assert.deepEqual([entry!.refs.key, entry!.refs.lot], [keyMarker('scrap-1'), 'I-2001']);
    });

    it('returns the insufficient-quantity wizard as a distinct outcome; a retry finds the same draft scrap', async () => {
      const fx = odoo();
      const input = { product: 'RM-320', lot: 'S-3001', quantity: ea('5000'), idempotencyKey: 'too-much' };
      const first = await fx.acts.odooScrap(input);
      assert.equal(first.status, 'insufficient_quantity');
      const again = await fx.acts.odooScrap(input);
      assert.deepEqual([again.status, again.scrapId, again.created], ['insufficient_quantity', first.scrapId, false]);
      assert.equal(fx.applied('stock.scrap.create'), 1);
      assert.equal(fx.db().get('stock.scrap', first.scrapId).state, 'draft');
      assert.equal(lotIn(fx, 'S-3001').qty, 1000);
    });

    it('scraps units lost in production of the order’s product from the production location, with its lot', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-100', 100, { confirm: true });
      await expectFailure(
        fx.acts.odooScrap({ moName, product: 'FG-100', quantity: ea('5'), idempotencyKey: 's' }),
        'BusinessRule',
        /needs the lot/,
      );
      await fx.acts.odooRecordProduction({ moName, lot: 'FG-S', quantity: ea('90'), idempotencyKey: 'p' });
      const result = await fx.acts.odooScrap({ moName, product: 'FG-100', quantity: ea('5'), idempotencyKey: 's' });
      assert.equal(result.status, 'done');
      const db = fx.db();
      const scrap = db.get('stock.scrap', result.scrapId);
      assert.equal(scrap.production_id, orderIn(db, moName).id);
      assert.equal(db.get('stock.location', scrap.location_id).usage, 'production');
      assert.equal(db.get('stock.lot', scrap.lot_id).name, 'FG-S');
      assert.equal(fx.applied('stock.scrap.do_scrap'), 1);
    });

    it('scraps a rejected lot where it lies (Quarantine), all of it by default, once', async () => {
      const fx = odoo();
      await producedLot(fx, 'REJ-1', '12');
      await fx.acts.odooMoveLotToQuarantine({ material: 'FG-200', lot: 'REJ-1' });
      const part = await fx.acts.odooScrapLot({
        material: 'FG-200',
        lot: 'REJ-1',
        quantity: ea('2'),
        idempotencyKey: 'r1',
      });
      assert.equal(part.status, 'done');
      await fx.acts.odooScrapLot({ material: 'FG-200', lot: 'REJ-1', idempotencyKey: 'r2' });
      await fx.acts.odooScrapLot({ material: 'FG-200', lot: 'REJ-1', idempotencyKey: 'r2' });
      assert.equal(fx.applied('stock.scrap.create'), 2);
      assert.equal(lotIn(fx, 'REJ-1').qty, 0);
      const db = fx.db();
      const scraps = db.all('stock.scrap');
      assert.deepEqual(
        scraps.map((s) => [db.get('stock.location', s.location_id).name, s.scrap_qty]),
        [
          ['Quarantine', 2],
          ['Quarantine', 10],
        ],
      );
    });
  });
}
