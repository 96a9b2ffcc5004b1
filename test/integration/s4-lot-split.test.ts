import assert from 'node:assert/strict';
import type { LotStatusView } from '../../workflows/lot/state';
import { TEST_KEYS } from '../support/api';
import { releasableOrder } from '../support/erp-fixtures';
import { reviewedRecord } from '../support/lot-review';
import { forwardTo, odooLot, signingApi } from '../support/lot-systems';
import { mes } from '../support/orders';
import { orderAt, produce } from '../support/produce';
import { scenarioPlant } from '../support/scenario-plant';
import { eventually } from '../support/eventually';

describe('S4: one batch filled into two lots with different dispositions — dev server, real activities, simulators', function () {
  this.timeout(300_000);
  const plant = scenarioPlant(signingApi);

  it('S4: each lot has its own workflow, genealogy and final status; released in one, scrapped in the other, in Odoo and SAP', async () => {
    const { stack, api } = plant;
    const ref = `S4-${Date.now()}`;
    const stamp = Date.now().toString(36).toUpperCase().slice(-6);
    const [good, bad] = [`S4A${stamp}`, `S4B${stamp}`];
    const order = await releasableOrder(stack.config, ref);
    await stack.orders.release(order);
    const events = [
      mes.consumed('RM-300', 'H-1001', '100', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2001', '100', 'EA', { orderRef: ref }),
      mes.completed('0010', '100', { orderRef: ref, final: true }),
      mes.consumed('RM-400', 'R-4001', '25', 'KGM', { orderRef: ref }),
      mes.completed('0020', '100', { orderRef: ref, final: true }),
      mes.produced(good, '60', { orderRef: ref }),
      mes.produced(bad, '40', { orderRef: ref }),
    ];
    await produce(stack, ref, events);
    const completed = await orderAt(stack, ref, 'completed');
    assert.deepEqual(
      completed.lots.map((l) => `${l.lotId}=${l.quantity.value}`),
      [`${good}=60`, `${bad}=40`],
    );

    const lot = (id: string) => api.get(`/lots/FG-100/${id}`, TEST_KEYS.viewer).then((r) => r.json() as LotStatusView);
    for (const id of [good, bad])
      await eventually(
        () => lot(id),
        (s) => s.registration?.quarantine === 'done',
        60_000,
      );
    const [a, b] = [await lot(good), await lot(bad)];
    assert.notEqual(a.workflowId, b.workflowId);
    assert.deepEqual([a.quantity?.value, b.quantity?.value], ['60', '40']);
    for (const s of [a, b]) {
      assert.deepEqual(
        s.parents.map((p) => `${p.material}:${p.lotId}`).sort(),
        ['RM-300:H-1001', 'RM-310:I-2001', 'RM-400:R-4001'],
        'both lots come from the same consumed components',
      );
    }

    for (const c of ['PRESSURE', 'VISUAL']) {
      const r = await api.post('/inspections', TEST_KEYS.qms, {
        material: 'FG-100',
        lotId: good,
        eventId: `s4-${good}-${c}`,
        characteristic: c,
        result: 'pass',
        ...(c === 'PRESSURE' ? { value: '19', unit: 'bar' } : {}),
        inspector: 'lab.kim',
        effectiveAt: new Date().toISOString(),
      });
      assert.equal(r.statusCode, 202);
    }
    await eventually(
      () => lot(good),
      (s) => s.requiredNotPassed.length === 0,
      60_000,
    );
    const released = await api.post(`/lots/FG-100/${good}/disposition`, TEST_KEYS.qp, {
      decision: 'release',
      meaning: 'approved_for_release',
      review: await reviewedRecord(api, 'FG-100', good),
      signature: { userId: 'qp.marc', password: api.passwords['qp.marc'] },
    });
    assert.equal(released.statusCode, 200, released.body);
    const rejected = await api.post(`/lots/FG-100/${bad}/disposition`, TEST_KEYS.qa, {
      decision: 'reject',
      meaning: 'rejected',
      reason: 'filled from the tail of the batch after the coating line stopped',
      signature: { userId: 'qa.anna', password: api.passwords['qa.anna'] },
    });
    assert.equal(rejected.statusCode, 200, rejected.body);

    const [finalA, finalB] = [
      await eventually(
        () => lot(good),
        (s) => s.status === 'released',
        120_000,
      ),
      await eventually(
        () => lot(bad),
        (s) => s.status === 'rejected',
        120_000,
      ),
    ];
    assert.deepEqual([finalA.disposition, finalB.disposition], ['UnRestricted', 'Closed']);
    const closed = await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'closed',
      60_000,
    );
    assert.deepEqual(
      closed.lots.map((l) => [l.lotId, l.disposition, l.final]),
      [
        [good, 'released', true],
        [bad, 'rejected', true],
      ],
    );

    // Odoo: the good lot is available, the bad one scrapped from Quarantine.
    const [odooA, odooB] = [await odooLot(stack, 'FG-100', good), await odooLot(stack, 'FG-100', bad)];
    assert.deepEqual([odooA.location, odooA.quantity, odooA.scrapped], ['WH/Stock', 60, 0]);
    assert.deepEqual([odooB.quantity, odooB.scrapped], [0, 40]);
    // SAP: one inspection lot each; accepted to unrestricted vs rejected to scrap; the rejected batch stays restricted.
    const [sapA, sapB] = [
      await stack.sap.sapFindInspectionLot({ material: 'FG-100', batch: good }),
      await stack.sap.sapFindInspectionLot({ material: 'FG-100', batch: bad }),
    ];
    assert.deepEqual(
      sapA.lots.map((l) => [l.postedToUnrestricted.value, l.postedToScrap.value]),
      [['60', '0']],
    );
    assert.deepEqual(
      sapB.lots.map((l) => [l.postedToUnrestricted.value, l.postedToScrap.value]),
      [['0', '40']],
    );
    const [batchA, batchB] = [
      await stack.sap.sapReadBatch({ material: 'FG-100', batch: good }),
      await stack.sap.sapReadBatch({ material: 'FG-100', batch: bad }),
    ];
    assert.deepEqual([batchA.exists && batchA.restricted, batchB.exists && batchB.restricted], [false, true]);
    const sap = await stack.writeCounts('sap');
    assert.equal(sap['A_InspLotUsageDecision.create'], 2);
    assert.equal(sap['A_InspLotMatlDocItem.create'], 2);
    const odoo = await stack.writeCounts('odoo');
    assert.equal(odoo['stock.scrap.create'], 1, JSON.stringify(odoo));
    assert.equal(odoo['stock.lot.write'], 3, 'two lots into Quarantine, one out to WH/Stock');
    assert.equal((await stack.writeCounts('qms'))['SignedRecord.append'], 2);

    // Forward genealogy from a component lot finds both (visibility, works once they are closed).
    const forward = await forwardTo(api, 'RM-310/I-2001', [good, bad]);
    assert.deepEqual(forward.map((l) => `${l.key}:${l.status}:${l.quantity?.value}`).sort(), [
      `FG-100:${good}:released:100`,
      `FG-100:${bad}:rejected:100`,
    ]);
  });
});
