import assert from 'node:assert/strict';
import { timeSkippingEnv } from '../setup/temporal-env';
import { mes } from '../support/orders';
import {
  defaultOrderSystems,
  eventually,
  orderClient,
  uniqueOrderRef,
  withOrderWorkers,
} from './support/order-harness';

const uniqueRef = () => uniqueOrderRef('PO-O');

// Its own file: it skips 16 minutes of server time, which must not reach the runs other tests leave behind.
describe('production order: events for an order never released (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

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
