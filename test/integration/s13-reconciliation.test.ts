import assert from 'node:assert/strict';
import { z } from 'zod';
import { CONFIRMATION_SERVICE } from '../../activities/sap/confirmations';
import { MATERIAL_DOCUMENT_SERVICE } from '../../activities/sap/goods-movements';
import { SapODataClient } from '../../activities/sap/odata-client';
import { literal } from '../../activities/sap/odata-values';
import { ReconciliationClient } from '../../client/reconciliation';
import type { BusinessException } from '../../domain/exceptions';
import { startPlantStack, type PlantStack } from '../support/stack';
import { releasableOrder } from '../support/erp-fixtures';
import { mes } from '../support/orders';
import { orderAt, produce, report } from '../support/produce';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';

const confirmationRow = z.object({
  ConfirmationGroup: z.string(),
  ConfirmationCount: z.string(),
  IsReversed: z.boolean(),
  IsReversal: z.boolean(),
});

const documentItemRow = z.object({
  MaterialDocument: z.string(),
  MaterialDocumentYear: z.string(),
  GoodsMovementType: z.string(),
  GoodsMovementIsCancelled: z.boolean(),
});

describe('S13: reconciliation finds what people changed by hand in the ERPs, and reapply puts it back once', function () {
  this.timeout(300_000);
  let stack: PlantStack;
  let sapUser: SapODataClient;
  before(async () => {
    stack = await startPlantStack();
    // A person in SAP: the same OData service, the same CSRF and ETag rules.
    sapUser = new SapODataClient(stack.config.sap);
  });
  after(async () => stack?.teardown());

  /** Order D's goods issues of RM-300 (261), as SAP holds them. */
  const issuesOf = async (order: string) =>
    (
      await sapUser.list(MATERIAL_DOCUMENT_SERVICE, 'A_MaterialDocumentItem', documentItemRow, `issues of ${order}`, {
        $filter: `ManufacturingOrder eq ${literal.string(order)} and Material eq 'RM-300'`,
      })
    ).filter((i) => i.GoodsMovementType === '261');

  const confirmationsOf = (order: string) =>
    sapUser.list(CONFIRMATION_SERVICE, 'ProdnOrdConf2', confirmationRow, `confirmations of ${order}`, {
      $filter: `OrderID eq ${literal.string(order)}`,
    });

  it('S13: six changes by hand become exactly six drifts, none for a posting in flight; reapply restores once', async () => {
    const stamp = Date.now();
    const [refA, refB, refC, refD] = ['A', 'B', 'C', 'D'].map((x) => `S13${x}-${stamp}`) as [
      string,
      string,
      string,
      string,
    ];
    const lotId = 'FG-S13A';
    // D runs to its end: its lot's stock, received in Odoo, sits in Quarantine.
    const lotD = 'FG-S13D';
    const orderD = await releasableOrder(stack.config, refD, { quantity: { value: '50', uom: 'EA' } });
    await stack.orders.release(orderD);
    await produce(stack, refD, [
      mes.consumed('RM-300', 'H-1001', '50', 'EA', { orderRef: refD }),
      mes.consumed('RM-310', 'I-2001', '50', 'EA', { orderRef: refD }),
      mes.completed('0010', '50', { orderRef: refD, final: true }),
      mes.completed('0020', '50', { orderRef: refD, final: true }),
      mes.produced(lotD, '50', { orderRef: refD }),
    ]);
    await orderAt(stack, refD, 'completed');
    await eventually(
      () => stack.plantflow.lots.status('FG-100', lotD),
      (l) => l.status === 'restricted' && l.registration.quarantine === 'done',
      120_000,
    );
    const [orderA, orderB, orderC] = await Promise.all(
      [refA, refB, refC].map((ref) => releasableOrder(stack.config, ref)),
    );
    for (const order of [orderA!, orderB!, orderC!]) await stack.orders.release(order);

    // A runs: operation 0010 confirmed in SAP, a lot made and quarantined.
    await produce(stack, refA, [
      mes.started('0010', { orderRef: refA }),
      mes.completed('0010', '40', { orderRef: refA }),
      mes.produced(lotId, '40', { orderRef: refA }),
    ]);
    await eventually(
      () => stack.orders.status('1710', refA),
      (s) => s.postings.confirmations.length === 1 && s.postings.pending === 0,
      60_000,
    );
    await eventually(
      () => stack.plantflow.lots.status('FG-100', lotId),
      (l) => l.status === 'restricted' && l.registration.sapBatch,
      60_000,
    );
    await orderAt(stack, refB, 'released');

    // By hand (before SAP starts refusing C's confirmation): 5 EA of A's operation 0020 confirmed in SAP
    // by a person, with no key of plantflow's.
    await sapUser.create(
      CONFIRMATION_SERVICE,
      'ProdnOrdConf2',
      { OrderID: orderA!.erp.sapOrder, OrderOperation: '0020', ConfirmationUnit: 'EA', ConfirmationYieldQuantity: '5' },
      confirmationRow,
      'confirmation by hand',
    );

    // C's confirmation is in flight: SAP answers 503 to confirmation writes, so the activity retries.
    await produce(stack, refC, [mes.started('0010', { orderRef: refC })]);
    await stack.sims.sap.setFaults({
      errorRate: 1,
      writesOnly: true,
      pathPrefixes: [`/sap/opu/odata/sap/${CONFIRMATION_SERVICE}/ProdnOrdConf2`],
    });
    await report(stack, [mes.completed('0010', '10', { orderRef: refC })]);
    await eventually(
      () => stack.orders.status('1710', refC),
      (s) => s.postings.pending === 1,
    );

    // By hand: A's SAP batch unrestricted, D's lot moved out of Odoo's Quarantine, A's confirmation
    // cancelled in SAP, B's MO cancelled in Odoo.
    await stack.sap.sapSetBatchRestricted({ material: 'FG-100', batch: lotId, restricted: false });
    const lotWrites = async () => (await stack.writeCounts('odoo'))['stock.lot.write'] ?? 0;
    const lotWritesBefore = await lotWrites();
    await stack.odoo.odooReleaseLotFromQuarantine({ material: 'FG-100', lot: lotD });
    const odooPlace = async () =>
      (await stack.odoo.odooReadLotLocations({ lots: [{ material: 'FG-100', lot: lotD }] }))[0]!.place;
    assert.equal(await odooPlace(), 'stock');
    const [posted] = await confirmationsOf(orderA!.erp.sapOrder);
    await sapUser.call(
      CONFIRMATION_SERVICE,
      'CancelProdnOrdConf',
      {
        ConfirmationGroup: literal.string(posted!.ConfirmationGroup),
        ConfirmationCount: literal.string(posted!.ConfirmationCount),
      },
      confirmationRow,
      'cancel confirmation by hand',
      false,
    );
    await stack.odoo.odooCancelManufacturingOrder({ moName: orderB!.erp.odooMo });
    // And D's goods issue of RM-300 cancelled in SAP (a 262 reverses the 261).
    const [issued, ...moreIssues] = await issuesOf(orderD.erp.sapOrder);
    assert.equal(moreIssues.length, 0);
    await sapUser.call(
      MATERIAL_DOCUMENT_SERVICE,
      'Cancel',
      {
        MaterialDocumentYear: literal.string(issued!.MaterialDocumentYear),
        MaterialDocument: literal.string(issued!.MaterialDocument),
      },
      z.unknown(),
      'cancel goods issue by hand',
      false,
    );

    const reconciliation = new ReconciliationClient(stack.client, stack.config.reconcile);
    const firstRun = await runReconciliation(reconciliation);
    assert.equal(firstRun.drifts, 6, JSON.stringify(firstRun));
    await recordHistoryIfAsked('reconcile-s13-six-drifts', stack.client.workflow.getHandle(firstRun.workflowId));

    const drifts = await openDrifts();
    assert.deepEqual(drifts.map((d) => d.reason.code).sort(), [
      'BatchRestriction',
      'ConfirmationCancelled',
      'ConfirmedYieldDiffers',
      'MaterialDocumentCancelled',
      'OdooLotLocation',
      'OdooOrderStatus',
    ]);
    const byCode = Object.fromEntries(drifts.map((d) => [d.reason.code, d]));
    assert.equal(byCode.ConfirmationCancelled!.subject.orderRef, refA);
    assert.deepEqual(byCode.BatchRestriction!.subject, { material: 'FG-100', lotId, system: 'sap' });
    assert.deepEqual(byCode.BatchRestriction!.actual, {
      found: true,
      restricted: false,
      lastChangedAt: (byCode.BatchRestriction!.actual as { lastChangedAt: string }).lastChangedAt,
    });
    assert.deepEqual(byCode.OdooLotLocation!.subject, { material: 'FG-100', lotId: lotD, system: 'odoo' });
    assert.equal((byCode.OdooLotLocation!.actual as { place: string }).place, 'stock');
    assert.equal(byCode.OdooOrderStatus!.subject.orderRef, refB);
    assert.deepEqual(byCode.OdooOrderStatus!.actions, ['accept', 'ignore'], 'Odoo cannot reopen a cancelled MO');
    assert.ok(!drifts.some((d) => d.subject.orderRef === refC), 'a posting in flight is not drift');
    // The yield confirmed by hand: which system is right needs a person, so no reapply is offered.
    assert.equal(byCode.ConfirmedYieldDiffers!.subject.orderRef, refA);
    assert.deepEqual(byCode.ConfirmedYieldDiffers!.actions, ['accept', 'ignore']);
    assert.deepEqual(byCode.ConfirmedYieldDiffers!.actual, {
      operation: '0020',
      yield: { value: '5', uom: 'EA' },
      confirmations: 1,
    });

    // The metrics show the drift, by reason, and the exceptions by kind.
    const api = await stack.api();
    const scrape = async () => (await api.inject({ method: 'GET', url: '/metrics' })).body;
    const found = await scrape();
    for (const reason of [
      'ConfirmationCancelled',
      'BatchRestriction',
      'MaterialDocumentCancelled',
      'OdooLotLocation',
      'OdooOrderStatus',
      'ConfirmedYieldDiffers',
    ])
      assert.match(found, new RegExp(`^plantflow_drift_open\\{site="1710",reason="${reason}"\\} 1$`, 'm'));
    assert.match(found, /^plantflow_exceptions_open\{site="1710",kind="Drift"\} 6$/m);

    // Reapply, decided by an operator; C's posting may go through now as well.
    await stack.sims.sap.clearFaults();
    const decide = (e: BusinessException, action: 'reapply' | 'accept') =>
      stack.plantflow.exceptions.decide('1710', {
        exceptionId: e.exceptionId,
        action,
        by: 'qa.maria',
        reason: 'plantflow holds the truth here',
      });
    await decide(byCode.ConfirmationCancelled!, 'reapply');
    await decide(byCode.BatchRestriction!, 'reapply');
    await decide(byCode.OdooLotLocation!, 'reapply');
    await decide(byCode.MaterialDocumentCancelled!, 'reapply');
    const refusedWith = (pattern: RegExp) => (err: Error) =>
      pattern.test((err.cause as Error | undefined)?.message ?? '');
    await assert.rejects(decide(byCode.BatchRestriction!, 'reapply'), refusedWith(/already resolved/));
    await assert.rejects(decide(byCode.OdooOrderStatus!, 'reapply'), refusedWith(/offers accept, ignore, not reapply/));

    await eventually(
      () => stack.sap.sapReadBatch({ material: 'FG-100', batch: lotId }),
      (b) => b.exists && b.restricted === true,
    );
    await eventually(odooPlace, (place) => place === 'quarantine');
    const activeIssues = async () => (await issuesOf(orderD.erp.sapOrder)).filter((i) => !i.GoodsMovementIsCancelled);
    await eventually(activeIssues, (rows) => rows.length === 1);
    const issueRepair = stack.client.workflow.getHandle(
      `drift-repair:1710:${byCode.MaterialDocumentCancelled!.exceptionId}`,
    );
    assert.equal(((await issueRepair.result()) as { outcome: string }).outcome, 'repaired');
    await recordHistoryIfAsked('drift-repair-s13-goods-issue', issueRepair);
    const lotRepair = stack.client.workflow.getHandle(`drift-repair:1710:${byCode.OdooLotLocation!.exceptionId}`);
    assert.equal(((await lotRepair.result()) as { outcome: string }).outcome, 'repaired');
    await recordHistoryIfAsked('drift-repair-s13-odoo-lot', lotRepair);
    const active = (rows: z.infer<typeof confirmationRow>[]) => rows.filter((c) => !c.IsReversal && !c.IsReversed);
    await eventually(
      () => confirmationsOf(orderA!.erp.sapOrder),
      (rows) => active(rows).length === 2,
    );
    await orderAt(stack, refC, 'in_progress');
    await eventually(
      () => stack.orders.status('1710', refC),
      (s) => s.postings.confirmations.length === 1,
    );
    await eventually(
      () => stack.client.workflow.getHandle(`drift-repair:1710:${byCode.ConfirmationCancelled!.exceptionId}`).result(),
      (r) => (r as { outcome: string }).outcome === 'repaired',
    );

    await recordHistoryIfAsked(
      'drift-repair-s13-confirmation',
      stack.client.workflow.getHandle(`drift-repair:1710:${byCode.ConfirmationCancelled!.exceptionId}`),
    );

    // The B drift accepted; the next run finds nothing new, and the repairs are not posted again.
    await decide(byCode.OdooOrderStatus!, 'accept');
    await decide(byCode.ConfirmedYieldDiffers!, 'accept');
    const batchWrites = (await stack.writeCounts('sap'))['Batch.patch'] ?? 0;
    const secondRun = await runReconciliation(reconciliation);
    assert.equal(secondRun.drifts, 0, 'the accepted Odoo drift is not reported again, the repaired ones are gone');
    assert.deepEqual(await openDrifts(), []);
    const rowsA = await confirmationsOf(orderA!.erp.sapOrder);
    assert.equal(active(rowsA).length, 2, 'the confirmation restored exactly once, beside the one by hand');
    assert.equal(
      rowsA.filter((c) => !c.IsReversal).length,
      3,
      'the cancelled original, its re-application, the hand one',
    );
    assert.equal((await stack.writeCounts('sap'))['Batch.patch'] ?? 0, batchWrites);
    assert.equal(await odooPlace(), 'quarantine');
    assert.equal(await lotWrites(), lotWritesBefore + 2, 'moved out by hand, back by the repair, once');
    assert.equal((await activeIssues()).length, 1, 'the goods issue re-posted exactly once');
    assert.equal((await issuesOf(orderD.erp.sapOrder)).length, 2, 'the cancelled original and its re-application');
    // Counted again once the cached counts expire: no drift open.
    await eventually(
      scrape,
      (text) => /^plantflow_exceptions_open\{site="1710",kind="Drift"\} 0$/m.test(text),
      10_000,
      250,
    );
    assert.doesNotMatch(await scrape(), /^plantflow_drift_open\{/m);
    await recordHistoryIfAsked('exceptions-s13-reapply-accept', stack.client.workflow.getHandle('exceptions:1710'));
  });

  async function openDrifts(): Promise<BusinessException[]> {
    return (await stack.plantflow.exceptions.list('1710', { kind: 'Drift', status: 'open' })).exceptions;
  }

  /** Triggers the site's schedule and waits for that run's outcome. */
  async function runReconciliation(reconciliation: ReconciliationClient) {
    const before = (await reconciliation.status('1710')).runsTaken;
    await reconciliation.run('1710');
    const status = await eventually(
      () => reconciliation.status('1710'),
      (s) => s.runsTaken > before && s.recent[0]?.outcome !== undefined,
      120_000,
      250,
    );
    return { ...status.recent[0]!.outcome!, workflowId: status.recent[0]!.workflowId };
  }
});
