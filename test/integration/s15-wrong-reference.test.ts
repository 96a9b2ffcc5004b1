import assert from 'node:assert/strict';
import { NeedsAttentionAttr } from '../../workflows/search-attributes';
import { releasableOrder } from '../support/erp-fixtures';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';
import { fullShift } from '../support/orders';
import { lotView } from '../support/released-lot';
import { orderAt, report } from '../support/produce';
import { startPlantStack, type PlantStack } from '../support/stack';

describe('S15 on the dev server: an order naming an SAP order that does not exist', function () {
  this.timeout(300_000);
  let stack: PlantStack;
  before(async () => {
    stack = await startPlantStack();
  });
  after(async () => stack?.teardown());

  it('S15: parks MasterDataMissing with NeedsAttention; the planner amends the reference; the order completes with one release in each ERP', async () => {
    for (const sim of Object.values(stack.sims)) await sim.reset();
    const ref = `S15-${Date.now()}`;
    const order = await releasableOrder(stack.config, ref);
    const api = await stack.api();
    const planner = { authorization: 'Bearer test-planner-key-0000000000' };
    const status = async () =>
      (await api.inject({ method: 'GET', url: `/orders/1710/${ref}`, headers: planner })).json();

    // The planner typed an SAP order number that SAP does not hold.
    const wrong = { ...order, erp: { ...order.erp, sapOrder: '999999999' } };
    const released = await api.inject({ method: 'POST', url: '/orders', headers: planner, payload: wrong });
    assert.equal(released.statusCode, 202, released.body);
    const parked = await eventually(status, (s) => s.needsAttention === true, 60_000);
    assert.equal(parked.status, 'validating');
    assert.equal(parked.parked[0].step, 'release/master-data');
    assert.equal(parked.parked[0].failure.type, 'MasterDataMissing');
    assert.match(parked.parked[0].failure.message, /999999999/);
    const described = await stack.orders.handle('1710', ref).describe();
    assert.equal(described.status.name, 'RUNNING', 'the run waits for the planner, it does not fail');
    assert.equal(described.typedSearchAttributes.get(NeedsAttentionAttr), true);
    assert.equal((await stack.writeCounts('sap'))['ReleaseOrder'] ?? 0, 0, 'nothing released while parked');

    const badAmend = await api.inject({
      method: 'POST',
      url: `/orders/1710/${ref}/amend`,
      headers: planner,
      payload: { erp: { sapOrder: 'not-a-number' }, by: 'pl.ann', reason: 'typo' },
    });
    assert.equal(badAmend.statusCode, 400, badAmend.body);
    const amended = await api.inject({
      method: 'POST',
      url: `/orders/1710/${ref}/amend`,
      headers: planner,
      payload: { erp: { sapOrder: order.erp.sapOrder }, by: 'pl.ann', reason: 'SAP order number mistyped' },
    });
    assert.equal(amended.statusCode, 200, amended.body);
    assert.equal(amended.json().erp.sapOrder, order.erp.sapOrder);

    const releasedNow = await eventually(status, (s) => s.status === 'released', 60_000);
    assert.equal(releasedNow.needsAttention, false);
    const lotId = `S15${Date.now().toString(36).toUpperCase().slice(-5)}`;
    await report(stack, fullShift(ref, lotId));
    await orderAt(stack, ref, 'completed');

    const sap = await stack.writeCounts('sap');
    const odoo = await stack.writeCounts('odoo');
    assert.equal(sap['ReleaseOrder'], 1, 'one release in SAP, of the amended order');
    assert.equal(odoo['mrp.production.action_confirm'], 1, 'one confirmation in Odoo');
    const timeline = (
      await api.inject({ method: 'GET', url: `/orders/1710/${ref}/timeline`, headers: planner })
    ).json();
    assert.ok(
      timeline.some((t: { type: string; summary: string }) => t.type === 'OrderAmended' && /pl\.ann/.test(t.summary)),
      'the amendment is in the order history',
    );
    await recordHistoryIfAsked('order-s15-amended', stack.orders.handle('1710', ref));
    // The lot the shift made is registered in both ERPs before the file's stack goes down.
    await eventually(
      () => lotView(stack, lotId),
      (v) => v.registration.quarantine === 'done',
      60_000,
    );
  });
});
