import assert from 'node:assert/strict';
import { z } from 'zod';
import { m2oName, m2oSchema, OdooClient } from '../../activities/odoo/client';
import { createQmsActivities } from '../../activities/qms/activities';
import type { LotStatusView } from '../../workflows/lot/state';
import { TEST_KEYS } from '../support/api';
import { releasableOrder } from '../support/erp-fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { forwardTo, odooLot, signingApi } from '../support/lot-systems';
import { mes } from '../support/orders';
import { orderAt, produce, report } from '../support/produce';
import { scenarioPlant } from '../support/scenario-plant';
import { SCENARIO_ODOO_VERSIONS } from '../support/stack';
import { eventually } from '../support/eventually';

const ea = (value: string) => ({ value, uom: 'EA' });

/**
 * One order for 100 seal cartridges (FG-200, leak-tested on every Odoo MO) filled into two lots, 60 + 40.
 * Odoo keeps one finished lot per MO: the MO is marked done with lot A and a backorder, lot B is produced
 * on the backorder; each MO's leak check carries the QMS result before it is marked done.
 */
for (const odooVersion of SCENARIO_ODOO_VERSIONS) {
  describe(`S18 on Odoo ${odooVersion}: one order, two lots (60 + 40) — dev server, real activities, simulators`, function () {
    this.timeout(300_000);
    const plant = scenarioPlant(signingApi, { odooVersion });

    it('S18: each lot holds exactly its quantity in Odoo and SAP, its leak check is on its own MO, genealogy of both correct', async () => {
      const { stack, api } = plant;
      const ref = `S18-${odooVersion}-${Date.now()}`;
      const stamp = Date.now().toString(36).toUpperCase().slice(-5);
      const [a, b] = [`S18A${stamp}`, `S18B${stamp}`];
      const order = await releasableOrder(stack.config, ref, {
        material: 'FG-200',
        operations: [{ operation: '0010', workCenter: 'ASSY1', description: 'Assemble seal cartridge' }],
        components: [{ material: 'RM-320', quantity: ea('100'), operation: '0010' }],
      });
      await stack.orders.release(order);
      await produce(stack, ref, [
        mes.consumed('RM-320', 'S-3001', '60', 'EA', { orderRef: ref }),
        mes.completed('0010', '60', { orderRef: ref }),
        mes.produced(a, '60', { material: 'FG-200', orderRef: ref }),
      ]);
      // The lab's leak test of lot A reaches the QMS directly; plantflow carries it onto Odoo's check of A's MO.
      await createQmsActivities(stack.config.qms).qmsRecordInspectionResult({
        idempotencyKey: `s18-${a}-leak`,
        lotId: a,
        material: 'FG-200',
        characteristic: 'LEAK',
        result: 'pass',
        inspector: 'lab.kim',
        effectiveAt: new Date().toISOString(),
        site: '1710',
        orderRef: ref,
      });
      await report(stack, [
        mes.consumed('RM-320', 'S-3001', '40', 'EA', { orderRef: ref }),
        mes.completed('0010', '40', { orderRef: ref, final: true }),
        mes.produced(b, '40', { material: 'FG-200', orderRef: ref }),
      ]);

      // Lot B's leak test is not in the QMS yet: completion parks with the reason, nothing is marked done.
      const parked = await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.parked.some((p) => p.step === 'complete/odoo-quality-checks'),
        120_000,
      );
      assert.equal(parked.status, 'completing');
      assert.match(
        parked.parked[0]!.failure.message,
        new RegExp(`quality check "LEAK - Seal leak test" waits for a result the QMS does not have for lot ${b}`),
      );
      const open = await stack.odoo.odooOpenProduction({ moName: order.erp.odooMo });
      assert.deepEqual(
        open.chain.map((m) => [m.state, m.lot]),
        [
          ['done', a],
          [open.state, b],
        ],
      );
      assert.notEqual(open.state, 'done');

      // The result arrives through plantflow: lot B's run records it in the QMS and on its MO's check.
      const leak = await api.post('/inspections', TEST_KEYS.qms, {
        material: 'FG-200',
        lotId: b,
        eventId: `s18-${b}-leak`,
        characteristic: 'LEAK',
        result: 'pass',
        inspector: 'lab.kim',
        effectiveAt: new Date().toISOString(),
      });
      assert.equal(leak.statusCode, 202, leak.body);
      await eventually(
        () => stack.odoo.odooOpenProduction({ moName: order.erp.odooMo }),
        (o) => o.pendingChecks.length === 0,
        60_000,
      );
      await stack.orders.resolveParkedStep('1710', ref, {
        step: 'complete/odoo-quality-checks',
        action: 'retry',
        reason: 'the leak test of lot B is recorded',
        by: 'op.jo',
      });
      const completed = await orderAt(stack, ref, 'completed');
      assert.deepEqual(
        completed.lots.map((l) => `${l.lotId}=${l.quantity.value}`),
        [`${a}=60`, `${b}=40`],
      );
      if (odooVersion === '19') await recordHistoryIfAsked('order-s18-two-lots', stack.orders.handle('1710', ref));

      // Odoo: two MOs, one lot each, both done; each lot's stock in quarantine holds exactly its quantity.
      const lot = (id: string) =>
        api.get(`/lots/FG-200/${id}`, TEST_KEYS.viewer).then((r) => r.json() as LotStatusView);
      for (const id of [a, b])
        await eventually(
          () => lot(id),
          (s) => s.registration?.quarantine === 'done',
          60_000,
        );
      const chain = (await stack.odoo.odooOpenProduction({ moName: order.erp.odooMo })).chain;
      assert.deepEqual(
        chain.map((m) => [m.moName, m.state, m.lot]),
        [
          [`${order.erp.odooMo}-001`, 'done', a],
          [`${order.erp.odooMo}-002`, 'done', b],
        ],
      );
      const [odooA, odooB] = [await odooLot(stack, 'FG-200', a), await odooLot(stack, 'FG-200', b)];
      assert.deepEqual(
        [odooA.location, odooA.quantity, odooB.location, odooB.quantity],
        ['WH/Quarantine', 60, 'WH/Quarantine', 40],
      );
      const odoo = OdooClient.fromConnection({ ...stack.config.odoo, timeoutMs: 10_000 });
      const checks = await odoo.searchRead(
        'quality.check',
        [['production_id.name', 'in', chain.map((m) => m.moName)]],
        ['production_id', 'quality_state'],
        z.object({ production_id: m2oSchema, quality_state: z.string() }).loose(),
        { order: 'id asc' },
      );
      assert.deepEqual(
        checks.map((c) => [m2oName(c.production_id), c.quality_state]),
        chain.map((m) => [m.moName, 'pass']),
        'one leak check per MO, passed with the QMS result',
      );
      const odooWrites = await stack.writeCounts('odoo');
      assert.equal(odooWrites['mrp.production.button_mark_done'], 2, 'once for the lot change, once at completion');
      assert.equal(odooWrites['quality.check.create'] ?? 0, 0, "Odoo's own checks were completed, none duplicated");

      // SAP: one production order with two batches, each received (101) into QI with exactly its quantity.
      for (const [batch, quantity] of [
        [a, '60'],
        [b, '40'],
      ] as const) {
        const inspection = await stack.sap.sapFindInspectionLot({ material: 'FG-200', batch });
        assert.deepEqual(
          inspection.lots.map((l) => [l.order, l.quantity.value, l.toBePosted.value]),
          [[order.erp.sapOrder, quantity, quantity]],
        );
      }
      const po = await stack.sap.sapReadProductionOrder({ order: order.erp.sapOrder });
      assert.equal(po.confirmedYield.value, '100');

      // Genealogy: both lots descend from the one component lot consumed by the order.
      const [viewA, viewB] = [await lot(a), await lot(b)];
      assert.deepEqual([viewA.quantity?.value, viewB.quantity?.value], ['60', '40']);
      for (const view of [viewA, viewB])
        assert.deepEqual(
          view.parents.map((p) => `${p.material}:${p.lotId}`),
          ['RM-320:S-3001'],
        );
      const forward = await forwardTo(api, 'RM-320/S-3001', [a, b]);
      assert.deepEqual(forward.map((l) => l.key).sort(), [`FG-200:${a}`, `FG-200:${b}`]);
    });
  });
}
