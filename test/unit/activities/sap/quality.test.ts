import assert from 'node:assert/strict';
import { createSapActivities } from '../../../../activities/sap/activities';
import { applied, ea, failureOf, seedOrder, stockOf, useSapSimulator, type SapHarness } from './harness';

/** Produces a batch of FG-100 into QI stock through a real 101 (opens an inspection lot). */
async function receive(h: SapHarness, batch: string, quantity: string): Promise<string> {
  const order = seedOrder(h);
  await h.sap.sapPostGoodsMovement({
    movementType: '101',
    material: 'FG-100',
    plant: '1710',
    batch,
    quantity: ea(quantity),
    order,
    idempotencyKey: `gr-${batch}-${quantity}`,
  });
  return order;
}

describe('SAP activities: inspection lots, usage decisions, notifications, defects', () => {
  const h = useSapSimulator();

  it('sapFindInspectionLot finds the lot SAP opened for the batch (and none for an unknown batch)', async () => {
    const order = await receive(h, 'FG-50', '10');
    const found = await h.sap.sapFindInspectionLot({ material: 'FG-100', batch: 'FG-50', order });
    assert.equal(found.found, true);
    assert.equal(found.status, 'open');
    const lot = found.lots[0]!;
    assert.deepEqual(
      [lot.inspectionLot, lot.origin, lot.order, lot.quantity, lot.toBePosted],
      [found.inspectionLot, '04', order, ea('10'), ea('10')],
    );
    assert.deepEqual(await h.sap.sapFindInspectionLot({ material: 'FG-100', batch: 'FG-51' }), {
      found: false,
      lots: [],
    });
  });

  it('sapRecordUsageDecision decides once; same code again is a no-op, another code a BusinessRule', async () => {
    await receive(h, 'FG-60', '5');
    const { inspectionLot } = await h.sap.sapFindInspectionLot({ material: 'FG-100', batch: 'FG-60' });
    const input = {
      inspectionLot: inspectionLot!,
      decision: 'accept' as const,
      decidedBy: 'qp.marc',
      idempotencyKey: 'lot:FG-100:FG-60/ud',
    };
    const first = await h.sap.sapRecordUsageDecision(input);
    assert.deepEqual(first, { inspectionLot, code: 'A', valuation: 'A', alreadyDecided: false });
    assert.equal((await h.sap.sapRecordUsageDecision(input)).alreadyDecided, true);
    const conflict = await failureOf(h.sap.sapRecordUsageDecision({ ...input, decision: 'reject' }), 'BusinessRule');
    assert.match(conflict.message, /already has usage decision A, not R/);
    assert.equal((await applied(h, 'A_InspLotUsageDecision.create')).length, 1);
    const recorded = h.sim.model.inspectionLot(inspectionLot!)!.usageDecision!;
    assert.deepEqual(
      [
        recorded.InspectionLotUsageDecidedBy,
        recorded.SelectedCodeSetPlant,
        recorded.InspLotUsgeDcsnSelectedSet,
        recorded.InspLotUsageDecisionCodeGroup,
        recorded.InspLotUsageDecisionLevel,
      ],
      ['QP.MARC', '1710', '01', '01', 'L'],
    );
  });

  it('sapPostInspectionLotStock moves QI stock out exactly once per key', async () => {
    await receive(h, 'FG-70', '10');
    const { inspectionLot } = await h.sap.sapFindInspectionLot({ material: 'FG-100', batch: 'FG-70' });
    await h.sap.sapRecordUsageDecision({
      inspectionLot: inspectionLot!,
      decision: 'accept',
      decidedBy: 'qa.anna',
      idempotencyKey: 'ud',
    });
    const free = {
      inspectionLot: inspectionLot!,
      to: 'unrestricted' as const,
      quantity: ea('7'),
      idempotencyKey: 'lot/post/free',
    };
    const first = await h.sap.sapPostInspectionLotStock(free);
    assert.equal(first.alreadyPosted, false);
    assert.deepEqual(await h.sap.sapPostInspectionLotStock(free), { ...first, alreadyPosted: true });
    await h.sap.sapPostInspectionLotStock({
      inspectionLot: inspectionLot!,
      to: 'scrap',
      quantity: ea('3'),
      idempotencyKey: 'lot/post/scrap',
    });
    assert.equal((await applied(h, 'A_InspLotMatlDocItem.create')).length, 2);
    const s = stockOf(h, 'FG-100', 'FG-70')!;
    assert.deepEqual([s.unrestricted, s.qualityInspection, s.blocked], ['7', '0', '0']);
    const after = await h.sap.sapFindInspectionLot({ material: 'FG-100', batch: 'FG-70' });
    assert.deepEqual(
      [after.status, after.lots[0]!.postedToUnrestricted, after.lots[0]!.postedToScrap],
      ['posted', ea('7'), ea('3')],
    );
    const over = await failureOf(
      h.sap.sapPostInspectionLotStock({ ...free, idempotencyKey: 'lot/post/more' }),
      'BusinessRule',
    );
    assert.match(over.message, /only 0/);
  });

  it('sapCreateQualityNotification creates once (V4, defects as items); completion is left to SAP unless the tenant has an action', async () => {
    const input = {
      idempotencyKey: 'ncr:NCR-7/sap-qn',
      text: 'Coating blisters on pump housings',
      material: 'FG-100',
      plant: '1710',
      batch: 'FG-80',
      defects: [
        { code: 'COAT/BL', text: 'Blistered coating', quantity: ea('3') },
        { code: 'DENT', text: 'Dented flange' },
      ],
    };
    const first = await h.sap.sapCreateQualityNotification(input);
    assert.equal(first.alreadyCreated, false);
    assert.deepEqual(await h.sap.sapCreateQualityNotification(input), {
      notification: first.notification,
      alreadyCreated: true,
    });
    assert.equal((await applied(h, 'QualityNotification.create')).length, 1);
    const n = h.sim.model.state.notifications[0]!;
    assert.match(n.NotificationText, /^PF-[0-9A-F]{10} Coating blisters/);
    assert.ok(n.NotificationText.length <= 40);
    assert.deepEqual([n.NotificationType, n.Material, n.Plant, n.Batch], ['Q3', 'FG-100', '1710', 'FG-80']);
    assert.deepEqual(
      n.items.map((i) => [i.DefectCodeGroup, i.DefectCode, i.InternalDefectiveQuantity]),
      [
        ['COAT', 'BL', '3'],
        ['PF-DEF', 'DENT', '0'],
      ],
    );
    const left = await h.sap.sapCompleteQualityNotification({ notification: first.notification });
    assert.deepEqual([left.outcome, left.phase], ['left_open', '1']);
    assert.match(left.reason!, /cannot complete notifications: complete \d+ in SAP/);
    const withAction = createSapActivities({
      url: h.url,
      user: 'plantflow',
      password: 'plantflow',
      timeoutMs: 3_000,
      customizing: { plants: {}, notificationCompleteAction: 'SAP__self.Complete' },
    });
    await failureOf(withAction.sapCompleteQualityNotification({ notification: first.notification }), 'BusinessRule');
    assert.equal(n.NotifProcessingPhase, '1', 'nothing patched behind the service');
    assert.equal((await h.admin.writes({ operation: 'QualityNotification.patch' })).length, 0);
  });
});
