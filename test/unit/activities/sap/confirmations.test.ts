import assert from 'node:assert/strict';
import { externalConfirmationId } from '../../../../activities/sap/idempotency';
import { applied, ea, failureOf, seedOrder, stockOf, useSapSimulator } from './harness';

describe('SAP activities: confirmations', () => {
  const h = useSapSimulator();
  let order: string;
  beforeEach(() => {
    order = seedOrder(h);
  });

  const post = (key: string, extra: Partial<Parameters<typeof h.sap.sapPostConfirmation>[0]> = {}) =>
    h.sap.sapPostConfirmation({
      order,
      operation: '0010',
      yield: ea('4'),
      final: false,
      idempotencyKey: key,
      ...extra,
    });

  it('posts a confirmation with goods movements mapped to the reservation; a retry posts nothing', async () => {
    const input = {
      scrap: ea('1'),
      goodsMovements: [{ material: 'RM-300', batch: 'H-1001', movementType: '261' as const, quantity: ea('5') }],
    };
    const first = await post('order:1710:1/op-0010/evt-1', input);
    assert.equal(first.alreadyPosted, false);
    assert.equal(first.externalSystemConfirmation, externalConfirmationId('order:1710:1/op-0010/evt-1'));
    const again = await post('order:1710:1/op-0010/evt-1', input);
    assert.deepEqual(
      [again.alreadyPosted, again.confirmationGroup, again.confirmationCount],
      [true, first.confirmationGroup, first.confirmationCount],
    );
    assert.equal((await applied(h, 'ProdnOrdConf2.create')).length, 1);
    const [conf] = h.sim.model.state.confirmations;
    assert.deepEqual(
      [conf!.ConfirmationYieldQuantity, conf!.ConfirmationScrapQuantity, conf!.ExternalSystemConfirmation],
      ['4', '1', first.externalSystemConfirmation],
    );
    assert.equal(stockOf(h, 'RM-300', 'H-1001')?.unrestricted, '495');
    const o = h.sim.model.order(order)!;
    assert.deepEqual(
      [o.components[0]!.WithdrawnQuantity, h.sim.model.state.materialDocuments[0]!.items[0]!.ReservationItem],
      ['5', '1'],
    );
  });

  it('finds its confirmation within the order, also where SAP cannot filter on the GUID: still posted once', async () => {
    await post('order:1710:1/op-0010/evt-7');
    await h.admin.setFaults({ special: { confirmationGuidFilter: 'unsupported' } });
    const again = await post('order:1710:1/op-0010/evt-7');
    assert.equal(again.alreadyPosted, true);
    const other = await post('order:1710:1/op-0010/evt-8');
    assert.equal(other.alreadyPosted, false);
    assert.equal((await applied(h, 'ProdnOrdConf2.create')).length, 2);
  });

  it('where SAP cannot filter on the GUID and pages the order’s confirmations, it reads every page: still posted once', async () => {
    for (const key of ['evt-1', 'evt-2', 'evt-3']) await post(`order:1710:1/op-0010/${key}`);
    await h.admin.setFaults({ special: { confirmationGuidFilter: 'unsupported', serverPageSize: 1 } });
    const again = await post('order:1710:1/op-0010/evt-3');
    assert.equal(again.alreadyPosted, true, 'found on the third page');
    assert.equal((await applied(h, 'ProdnOrdConf2.create')).length, 3);
  });

  it('final confirmations of both operations make the order CNF; GR in the confirmation makes it DLV', async () => {
    await post('k1', { yield: ea('10'), final: true });
    await post('k2', {
      operation: '0020',
      yield: ea('10'),
      final: true,
      goodsMovements: [{ material: 'FG-100', batch: 'FG-1', movementType: '101', quantity: ea('10') }],
    });
    const o = await h.sap.sapReadProductionOrder({ order });
    assert.deepEqual(o.systemStatuses, ['REL', 'CNF', 'DLV', 'GMPS']);
    assert.deepEqual(o.confirmedYield, ea('10'));
    assert.equal(stockOf(h, 'FG-100', 'FG-1')?.qualityInspection, '10');
  });

  it('surfaces goods movements parked in COGI as warnings', async () => {
    const r = await post('k-cogi', {
      goodsMovements: [{ material: 'RM-300', batch: 'H-1001', movementType: '261', quantity: ea('999') }],
    });
    assert.equal(r.alreadyPosted, false);
    assert.equal(r.messages[0]?.code, 'M7/021');
    assert.equal(r.messages[0]?.severity, 'warning');
    assert.equal(h.sim.model.state.failedGoodsMovements.length, 1);
  });

  it("posting period closed → BusinessRule carrying SAP's M7/053 message; nothing posted", async () => {
    await h.admin.setFaults({ special: { postingPeriodClosed: true } });
    const failure = await failureOf(post('k-closed'), 'BusinessRule');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /M7\/053 Posting only possible in periods/);
    const details = failure.details?.[0] as { code: string; status: number; sapMessage: string };
    assert.deepEqual([details.code, details.status], ['M7/053', 400]);
    assert.match(details.sapMessage, /company code 1710/);
    await h.admin.clearFaults();
    assert.equal((await post('k-closed')).alreadyPosted, false, 'the operator retry after the fix posts it');
    assert.equal(h.sim.model.state.confirmations.length, 1);
  });

  it('a locked order (423) is Transient', async () => {
    await h.admin.setFaults({ special: { lockRate: 1 } });
    const failure = await failureOf(post('k-locked'), 'Transient');
    assert.equal(failure.nonRetryable, false);
    assert.equal(h.sim.model.state.confirmations.length, 0);
  });

  it('refuses negative quantities and scrap in another unit before calling SAP', async () => {
    await failureOf(post('k-neg', { yield: ea('-1') }), 'BusinessRule');
    await failureOf(post('k-unit', { scrap: { value: '1', uom: 'KGM' } }), 'BusinessRule');
    assert.equal((await h.admin.writes()).length, 0);
  });
});
