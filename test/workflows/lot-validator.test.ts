import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LotClient } from '../../client/lots';
import type { LotDispositionInput } from '../../domain/lot-disposition';
import type { VerifiedSigner } from '../../domain/signature';
import { lotStockReceivedSignal } from '../../workflows/messages/lot';
import { timeSkippingEnv } from '../setup/temporal-env';
import { transient } from './support/fakes';
import {
  defaultLotSystems,
  lotClient,
  produce,
  result,
  signer,
  uniqueLotId,
  withLotWorkers,
  sign,
} from './support/lot-harness';
import { eventually } from './support/order-harness';

/** "<type>: <message>" of a refused Update. */
function refusal(err: unknown): string {
  assert.ok(err instanceof WorkflowUpdateFailedError, `expected an update failure, got ${String(err)}`);
  assert.ok(err.cause instanceof ApplicationFailure);
  return `${err.cause.type}: ${err.cause.message}`;
}

async function refused(
  lots: LotClient,
  lotId: string,
  input: LotDispositionInput,
  who: VerifiedSigner,
  pattern: RegExp,
): Promise<void> {
  await assert.rejects(sign(lots, 'FG-100', lotId, input, who), (e) => {
    const text = refusal(e);
    assert.match(text, pattern);
    return true;
  });
}

async function readyLot(
  env: TestWorkflowEnvironment,
  lots: LotClient,
  lotId: string,
  passed: string[],
  executors = ['op.sam'],
): Promise<void> {
  await produce(env, lotId, { executors });
  for (const c of passed) await lots.recordInspection({ material: 'FG-100', lotId, ...result(c, 'pass') });
  await lots
    .handle('FG-100', lotId)
    .signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });
  await eventually(
    () => lots.status('FG-100', lotId),
    (s) => s.status === 'restricted' && s.results.length === passed.length,
  );
}

const release = { decision: 'release', meaning: 'approved_for_release' } as const;

describe('lot: disposition validator rules (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('refuses wrong roles, meanings, missing reasons, stale re-authentication and executors — and leaves no trace in the history', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await readyLot(env, lots, lotId, ['PRESSURE', 'VISUAL'], ['op.sam', 'qp.marc']);
      const anna = await signer(env, 'qa.anna');
      const marc = await signer(env, 'qp.marc');
      const sam = await signer(env, 'op.sam');
      // roles: only a QP signs a release (Annex 11 §15); an operator signs nothing
      await refused(
        lots,
        lotId,
        release,
        anna,
        /^SignatureRefused: only a Qualified Person \(role qp\) may sign a release; qa\.anna has role\(s\) qa/,
      );
      await refused(
        lots,
        lotId,
        { decision: 'reject', meaning: 'rejected', reason: 'x' },
        sam,
        /^SignatureRefused: a reject needs role qa or qp/,
      );
      // meaning: from the controlled list, and the one that fits the decision
      await refused(
        lots,
        lotId,
        { decision: 'release', meaning: 'ok by me' },
        marc,
        /^InvalidDisposition: meaning "ok by me" is not in the controlled list/,
      );
      await refused(
        lots,
        lotId,
        { decision: 'release', meaning: 'reviewed' },
        marc,
        /^InvalidDisposition: a release is signed with the meaning "approved_for_release"/,
      );
      // reason: mandatory for reject, hold and override
      await refused(
        lots,
        lotId,
        { decision: 'reject', meaning: 'rejected' },
        anna,
        /^InvalidDisposition: a reject needs a reason/,
      );
      await refused(
        lots,
        lotId,
        { decision: 'hold', meaning: 'placed_on_hold', reason: '  ' },
        anna,
        /^InvalidDisposition: a hold needs a reason/,
      );
      await refused(
        lots,
        lotId,
        { ...release, override: true },
        marc,
        /^InvalidDisposition: an override needs a written justification/,
      );
      await refused(
        lots,
        lotId,
        { decision: 'reject', meaning: 'rejected', reason: 'x', override: true },
        anna,
        /only a release can be an override/,
      );
      // re-authentication must be fresh at signing
      const stale = await signer(env, 'qa.anna', (await env.currentTimeMs()) - 10 * 60_000);
      await refused(
        lots,
        lotId,
        { decision: 'reject', meaning: 'rejected', reason: 'x' },
        stale,
        /^SignatureRefused: the signer re-authenticated at .*within 5 minutes/,
      );
      // separation of duties: qp.marc executed a step of the producing order
      await refused(
        lots,
        lotId,
        release,
        marc,
        /^SignatureRefused: qp\.marc executed steps of the producing order and may not sign its release \(separation of duties\)/,
      );
      // a forged signer shape never reaches the workflow
      await assert.rejects(sign(lots, 'FG-100', lotId, release, { ...marc, roles: [] }), /invalid signer: roles/);

      const status = await lots.status('FG-100', lotId);
      assert.equal(status.status, 'restricted');
      assert.equal(status.dispositions.length, 0);
      const history = await lots.handle('FG-100', lotId).fetchHistory();
      const updates = history.events!.filter(
        (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes,
      );
      assert.equal(updates.length, 0, 'refused Updates are not in the history');
    });
    assert.equal(systems.called('qmsRecordSignedDisposition').length, 0);
  });

  it('refuses a release with required inspections missing; a QP override with a written justification releases and records what it overrode', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await readyLot(env, lots, lotId, ['PRESSURE']);
      const marc = await signer(env, 'qp.marc');
      await refused(
        lots,
        lotId,
        release,
        marc,
        /^ReleaseBlocked: cannot release: required inspection VISUAL \(missing\)\. A Qualified Person may override/,
      );
      const signed = await sign(
        lots,
        'FG-100',
        lotId,
        { ...release, override: true, reason: 'visual check documented on paper batch record BR-17, deviation DV-9' },
        marc,
      );
      assert.deepEqual(signed.record.overridden, ['required inspection VISUAL (missing)']);
      assert.equal(signed.record.justification, 'visual check documented on paper batch record BR-17, deviation DV-9');
      assert.equal(signed.signature.reason, signed.record.justification);
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released',
      );
    });
    assert.equal(
      systems.called('qmsRecordSignedDisposition')[0]!.input.justification,
      'visual check documented on paper batch record BR-17, deviation DV-9',
    );
  });

  it('two dispositions sent at once: exactly one wins, the other sees its decision; the winner executes once', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await readyLot(env, lots, lotId, ['PRESSURE', 'VISUAL']);
      const [marc, anna] = [await signer(env, 'qp.marc'), await signer(env, 'qa.anna')];
      const outcomes = await Promise.allSettled([
        sign(lots, 'FG-100', lotId, release, marc),
        sign(
          lots,
          'FG-100',
          lotId,
          { decision: 'reject', meaning: 'rejected', reason: 'seal leak seen at packing' },
          anna,
        ),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(won.length, 1, JSON.stringify(outcomes.map((o) => o.status)));
      assert.equal(lost.length, 1);
      const winner = (won[0] as PromiseFulfilledResult<{ record: { decision: string; signer: { userId: string } } }>)
        .value.record;
      assert.match(
        refusal(lost[0]!.reason),
        new RegExp(
          `^DispositionConflict: the lot already has a final decision: ${winner.decision} signed by ${winner.signer.userId}`,
        ),
      );
      const final = winner.decision === 'release' ? 'released' : 'rejected';
      const status = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === final,
      );
      assert.equal(status.dispositions.length, 1);
    });
    assert.equal(systems.called('qmsRecordSignedDisposition').length, 1);
    assert.equal(systems.called('sapRecordUsageDecision').length, 1);
  });

  it('refuses a disposition while the lot is still being registered', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems().when('sapEnsureBatch', (i, attempt) => {
      if (attempt === 1) throw transient('SAP: service unavailable');
      return { material: i.material, batch: i.batch, restricted: true, created: true, changed: false };
    });
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'registering',
      );
      await refused(
        lots,
        lotId,
        { decision: 'reject', meaning: 'rejected', reason: 'x' },
        await signer(env, 'qa.anna'),
        /^LotNotReady: the lot is still being registered/,
      );
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'restricted',
      );
    });
  });
});
