import assert from 'node:assert/strict';
import { timeSkippingEnv } from '../setup/temporal-env';
import { demoOrderInput, mes } from '../support/orders';
import type { MesEventInput } from '../../domain/events';
import { defaultOrderSystems, eventually, orderClient, withOrderWorkers } from './support/order-harness';

describe('production order: a long order (time-skipping, mocked systems)', function () {
  this.timeout(600_000);

  it('takes 5,000 MES events — half of them shift-handover resends, in batches — through several continue-as-new runs with dedup and totals intact', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env, 10_000);
    const ref = `PO-LONG-${Date.now() % 100000}`;
    const unique: MesEventInput[] = Array.from({ length: 2_500 }, (_, i) =>
      mes.consumed('RM-300', i % 2 === 0 ? 'H-1001' : 'H-1002', '1', 'EA', { orderRef: ref }),
    );
    await withOrderWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      // First half, then the shift-handover resend of it (a fresh recordedAt, new update id), and so on.
      const rounds = [unique.slice(0, 1_250), unique.slice(0, 1_250), unique.slice(1_250), unique.slice(1_250)];
      for (const [round, batch] of rounds.entries()) {
        const resend = round % 2 === 1;
        let accepted = 0;
        let duplicates = 0;
        // The resend is cut differently (40, not 50), so Temporal's update-id dedup does not answer for us:
        // plantflow's own dedup state (carried through continue-as-new) must.
        for (const chunk of batches(batch, resend ? 40 : 50)) {
          const events = resend ? chunk.map((e) => ({ ...e, recordedAt: new Date().toISOString() })) : chunk;
          for (const r of await orders.reportMesEvents(events)) {
            if (r.outcome === 'accepted') accepted++;
            if (r.outcome === 'duplicate') duplicates++;
          }
        }
        assert.deepEqual(
          { accepted, duplicates },
          resend ? { accepted: 0, duplicates: 1_250 } : { accepted: 1_250, duplicates: 0 },
        );
      }
      const status = await eventually(
        () => orders.status('1710', ref),
        (s) => s.postings.pending === 0 && s.execution!.acceptedEvents === 2_500,
        300_000,
        2_000, // every query is a workflow activation: poll gently while 5,000 postings drain
      );
      assert.ok(status.runs >= 2, `continued as new (${status.runs} runs)`);
      assert.equal(status.execution!.dedupEntries, 2_500);
      const byLot = Object.fromEntries(status.execution!.consumed.map((c) => [c.lotId, c.quantity.value]));
      assert.deepEqual(byLot, { 'H-1001': '1250', 'H-1002': '1250' });
      assert.deepEqual(status.postings.posted, { odoo: 2_500, sap: 2_500, mes: 0, plantflow: 0 });
    });
    assert.equal(systems.called('odooRecordConsumption').length, 2_500, 'each unique event posted once to Odoo');
    assert.equal(systems.called('sapPostGoodsMovement').length, 2_500, 'and once to SAP');
  });
});

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
