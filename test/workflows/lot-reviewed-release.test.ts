import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { recordHash } from '../../domain/signature';
import { timeSkippingEnv } from '../setup/temporal-env';
import {
  defaultLotSystems,
  lotClient,
  produce,
  lotReview,
  readyForDecision,
  signer,
  uniqueLotId,
  withLotWorkers,
} from './support/lot-harness';
import { eventually } from './support/order-harness';

const release = { decision: 'release', meaning: 'approved_for_release' } as const;
const reviewedHash = 'a'.repeat(64);

describe('lot: a release signed on the reviewed lot record (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('the lot itself refuses a release without a review (ReviewRequired, nothing enters the history); with one it releases', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await readyForDecision(lots, lotId);
      const marc = await signer(env, 'qp.marc');
      const updatesInHistory = async () =>
        ((await lots.handle('FG-100', lotId).fetchHistory()).events ?? []).filter(
          (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes,
        ).length;

      // The client library, as a service would call it: the Update's validator refuses, not the API.
      await assert.rejects(lots.disposition('FG-100', lotId, release, marc), (e) => {
        assert.ok(e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure);
        assert.equal(e.cause.type, 'ReviewRequired');
        assert.match(e.cause.message, /a release is signed on the reviewed lot record/);
        return true;
      });
      assert.equal(await updatesInHistory(), 0, 'a refused release leaves nothing in the history');
      const refusedView = await lots.status('FG-100', lotId);
      assert.equal(refusedView.dispositions.length, 0);
      assert.equal(refusedView.status, 'restricted');
      assert.deepEqual(systems.called('qmsRecordSignedDisposition'), [], 'nothing was signed in the QMS');

      const review = await lotReview(lots, 'FG-100', lotId);
      const signed = await lots.disposition('FG-100', lotId, release, marc, review);
      assert.equal(signed.signature.recordHash, review.recordHash);
      assert.equal(await updatesInHistory(), 2, 'the reviewed release is accepted and completed');
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released' && s.dispositions.length === 1,
      );
    });
  });

  it('refuses a review that leaves an exception unacknowledged or reviews a reject; binds the release to the reviewed hash', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await readyForDecision(lots, lotId);
      const marc = await signer(env, 'qp.marc');
      const refusedWith = async (promise: Promise<unknown>, type: string, pattern: RegExp) =>
        assert.rejects(promise, (e) => {
          assert.ok(e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure);
          assert.equal(e.cause.type, type);
          assert.match(e.cause.message, pattern);
          return true;
        });

      const exceptions = ['hold:H-1', 'oos:r-1'];
      await refusedWith(
        lots.disposition('FG-100', lotId, release, marc, {
          recordHash: reviewedHash,
          exceptions,
          acknowledgements: [{ exceptionId: 'hold:H-1', comment: 'lifted after label check' }],
        }),
        'ReviewIncomplete',
        /not acknowledged: oos:r-1/,
      );
      await refusedWith(
        lots.disposition('FG-100', lotId, { decision: 'reject', meaning: 'rejected', reason: 'no' }, marc, {
          recordHash: reviewedHash,
          exceptions: [],
          acknowledgements: [],
        }),
        'InvalidDisposition',
        /only a release is signed on the reviewed lot record/,
      );
      const { fingerprint } = await lots.status('FG-100', lotId);
      await refusedWith(
        lots.disposition('FG-100', lotId, release, marc, {
          recordHash: reviewedHash,
          exceptions: [],
          acknowledgements: [],
          lotFingerprint: 'b'.repeat(64),
        }),
        'RecordChanged',
        /the lot changed since its record was reviewed/,
      );
      assert.equal((await lots.status('FG-100', lotId)).dispositions.length, 0, 'a refused Update signs nothing');

      const acknowledgements = exceptions.map((exceptionId) => ({ exceptionId, comment: `seen: ${exceptionId}` }));
      const signed = await lots.disposition('FG-100', lotId, release, marc, {
        recordHash: reviewedHash,
        exceptions,
        acknowledgements,
        lotFingerprint: fingerprint,
      });
      assert.equal(signed.signature.recordHash, reviewedHash, 'the signature binds the record as reviewed');
      assert.notEqual(recordHash(signed.record), reviewedHash);
      assert.deepEqual(signed.record.review, {
        recordHash: reviewedHash,
        exceptions,
        acknowledgements,
        lotFingerprint: fingerprint,
      });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released',
      );
      const qms = systems
        .called('qmsRecordSignedDisposition')
        .map((c) => (c.input as { recordHash: string }).recordHash);
      assert.deepEqual(qms, [reviewedHash], 'the QMS keeps the release under the reviewed hash');
    });
  });
});
