import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GenealogyTrace } from '../../domain/lot-genealogy';
import type { SignedLotDisposition } from '../../domain/lot-disposition';
import type { LotStatusView } from '../../workflows/lot/state';
import { bearer, TEST_KEYS } from '../support/api';
import { releasableOrder } from '../support/erp-fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { RenderedPdf } from '../support/pdf';
import { reviewedRecord } from '../support/lot-review';
import { odooLot, signingApi } from '../support/lot-systems';
import { fullShift } from '../support/orders';
import { orderAt } from '../support/produce';
import { scenarioPlant } from '../support/scenario-plant';
import { SCENARIO_ODOO_VERSIONS } from '../support/stack';
import { eventually } from '../support/eventually';

const lotIdFor = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}`.slice(0, 10);

for (const odooVersion of SCENARIO_ODOO_VERSIONS) {
  describe(`S1 (lot part) on Odoo ${odooVersion}: produced lot, inspections, QP release through the API, order closes — dev server, real activities, simulators`, function () {
    this.timeout(300_000);
    const plant = scenarioPlant(signingApi, { odooVersion });

    it('S1: after a real order produces a lot and a QP releases it, the lot is unrestricted in Odoo and SAP, genealogy shows both parents, the order closes', async () => {
      const { stack, api } = plant;
      const ref = `S1L-${Date.now()}`;
      const lotId = lotIdFor('S1');
      const order = await releasableOrder(stack.config, ref);
      assert.equal((await api.post('/orders', TEST_KEYS.planner, order)).statusCode, 202);
      await orderAt(stack, ref, 'released', 60_000);
      const events = fullShift(ref, lotId);
      const reported = await api.post('/mes/events', TEST_KEYS.mes, { events });
      assert.deepEqual(
        (reported.json() as { results: Array<{ outcome: string }> }).results.map((r) => r.outcome),
        events.map(() => 'accepted'),
      );
      await orderAt(stack, ref, 'completed');

      // Registered restricted, and quarantined in Odoo once the MO was done.
      const lotPath = `/lots/FG-100/${lotId}`;
      const quarantined = await eventually(
        () => api.get(lotPath, TEST_KEYS.viewer).then((r) => r.json() as LotStatusView),
        (s) => s.registration?.quarantine === 'done',
        60_000,
      );
      assert.equal(quarantined.status, 'restricted');
      const days = (Date.parse(quarantined.sla.deadlineAt) - Date.now()) / 86_400_000;
      assert.ok(
        days > 6.9 && days <= 7,
        `the plant's release deadline (PLANTFLOW_LOT_RELEASE_WITHIN=7 days) applies: ${days} days left`,
      );
      assert.equal((await odooLot(stack, 'FG-100', lotId)).location, 'WH/Quarantine');
      assert.deepEqual(
        await stack.sap.sapReadBatch({ material: 'FG-100', batch: lotId }).then((b) => b.exists && b.restricted),
        true,
      );

      for (const [characteristic, value, unit] of [
        ['PRESSURE', '20.5', 'bar'],
        ['VISUAL', undefined, undefined],
      ] as const) {
        const r = await api.post('/inspections', TEST_KEYS.qms, {
          material: 'FG-100',
          lotId,
          eventId: `s1-${lotId}-${characteristic}`,
          characteristic,
          result: 'pass',
          value,
          unit,
          inspector: 'lab.kim',
          effectiveAt: new Date().toISOString(),
        });
        assert.equal(r.statusCode, 202, r.body);
      }
      await eventually(
        () => api.get(lotPath, TEST_KEYS.viewer).then((r) => r.json() as LotStatusView),
        (s) => s.requiredNotPassed.length === 0,
        60_000,
      );

      const review = await reviewedRecord(api, 'FG-100', lotId);
      assert.deepEqual(review.acknowledgements, [], 'a clean lot: nothing for the QP to acknowledge');
      const signedReply = await api.post(`${lotPath}/disposition`, TEST_KEYS.qp, {
        decision: 'release',
        meaning: 'approved_for_release',
        review,
        signature: { userId: 'qp.marc', password: api.passwords['qp.marc'] },
      });
      assert.equal(signedReply.statusCode, 200, signedReply.body);
      const signed = signedReply.json() as SignedLotDisposition;
      assert.equal(signed.signature.printedName, 'Marc Dubois');
      assert.equal(signed.signature.reauth.method, 'password');
      assert.equal(signed.signature.recordHash, review.recordHash, 'signed on the record as reviewed');

      const released = await eventually(
        () => api.get(lotPath, TEST_KEYS.viewer).then((r) => r.json() as LotStatusView),
        (s) => s.status === 'released',
        120_000,
      );
      assert.equal(released.disposition, 'UnRestricted');
      const closed = await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.status === 'closed',
        60_000,
      );
      assert.deepEqual(
        closed.lots.map((l) => [l.lotId, l.disposition, l.final]),
        [[lotId, 'released', true]],
      );

      // The lot record as a PDF: the first page shows the lot, its order and its genealogy; every page the hash.
      const pdfReply = await api.app.inject({
        method: 'GET',
        url: `${lotPath}/record.pdf`,
        headers: bearer(TEST_KEYS.viewer),
      });
      assert.equal(pdfReply.statusCode, 200, pdfReply.body);
      assert.equal(pdfReply.headers['content-type'], 'application/pdf');
      const hash = String(pdfReply.headers['x-record-hash']);
      const pdf = new RenderedPdf(pdfReply.rawPayload);
      const first = pdf.text(1);
      assert.match(first, new RegExp(`Lot record ${lotId}`));
      assert.match(first, new RegExp(`Order\\s+${ref} \\(closed\\)`));
      assert.match(first, /Released\s+by plan\.eva at /);
      assert.match(first, new RegExp(`Odoo MO ${order.erp.odooMo}, SAP order ${order.erp.sapOrder}`));
      assert.match(first, /Genealogy/);
      for (const parent of ['H-1001', 'I-2001', 'R-4001', 'RM-300', 'RM-310', 'RM-400'])
        assert.ok(first.includes(parent), parent);
      assert.ok(pdf.pixelsOf(1, 50, [0xd9, 0xf2, 0xdd]) > 500, 'the released lot is drawn in the genealogy, green');
      assert.ok(pdf.pages >= 2);
      for (let page = 1; page <= pdf.pages; page++) {
        const text = pdf.text(page);
        assert.ok(text.includes(`record sha256 ${hash}`), `page ${page} carries the record hash`);
        assert.ok(text.includes(`page ${page} of ${pdf.pages}`), `page ${page} is numbered`);
      }
      if (process.env.RECORD_SAMPLES === '1' && odooVersion === '19')
        writeFileSync(resolve(__dirname, '../../docs/lot-record-page1.png'), pdf.png(1, 80));

      // What the systems hold.
      const odoo = await odooLot(stack, 'FG-100', lotId);
      assert.deepEqual([odoo.location, odoo.quantity, odoo.scrapped], ['WH/Stock', 100, 0]);
      const batch = await stack.sap.sapReadBatch({ material: 'FG-100', batch: lotId });
      assert.ok(batch.exists && !batch.restricted, 'SAP batch unrestricted');
      const inspection = await stack.sap.sapFindInspectionLot({ material: 'FG-100', batch: lotId });
      assert.deepEqual(
        inspection.lots.map((l) => [l.hasUsageDecision, l.postedToUnrestricted.value, l.toBePosted.value]),
        [[true, '100', '0']],
      );
      const qms = stack.config.qms;
      const { createQmsActivities } = await import('../../activities/qms/activities');
      const records = await createQmsActivities(qms).qmsListSignedRecords({ subject: `lot:FG-100:${lotId}` });
      assert.equal(records.length, 1);
      assert.deepEqual(
        [
          records[0]!.decision,
          records[0]!.toDisposition,
          records[0]!.recordHash,
          records[0]!.signatures[0]!.printedName,
          records[0]!.signatures[0]!.meaning,
        ],
        ['release', 'UnRestricted', signed.signature.recordHash, 'Marc Dubois', 'Approved for release'],
      );
      const results = await createQmsActivities(qms).qmsListInspectionResults({ lotId, material: 'FG-100' });
      assert.deepEqual(results.map((r) => `${r.characteristic}:${r.result}`).sort(), ['PRESSURE:pass', 'VISUAL:pass']);

      const sap = await stack.writeCounts('sap');
      assert.equal(sap['A_InspLotUsageDecision.create'], 1, JSON.stringify(sap));
      assert.equal(sap['A_InspLotMatlDocItem.create'], 1);
      // The batch master comes from the lot's registration or, when SAP posts the goods receipt first, from the
      // receipt itself: either way one batch, which the release made unrestricted (read above).
      assert.ok((sap['Batch.create'] ?? 0) <= 1, `the batch is created at most once: ${JSON.stringify(sap)}`);
      assert.ok((sap['Batch.patch'] ?? 0) >= 1, 'made unrestricted by the release');
      assert.equal(sap['TechlyCmpltOrder'], 1, 'the order closes in SAP');
      const odooWrites = await stack.writeCounts('odoo');
      assert.equal(odooWrites['stock.lot.create'], 1);
      assert.equal(odooWrites['stock.lot.write'], 2, 'into Quarantine, then out to WH/Stock');
      assert.equal(odooWrites['quality.check.create'], 2);
      assert.equal(odooWrites['quality.check.do_pass'], 2);
      const qmsWrites = await stack.writeCounts('qms');
      assert.equal(qmsWrites['TestResult.record'], 2);
      assert.equal(qmsWrites['SignedRecord.append'], 1);

      const trace = (
        await api.get(`${lotPath}/genealogy?direction=backward`, TEST_KEYS.viewer)
      ).json() as GenealogyTrace;
      const parents = trace.root.links.map((l) => `${l.key}=${l.quantity?.value}`).sort();
      assert.ok(parents.includes('RM-300:H-1001=100') && parents.includes('RM-310:I-2001=100'), parents.join(', '));
      const forward = (
        await api.get('/lots/RM-300/H-1001/genealogy?direction=forward&depth=2', TEST_KEYS.viewer)
      ).json() as GenealogyTrace;
      assert.ok(
        forward.root.links.some(
          (l) => l.key === `FG-100:${lotId}` && l.status === 'released' && l.quantity?.value === '100',
        ),
        JSON.stringify(forward.root),
      );

      if (odooVersion === '19')
        await recordHistoryIfAsked('lot-s1-release', stack.plantflow.lots.handle('FG-100', lotId));
    });
  });
}
