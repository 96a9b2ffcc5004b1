import assert from 'node:assert/strict';
import { timeSkippingEnv } from '../setup/temporal-env';
import { businessRule } from './support/fakes';
import { recordHistoryIfAsked } from '../support/histories';
import { mes } from '../support/orders';
import {
  defaultOrderSystems,
  eventually,
  orderClient,
  releasedOrder,
  uniqueOrderRef,
  withOrderWorkers,
} from './support/order-harness';

/** An SAP goods issue that does not answer until the test lets it, so the next events queue behind it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const posted = { materialDocument: '4900000001', year: '2026', alreadyPosted: false, messages: [] };

/**
 * A released order whose first consumption (lot H-1) SAP takes long to answer; the consumptions of H-2, H-3
 * and H-4 are reported in one batch meanwhile, then SAP answers. Returns the batch's outcomes.
 */
async function consumeWhileSapIsBusy(
  orders: ReturnType<typeof orderClient>,
  systems: ReturnType<typeof defaultOrderSystems>,
  ref: string,
  slowSap: ReturnType<typeof gate>,
): Promise<string[]> {
  await releasedOrder(orders, ref);
  await orders.reportMesEvent(mes.consumed('RM-300', 'H-1', '5', 'EA', { orderRef: ref }));
  await eventually(
    () => Promise.resolve(systems.called('sapPostGoodsMovement').length),
    (n) => n === 1,
  );
  const more = ['H-2', 'H-3', 'H-4'].map((lot) => mes.consumed('RM-300', lot, '5', 'EA', { orderRef: ref }));
  const outcomes = (await orders.reportMesEvents(more)).map((r) => r.outcome);
  slowSap.open();
  return outcomes;
}

describe('production order: postings queued behind a slow system go in one call (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('posts the events queued while SAP was busy in one SAP call and one Odoo call, in order, each once', async () => {
    const env = await timeSkippingEnv();
    const slowSap = gate();
    const systems = defaultOrderSystems().when('sapPostGoodsMovement', async (i) => {
      if (i.batch === 'H-1') await slowSap.opened;
      return posted;
    });
    const orders = orderClient(env);
    const ref = uniqueOrderRef('PO-B');
    await withOrderWorkers(env, systems, async () => {
      assert.deepEqual(await consumeWhileSapIsBusy(orders, systems, ref, slowSap), [
        'accepted',
        'accepted',
        'accepted',
      ]);
      const done = await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && s.postings.posted.sap === 4,
      );
      assert.equal(done.postings.posted.odoo, 4);
      assert.deepEqual(
        done.postings.goodsMovements.map((m) => m.lotId),
        ['H-1', 'H-2', 'H-3', 'H-4'],
      );
    });
    const sapBatches = systems.called('sapPostBatch');
    assert.equal(sapBatches.length, 1, 'the three queued goods issues travel together');
    assert.deepEqual(
      sapBatches[0]!.input.postings.map((p) => (p.kind === 'goodsMovement' ? p.goodsMovement.batch : p.kind)),
      ['H-2', 'H-3', 'H-4'],
    );
    const issues = systems.called('sapPostGoodsMovement');
    assert.equal(new Set(issues.map((c) => c.input.idempotencyKey)).size, 4, 'four postings, four keys');
    assert.equal(issues.length, 4, 'each goods issue reached SAP once');
    const odooBatches = systems.called('odooRecordConsumptions');
    assert.equal(odooBatches.length, 1, 'the three consumptions reported together went to Odoo together');
    assert.deepEqual(
      odooBatches[0]!.input.consumptions.map((c) => c.lot),
      ['H-2', 'H-3', 'H-4'],
    );
    assert.equal(systems.called('odooRecordConsumption').length, 4);
  });

  it('a batch SAP refuses is posted again one by one: only the refused posting parks, the ones before it post once', async () => {
    const env = await timeSkippingEnv();
    const slowSap = gate();
    let periodOpen = false;
    const systems = defaultOrderSystems().when('sapPostGoodsMovement', async (i) => {
      if (i.batch === 'H-1') await slowSap.opened;
      if (i.batch === 'H-3' && !periodOpen) throw businessRule('Batch H-3 is blocked for goods issue (M7/171)');
      return posted;
    });
    const orders = orderClient(env);
    const ref = uniqueOrderRef('PO-B');
    await withOrderWorkers(env, systems, async () => {
      await consumeWhileSapIsBusy(orders, systems, ref, slowSap);
      const parked = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention,
      );
      assert.equal(parked.parked.length, 1);
      assert.match(parked.parked[0]!.step, /\/sap-goods-issue/);
      assert.match(parked.parked[0]!.failure.message, /Batch H-3 is blocked/);
      assert.equal(parked.postings.posted.sap, 2, 'H-1 and H-2 posted');
      assert.equal(parked.postings.pending, 1, 'H-4 waits behind the parked H-3 (SAP order kept)');
      assert.deepEqual(
        parked.postings.goodsMovements.map((m) => m.lotId),
        ['H-1', 'H-2'],
      );

      periodOpen = true;
      await orders.resolveParkedStep('1710', ref, {
        step: parked.parked[0]!.step,
        action: 'retry',
        reason: 'batch unblocked by quality',
        by: 'op.jo',
      });
      const done = await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && s.postings.parked === 0 && s.postings.posted.sap === 4,
      );
      assert.deepEqual(
        done.postings.goodsMovements.map((m) => m.lotId),
        ['H-1', 'H-2', 'H-3', 'H-4'],
      );
      await recordHistoryIfAsked('order-batched-postings-refused-then-retried', orders.handle('1710', ref));
    });
    const h2 = systems.called('sapPostGoodsMovement').filter((c) => c.input.batch === 'H-2');
    assert.equal(h2.length, 2, 'H-2 sent in the batch, then alone (SAP finds it by its key)');
    assert.equal(h2[0]!.input.idempotencyKey, h2[1]!.input.idempotencyKey);
  });
});
