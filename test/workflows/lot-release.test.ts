import assert from 'node:assert/strict';
import { LotStatusAttr, MaterialAttr, OrderRefAttr, ParentLotsAttr } from '../../workflows/search-attributes';
import { lotStockReceivedSignal } from '../../workflows/messages/lot';
import { timeSkippingEnv } from '../setup/temporal-env';
import { businessRule } from './support/fakes';
import {
  defaultLotSystems,
  lotClient,
  produce,
  readyForDecision,
  signer,
  uniqueLotId,
  withLotWorkers,
  lotReview,
  sign,
} from './support/lot-harness';
import { eventually } from './support/order-harness';

describe('lot: registration, release and rejection (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('registers restricted in Odoo and SAP, quarantines only after the goods receipt, and searches by lot attributes', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      const status = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'restricted',
      );
      assert.equal(status.disposition, 'Restricted');
      assert.deepEqual(
        status.parents.map((p) => `${p.material}:${p.lotId}`),
        ['RM-300:H-1001', 'RM-310:I-2001'],
      );
      assert.equal(status.registration.quarantine, 'pending', 'no stock in Odoo before the MO is done');
      assert.equal(systems.called('odooMoveLotToQuarantine').length, 0);

      await lots
        .handle('FG-100', lotId)
        .signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.registration.quarantine === 'done',
      );
      const desc = await lots.handle('FG-100', lotId).describe();
      assert.equal(desc.typedSearchAttributes.get(LotStatusAttr), 'restricted');
      assert.equal(desc.typedSearchAttributes.get(MaterialAttr), 'FG-100');
      assert.equal(desc.typedSearchAttributes.get(OrderRefAttr), `PO-${lotId}`);
      assert.deepEqual(desc.typedSearchAttributes.get(ParentLotsAttr), ['RM-300:H-1001', 'RM-310:I-2001']);
    });
    assert.deepEqual(
      systems.called('sapEnsureBatch').map((c) => c.input),
      [{ material: 'FG-100', batch: lotId, plant: '1710', restricted: true }],
    );
    assert.equal(systems.called('odooFindOrCreateLot').length, 1);
    assert.equal(systems.called('odooMoveLotToQuarantine').length, 1);
  });

  it('a QP releases after every required inspection passed: signed record bound to its hash, executed once in the QMS, SAP and Odoo, order told', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await readyForDecision(lots, lotId);

      const marc = await signer(env, 'qp.marc');
      const review = await lotReview(lots, 'FG-100', lotId);
      const signed = await lots.disposition(
        'FG-100',
        lotId,
        { decision: 'release', meaning: 'approved_for_release' },
        marc,
        review,
      );
      assert.equal(signed.signature.printedName, 'Marc Dubois');
      assert.equal(signed.signature.meaningText, 'Approved for release');
      assert.equal(signed.record.fromDisposition, 'Restricted');
      assert.equal(signed.record.toDisposition, 'UnRestricted');
      assert.equal(signed.signature.recordHash, review.recordHash, 'bound to the lot record as the QP reviewed it');
      assert.deepEqual(signed.record.review, review, 'the disposition record names the review it was signed on');
      assert.deepEqual(
        signed.record.inspections.filter((l) => l.required).map((l) => `${l.characteristic}:${l.state}`),
        ['PRESSURE:passed', 'VISUAL:passed'],
      );
      assert.ok(
        Math.abs(Date.parse(signed.signature.signedAt) - (await env.currentTimeMs())) < 60_000,
        'signing time from the workflow clock',
      );
      assert.match(signed.manifestation, /^Approved for release — Marc Dubois \(qp\.marc\) — /);

      const done = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released' && s.orderNotifications.length > 0,
      );
      assert.equal(done.disposition, 'UnRestricted');
      assert.equal(
        done.dispositions[0]!.manifestation,
        signed.manifestation,
        'the manifestation is part of the lot status (§11.50)',
      );
      assert.deepEqual(
        done.orderNotifications.map((n) => [n.orderWorkflowId, n.disposition, n.final, n.outcome]),
        // No order run in this test: the server's "not found" is recognised as such, and the lot goes on.
        [[`order:1710:PO-${lotId}`, 'released', true, 'failed']],
      );
      assert.equal(
        await lots
          .handle('FG-100', lotId)
          .result()
          .then((r) => r.status),
        'released',
      );
    });
    assert.equal(systems.called('qmsRecordInspectionResult').length, 2);
    assert.equal(systems.called('odooRecordQualityCheck').length, 2);
    const qms = systems.called('qmsRecordSignedDisposition');
    assert.equal(qms.length, 1);
    assert.equal(qms[0]!.input.decision, 'release');
    assert.equal((qms[0]!.input.signatures as Array<{ printedName: string }>)[0]!.printedName, 'Marc Dubois');
    assert.deepEqual(
      systems.called('sapRecordUsageDecision').map((c) => [c.input.decision, c.input.decidedBy]),
      [['accept', 'qp.marc']],
    );
    assert.deepEqual(
      systems.called('sapPostInspectionLotStock').map((c) => c.input.to),
      ['unrestricted'],
    );
    assert.deepEqual(
      systems.called('sapSetBatchRestricted').map((c) => c.input.restricted),
      [false],
    );
    assert.equal(systems.called('odooReleaseLotFromQuarantine').length, 1);
    assert.equal(systems.called('odooScrapLot').length, 0);
  });

  it('QA rejects with a reason: usage decision reject, stock to scrap, batch stays restricted, Odoo scraps; the lot closes', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'restricted',
      );
      await lots
        .handle('FG-100', lotId)
        .signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });
      const signed = await sign(
        lots,
        'FG-100',
        lotId,
        { decision: 'reject', meaning: 'rejected', reason: 'contaminated during coating' },
        await signer(env, 'qa.anna'),
      );
      assert.equal(signed.record.toDisposition, 'Closed');
      assert.equal(signed.signature.reason, 'contaminated during coating');
      const done = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'rejected',
      );
      assert.equal(done.disposition, 'Closed');
      assert.equal(done.systems.sapBatchRestricted, true);
    });
    assert.deepEqual(
      systems.called('sapRecordUsageDecision').map((c) => c.input.decision),
      ['reject'],
    );
    assert.deepEqual(
      systems.called('sapPostInspectionLotStock').map((c) => c.input.to),
      ['scrap'],
    );
    assert.deepEqual(
      systems.called('sapSetBatchRestricted').map((c) => c.input.restricted),
      [true],
    );
    assert.equal(systems.called('odooScrapLot').length, 1);
    assert.equal(systems.called('odooReleaseLotFromQuarantine').length, 0);
  });

  it('a decision signed before the goods receipt waits for it, then executes', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await readyForDecision(lots, lotId, { received: false });
      await sign(
        lots,
        'FG-100',
        lotId,
        { decision: 'release', meaning: 'approved_for_release' },
        await signer(env, 'qp.marc'),
      );
      const waiting = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.execution.steps.some((x) => x.step.endsWith('/qms-record')),
      );
      assert.equal(waiting.status, 'releasing');
      assert.equal(systems.called('sapRecordUsageDecision').length, 0, 'SAP waits until every receipt is posted');
      await lots
        .handle('FG-100', lotId)
        .signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released',
      );
    });
    assert.deepEqual(
      systems.names('odoo').filter((n) => /Quarantine/.test(n)),
      ['odooMoveLotToQuarantine', 'odooReleaseLotFromQuarantine'],
    );
  });

  it('parks a refused release step with NeedsAttention; an operator retry after the fix finishes it once', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems().when('odooReleaseLotFromQuarantine', () => {
      throw businessRule('Odoo: location WH/Stock is archived', 'odoo');
    });
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await readyForDecision(lots, lotId);
      const signed = await sign(
        lots,
        'FG-100',
        lotId,
        { decision: 'release', meaning: 'approved_for_release' },
        await signer(env, 'qp.marc'),
      );
      const parked = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.needsAttention,
      );
      assert.equal(parked.parked[0]!.step, `execute/${signed.recordId}/odoo-release`);
      assert.match(parked.parked[0]!.failure.message, /archived/);
      systems.reset('odooReleaseLotFromQuarantine');
      await lots.resolveParkedStep('FG-100', lotId, {
        step: parked.parked[0]!.step,
        action: 'retry',
        reason: 'location restored',
        by: 'op.lee',
      });
      const done = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released',
      );
      assert.equal(done.needsAttention, false);
      assert.equal(done.resolvedParkings.length, 1);
    });
    assert.equal(systems.called('qmsRecordSignedDisposition').length, 1);
    assert.equal(systems.called('sapRecordUsageDecision').length, 1);
  });
});
