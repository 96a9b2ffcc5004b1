import assert from 'node:assert/strict';
import { z } from 'zod';
import { OdooClient } from '../../activities/odoo/client';
import type { SimulatedSystem } from '../../simulators';
import type { StockRecord } from '../../simulators/sap/state/types';
import type { NcrView } from '../../workflows/nonconformance/state';
import type { LotStatusReport } from '../../client/lots';
import { releasableOrder } from '../support/erp-fixtures';
import { ncrScenarioPlant } from '../support/scenario-plant';
import { SCENARIO_ODOO_VERSIONS } from '../support/stack';
import { as, proof } from '../support/ncr-signers';
import { mes } from '../support/orders';
import { produce } from '../support/produce';
import { signer } from '../workflows/support/lot-harness';
import { eventually } from '../support/eventually';

const q = (value: string) => ({ value, uom: 'EA' });

/**
 * The other half of S5's containment: lots whose workflows are closed (a supplier lot that never had
 * one, and a finished lot released long ago) are blocked directly in Odoo and SAP, and a second
 * containment run writes nothing: the simulators' journals prove it.
 */
for (const odooVersion of SCENARIO_ODOO_VERSIONS) {
  describe(`S5 on the dev server, Odoo ${odooVersion}: direct containment of released stock`, function () {
    // Each run has a supplier lot of its own: no other run's lot may descend from it.
    const supplier = odooVersion === '19' ? 'H-1003' : 'H-1004';
    this.timeout(300_000);
    const plant = ncrScenarioPlant({ odooVersion });

    const { ncrView, post } = plant;
    const lotView = async (lotId: string): Promise<LotStatusReport> => {
      try {
        return await plant.stack.plantflow.lots.status('FG-100', lotId);
      } catch {
        return { registration: {} } as unknown as LotStatusReport;
      }
    };
    const odooLot = async (material: string, lot: string) => {
      const odoo = OdooClient.fromConnection(plant.stack.config.odoo);
      const found = await odoo.searchRead(
        'stock.lot',
        [
          ['name', '=', lot],
          ['product_id.default_code', '=', material],
        ],
        ['location_id', 'product_qty'],
        z
          .object({
            location_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]),
            product_qty: z.number(),
          })
          .loose(),
      );
      const l = found[0]!;
      return { location: l.location_id === false ? null : l.location_id[1], quantity: l.product_qty };
    };
    const sapStock = async (material: string, batch: string) => {
      const state = await plant.stack.sims.sap.state<{
        stock: StockRecord[];
        batches: Array<{ Material: string; Batch: string; MatlBatchIsInRstrcdUseStock: boolean }>;
      }>();
      const stock = state.stock.filter((s) => s.Material === material && s.Batch === batch);
      const sum = (k: 'unrestricted' | 'blocked' | 'qualityInspection') =>
        stock.reduce((acc, s) => acc + Number(s[k]), 0);
      const restricted = state.batches.find(
        (b) => b.Material === material && b.Batch === batch,
      )?.MatlBatchIsInRstrcdUseStock;
      return { unrestricted: sum('unrestricted'), blocked: sum('blocked'), restricted };
    };
    const appliedWrites = async () => {
      const out: Record<string, number> = {};
      for (const system of ['odoo', 'sap', 'qms'] as SimulatedSystem[])
        out[system] = (await plant.stack.sims[system].writes({ applied: true })).length;
      return out;
    };

    it('S5 (released stock): a supplier lot and the finished lot released from it are blocked directly; a second run writes nothing; closing gives them back', async () => {
      const { stack } = plant;
      const tag = Date.now().toString(36).toUpperCase().slice(-5);
      const ref = `S5D-${tag}`;
      const made = `S5D${tag}`;
      // Order consumes the supplier lot and makes lot `made`, which QA releases (its workflow then ends).
      const order = await releasableOrder(stack.config, ref, { quantity: q('50') });
      await stack.orders.release(order);
      await produce(stack, ref, [
        mes.consumed('RM-300', supplier, '50', 'EA', { orderRef: ref }),
        mes.consumed('RM-310', 'I-2002', '50', 'EA', { orderRef: ref }),
        mes.completed('0010', '50', { orderRef: ref, final: true }),
        mes.completed('0020', '50', { orderRef: ref, final: true }),
        mes.produced(made, '50', { orderRef: ref }),
      ]);
      await eventually(
        () => lotView(made),
        (v) => v.registration.quarantine === 'done',
        120_000,
      );
      for (const [characteristic, value] of [
        ['PRESSURE', '20'],
        ['VISUAL', undefined],
      ] as const) {
        await stack.plantflow.lots.recordInspection({
          material: 'FG-100',
          lotId: made,
          eventId: `s5d-${tag}-${characteristic}`,
          characteristic,
          result: 'pass',
          ...(value ? { value, unit: 'bar' } : {}),
          inspector: 'lab.kim',
          effectiveAt: new Date().toISOString(),
        });
      }
      await eventually(
        () => lotView(made),
        (v) => v.requiredNotPassed?.length === 0,
        60_000,
      );
      await stack.plantflow.lots.disposition(
        'FG-100',
        made,
        { decision: 'release', meaning: 'approved_for_release', reason: 'all inspections passed' },
        await signer(stack.env, 'qp.marc', Date.now()),
      );
      await stack.plantflow.lots.handle('FG-100', made).result();
      // The order closes once its only lot is final (SAP TECO): let that write land before counting writes.
      await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.status === 'closed',
        60_000,
      );
      assert.deepEqual(await sapStock('FG-100', made), { unrestricted: 50, blocked: 0, restricted: false });

      // The supplier reports a defect in its lot: 50 EA of it are suspect.
      const opened = (await post('/ncrs', as.qms, {
        source: 'supplier',
        severity: 'minor',
        site: '1710',
        material: 'RM-300',
        lots: [{ lotId: supplier, quantity: q('50'), storageLocation: '171B' }],
        description: `supplier notice: housings of heat ${supplier} may be porous`,
        raisedBy: 'qa.anna',
      })) as { ncrId: string };
      const ncrId = opened.ncrId;
      const finished = (n: number) => (v: NcrView) =>
        v.timeline?.some((t) => t.summary.startsWith(`containment run ${n} `));
      const contained = await eventually(() => ncrView(ncrId), finished(1), 60_000);
      assert.deepEqual(
        contained.containment.lots.map((l) => `${l.role} ${l.lotId} ${l.custody}`),
        [`affected ${supplier} blocked`, `descendant ${made} blocked`],
      );
      assert.deepEqual(await sapStock('RM-300', supplier), { unrestricted: 400, blocked: 50, restricted: false });
      assert.deepEqual(await sapStock('FG-100', made), { unrestricted: 50, blocked: 0, restricted: true });
      assert.match(String((await odooLot('RM-300', supplier)).location), /Quarantine/);
      assert.match(String((await odooLot('FG-100', made)).location), /Quarantine/);

      // Containment run twice: nothing new is written anywhere.
      const before = await appliedWrites();
      await post(`/ncrs/${ncrId}/containment`, as.qa, { by: 'qa.anna', reason: 'check for lots made since' });
      const again = await eventually(() => ncrView(ncrId), finished(2), 60_000);
      assert.equal(again.containment.actions.length, contained.containment.actions.length);
      assert.deepEqual(await appliedWrites(), before, 'the journals show no second write');

      await post(`/ncrs/${ncrId}/dispositions`, as.qa, {
        lotId: supplier,
        decision: 'use_as_is',
        quantity: q('50'),
        reason: 'sectioned samples show no porosity',
        signer: proof('qa.anna'),
      });
      await eventually(
        () => ncrView(ncrId),
        (v) => v.status === 'executed',
        120_000,
      );
      await post(`/ncrs/${ncrId}/root-cause`, as.qa, {
        category: 'supplier',
        description: `supplier notice was for another heat, not ${supplier}`,
        by: 'qa.anna',
      });
      await post(`/ncrs/${ncrId}/close`, as.qp, {
        reason: `no nonconformance found in ${supplier}`,
        signer: proof('qp.marc'),
      });
      await eventually(
        () => ncrView(ncrId),
        (v) => v.status === 'closed',
        60_000,
      );

      // Everything the NCR blocked is given back, and only that.
      assert.deepEqual(await sapStock('RM-300', supplier), { unrestricted: 450, blocked: 0, restricted: false });
      assert.deepEqual(await sapStock('FG-100', made), { unrestricted: 50, blocked: 0, restricted: false });
      assert.match(String((await odooLot('RM-300', supplier)).location), /WH\/Stock/);
      assert.match(String((await odooLot('FG-100', made)).location), /WH\/Stock/);
    });
  });
}
