import assert from 'node:assert/strict';
import { createSapActivities } from '../../../../activities/sap/activities';
import { sapPlantCustomizingSchema } from '../../../../contracts/sap-customizing';
import { applied, ea, failureOf, useSapSimulator } from './harness';

describe('SAP adapter: rework production order for a nonconformance (sapCreateReworkOrder)', () => {
  const h = useSapSimulator();
  const input = {
    idempotencyKey: 'ncr:NCR-1/exec/L1/sap-rework-order',
    material: 'FG-100',
    plant: '1710',
    quantity: ea('5'),
    plannedStart: '2026-11-24',
    plannedEnd: '2026-11-26',
  };

  it('creates the order (routing and BOM exploded) and a retry finds it by its fingerprint: one create in the journal', async () => {
    const first = await h.sap.sapCreateReworkOrder(input);
    const again = await h.sap.sapCreateReworkOrder(input);
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.order, first.order);
    assert.equal((await applied(h, 'A_ProductionOrder_2.create')).length, 1);
    assert.deepEqual(
      first.operations.map((o) => `${o.operation}/${o.workCenter}`),
      ['0010/ASSY1', '0020/TEST1'],
    );
    assert.deepEqual(first.components, ['RM-300', 'RM-310', 'RM-400']);
    const po = await h.sap.sapReadProductionOrder({ order: first.order });
    assert.deepEqual([po.material, po.totalQuantity.value, po.systemStatuses], ['FG-100', '5', ['CRTD']]);
    assert.equal(h.sim.model.order(first.order)!.ManufacturingOrderType, 'YN01', 'the plant’s rework order type');
  });

  it('the rework order type is the plant’s customizing: SAP refuses one the plant does not have', async () => {
    const other = createSapActivities({
      url: h.url,
      user: 'plantflow',
      password: 'plantflow',
      timeoutMs: 3_000,
      customizing: { plants: { '1710': sapPlantCustomizingSchema.parse({ reworkOrderType: 'ZR01' }) } },
    });
    const refused = await failureOf(other.sapCreateReworkOrder(input), 'BusinessRule');
    assert.match(refused.message, /Order type ZR01 is not defined for plant 1710/);
  });

  it('a released twin is not reused: another rework of the same size the same day gets its own order', async () => {
    const first = await h.sap.sapCreateReworkOrder(input);
    await h.sap.sapReleaseProductionOrder({ order: first.order });
    const second = await h.sap.sapCreateReworkOrder({ ...input, idempotencyKey: 'ncr:NCR-2/exec/L1/sap-rework-order' });
    assert.notEqual(second.order, first.order);
    assert.equal((await applied(h, 'A_ProductionOrder_2.create')).length, 2);
  });

  it("refuses bad dates before calling SAP, and SAP's own refusal of an unknown material (BusinessRule)", async () => {
    await failureOf(h.sap.sapCreateReworkOrder({ ...input, plannedStart: '24.11.2026' }), 'BusinessRule');
    await failureOf(h.sap.sapCreateReworkOrder({ ...input, material: 'FG-999' }), 'BusinessRule');
    assert.equal((await applied(h, 'A_ProductionOrder_2.create')).length, 0);
  });
});
