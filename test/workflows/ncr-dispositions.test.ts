import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { recordHash } from '../../domain/signature';
import { timeSkippingEnv } from '../setup/temporal-env';
import { defaultNcrSystems, eventually, ncrClient, ncrStart, qtyOf, signer, withNcrWorkers } from './support/ncr-harness';

/** The refusal type an Update validator raised. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return `${err.cause.type}: ${err.cause.message}`;
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
      await eventually(() => ncrs.status(start.ncrId), (v) => v.status === 'contained');
      const anna = await signer(env, 'qa.anna');
      const use = await ncrs.dispose(start.ncrId, { lineId: 'L1', lotId: 'L-NC1', decision: 'use_as_is', quantity: qtyOf('30'), reason: 'pressure retest within limits for 30 units' }, anna);
      assert.equal(use.status, 'approved');
      assert.equal(use.signatures[0]!.printedName, 'Anna Berger');
      assert.equal(use.signatures[0]!.meaningText, 'Disposition approved');
      assert.equal(use.signatures[0]!.recordHash, recordHash(use.record));
      await ncrs.dispose(start.ncrId, { lineId: 'L2', lotId: 'L-NC1', decision: 'scrap', quantity: qtyOf('20'), reason: 'housing cracked' }, anna);
      const executed = await eventually(() => ncrs.status(start.ncrId), (v) => v.status === 'executed');
      assert.ok(executed.dispositions.lines.every((l) => l.status === 'executed'));
      assert.equal(executed.containment.lots[0]!.released !== undefined, true);
      assert.match(await refusal(ncrs.close(start.ncrId, 'investigation complete', anna)), /CloseRefused: record the root cause/);
      await ncrs.recordRootCause(start.ncrId, { category: 'machine', description: 'test rig pressure sensor drifted', by: 'qa.anna' });
      await ncrs.close(start.ncrId, 'investigation complete', await signer(env, 'qp.marc'));
      const closed = await ncrs.handle(start.ncrId).result();
      assert.equal(closed.status, 'closed');
    });
    // Contained directly (no lot workflow): Odoo Quarantine, SAP 344 of the affected 50.
    assert.equal(systems.called('odooMoveLotToQuarantine').length, 1);
    const movements = systems.called('sapPostGoodsMovement').map((c) => `${String(c.input.movementType)} ${String((c.input.quantity as { value: string }).value)}`);
    assert.deepEqual(movements, ['344 50', '555 20', '343 30']);
    assert.equal(systems.called('odooScrapLot').length, 1);
    assert.equal(systems.called('odooReleaseLotFromQuarantine').length, 1);
    const signed = systems.called('qmsRecordSignedDisposition');
    assert.deepEqual(signed.map((c) => c.input.decision), ['use_as_is', 'scrap']);
    assert.equal((signed[0]!.input.signatures as unknown[]).length, 1);
    assert.equal(systems.called('qmsAddNonconformanceDisposition').length, 2);
    assert.equal(systems.called('qmsCloseNonconformance').length, 1);
    assert.equal(systems.called('sapCompleteQualityNotification').length, 1);
    assert.equal((systems.called('odooSetQualityAlertStage')[0]!.input as { stage: string }).stage, 'done');
  });
});
