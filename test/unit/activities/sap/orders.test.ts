import assert from 'node:assert/strict';
import { applied, failureOf, seedOrder, useSapSimulator } from './harness';

describe('SAP activities: production orders', () => {
  const h = useSapSimulator();

  it('sapReadProductionOrder maps header, operations, components and system statuses', async () => {
    const order = seedOrder(h, { quantity: '8' });
    const o = await h.sap.sapReadProductionOrder({ order });
    assert.equal(o.order, order);
    assert.equal(o.material, 'FG-100');
    assert.equal(o.plant, '1710');
    assert.deepEqual(o.totalQuantity, { value: '8', uom: 'EA' });
    assert.deepEqual(o.confirmedYield, { value: '0', uom: 'EA' });
    assert.equal(o.flags.released, true);
    assert.deepEqual(o.systemStatuses, ['REL']);
    assert.deepEqual(
      o.operations.map((op) => [op.operation, op.workCenter, op.status, op.confirmedYield.value]),
      [
        ['0010', 'ASSY1', 'REL', '0'],
        ['0020', 'TEST1', 'REL', '0'],
      ],
    );
    const resin = o.components.find((c) => c.material === 'RM-400')!;
    assert.deepEqual(resin.required, { value: '2', uom: 'KGM' });
    assert.equal(resin.reservationItem, '3');
    assert.equal(resin.batch, undefined);
  });

  it('an unknown order is a BusinessRule "not found" (404 on the key)', async () => {
    const failure = await failureOf(h.sap.sapReadProductionOrder({ order: '4711' }), 'BusinessRule');
    assert.match(failure.message, /production order 4711 not found/);
  });

  it('sapReleaseProductionOrder releases once; a retried activity is a no-op', async () => {
    const order = seedOrder(h, { release: false });
    const first = await h.sap.sapReleaseProductionOrder({ order });
    assert.equal(first.alreadyReleased, false);
    assert.deepEqual(first.systemStatuses, ['REL']);
    assert.match(first.messages.map((m) => m.text).join(), /released/);
    const second = await h.sap.sapReleaseProductionOrder({ order });
    assert.equal(second.alreadyReleased, true);
    assert.equal((await applied(h, 'ReleaseOrder')).length, 1);
    assert.deepEqual(h.sim.model.order(order)!.statuses, ['REL']);
  });

  it('sapTechnicallyCompleteOrder works as compensation before release and is idempotent', async () => {
    const order = seedOrder(h, { release: false });
    const first = await h.sap.sapTechnicallyCompleteOrder({ order });
    assert.equal(first.alreadyCompleted, false);
    assert.deepEqual(first.systemStatuses, ['CRTD', 'TECO']);
    assert.equal((await h.sap.sapTechnicallyCompleteOrder({ order })).alreadyCompleted, true);
    assert.equal((await applied(h, 'TechlyCmpltOrder')).length, 1);
    // A TECO order cannot be released any more: SAP's status message comes back as a BusinessRule.
    const refused = await failureOf(h.sap.sapReleaseProductionOrder({ order }), 'BusinessRule');
    assert.match(refused.message, /BS\/013 System status TECO is active/);
  });

  it('refuses impossible input before calling SAP', async () => {
    await failureOf(h.sap.sapReadProductionOrder({ order: 'WH/MO/1' }), 'BusinessRule');
  });
});
