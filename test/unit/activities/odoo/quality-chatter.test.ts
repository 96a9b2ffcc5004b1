import assert from 'node:assert/strict';
import { keyMarker } from '../../../../activities/odoo/keys';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { expectFailure, useOdoo } from './fixture';

for (const version of ODOO_VERSIONS) {
  describe(`odoo activities ${version}: quality and chatter`, () => {
    const odoo = useOdoo(version);
    const lotField = version === '19' ? 'lot_ids' : 'lot_id';

    it('records a quality check result once per key, on the matching quality point and lot', async () => {
      const fx = odoo();
      const input = {
        material: 'RM-300',
        lot: 'H-1001',
        characteristic: 'PRESSURE',
        result: 'fail' as const,
        idempotencyKey: 'insp-1',
      };
      await fx.acts.odooFindOrCreateLot({ material: 'RM-300', lot: 'H-1001' });
      const moName = await fx.createOrder('FG-100', 1, { confirm: true });
      await fx.acts.odooRecordProduction({
        moName,
        lot: 'FG-Q',
        quantity: { value: '1', uom: 'EA' },
        idempotencyKey: 'p',
      });
      const check = await fx.acts.odooRecordQualityCheck({ ...input, material: undefined, moName, lot: 'FG-Q' });
      const again = await fx.acts.odooRecordQualityCheck({ ...input, material: undefined, moName, lot: 'FG-Q' });
      assert.deepEqual(
        [check.state, check.created, again.created, again.checkId],
        ['fail', true, false, check.checkId],
      );
      assert.equal(fx.applied('quality.check.create'), 1);
      assert.equal(fx.applied('quality.check.do_fail'), 1);
      const db = fx.db();
      const record = db.get('quality.check', check.checkId);
      assert.equal(record.quality_state, 'fail');
      assert.match(String(record.title), /^PRESSURE - /);
      assert.ok(record.point_id);
      const lots = version === '19' ? (record[lotField] as number[]) : [record[lotField] as number];
      assert.deepEqual(
        lots.map((id) => db.get('stock.lot', id).name),
        ['FG-Q'],
      );
      const retest = await fx.acts.odooRecordQualityCheck({
        material: 'FG-100',
        lot: 'FG-Q',
        characteristic: 'PRESSURE',
        result: 'pass',
        idempotencyKey: 'insp-2',
      });
      assert.notEqual(retest.checkId, check.checkId, 'a re-test is a new check, the failed one stays on record');
      assert.equal(db.get('quality.check', check.checkId).quality_state, 'fail');
    });

    it('a check Odoo generated for every MO blocks mark-done until the result is recorded on it (by MO or by the lot it produces)', async () => {
      const fx = odoo();
      for (const [lot, byMo] of [
        ['SC-A', true],
        ['SC-B', false],
      ] as const) {
        const moName = await fx.createOrder('FG-200', 5, { confirm: true });
        await fx.acts.odooRecordProduction({
          moName,
          lot,
          quantity: { value: '5', uom: 'EA' },
          idempotencyKey: `p-${lot}`,
        });
        const open = await fx.acts.odooOpenProduction({ moName });
        assert.deepEqual(
          open.pendingChecks.map((c) => [c.title, c.characteristic]),
          [['LEAK - Seal leak test', 'LEAK']],
        );
        await expectFailure(
          fx.acts.odooMarkDone({ moName, mode: 'complete' }),
          'BusinessRule',
          /You still need to do the quality checks!/,
        );
        const recorded = await fx.acts.odooRecordQualityCheck({
          ...(byMo ? { moName: open.moName } : { material: 'FG-200' }),
          lot,
          characteristic: 'LEAK',
          result: 'pass',
          note: 'qms result',
          idempotencyKey: `leak-${lot}`,
        });
        assert.deepEqual([recorded.checkId, recorded.created], [open.pendingChecks[0]!.checkId, false]);
        assert.deepEqual((await fx.acts.odooOpenProduction({ moName })).pendingChecks, []);
        // The other path, racing: naming the generated check records nothing more once it is done.
        const late = await fx.acts.odooRecordQualityCheck({
          moName: open.moName,
          lot,
          characteristic: 'LEAK',
          result: 'pass',
          checkId: open.pendingChecks[0]!.checkId,
          idempotencyKey: `order-leak-${lot}`,
        });
        assert.deepEqual([late.checkId, late.state, late.created], [recorded.checkId, 'pass', false]);
        assert.equal((await fx.acts.odooMarkDone({ moName, mode: 'complete' })).state, 'done');
      }
      assert.equal(fx.applied('quality.check.create'), 0, 'the generated checks were completed, none duplicated');
    });

    it('creates a quality alert once per key and moves it through stages with a root cause', async () => {
      const fx = odoo();
      await fx.acts.odooFindOrCreateLot({ material: 'FG-100', lot: 'NC-1' });
      const input = {
        idempotencyKey: 'ncr:42/odoo-alert',
        title: 'Pressure test failed',
        description: 'Leak at 12 bar <flange>',
        material: 'FG-100',
        lot: 'NC-1',
      };
      const alert = await fx.acts.odooCreateQualityAlert(input);
      assert.deepEqual([alert.stage, alert.created], ['New', true]);
      assert.equal((await fx.acts.odooCreateQualityAlert(input)).created, false);
      assert.equal(fx.applied('quality.alert.create'), 1);
      const db = fx.db();
      const record = db.get('quality.alert', alert.alertId);
      assert.ok(String(record.description).includes(keyMarker(input.idempotencyKey)));
      assert.ok(String(record.description).includes('&lt;flange&gt;'));
      const progress = await fx.acts.odooSetQualityAlertStage({ alertId: alert.alertId, stage: 'in_progress' });
      assert.deepEqual([progress.stage, progress.done], ['Confirmed', false]);
      const done = await fx.acts.odooSetQualityAlertStage({
        idempotencyKey: input.idempotencyKey,
        stage: 'done',
        rootCause: 'Gasket supplier lot',
      });
      assert.deepEqual([done.stage, done.done, done.changed], ['Solved', true, true]);
      assert.ok(done.closedAt);
      assert.equal(
        (
          await fx.acts.odooSetQualityAlertStage({
            alertId: alert.alertId,
            stage: 'done',
            rootCause: 'Gasket supplier lot',
          })
        ).changed,
        false,
      );
      assert.equal(fx.applied('quality.alert.write'), 2);
      const closed = fx.db().get('quality.alert', alert.alertId);
      assert.equal(fx.db().get('quality.reason', closed.reason_id).name, 'Gasket supplier lot');
    });

    it('posts a chatter note once per key (Odoo escapes the plain-text body)', async () => {
      const fx = odoo();
      const moName = await fx.createOrder('FG-200', 3);
      const input = {
        model: 'mrp.production' as const,
        resName: moName,
        body: 'Released by plantflow <run 7>',
        idempotencyKey: 'note-1',
      };
      const first = await fx.acts.odooPostChatterNote(input);
      const again = await fx.acts.odooPostChatterNote(input);
      assert.deepEqual([first.created, again.created, again.messageId], [true, false, first.messageId]);
      assert.equal(fx.applied('mrp.production.message_post'), 1);
      const message = fx.db().get('mail.message', first.messageId);
      assert.equal(message.model, 'mrp.production');
      assert.match(String(message.body), /&lt;run 7&gt;/);
      const lotNote = await fx.acts.odooPostChatterNote({
        model: 'stock.lot',
        resName: 'H-1001',
        material: 'RM-300',
        body: 'held',
        idempotencyKey: 'note-2',
      });
      assert.equal(fx.db().get('mail.message', lotNote.messageId).model, 'stock.lot');
    });
  });
}
