import assert from 'node:assert/strict';
import { createQmsActivities } from '../../activities/qms/activities';
import type { QmsState } from '../../simulators/qms/state';
import { recordHistoryIfAsked } from '../support/histories';
import { ncrScenarioPlant } from '../support/scenario-plant';
import { SCENARIO_ODOO_VERSIONS } from '../support/stack';
import { eventually } from '../support/eventually';
import { releaseOnRecord } from '../support/lot-review';
import { playS5UntilNcrClosed } from '../support/s5-flow';
import { signer } from '../workflows/support/lot-harness';

for (const odooVersion of SCENARIO_ODOO_VERSIONS) {
  describe(`S5 on the dev server, Odoo ${odooVersion}: failed inspection → NCR → split disposition, containment of a downstream lot`, function () {
    this.timeout(300_000);
    const plant = ncrScenarioPlant({ odooVersion });

    it('S5: use-as-is 30 and scrap 20 signed; the downstream lot is held then released by the NCR; closed with a root cause', async () => {
      const { stack } = plant;
      const { ref, order, l1, l2, ncrId, closed, lotView } = await playS5UntilNcrClosed(plant);

      // QMS: the NCR closed with its root cause, two signed lines, its containment and its links.
      const qms = (await stack.sims.qms.state<{ state: QmsState }>()).state;
      const record = qms.nonconformances[ncrId]!;
      assert.equal(record.status, 'closed');
      assert.equal(record.rootCause?.category, 'machine');
      assert.deepEqual(
        record.dispositions.map((d) => `${d.decision} ${d.quantity.value} ${d.lotId}`),
        [`use_as_is 30 ${l1}`, `scrap 20 ${l1}`],
      );
      assert.deepEqual(record.containmentActions.map((a) => a.lotId).sort(), [l1, l2].sort());
      assert.ok(record.refs.odooQualityAlert && record.refs.sapQualityNotification);
      const signed = await createQmsActivities(stack.config.qms).qmsListSignedRecords({ subject: `ncr:${ncrId}` });
      assert.equal(signed.length, 2);
      for (const s of signed) {
        const sig = s.signatures[0]!;
        assert.deepEqual(
          [sig.userId, sig.printedName, sig.meaning],
          ['qa.anna', 'Anna Berger', 'Disposition approved'],
        );
        assert.ok(sig.reason.length > 0 && Date.parse(sig.signedAt) > 0 && sig.recordHash === s.recordHash);
      }
      // Odoo: the quality alert is done with its root cause. SAP: the notification was created through the
      // released V4 service, which cannot complete it: it is left to QM in SAP, and the NCR says so.
      const writes = await stack.writeCounts('sap');
      assert.equal(writes['QualityNotification.create'], 1);
      const notification = await stack.sap.sapCompleteQualityNotification({
        notification: record.refs.sapQualityNotification!,
      });
      assert.deepEqual([notification.outcome, notification.phase], ['left_open', '1']);
      assert.ok(closed.timeline.some((t) => t.type === 'SapNotificationLeftOpen'));
      assert.equal((await stack.writeCounts('odoo'))['quality.alert.create'], 1);

      // QA releases what was used as is (30 EA) in the lot workflow: SAP posts the remaining 30.
      const released = await releaseOnRecord(
        stack.plantflow,
        'FG-100',
        l1,
        {
          decision: 'release',
          meaning: 'approved_for_release',
          override: true,
          reason: `NCR ${ncrId}: 30 EA used as is, 20 EA scrapped`,
        },
        await signer(stack.env, 'qp.marc', Date.now()),
      );
      assert.equal(released.signature.printedName, 'Marc Dubois');
      await eventually(
        () => lotView(l1),
        (v) => v.status === 'released',
        120_000,
      );
      const after = (await stack.sap.sapFindInspectionLot({ material: 'FG-100', batch: l1 })).lots[0]!;
      assert.deepEqual(
        [after.postedToUnrestricted.value, after.postedToScrap.value, after.toBePosted.value],
        ['30', '20', '0'],
      );
      // Its one lot final, the order closes and its SAP order is technically completed — in this run's SAP:
      // the next run shares the dev server, and its first SAP order has the same number.
      await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.status === 'closed',
        60_000,
      );
      const sapOrder = await stack.sap.sapReadProductionOrder({ order: order.erp.sapOrder });
      assert.ok(sapOrder.systemStatuses.includes('TECO'), sapOrder.systemStatuses.join(' '));
      if (odooVersion === '19')
        await recordHistoryIfAsked('ncr-s5-split-disposition', stack.plantflow.ncrs.handle(ncrId));
    });
  });
}
