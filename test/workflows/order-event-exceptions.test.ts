import assert from 'node:assert/strict';
import { RecordedRefusal } from '../../client/refusals';
import type { OrderClient } from '../../client/orders';
import { timeSkippingEnv } from '../setup/temporal-env';
import { demoOrderInput, mes } from '../support/orders';
import { defaultOrderSystems, eventually, orderClient, withOrderWorkers } from './support/order-harness';

let n = 0;
const uniqueRef = () => `PO-X${Date.now() % 100000}-${++n}`;

async function released(orders: OrderClient, ref: string): Promise<void> {
  await orders.release(demoOrderInput({ orderRef: ref }));
  await eventually(
    () => orders.status('1710', ref),
    (s) => s.status === 'released',
  );
}

describe('production order: events that cannot apply (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

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

  it('events for an order never released raise NeedsAttention and report EventForUnknownOrder after the grace', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      assert.equal((await orders.reportMesEvent(mes.started('0010', { orderRef: ref }))).outcome, 'buffered');
      assert.equal((await orders.status('1710', ref)).needsAttention, false, 'within the grace nothing is raised');
      await env.sleep('16 minutes');
      const parked = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention,
      );
      assert.equal(parked.status, 'awaiting_order');
      await eventually(
        async () => systems.called('plantflowReportException'),
        (calls) => calls.length === 1,
      );
    });
    const [report] = systems.called('plantflowReportException').map((c) => c.input);
    assert.equal(report?.kind, 'EventForUnknownOrder');
    assert.equal(report?.key, `1710/${ref}`);
    assert.equal(report?.subject.orderRef, ref);
    assert.match(report?.summary ?? '', /1 MES event\(s\) for order/);
  });
});
