import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import type { OrderClient } from '../../client/orders';
import { timeSkippingEnv } from '../setup/temporal-env';
import { demoOrderInput, mes } from '../support/orders';
import { eventually } from '../support/eventually';
import type { Fake } from './support/fakes';
import { defaultOrderSystems, orderClient, withOrderWorkers } from './support/order-harness';
import { testResult } from './support/qms-records';

let n = 0;
const uniqueRef = () => `PO-L${Date.now() % 100000}-${++n}`;
const ea = (value: string | number) => ({ value: String(value), uom: 'EA' });

async function released(orders: OrderClient, ref: string): Promise<void> {
  await orders.release(demoOrderInput({ orderRef: ref }));
  await eventually(
    () => orders.status('1710', ref),
    (s) => s.status === 'released',
  );
}

interface FakeMo {
  name: string;
  lot: string | null;
  producing: number;
  planned: number;
  done: boolean;
}

/** Odoo's MO chain as the fakes see it: one lot per MO, a backorder for the rest on mark-done. */
function odooChain(base: string, planned: number) {
  const mos: FakeMo[] = [{ name: base, lot: null, producing: 0, planned, done: false }];
  const open = () => [...mos].reverse().find((m) => !m.done) ?? mos[mos.length - 1]!;
  const openProduction: Fake<'odooOpenProduction'> = () => {
    const mo = open();
    return {
      moName: mo.name,
      open: !mo.done,
      state: mo.done ? 'done' : 'progress',
      lot: mo.lot,
      quantity: ea(mo.planned),
      qtyProducing: ea(mo.producing),
      pendingChecks: [],
      chain: mos.map((m) => ({ moName: m.name, state: m.done ? 'done' : 'progress', lot: m.lot })),
    };
  };
  const produce: Fake<'odooRecordProduction'> = (i) => {
    const mo = open();
    if (mo.lot && mo.lot !== i.lot) throw new Error(`MO ${mo.name} already produces ${mo.lot}`);
    mo.lot = i.lot;
    mo.producing += Number(i.quantity.value);
    return {
      status: 'posted',
      moveLineId: mos.length,
      moName: mo.name,
      qtyProducing: ea(mo.producing),
      lotsProducing: [mo.lot],
    };
  };
  return {
    mos,
    openProduction,
    produce,
    markDone: ((i) => {
      const mo = mos.find((m) => m.name === i.moName)!;
      let backorderName: string | undefined;
      if (!mo.done) {
        mo.done = true;
        const rest = new Decimal(mo.planned).minus(mo.producing).toNumber();
        backorderName = `${base}-00${mos.length + 1}`;
        if (i.mode === 'backorder' && rest > 0)
          mos.push({ name: backorderName, lot: null, producing: 0, planned: rest, done: false });
      }
      return { moName: mo.name, state: 'done', changed: true, backorderName };
    }) satisfies Fake<'odooMarkDone'>,
  };
}

describe('production order: lots on the Odoo MO chain (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('fills two lots: the Odoo MO is marked done with the first and a backorder, where the second is posted', async () => {
    const env = await timeSkippingEnv();
    const chain = odooChain('WH/MO/00001', 100);
    const systems = defaultOrderSystems()
      .when('odooOpenProduction', chain.openProduction)
      .when('odooRecordProduction', chain.produce)
      .when('odooMarkDone', chain.markDone);
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      for (const e of [
        mes.completed('0010', '60', { orderRef: ref }),
        mes.produced('LOT-A', '50', { orderRef: ref }),
        mes.produced('LOT-A', '10', { orderRef: ref }),
        mes.completed('0010', '40', { orderRef: ref, final: true }),
        mes.produced('LOT-B', '40', { orderRef: ref }),
        mes.completed('0020', '100', { orderRef: ref, final: true }),
      ])
        assert.equal((await orders.reportMesEvent(e)).outcome, 'accepted');
      const done = await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'completed',
      );
      assert.deepEqual(
        done.lots.map((l) => `${l.lotId}=${l.quantity.value}`),
        ['LOT-A=60', 'LOT-B=40'],
      );
      const timeline = await orders.timeline('1710', ref);
      assert.ok(
        timeline.some(
          (t) =>
            t.type === 'OdooLotClosed' &&
            /WH\/MO\/00001 done with lot LOT-A.*backorder WH\/MO\/00001-002/.test(t.summary),
        ),
        JSON.stringify(timeline.map((t) => t.summary)),
      );
    });
    assert.deepEqual(
      systems.called('odooMarkDone').map((c) => `${String(c.input.moName)}:${String(c.input.mode)}`),
      ['WH/MO/00001:backorder', 'WH/MO/00001-002:complete'],
      'closed once for the lot change, the backorder completed at the end',
    );
    assert.deepEqual(
      chain.mos.map((m) => `${m.name}:${m.lot}:${m.producing}`),
      ['WH/MO/00001:LOT-A:60', 'WH/MO/00001-002:LOT-B:40'],
    );
  });

  it('a quality check Odoo generated for the MO parks completion until the QMS has its result', async () => {
    const env = await timeSkippingEnv();
    let pending = true;
    const systems = defaultOrderSystems()
      .when('odooOpenProduction', (i) => ({
        moName: i.moName,
        open: true,
        state: 'to_close',
        lot: 'SC-1',
        quantity: ea(100),
        qtyProducing: ea(100),
        pendingChecks: pending
          ? [{ checkId: 7, checkName: 'QC/00007', title: 'LEAK - Seal leak test', characteristic: 'LEAK' }]
          : [],
        chain: [],
      }))
      .when('odooRecordQualityCheck', () => {
        pending = false;
        return { checkId: 7, checkName: 'QC/00007', state: 'pass', created: false };
      });
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await released(orders, ref);
      for (const e of [
        mes.completed('0010', '100', { orderRef: ref, final: true }),
        mes.completed('0020', '100', { orderRef: ref, final: true }),
        mes.produced('SC-1', '100', { orderRef: ref }),
      ])
        await orders.reportMesEvent(e);
      const parked = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention,
      );
      assert.equal(parked.status, 'completing');
      assert.equal(parked.parked[0]!.step, 'complete/odoo-quality-checks');
      assert.match(
        parked.parked[0]!.failure.message,
        /quality check "LEAK - Seal leak test" waits for a result the QMS does not have for lot SC-1/,
      );
      assert.equal(systems.called('odooMarkDone').length, 0, 'nothing marked done while the check is open');

      systems.when('qmsListInspectionResults', () => [
        testResult({
          idempotencyKey: 'lab-1',
          lotId: 'SC-1',
          material: 'FG-100',
          characteristic: 'LEAK',
          result: 'pass',
          inspector: 'lab.kim',
          effectiveAt: '2026-11-23T08:00:00.000Z',
        }),
      ]);
      await orders.resolveParkedStep('1710', ref, {
        step: 'complete/odoo-quality-checks',
        action: 'retry',
        reason: 'the lab recorded the leak test',
        by: 'op.jo',
      });
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'completed',
      );
    });
    const recorded = systems.called('odooRecordQualityCheck');
    assert.equal(recorded.length, 1);
    assert.deepEqual(
      [recorded[0]!.input.moName, recorded[0]!.input.lot, recorded[0]!.input.characteristic, recorded[0]!.input.result],
      ['WH/MO/00001', 'SC-1', 'LEAK', 'pass'],
    );
    assert.equal(systems.called('odooMarkDone').length, 1);
  });
});
