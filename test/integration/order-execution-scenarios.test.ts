import assert from 'node:assert/strict';
import { startPlantStack, type PlantStack } from '../support/stack';
import { releasableOrder } from '../support/erp-fixtures';
import { mes } from '../support/orders';
import { eventually } from '../support/eventually';
import type { ProductionOrderInput } from '../../domain/order';
import { z } from 'zod';
import { OdooClient } from '../../activities/odoo/client';

describe('order execution scenarios on the dev server (S2, S3 scrap, S6)', function () {
  this.timeout(300_000);
  let stack: PlantStack;
  before(async () => {
    stack = await startPlantStack();
  });
  after(async () => stack?.teardown());
  beforeEach(async () => {
    for (const sim of Object.values(stack.sims)) await sim.reset();
  });

  async function releaseOrder(ref: string): Promise<ProductionOrderInput> {
    const order = await releasableOrder(stack.config, ref);
    await stack.orders.release(order);
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'released',
      60_000,
    );
    return order;
  }

  it('S2: 60 of 100 produced and closed with a backorder — Odoo backorder of 40, SAP partial then final, nothing twice', async () => {
    const ref = `S2-${Date.now()}`;
    const order = await releaseOrder(ref);
    for (const e of [
      mes.started('0010', { orderRef: ref }),
      mes.consumed('RM-300', 'H-1001', '60', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2001', '60', 'EA', { orderRef: ref }),
      mes.completed('0010', '60', { orderRef: ref }),
      mes.started('0020', { orderRef: ref }),
      mes.completed('0020', '60', { orderRef: ref }),
      mes.produced('FG-S2A', '60', { orderRef: ref }),
    ]) {
      await stack.orders.reportMesEvent(e);
    }
    await stack.orders.complete('1710', ref, {
      mode: 'backorder',
      by: 'plan.eva',
      reason: 'resin delivery late; rest next week',
    });
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'completed',
      120_000,
    );

    const confirmations = (await stack.sims.sap.writes({ operation: 'ProdnOrdConf2.create', applied: true })).map(
      (w) => {
        const b = w.body as {
          OrderOperation: string;
          ConfirmationYieldQuantity: string;
          FinalConfirmationType?: string;
          IsFinalConfirmation?: boolean;
        };
        return `${b.OrderOperation}:${Number(b.ConfirmationYieldQuantity)}:${b.IsFinalConfirmation === true || b.FinalConfirmationType === 'X' ? 'final' : 'partial'}`;
      },
    );
    assert.deepEqual(confirmations, ['0010:60:partial', '0020:60:partial', '0010:0:final', '0020:0:final']);
    const po = await stack.sap.sapReadProductionOrder({ order: order.erp.sapOrder });
    assert.equal(po.confirmedYield.value, '60', 'SAP confirmed yield is 60, not more');

    const mo = await stack.odoo.odooReadManufacturingOrder({ moName: order.erp.odooMo });
    assert.equal(mo.state, 'done');
    assert.equal(mo.quantity.value, '60', 'the done MO carries the 60 produced');
    const backorder = await stack.odoo.odooReadManufacturingOrder({ moName: `${order.erp.odooMo}-002` });
    assert.equal(backorder.quantity.value, '40');
    // Odoo computes a new backorder's state from its own progress: nothing produced on it and no work order
    // started, so it is confirmed, waiting for the floor.
    assert.equal(backorder.state, 'confirmed');
    assert.equal((await stack.writeCounts('odoo'))['mrp.production.button_mark_done'], 1);
  });

  it('S3 (scrap half): 90 yield, 5 scrap, 5 rework — scrap posted once in each ERP', async () => {
    const ref = `S3-${Date.now()}`;
    const order = await releaseOrder(ref);
    for (const e of [
      mes.consumed('RM-300', 'H-1001', '100', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2001', '100', 'EA', { orderRef: ref }),
      mes.completed('0010', '90', { orderRef: ref, scrap: '5', rework: '5', final: true }),
      mes.completed('0020', '90', { orderRef: ref, final: true }),
      mes.produced('FG-S3A', '90', { orderRef: ref }),
    ]) {
      await stack.orders.reportMesEvent(e);
    }
    await stack.orders.complete('1710', ref, {
      mode: 'short_close',
      by: 'plan.eva',
      reason: '5 scrapped, 5 sent to rework',
    });
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'completed',
      120_000,
    );

    const confirmations = await stack.sims.sap.writes({ operation: 'ProdnOrdConf2.create', applied: true });
    const scrapInSap = confirmations.map((w) =>
      Number((w.body as { ConfirmationScrapQuantity?: string }).ConfirmationScrapQuantity ?? 0),
    );
    assert.equal(
      scrapInSap.reduce((a, b) => a + b, 0),
      5,
      'SAP holds the 5 scrapped once',
    );
    const rework = confirmations.map((w) =>
      Number((w.body as { ConfirmationReworkQuantity?: string }).ConfirmationReworkQuantity ?? 0),
    );
    assert.equal(
      rework.reduce((a, b) => a + b, 0),
      5,
    );
    assert.equal((await stack.writeCounts('odoo'))['stock.scrap.create'], 1, 'one scrap written to Odoo');
    const odoo = OdooClient.fromConnection(stack.config.odoo);
    const scraps = await odoo.searchRead(
      'stock.scrap',
      [],
      ['scrap_qty', 'state'],
      z.object({ scrap_qty: z.number(), state: z.string() }).loose(),
    );
    assert.deepEqual(
      scraps.map((r) => [r.scrap_qty, r.state]),
      [[5, 'done']],
      'Odoo holds exactly one done scrap of 5',
    );
    const mo = await stack.odoo.odooReadManufacturingOrder({ moName: order.erp.odooMo });
    assert.equal(mo.state, 'done');
  });

  it('S6: shift handover resends and reorders events — every posting once, timeline by effectiveAt', async () => {
    const ref = `S6-${Date.now()}`;
    await releaseOrder(ref);
    const start = mes.started('0010', { orderRef: ref });
    const consumeA = mes.consumed('RM-300', 'H-1001', '50', 'EA', { orderRef: ref });
    const consumeB = mes.consumed('RM-310', 'I-2001', '50', 'EA', { orderRef: ref });
    const complete = mes.completed('0010', '50', { orderRef: ref });
    // Shift A sends the completion before the start (buffered terminal), then shift B resends everything.
    for (const e of [complete, consumeA, start]) await stack.orders.reportMesEvent(e);
    for (const e of [start, consumeA, consumeB, complete, consumeB]) {
      await stack.orders.reportMesEvent({ ...e, recordedAt: new Date().toISOString() });
    }
    // The batch route answers per event, in order: the order's own dedup state recognises both.
    const api = await stack.api();
    const res = await api.inject({
      method: 'POST',
      url: '/mes/events',
      headers: { authorization: 'Bearer test-mes-key-00000000000000000' },
      payload: { events: [consumeA, complete] },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json().results.map((r: { outcome: string }) => r.outcome),
      ['duplicate', 'duplicate'],
    );

    const status = await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.postings.pending === 0 && s.execution!.acceptedEvents === 4,
      60_000,
    );
    assert.equal(status.execution!.operations['0010']!.yield.value, '50');
    const sap = await stack.writeCounts('sap');
    assert.equal(sap['ProdnOrdConf2.create'], 1);
    assert.equal(sap['A_MaterialDocumentHeader.create'], 2);
    const odoo = await stack.writeCounts('odoo');
    assert.equal(odoo['mrp.workorder.button_start'], 1);
    assert.equal(odoo['stock.move.line.load'], 2);

    const timeline = (await stack.orders.timeline('1710', ref)).filter((t) => t.source === 'mes');
    const times = timeline.map((t) => t.effectiveAt);
    assert.deepEqual(times, [...times].sort(), 'timeline ordered by effectiveAt');
    assert.deepEqual(
      timeline.map((t) => t.type),
      ['OperationStarted', 'MaterialConsumed', 'MaterialConsumed', 'OperationCompleted'],
    );
  });
});
