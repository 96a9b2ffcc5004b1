import assert from 'node:assert/strict';
import type { ActivityName } from './support/fakes';
import { capa } from './support/qms-records';
import { NcrClient } from '../../client/ncrs';
import { NeedsAttentionAttr } from '../../workflows/search-attributes';
import { businessRule } from './support/fakes';
import { timeSkippingEnv } from '../setup/temporal-env';
import { FAST_TUNING } from './support/order-harness';
import {
  defaultNcrSystems,
  eventually,
  ncrClient,
  ncrStart,
  qtyOf,
  signer,
  withNcrWorkers,
} from './support/ncr-harness';

describe('nonconformance: parking and continue-as-new (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('parks a refused record with NeedsAttention; an operator retry after the fix records it once and the NCR goes on', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    let fixed = false;
    systems.when('sapCreateQualityNotification', () => {
      if (!fixed) throw businessRule('SAP: material FG-100 is not set up for quality notifications in plant 1710');
      return { notification: '200000042', alreadyCreated: false };
    });
    const ncrs = ncrClient(env);
    const start = ncrStart();
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      const parked = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.needsAttention,
      );
      assert.deepEqual(
        parked.parked.map((p) => p.step),
        ['records/sap-notification'],
      );
      assert.equal((await ncrs.handle(start.ncrId).describe()).typedSearchAttributes.get(NeedsAttentionAttr), true);
      fixed = true;
      await ncrs.resolveParkedStep(start.ncrId, {
        step: 'records/sap-notification',
        action: 'retry',
        reason: 'QM view maintained for FG-100',
        by: 'op.lea',
      });
      const resumed = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'contained',
      );
      assert.equal(resumed.records.sapQualityNotification, '200000042');
      assert.equal(resumed.needsAttention, false);
    });
    const refs = systems.called('qmsUpdateNonconformance').find((c) => c.input.ncrId === start.ncrId && c.input.refs)!;
    assert.deepEqual(refs.input.refs, { odooQualityAlert: 'QA/00005', sapQualityNotification: '200000042' });
  });

  it('a refused CAPA parks only its own step: the dispositions are carried out meanwhile; closing is refused until it is resolved', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    let fixed = false;
    systems.when('qmsOpenCapa', (i) => {
      if (!fixed) throw businessRule('QMS: CAPA owner group "quality" does not exist', 'qms');
      return { outcome: 'opened', capa: capa(i) };
    });
    const ncrs = ncrClient(env);
    const start = ncrStart({ severity: 'major' });
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      const parked = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.needsAttention && v.status === 'contained',
      );
      assert.deepEqual(
        parked.parked.map((p) => p.step),
        ['capa/open'],
      );
      const anna = await signer(env, 'qa.anna');
      await ncrs.dispose(
        start.ncrId,
        { lotId: 'L-NC1', decision: 'scrap', quantity: qtyOf('50'), reason: 'housing cracked' },
        anna,
      );
      const executed = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'executed',
      );
      assert.equal(executed.capa, undefined, 'the CAPA is still parked');
      await ncrs.recordRootCause(start.ncrId, { category: 'machine', description: 'mould 3 vent worn', by: 'qa.anna' });
      const marc = await signer(env, 'qp.marc');
      await assert.rejects(
        ncrs.close(start.ncrId, 'scrapped, root cause found', marc),
        (e: Error & { cause?: Error }) => /a step is parked/.test(e.cause?.message ?? ''),
      );
      fixed = true;
      await ncrs.resolveParkedStep(start.ncrId, {
        step: 'capa/open',
        action: 'retry',
        reason: 'owner group created in the QMS',
        by: 'op.lea',
      });
      await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.capa !== undefined && !v.needsAttention,
      );
      await ncrs.close(start.ncrId, 'scrapped, root cause found', marc);
      const closed = await ncrs.handle(start.ncrId).result();
      assert.equal(closed.status, 'closed');
      const view = await ncrs.status(start.ncrId);
      assert.deepEqual([view.capa?.capaId, view.capa?.outcome], [`CAPA-${start.ncrId}`, 'opened']);
    });
    assert.equal(systems.called('odooScrapLot').length, 1);
    assert.equal(systems.called('qmsCloseNonconformance').length, 1);
  });

  it('continues as new with its decisions, signatures and containment intact, and closes in the later run', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    // Opening and containment make about 75 history events, one executed scrap line about 35 more.
    const ncrs = new NcrClient(env.client, { tuning: FAST_TUNING, maxHistoryEvents: 90 });
    const start = ncrStart();
    const view = () => ncrs.status(start.ncrId).catch(() => undefined);
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      await eventually(view, (v) => v?.status === 'contained');
      const anna = await signer(env, 'qa.anna');
      await ncrs.dispose(
        start.ncrId,
        { lineId: 'S1', lotId: 'L-NC1', decision: 'scrap', quantity: qtyOf('20'), reason: 'cracked housings' },
        anna,
      );
      // The next requests go to the new run once it has taken over (no request races the hand-over).
      const continued = await eventually(view, (v) => (v?.runs ?? 0) > 1);
      assert.deepEqual(
        [continued!.status, continued!.dispositions.lines[0]!.status, continued!.containment.runs],
        ['contained', 'executed', 1],
      );
      assert.equal(continued!.dispositions.lines[0]!.signatures[0]!.printedName, 'Anna Berger');
      assert.equal(continued!.records.sapQualityNotification, '200000001');
      await ncrs.dispose(
        start.ncrId,
        { lineId: 'U1', lotId: 'L-NC1', decision: 'use_as_is', quantity: qtyOf('30'), reason: 'retest passed' },
        anna,
      );
      await eventually(view, (v) => v?.status === 'executed');
      await ncrs.recordRootCause(start.ncrId, { category: 'material', description: 'porous castings', by: 'qa.anna' });
      await ncrs.close(start.ncrId, 'done', await signer(env, 'qp.marc'));
      assert.equal((await ncrs.handle(start.ncrId).result()).status, 'closed');
    });
    const mine = (name: ActivityName) =>
      systems.called(name).filter((c) => {
        const input = c.input as { idempotencyKey?: string; ncrId?: string };
        return (input.idempotencyKey ?? '').startsWith(`ncr:${start.ncrId}/`) || input.ncrId === start.ncrId;
      });
    assert.equal(mine('qmsOpenNonconformance').length, 1, 'records are not made again after continue-as-new');
    assert.equal(mine('odooCreateQualityAlert').length, 1);
    assert.equal(mine('odooScrapLot').length, 1, 'the scrap is not posted again');
    assert.equal(mine('qmsCloseNonconformance').length, 1);
  });
});

describe('nonconformance: cancellation (time-skipping, mocked systems)', function () {
  this.timeout(60_000);

  it('a Temporal cancellation ends the NCR aborted and leaves its containment in place', async () => {
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
      await ncrs.handle(start.ncrId).cancel();
      const outcome = await ncrs.handle(start.ncrId).result();
      assert.deepEqual(
        [outcome.status, outcome.reason],
        ['aborted', 'cancelled through Temporal; its containment stays in place'],
      );
    });
    assert.equal(systems.called('odooReleaseLotFromQuarantine').filter((c) => c.input.lot === 'L-NC1').length, 0);
  });
});
