import assert from 'node:assert/strict';
import { SCENARIO_ODOO_VERSIONS, startPlantStack, type PlantStack } from '../support/stack';
import { releasableOrder } from '../support/erp-fixtures';
import { mes } from '../support/orders';
import { orderAt } from '../support/produce';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';
import { TEST_KEYS } from '../support/api';

/** Prometheus text → { 'name{labels}': value } (comments and HELP/TYPE lines left out). */
function parseMetrics(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

for (const odooVersion of SCENARIO_ODOO_VERSIONS) {
  describe(`S1 (order part) on Odoo ${odooVersion}: happy path on the dev server with real activities and simulators`, function () {
    this.timeout(300_000);
    let stack: PlantStack;
    before(async () => {
      stack = await startPlantStack({ odooVersion });
    });
    after(async () => stack?.teardown());

    it('S1: releases, posts exactly one confirmation per operation event, and completes in Odoo and SAP', async () => {
      const ref = `S1-${Date.now()}`;
      const lotId = 'FG-S1A';
      const order = await releasableOrder(stack.config, ref);
      // Released the way a planner's system does it: over the HTTP API.
      const api = await stack.api();
      const planner = { authorization: 'Bearer test-planner-key-0000000000' };
      const released = await api.inject({ method: 'POST', url: '/orders', headers: planner, payload: order });
      assert.equal(released.statusCode, 202, released.body);
      assert.equal(released.json().workflowId, `order:1710:${ref}`);
      const again = await api.inject({ method: 'POST', url: '/orders', headers: planner, payload: order });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'AlreadyReleased');
      assert.match(again.json().message, new RegExp(released.json().runId));
      await eventually(
        async () => (await api.inject({ method: 'GET', url: `/orders/1710/${ref}`, headers: planner })).json(),
        (s) => s.status === 'released',
        60_000,
      );
      const events = [
        mes.started('0010', { orderRef: ref }),
        mes.consumed('RM-300', 'H-1001', '60', 'EA', { orderRef: ref }),
        mes.consumed('RM-300', 'H-1002', '40', 'EA', { orderRef: ref }),
        mes.consumed('RM-310', 'I-2001', '100', 'EA', { orderRef: ref }),
        mes.completed('0010', '100', { orderRef: ref, final: true }),
        mes.started('0020', { orderRef: ref }),
        mes.consumed('RM-400', 'R-4001', '25', 'KGM', { orderRef: ref }),
        mes.completed('0020', '100', { orderRef: ref, final: true }),
        mes.produced(lotId, '100', { orderRef: ref }),
      ];
      // The MES reports over the HTTP API, as a shift's resend would: one batch, each event answered.
      const mesKey = { authorization: `Bearer ${TEST_KEYS.mes}` };
      const answered = await api.inject({ method: 'POST', url: '/mes/events', headers: mesKey, payload: { events } });
      assert.equal(answered.statusCode, 200, answered.body);
      assert.deepEqual(
        answered.json().results.map((r: { outcome: string }) => r.outcome),
        events.map(() => 'accepted'),
      );
      const status = await orderAt(stack, ref, 'completed');
      assert.deepEqual(status.postings.posted, { odoo: 9, sap: 7, mes: 0, plantflow: 1 });

      const sap = await stack.writeCounts('sap');
      assert.equal(sap['ReleaseOrder'], 1);
      assert.equal(sap['ProdnOrdConf2.create'], 2, 'one confirmation per operation completion event');
      assert.equal(sap['A_MaterialDocumentHeader.create'], 5, 'four goods issues (261) and one goods receipt (101)');
      const odoo = await stack.writeCounts('odoo');
      assert.equal(odoo['mrp.production.action_confirm'], 1);
      assert.equal(odoo['mrp.workorder.button_start'], 2);
      assert.equal(odoo['mrp.workorder.button_finish'], 2);
      assert.equal(odoo['stock.move.line.load'], 5, 'four consumed lots and one produced lot');
      assert.equal(odoo['mrp.production.button_mark_done'], 1);
      assert.equal((await stack.writeCounts('qms'))['InspectionPlanActivation.activate'], 1);
      assert.equal((await stack.writeCounts('mes'))['OperationsRequest.dispatch'], 1);

      if (odooVersion === '19') await recordHistoryIfAsked('order-s1-completed', stack.orders.handle('1710', ref));
      const mo = await stack.odoo.odooReadManufacturingOrder({ moName: order.erp.odooMo });
      assert.equal(mo.state, 'done');
      assert.deepEqual(mo.lotsProducing, [lotId]);
      const consumedLots = mo.components.flatMap((c) => c.lots).sort();
      assert.deepEqual(consumedLots, ['H-1001', 'H-1002', 'I-2001', 'R-4001']);
      const po = await stack.sap.sapReadProductionOrder({ order: order.erp.sapOrder });
      assert.equal(po.confirmedYield.value, '100');
      assert.ok(po.systemStatuses.includes('CNF'), `SAP statuses ${po.systemStatuses.join(' ')}`);
      const components = Object.fromEntries(po.components.map((c) => [c.material, c.withdrawn.value]));
      assert.equal(Number(components['RM-300']), 100);
      assert.equal(Number(components['RM-400']), 25);
      // The goods received, the lot the order made takes them into quarantine in Odoo and waits for QA.
      const lot = await eventually(
        () => stack.plantflow.lots.status('FG-100', lotId),
        (l) => l.registration.quarantine === 'done',
        60_000,
      );
      assert.equal(lot.status, 'restricted');

      // The business metrics tell the same story (API and workers on one /metrics, as npm start serves it).
      const metrics = await eventually(
        async () => parseMetrics((await api.inject({ method: 'GET', url: '/metrics' })).body),
        (m) => m['plantflow_orders{status="completed"}'] === 1 && m['plantflow_lots_awaiting_disposition'] === 1,
        60_000,
        500,
      );
      const accepted = (type: string) => metrics[`plantflow_mes_events_total{type="${type}",outcome="accepted"}`];
      assert.deepEqual(
        ['OperationStarted', 'MaterialConsumed', 'OperationCompleted', 'MaterialProduced'].map(accepted),
        [2, 4, 2, 1],
      );
      assert.equal(metrics['plantflow_orders{status="in_progress"}'], 0);
      assert.equal(metrics['plantflow_runs_needing_attention{process="order"}'], 0);
      assert.equal(
        metrics['plantflow_postings_total{system="sap",activity="sapPostConfirmation",outcome="posted"}'],
        2,
      );
      assert.equal(
        metrics['plantflow_postings_total{system="sap",activity="sapPostGoodsMovement",outcome="posted"}'],
        5,
      );
      // Every SAP posting an MES event caused has its latency measured from both of the event's times.
      for (const from of ['recorded', 'effective'])
        assert.equal(metrics[`plantflow_event_to_posting_seconds_count{system="sap",from="${from}"}`], 7);
      assert.equal(metrics['plantflow_downstream_up{system="sap"}'], 1);
      assert.equal(metrics['plantflow_downstream_up{system="odoo"}'], 1);
      assert.equal(metrics['plantflow_steps_refused_total{system="sap",reason="BusinessRule"}'], undefined);
    });
  });
}
