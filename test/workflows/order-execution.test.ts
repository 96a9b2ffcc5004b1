import assert from 'node:assert/strict';
import { RecordedRefusal } from '../../client/refusals';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { timeSkippingEnv } from '../setup/temporal-env';
import { businessRule } from './support/fakes';
import { demoOrderInput, mes } from '../support/orders';
import { NeedsAttentionAttr } from '../../workflows/search-attributes';
import {
  defaultOrderSystems,
  eventually,
  orderClient,
  releasedOrder,
  uniqueOrderRef,
  withOrderWorkers,
} from './support/order-harness';
import type { MesEventInput } from '../../domain/events';

const uniqueRef = () => uniqueOrderRef('PO-E');
const released = releasedOrder;

function rejection(err: unknown): string {
  assert.ok(err instanceof WorkflowUpdateFailedError, `expected an update failure, got ${String(err)}`);
  assert.ok(err.cause instanceof ApplicationFailure);
  return `${err.cause.type}: ${err.cause.message}`;
}

describe('production order: execution (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('posts each event once even when the MES resends it, and refuses impossible ones with the reason', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      const consume = mes.consumed('RM-300', 'H-1001', '60', 'EA', { orderRef: ref });
      assert.equal((await orders.reportMesEvent(consume)).outcome, 'accepted');
      assert.equal(
        (await orders.reportMesEvent(consume)).outcome,
        'accepted',
        'same update id: Temporal answers the first result',
      );
      // The batch route has its own update id: plantflow's dedup answers, not Temporal's.
      const resent = { ...consume, recordedAt: new Date().toISOString() };
      assert.deepEqual(
        (await orders.reportMesEvents([resent])).map((r) => r.outcome),
        ['duplicate'],
      );

      await assert.rejects(orders.reportMesEvent(mes.started('0090', { orderRef: ref })), (e) =>
        /EventRejected: unknown operation 0090/.test(rejection(e)),
      );
      await assert.rejects(orders.reportMesEvent(mes.produced('L-1', '200', { orderRef: ref })), (e) =>
        /beyond the limit of 105 EA/.test(rejection(e)),
      );

      const status = await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && s.postings.posted.sap === 1,
      );
      assert.equal(status.execution!.acceptedEvents, 1);
      assert.equal(status.execution!.consumed[0]!.quantity.value, '60');
    });
    assert.equal(systems.called('odooRecordConsumption').length, 1);
    assert.equal(systems.called('sapPostGoodsMovement').length, 1);
    assert.equal(systems.called('sapPostGoodsMovement')[0]!.input.batch, 'H-1001');
  });

  it('records a completion that arrives before its start; the work order starts once', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      const start = mes.started('0010', { orderRef: ref });
      const done = mes.completed('0010', '50', { orderRef: ref });
      await orders.reportMesEvent(done);
      await orders.reportMesEvent(start);
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && s.postings.posted.sap === 1,
      );
      const timeline = await orders.timeline('1710', ref);
      const mesEvents = timeline.filter((t) => t.source === 'mes');
      assert.deepEqual(
        mesEvents.map((t) => t.type),
        ['OperationStarted', 'OperationCompleted'],
        'timeline ordered by effectiveAt',
      );
    });
    assert.equal(systems.called('odooStartWorkorder').length, 1);
    assert.equal(systems.called('sapPostConfirmation').length, 1);
  });

  it('parks a refused posting with NeedsAttention; retry after the fix posts it once, other systems keep flowing', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems().when('sapPostConfirmation', () => {
      throw businessRule('Posting period 011/2026 is not open (M7/053)');
    });
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      await orders.reportMesEvent(mes.completed('0010', '40', { orderRef: ref }));
      await orders.reportMesEvent(mes.consumed('RM-300', 'H-1001', '40', 'EA', { orderRef: ref }));
      const parked = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention && s.postings.posted.odoo >= 2,
      );
      assert.match(parked.parked[0]!.failure.message, /Posting period 011\/2026 is not open/);
      assert.equal(parked.parked[0]!.failure.type, 'BusinessRule');
      assert.equal(
        parked.postings.posted.sap,
        0,
        'the goods issue waits behind the parked confirmation (SAP order kept)',
      );
      assert.equal((await orders.handle('1710', ref).describe()).typedSearchAttributes.get(NeedsAttentionAttr), true);

      systems.reset('sapPostConfirmation'); // finance opened the period
      await orders.resolveParkedStep('1710', ref, {
        step: parked.parked[0]!.step,
        action: 'retry',
        reason: 'period opened by finance',
        by: 'op.jo',
      });
      const after = await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && !s.needsAttention && s.postings.posted.sap === 2,
      );
      assert.equal(after.resolvedParkings.length, 1);
      assert.equal((await orders.handle('1710', ref).describe()).typedSearchAttributes.get(NeedsAttentionAttr), false);
    });
    assert.equal(systems.called('sapPostConfirmation').length, 2, 'one refused attempt, one posting');
  });

  it('an operator skip leaves the posting out; abort ends the order as aborted', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems().when('odooRecordConsumption', () => {
      throw businessRule('Lot H-1001 does not exist for product RM-300', 'odoo');
    });
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      await orders.reportMesEvent(mes.consumed('RM-300', 'H-1001', '10', 'EA', { orderRef: ref }));
      const parked = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention,
      );
      await orders.resolveParkedStep('1710', ref, {
        step: parked.parked[0]!.step,
        action: 'skip',
        reason: 'posted by hand in Odoo',
        by: 'op.jo',
      });
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && s.postings.parked === 0,
      );
      await orders.reportMesEvent(mes.consumed('RM-310', 'I-2001', '10', 'EA', { orderRef: ref }));
      const again = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention,
      );
      await orders.resolveParkedStep('1710', ref, {
        step: again.parked[0]!.step,
        action: 'abort',
        reason: 'order to be reposted manually',
        by: 'op.jo',
      });
      const outcome = await orders.handle('1710', ref).result();
      assert.equal(outcome.status, 'aborted');
      assert.match(outcome.reason ?? '', /order to be reposted manually/);
    });
  });

  it('mirrors holds to the plant in order and lifts them there', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      await orders.placeHold('1710', ref, {
        holdId: 'NCR-7',
        reason: 'nonconformance NCR-7',
        by: 'qa.anna',
        source: 'ncr',
      });
      await orders.reportMesEvent(mes.started('0010', { orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.posted.mes === 1 && s.onHold,
      );
      await assert.rejects(orders.liftHold('1710', ref, { holdId: 'NOPE', by: 'qa.anna', reason: 'x' }), (e) =>
        /UnknownHold/.test(rejection(e)),
      );
      await orders.liftHold('1710', ref, { holdId: 'NCR-7', by: 'qa.anna', reason: 'NCR closed' });
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.posted.mes === 2 && !s.onHold,
      );
    });
    assert.deepEqual(
      systems.names('mes').filter((x) => x !== 'mesDispatchOrder'),
      ['mesHoldOrder', 'mesResumeOrder'],
    );
    assert.equal(systems.called('odooStartWorkorder').length, 1, 'recording continues during a hold');
  });

  it('completes with a backorder: SAP final confirmation without quantity, Odoo backorder, then closes when lots are final', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      await orders.reportMesEvent(mes.completed('0010', '60', { orderRef: ref }));
      await orders.reportMesEvent(mes.produced('FG-60', '60', { orderRef: ref }));
      await assert.rejects(orders.complete('1710', ref, { mode: 'complete', by: 'plan.eva' }), (e) =>
        /choose backorder or short_close/.test(rejection(e)),
      );
      await assert.rejects(orders.cancel('1710', ref, { by: 'plan.eva', reason: 'x' }), (e) =>
        /execution has started/.test(rejection(e)),
      );
      await orders.complete('1710', ref, { mode: 'backorder', by: 'plan.eva', reason: 'resin shortage' });
      const completed = await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'completed',
      );
      assert.deepEqual(
        completed.lots.map((l) => `${l.lotId}:${l.final}`),
        ['FG-60:false'],
      );
      // Refused and kept in the site's exception record, not only answered.
      await assert.rejects(
        orders.reportMesEvent(mes.started('0020', { orderRef: ref })),
        (e) => e instanceof RecordedRefusal && e.code === 'EventForCompletingOrder' && /no more events/.test(e.message),
      );

      const { lotDispositionedSignal } = await import('../../workflows/messages');
      await orders
        .handle('1710', ref)
        .signal(lotDispositionedSignal, { material: 'FG-100', lotId: 'FG-60', disposition: 'released', final: true });
      const outcome = await orders.handle('1710', ref).result();
      assert.equal(outcome.status, 'closed');
    });
    const confirmations = systems
      .called('sapPostConfirmation')
      .map(
        (c) => `${String(c.input.operation)}:${(c.input.yield as { value: string }).value}:${String(c.input.final)}`,
      );
    assert.deepEqual(
      confirmations,
      ['0010:60:false', '0010:0:true', '0020:0:true'],
      'partial, then final without quantity: nothing twice',
    );
    assert.deepEqual(
      systems.called('odooMarkDone').map((c) => c.input.mode),
      ['backorder'],
    );
    assert.equal(systems.called('plantflowRegisterLot').length, 1);
    assert.equal(systems.called('sapTechnicallyCompleteOrder').length, 1);
  });

  it('opens one nonconformance for units reported to rework, however often the report is resent', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      const report = mes.completed('0010', '90', { orderRef: ref, scrap: '5', rework: '5' });
      await orders.reportMesEvent(report);
      await orders.reportMesEvents([{ ...report, recordedAt: new Date().toISOString() }]);
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && s.postings.posted.plantflow === 1,
      );
    });
    const opened = systems.called('plantflowOpenNcr');
    assert.equal(opened.length, 1);
    const start = opened[0]!.input.start as { source: string; quantity: { value: string }; orderRef?: string };
    assert.equal(start.source, 'mes_deviation');
    assert.equal(start.quantity.value, '5');
    assert.equal(start.orderRef, ref);
  });

  it('buffers events that arrive before the release and applies them after it', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      const early = await orders.reportMesEvent(mes.started('0010', { orderRef: ref }));
      assert.equal(early.outcome, 'buffered');
      assert.equal((await orders.status('1710', ref)).status, 'awaiting_order');
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'in_progress' && s.postings.posted.odoo === 1,
      );
    });
    assert.equal(systems.called('odooStartWorkorder').length, 1);
  });

  it('continues as new on a long order with its dedup state and totals intact', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env, 120);
    const ref = uniqueRef();
    const sent: MesEventInput[] = [];
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      for (let i = 0; i < 40; i++) {
        const e = mes.consumed('RM-300', 'H-1001', '1', 'EA', { orderRef: ref });
        sent.push(e);
        await orders.reportMesEvent(e);
      }
      const status = await eventually(
        () => orders.status('1710', ref),
        (s) => s.runs > 1 && s.postings.pending === 0 && s.execution!.acceptedEvents === 40,
      );
      assert.equal(status.execution!.consumed[0]!.quantity.value, '40');
      assert.equal(status.execution!.dedupEntries, 40);
      // The new run has no record of the first run's update ids: plantflow's carried dedup answers.
      const replay = await orders.reportMesEvent({ ...sent[0]!, recordedAt: new Date().toISOString() });
      assert.equal(replay.outcome, 'duplicate');
      const after = await orders.status('1710', ref);
      assert.equal(
        after.execution!.consumed[0]!.quantity.value,
        '40',
        'a resent first event is not counted again after continue-as-new',
      );
    });
    assert.equal(systems.called('odooRecordConsumption').length, 40);
  });

  it('refuses a resend of an accepted event with another payload (EventConflict) on both routes; nothing posts', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      const consume = mes.consumed('RM-300', 'H-1001', '60', 'EA', { orderRef: ref });
      assert.equal((await orders.reportMesEvent(consume)).outcome, 'accepted');
      const changed = structuredClone(consume);
      Object.assign(changed.payload!, { quantity: { value: '70', uom: 'EA' } });
      await assert.rejects(
        orders.reportMesEvent(changed),
        (e) => e instanceof RecordedRefusal && e.code === 'EventConflict' && e.exceptionId.startsWith('EventConflict:'),
      );
      const [batch] = await orders.reportMesEvents([changed]);
      assert.deepEqual(
        batch && { outcome: batch.outcome, code: 'code' in batch ? batch.code : undefined },
        { outcome: 'rejected', code: 'EventConflict' },
        'the batch route answers the same situation the same way',
      );
      // The same event again (another recordedAt) is still a duplicate, not a conflict.
      const [again] = await orders.reportMesEvents([{ ...consume, recordedAt: new Date().toISOString() }]);
      assert.equal(again?.outcome, 'duplicate');
      const status = await eventually(
        () => orders.status('1710', ref),
        (st) => st.postings.posted.odoo >= 1 && st.postings.pending === 0,
      );
      assert.equal(status.execution?.acceptedEvents, 1);
      assert.deepEqual(
        status.execution?.consumed.map((c) => c.quantity.value),
        ['60'],
      );
    });
    assert.deepEqual(
      systems.called('odooRecordConsumption').map((c) => c.input.quantity.value),
      ['60'],
      'only the accepted payload posted in Odoo',
    );
  });
});
