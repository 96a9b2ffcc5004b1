import assert from 'node:assert/strict';
import type { ServedLotRecord } from '../../client/lot-record/types';
import type { SignedLotDisposition } from '../../domain/lot-disposition';
import { createQmsActivities } from '../../activities/qms/activities';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';
import { as, proof } from '../support/ncr-signers';
import { playS5UntilNcrClosed } from '../support/s5-flow';
import { ncrScenarioPlant } from '../support/scenario-plant';
import { SCENARIO_ODOO_VERSIONS } from '../support/stack';

describe(`S19 on the dev server, Odoo ${SCENARIO_ODOO_VERSIONS[0]}: the lot record of S5's use-as-is lot, reviewed by exception and released by the QP`, function () {
  this.timeout(300_000);
  const plant = ncrScenarioPlant({ odooVersion: SCENARIO_ODOO_VERSIONS[0] });

  it('S19: the record lists the NCR, both signed dispositions, the ERP documents of every posting and the exceptions; a release without acknowledging them is refused, with them it binds the hash of the record served', async () => {
    const { stack, api } = plant;
    const { l1, l2, ncrId, lotView } = await playS5UntilNcrClosed(plant, 'S19');
    const path = `/lots/FG-100/${l1}`;
    // What the site's exception record holds about the lot: reconciliation's drift and a request it refused.
    const exception = (kind: 'Drift' | 'LateLotRequest', lotId: string, summary: string) =>
      stack.plantflow.exceptions.report({
        kind,
        key: `s19/${lotId}/${kind}`,
        site: '1710',
        subject: { material: 'FG-100', lotId, ...(kind === 'Drift' ? { system: 'sap' as const } : {}) },
        summary,
        reason: { code: kind === 'Drift' ? 'batch_unrestricted' : 'lot_closed', message: summary },
        at: new Date().toISOString(),
      });
    const drift = await exception(
      'Drift',
      l1,
      `SAP batch ${l1} was found unrestricted while plantflow holds it restricted`,
    );
    const late = await exception('LateLotRequest', l1, `a hold for lot ${l1} arrived for a run that had ended`);
    await exception('Drift', l2, `SAP batch ${l2} drifted (another lot)`);
    await eventually(
      () => stack.plantflow.exceptions.list('1710', { subject: { lotId: l1 } }),
      (list) => list.exceptions.length === 2,
    );
    const read = async () => {
      const res = await api.inject({ method: 'GET', url: `${path}/record`, headers: as.viewer });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as ServedLotRecord;
    };
    const release = (body: Record<string, unknown>) =>
      api.inject({
        method: 'POST',
        url: `${path}/disposition`,
        headers: as.qp,
        payload: {
          decision: 'release',
          meaning: 'approved_for_release',
          override: true,
          reason: `NCR ${ncrId}: 30 EA used as is, 20 EA scrapped`,
          signature: proof('qp.marc'),
          ...body,
        },
      });

    const served = await read();
    const { record } = served;
    assert.match(served.hash, /^[0-9a-f]{64}$/);
    assert.equal((await read()).hash, served.hash, 'the same record read twice hashes the same');

    // The NCR with both dispositions, each signed by QA with printed name, meaning, time and reason.
    const ncr = record.ncrs.find((n) => n.ncrId === ncrId)!;
    assert.equal(ncr.status, 'closed');
    assert.deepEqual(
      ncr.dispositions.map((d) => `${d.decision} ${d.quantity?.value} ${d.status}`),
      ['use_as_is 30 executed', 'scrap 20 executed'],
    );
    for (const d of ncr.dispositions)
      assert.deepEqual(
        d.signatures.map((s) => [s.printedName, s.meaningText, s.reason === d.reason, Date.parse(s.signedAt) > 0]),
        [['Anna Berger', 'Disposition approved', true, true]],
      );
    assert.deepEqual(
      record.signatures.map((s) => `${s.context}: ${s.printedName}`),
      [`NCR ${ncrId} line L1: Anna Berger`, `NCR ${ncrId} line L2: Anna Berger`, `NCR ${ncrId} closure: Marc Dubois`],
    );
    assert.equal(ncr.rootCause?.category, 'machine');

    // The order that made it, its MES events and the ERP documents of every posting made for the lot.
    assert.equal(record.orders.length, 1);
    const order = record.orders[0]!;
    assert.ok(order.releasedAt && order.erp.sapOrder && order.erp.odooMo);
    assert.deepEqual(order.releaseDocuments.map((p) => p.activity).sort(), [
      'odooConfirmManufacturingOrder',
      'sapReleaseProductionOrder',
    ]);
    assert.deepEqual(record.mesEvents.map((e) => e.type).sort(), [
      'MaterialConsumed',
      'MaterialConsumed',
      'MaterialProduced',
      'OperationCompleted',
      'OperationCompleted',
    ]);
    assert.ok(record.mesEvents.every((e) => e.effectiveAt && e.recordedAt && e.outcome === 'accepted'));
    const postings = record.postings.filter((p) => p.outcome === 'completed');
    const docs = (activity: string) => postings.filter((p) => p.activity === activity).map((p) => p.documents);
    assert.equal(docs('sapPostConfirmation').length, 2, 'one SAP confirmation per operation');
    for (const d of docs('sapPostConfirmation'))
      assert.match(`${d.confirmationGroup}/${d.confirmationCount}`, /^\d+\/\d+$/);
    assert.equal(
      docs('sapPostGoodsMovement').length,
      3,
      'two goods issues of the components and the goods receipt of the lot',
    );
    for (const d of docs('sapPostGoodsMovement')) assert.match(`${d.materialDocument}/${d.year}`, /^\d+\/\d{4}$/);
    assert.deepEqual(
      docs('odooRecordProduction').map((d) => d.lotsProducing),
      [l1],
      'Odoo produced the lot on its MO',
    );
    for (const d of [...docs('odooRecordConsumption'), ...docs('odooRecordProduction')])
      assert.match(d.moveLineId!, /^\d+$/);
    assert.ok(
      postings.some((p) => p.by === `ncr:${ncrId}` && p.system === 'odoo' && p.documents.scrapName),
      'the NCR scrap in Odoo, with its scrap order',
    );
    assert.ok(
      postings.every((p) => Object.keys(p.documents).length > 0),
      'every posting names what the ERP returned',
    );
    assert.ok(
      !postings.some((p) => JSON.stringify(p.documents).includes(l2)),
      "the downstream lot's postings are its own record",
    );

    // Review by exception: the failed result, the NCR and its hold are for the reviewer; the rest the system checked.
    assert.deepEqual(
      record.drift.map((d) => d.exceptionId),
      [drift.exceptionId],
    );
    assert.deepEqual(
      record.exceptions.map((x) => x.exceptionId),
      [late.exceptionId],
      "the other lot's drift is not this lot's",
    );
    const ids = record.review.exceptions.map((e) => e.exceptionId);
    assert.ok(
      ids.includes(`exception:${drift.exceptionId}`) && ids.includes(`exception:${late.exceptionId}`),
      ids.join(', '),
    );
    assert.ok(ids.includes(`ncr:${ncrId}`), ids.join(', '));
    assert.ok(ids.some((id) => id.startsWith('oos:')) && ids.includes(`hold:${ncrId}`), ids.join(', '));
    assert.equal(
      record.holds.find((h) => h.holdId === ncrId)?.lifted?.by !== undefined,
      true,
      'the NCR lifted its hold',
    );
    assert.ok(record.review.reviewedBySystem.includes('postings'));
    assert.deepEqual(record.genealogy.forward.lots, [`FG-100:${l2}`]);
    assert.deepEqual(record.genealogy.backward.lots.sort(), ['RM-300:H-1001', 'RM-310:I-2001']);

    // Refused: no review, exceptions not acknowledged, an empty comment — and nothing changes.
    const unreviewed = await release({});
    assert.equal(unreviewed.statusCode, 422, unreviewed.body);
    assert.equal(unreviewed.json().code, 'ReviewRequired');
    const unacknowledged = await release({ review: { recordHash: served.hash, acknowledgements: [] } });
    assert.equal(unacknowledged.statusCode, 422, unacknowledged.body);
    assert.equal(unacknowledged.json().code, 'ReviewIncomplete');
    assert.ok(ids.every((id) => (unacknowledged.json().message as string).includes(id)));
    const acknowledgements = ids.map((exceptionId) => ({
      exceptionId,
      comment: `reviewed: ${exceptionId} is covered by ${ncrId}`,
    }));
    const blank = await release({
      review: {
        recordHash: served.hash,
        acknowledgements: acknowledgements.map((a, i) => (i === 0 ? { ...a, comment: ' ' } : a)),
      },
    });
    assert.equal(blank.statusCode, 400, blank.body);
    assert.equal((await lotView(l1)).status, 'restricted', 'nothing was signed');

    // The record changes after the review (a person holds and lifts the lot): the reviewed hash no longer signs.
    const hold = await api.inject({
      method: 'POST',
      url: `${path}/holds`,
      headers: as.qa,
      payload: { holdId: 'H-S19', reason: 'label check', by: 'qa.anna' },
    });
    assert.equal(hold.statusCode, 200, hold.body);
    const lift = await api.inject({
      method: 'POST',
      url: `${path}/holds/H-S19/lift`,
      headers: as.qa,
      payload: { reason: 'labels fine', by: 'qa.anna' },
    });
    assert.equal(lift.statusCode, 200, lift.body);
    const stale = await release({ review: { recordHash: served.hash, acknowledgements } });
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal(stale.json().code, 'RecordChanged');

    // Reviewed again, every exception acknowledged: the release is signed on the hash of the record served.
    const reviewed = await read();
    assert.notEqual(reviewed.hash, served.hash);
    const all = reviewed.record.review.exceptions.map((e) => ({
      exceptionId: e.exceptionId,
      comment: `seen, ${e.category}`,
    }));
    assert.ok(all.some((a) => a.exceptionId === 'hold:H-S19'));
    const signedReply = await release({ review: { recordHash: reviewed.hash, acknowledgements: all } });
    assert.equal(signedReply.statusCode, 200, signedReply.body);
    const signed = signedReply.json() as SignedLotDisposition;
    assert.equal(signed.signature.recordHash, reviewed.hash);
    assert.equal(signed.signature.printedName, 'Marc Dubois');
    assert.deepEqual(
      signed.record.review?.acknowledgements.map((a) => a.exceptionId),
      all.map((a) => a.exceptionId),
    );
    await eventually(
      () => lotView(l1),
      (v) => v.status === 'released',
      120_000,
    );
    const qms = await createQmsActivities(stack.config.qms).qmsListSignedRecords({ subject: `lot:FG-100:${l1}` });
    assert.deepEqual(
      qms.map((r) => [r.decision, r.recordHash]),
      [['release', reviewed.hash]],
      'the QMS keeps the release signed on the reviewed record',
    );
    // Afterwards the record shows the release and its signature.
    const after = (await read()).record;
    assert.ok(after.signatures.some((s) => s.context.startsWith('lot disposition') && s.recordHash === reviewed.hash));
    const lotRun = stack.plantflow.lots.handle('FG-100', l1);
    await eventually(
      () => lotRun.describe(),
      (d) => d.status.name === 'COMPLETED',
      60_000,
    );
    await recordHistoryIfAsked('lot-s19-reviewed-release', lotRun);
  });
});
