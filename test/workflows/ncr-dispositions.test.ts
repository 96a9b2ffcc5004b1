import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { recordHash } from '../../domain/signature';
import { dispositionNcrUpdate } from '../../workflows/messages/ncr';
import { timeSkippingEnv } from '../setup/temporal-env';
import { lotWorkflowId } from '../../domain/ids';
import { LOT_DEFAULTS, produce } from './support/lot-harness';
import {
  defaultNcrSystems,
  eventually,
  ncrClient,
  ncrStart,
  qtyOf,
  signer,
  uniqueLotId,
  withNcrWorkers,
} from './support/ncr-harness';

/** The refusal type an Update validator raised. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return `${err.cause.type}: ${err.cause.message}`;
    throw err;
  }
  throw new Error('the update was accepted');
}

describe('nonconformance: signed dispositions by quantity (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('splits a lot into use-as-is 30 and scrap 20, each signed; scrap posts once in each ERP; closes with a root cause', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    const start = ncrStart();
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'contained',
      );
      const anna = await signer(env, 'qa.anna');
      const use = await ncrs.dispose(
        start.ncrId,
        {
          lineId: 'L1',
          lotId: 'L-NC1',
          decision: 'use_as_is',
          quantity: qtyOf('30'),
          reason: 'pressure retest within limits for 30 units',
        },
        anna,
      );
      assert.equal(use.status, 'approved');
      assert.equal(use.signatures[0]!.printedName, 'Anna Berger');
      assert.equal(use.signatures[0]!.meaningText, 'Disposition approved');
      assert.equal(use.signatures[0]!.recordHash, recordHash(use.record));
      await ncrs.dispose(
        start.ncrId,
        { lineId: 'L2', lotId: 'L-NC1', decision: 'scrap', quantity: qtyOf('20'), reason: 'housing cracked' },
        anna,
      );
      const executed = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'executed',
      );
      assert.ok(executed.dispositions.lines.every((l) => l.status === 'executed'));
      assert.equal(executed.containment.lots[0]!.released !== undefined, true);
      assert.match(
        await refusal(ncrs.close(start.ncrId, 'investigation complete', anna)),
        /CloseRefused: record the root cause/,
      );
      await ncrs.recordRootCause(start.ncrId, {
        category: 'machine',
        description: 'test rig pressure sensor drifted',
        by: 'qa.anna',
      });
      await ncrs.close(start.ncrId, 'investigation complete', await signer(env, 'qp.marc'));
      const closed = await ncrs.handle(start.ncrId).result();
      assert.equal(closed.status, 'closed');
    });
    // Contained directly (no lot workflow): Odoo Quarantine, SAP 344 of the affected 50.
    assert.equal(systems.called('odooMoveLotToQuarantine').length, 1);
    const movements = systems
      .called('sapPostGoodsMovement')
      .map((c) => `${String(c.input.movementType)} ${String((c.input.quantity as { value: string }).value)}`);
    assert.deepEqual(movements, ['344 50', '555 20', '343 30']);
    assert.equal(systems.called('odooScrapLot').length, 1);
    assert.equal(systems.called('odooReleaseLotFromQuarantine').length, 1);
    const signed = systems.called('qmsRecordSignedDisposition');
    assert.deepEqual(
      signed.map((c) => c.input.decision),
      ['use_as_is', 'scrap'],
    );
    assert.equal((signed[0]!.input.signatures as unknown[]).length, 1);
    assert.equal(systems.called('qmsAddNonconformanceDisposition').length, 2);
    assert.equal(systems.called('qmsCloseNonconformance').length, 1);
    assert.equal(systems.called('sapCompleteQualityNotification').length, 1);
    assert.equal((systems.called('odooSetQualityAlertStage')[0]!.input as { stage: string }).stage, 'done');
  });
});

describe('nonconformance: scrap from a lot whose SAP inspection lot is not open yet (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('waits for the goods receipt instead of parking, then scraps once from the inspection lot', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    const lotId = uniqueLotId('LATE');
    const start = ncrStart({ lots: [{ material: 'FG-100', lotId, quantity: qtyOf('50') }] });
    // The lot workflow runs (custody lot_workflow); SAP answers "no inspection lot" twice, as before the order's receipt.
    systems.when('plantflowTraceForwardGenealogy', () => ({
      lots: [
        {
          material: 'FG-100',
          lotId,
          key: `FG-100:${lotId}`,
          depth: 0,
          workflowId: lotWorkflowId('FG-100', lotId),
          workflow: 'running',
        },
      ],
      truncated: false,
    }));
    systems.when('sapFindInspectionLot', (i, attempt) =>
      systems.called('sapFindInspectionLot').length <= 2
        ? { found: false, lots: [] }
        : LOT_DEFAULTS.sapFindInspectionLot!(i, attempt),
    );
    await withNcrWorkers(env, systems, async () => {
      await produce(env, lotId);
      await ncrs.openStart(start, { existing: 'fail' });
      await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.containment.lots[0]?.custody === 'lot_workflow' && v.containment.lots[0].holdPlaced === true,
      );
      await ncrs.dispose(
        start.ncrId,
        { lotId, decision: 'scrap', quantity: qtyOf('50'), reason: 'housing cracked' },
        await signer(env, 'qa.anna'),
      );
      // The test server's clock only moves when told: each look moves it past one pause.
      const skipAndLook = async () => (await env.sleep('16 seconds'), ncrs.status(start.ncrId));
      const executed = await eventually(skipAndLook, (v) => v.status === 'executed');
      assert.equal(executed.timeline.filter((t) => t.type === 'AwaitingInspectionLot').length, 1);
      assert.deepEqual([executed.parked.length, executed.resolvedParkings.length], [0, 0], 'nothing parked');
      assert.equal(executed.dispositions.lines[0]!.steps.find((st) => st.step === 'sap-scrap')?.outcome, 'done');
    });
    assert.equal(systems.called('sapFindInspectionLot').length, 3);
    const posted = systems.called('sapPostInspectionLotStock');
    assert.deepEqual(
      posted.map((c) => `${String(c.input.to)} ${String((c.input.quantity as { value: string }).value)}`),
      ['scrap 50'],
    );
  });
});

describe('nonconformance: quantity rules and the two-signature rule (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('refuses what breaks the quantity rules, with a reason, and changes nothing', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    // Two lots, 30 + 20 EA affected, but only 40 EA nonconforming in all.
    const start = ncrStart({
      lots: [
        { material: 'FG-100', lotId: 'L-QA', quantity: qtyOf('30') },
        { material: 'FG-100', lotId: 'L-QB', quantity: qtyOf('20') },
      ],
      quantity: qtyOf('40'),
    });
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      const anna = await signer(env, 'qa.anna');
      const raw = (line: Record<string, unknown>) =>
        ncrs.handle(start.ncrId).executeUpdate(dispositionNcrUpdate, { args: [{ line: line as never, signer: anna }] });
      const base = { lotId: 'L-QA', decision: 'scrap', quantity: qtyOf('10'), reason: 'cracked' };
      assert.match(
        await refusal(raw({ ...base, quantity: qtyOf('31') })),
        /DispositionRefused: lot L-QA: 31 EA would exceed its nonconforming 30 EA/,
      );
      assert.match(
        await refusal(raw({ ...base, lotId: 'L-OTHER' })),
        /DispositionRefused: lot L-OTHER .*is not one of the nonconforming lots/,
      );
      assert.match(
        await refusal(raw({ ...base, quantity: { value: '5', uom: 'KGM' } })),
        /DispositionRefused: lot L-QA is dispositioned in EA, not KGM/,
      );
      assert.match(
        await refusal(raw({ ...base, quantity: { value: '-5', uom: 'EA' } })),
        /DispositionRefused: the quantity must be a positive decimal/,
      );
      assert.match(
        await refusal(raw({ ...base, decision: 'destroy' })),
        /DispositionRefused: unknown decision destroy/,
      );
      assert.match(
        await refusal(raw({ ...base, decision: 'regrade' })),
        /DispositionRefused: a regrade names the material/,
      );
      assert.match(await refusal(raw({ ...base, reason: ' ' })), /DispositionRefused: a disposition needs a reason/);
      await raw({ ...base, lineId: 'A1', quantity: qtyOf('30'), decision: 'use_as_is' });
      assert.match(
        await refusal(raw({ ...base, lineId: 'A1', lotId: 'L-QB' })),
        /DispositionRefused: disposition line A1 already exists/,
      );
      assert.match(
        await refusal(raw({ ...base, lotId: 'L-QB', quantity: qtyOf('11') })),
        /DispositionRefused: 41 EA would exceed the nonconforming 40 EA/,
      );
      const view = await ncrs.status(start.ncrId);
      assert.equal(view.dispositions.lines.length, 1);
      assert.equal(view.dispositions.remaining.value, '10');
      // The client refuses malformed input before anything is sent.
      await assert.rejects(
        ncrs.dispose(start.ncrId, { ...base, decision: 'destroy' } as never, anna),
        /invalid disposition/,
      );
      await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.dispositions.lines[0]!.inQms === true,
      );
    });
    assert.equal(systems.called('qmsRecordSignedDisposition').filter((c) => c.input.ncrId === start.ncrId).length, 1);
  });

  it('critical: a line waits for a second, different person; the co-signature binds the same record hash', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    const start = ncrStart({ severity: 'critical' });
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      const anna = await signer(env, 'qa.anna');
      const pending = await ncrs.dispose(
        start.ncrId,
        { lineId: 'C1', lotId: 'L-NC1', decision: 'scrap', quantity: qtyOf('20'), reason: 'cracked housings' },
        anna,
      );
      assert.equal(pending.status, 'pending_cosign');
      assert.equal(pending.requiredSignatures, 2);
      assert.match(
        await refusal(ncrs.coSign(start.ncrId, 'C1', 'agree', anna)),
        /SignatureRefused: qa.anna already signed line C1: the second signature must come from a different person/,
      );
      assert.match(
        await refusal(ncrs.coSign(start.ncrId, 'C1', 'agree', await signer(env, 'op.sam'))),
        /SignatureRefused: op.sam may not sign this/,
      );
      const stale = await signer(env, 'qp.marc', (await env.currentTimeMs()) - 10 * 60_000);
      assert.match(
        await refusal(ncrs.coSign(start.ncrId, 'C1', 'agree', stale)),
        /SignatureRefused: .*re-authentication within 5 minutes/,
      );
      assert.match(await refusal(ncrs.coSign(start.ncrId, 'NOPE', 'agree', anna)), /UnknownDispositionLine/);
      // A pending line holds its quantity: 20 + 31 > 50.
      assert.match(
        await refusal(
          ncrs.dispose(
            start.ncrId,
            { lotId: 'L-NC1', decision: 'use_as_is', quantity: qtyOf('31'), reason: 'ok' },
            anna,
          ),
        ),
        /would exceed/,
      );
      // Nothing is executed before the second signature.
      assert.deepEqual(
        systems.called('qmsRecordSignedDisposition').filter((c) => c.input.ncrId === start.ncrId),
        [],
      );
      const approved = await ncrs.coSign(start.ncrId, 'C1', 'verified the crack photos', await signer(env, 'qp.marc'));
      assert.equal(approved.status, 'approved');
      assert.deepEqual(
        approved.signatures.map((s) => [s.userId, s.meaningText]),
        [
          ['qa.anna', 'Disposition approved'],
          ['qp.marc', 'Verified (second person)'],
        ],
      );
      assert.equal(approved.signatures[0]!.recordHash, approved.signatures[1]!.recordHash);
      assert.equal(approved.signatures[1]!.recordHash, recordHash(approved.record));
      // A pending line may be withdrawn (nothing was executed); an approved one may not.
      await ncrs.dispose(
        start.ncrId,
        { lineId: 'C2', lotId: 'L-NC1', decision: 'use_as_is', quantity: qtyOf('30'), reason: 'retest ok' },
        anna,
      );
      assert.match(
        await refusal(ncrs.withdraw(start.ncrId, { lineId: 'C1', by: 'qa.anna', reason: 'oops' })),
        /only a line awaiting its co-signature/,
      );
      const withdrawn = await ncrs.withdraw(start.ncrId, { lineId: 'C2', by: 'qa.anna', reason: 'wrong lot count' });
      assert.equal(withdrawn.status, 'withdrawn');
      await ncrs.dispose(
        start.ncrId,
        { lineId: 'C3', lotId: 'L-NC1', decision: 'use_as_is', quantity: qtyOf('30'), reason: 'retest ok' },
        anna,
      );
      await ncrs.coSign(start.ncrId, 'C3', 'retest witnessed', await signer(env, 'qp.marc'));
      const done = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'executed',
      );
      assert.equal(done.dispositions.dispositioned.value, '50');
    });
    const signed = systems.called('qmsRecordSignedDisposition').filter((c) => c.input.ncrId === start.ncrId);
    assert.deepEqual(
      signed.map((c) => (c.input.signatures as Array<{ userId: string }>).map((s) => s.userId)),
      [
        ['qa.anna', 'qp.marc'],
        ['qa.anna', 'qp.marc'],
      ],
    );
    // Critical: CAPA by severity.
    assert.equal(
      systems.called('qmsOpenCapa').find((c) => c.input.capaId === `CAPA-${start.ncrId}`)?.input.trigger,
      'severity',
    );
  });
});
