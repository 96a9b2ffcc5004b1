import assert from 'node:assert/strict';
import { z } from 'zod';
import { OdooClient } from '../../activities/odoo/client';
import type { LotStatusReport } from '../../client/lots';
import type { StockRecord } from '../../simulators/sap/state/types';
import type { NcrView } from '../../workflows/nonconformance/state';
import { releasableOrder } from '../support/erp-fixtures';
import { eventually } from '../support/eventually';
import { as } from '../support/ncr-signers';
import { mes } from '../support/orders';
import { produce } from '../support/produce';
import { ncrScenarioPlant } from '../support/scenario-plant';
import { signer } from '../workflows/support/lot-harness';

const q = (value: string) => ({ value, uom: 'EA' });
/** Consumed whole by this scenario only: no other scenario's lot descends from it. */
const SUPPLIER = 'H-1005';

describe('S16 on the dev server: NCR on a supplier lot consumed whole into a released finished lot', function () {
  this.timeout(300_000);
  const plant = ncrScenarioPlant();
  const { ncrView, post } = plant;

  const odooLocation = async (material: string, lot: string) => {
    const odoo = OdooClient.fromConnection(plant.stack.config.odoo);
    const found = await odoo.searchRead(
      'stock.lot',
      [
        ['name', '=', lot],
        ['product_id.default_code', '=', material],
      ],
      ['location_id'],
      z.object({ location_id: z.union([z.tuple([z.number(), z.string()]), z.literal(false)]) }).loose(),
    );
    const l = found[0]!;
    return l.location_id === false ? null : l.location_id[1];
  };
  const sapStock = async (material: string, batch: string) => {
    const state = await plant.stack.sims.sap.state<{
      stock: StockRecord[];
      batches: Array<{ Material: string; Batch: string; MatlBatchIsInRstrcdUseStock: boolean }>;
    }>();
    const stock = state.stock.filter((s) => s.Material === material && s.Batch === batch);
    const sum = (k: 'unrestricted' | 'blocked') => stock.reduce((acc, s) => acc + Number(s[k]), 0);
    const restricted = state.batches.find((b) => b.Material === material && b.Batch === batch);
    return {
      unrestricted: sum('unrestricted'),
      blocked: sum('blocked'),
      restricted: restricted?.MatlBatchIsInRstrcdUseStock,
    };
  };

  it('S16: the released finished lot is blocked in Odoo and SAP within seconds although the supplier-lot step parks; nothing on hand is recorded, not parked', async () => {
    const { stack } = plant;
    const tag = Date.now().toString(36).toUpperCase().slice(-5);
    const ref = `S16-${tag}`;
    const made = `S16${tag}`;
    const order = await releasableOrder(stack.config, ref, { quantity: q('50') });
    await stack.orders.release(order);
    await produce(stack, ref, [
      mes.consumed('RM-300', SUPPLIER, '50', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2002', '50', 'EA', { orderRef: ref }),
      mes.completed('0010', '50', { orderRef: ref, final: true }),
      mes.completed('0020', '50', { orderRef: ref, final: true }),
      mes.produced(made, '50', { orderRef: ref }),
    ]);
    // The lot's view; a stand-in while its run does not exist yet.
    const lot = async () => {
      try {
        return await stack.plantflow.lots.status('FG-100', made);
      } catch {
        return { registration: {} } as unknown as LotStatusReport;
      }
    };
    await eventually(lot, (v) => v.registration.quarantine === 'done', 120_000);
    for (const [characteristic, value] of [
      ['PRESSURE', '20'],
      ['VISUAL', undefined],
    ] as const) {
      await stack.plantflow.lots.recordInspection({
        material: 'FG-100',
        lotId: made,
        eventId: `s16-${tag}-${characteristic}`,
        characteristic,
        result: 'pass',
        ...(value ? { value, unit: 'bar' } : {}),
        inspector: 'lab.kim',
        effectiveAt: new Date().toISOString(),
      });
    }
    await eventually(lot, (v) => v.requiredNotPassed?.length === 0, 60_000);
    await stack.plantflow.lots.disposition(
      'FG-100',
      made,
      { decision: 'release', meaning: 'approved_for_release', reason: 'all inspections passed' },
      await signer(stack.env, 'qp.marc', Date.now()),
    );
    await stack.plantflow.lots.handle('FG-100', made).result();
    assert.deepEqual(await sapStock('RM-300', SUPPLIER), { unrestricted: 0, blocked: 0, restricted: false });
    assert.deepEqual(await sapStock('FG-100', made), { unrestricted: 50, blocked: 0, restricted: false });

    // SAP refuses plantflow's user the stock API: the supplier lot's SAP step will park.
    await stack.sims.sap.setFaults({
      errorRate: 1,
      errorStatus: 403,
      pathPrefixes: ['/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV'],
    });
    const opened = (await post('/ncrs', as.qms, {
      source: 'supplier',
      severity: 'minor',
      site: '1710',
      material: 'RM-300',
      lots: [{ lotId: SUPPLIER, quantity: q('50') }],
      description: `supplier notice: housings of heat ${SUPPLIER} may be porous`,
      raisedBy: 'qa.anna',
    })) as { ncrId: string };
    const ncrId = opened.ncrId;
    const supplierStep = `contain/RM-300:${SUPPLIER}/sap-block`;
    const parked = await eventually(
      () => ncrView(ncrId),
      (v: NcrView) =>
        v.parked?.some((p) => p.step === supplierStep) &&
        v.containment.actions.filter((a) => a.lotId === made).length === 2,
      15_000,
    );
    assert.deepEqual(
      parked.parked.map((p) => p.step),
      [supplierStep],
      'only the supplier lot waits',
    );
    assert.match(String(await odooLocation('FG-100', made)), /Quarantine/);
    assert.deepEqual(await sapStock('FG-100', made), { unrestricted: 50, blocked: 0, restricted: true });
    const lotView = await lot();
    assert.equal(lotView.status, 'contained', 'the released lot reads contained, not released');
    assert.deepEqual(
      lotView.containedBy?.map((c) => c.ncrId),
      [ncrId],
    );

    // Access restored, the operator retries: nothing is on hand, which is recorded, and nothing is posted.
    await stack.sims.sap.clearFaults();
    await post(`/ncrs/${ncrId}/parked`, as.operator, {
      step: supplierStep,
      action: 'retry',
      reason: 'stock API authorisation granted',
      by: 'op.jo',
    });
    const contained = await eventually(
      () => ncrView(ncrId),
      (v: NcrView) => v.containment.runs === 1,
      60_000,
    );
    assert.equal(contained.needsAttention, false);
    const block = contained.containment.actions.find((a) => a.kind === 'sap_block' && a.lotId === SUPPLIER);
    assert.match(block!.description, /no unrestricted stock on hand/);
    assert.equal(block!.changed, false);
    assert.deepEqual(await sapStock('RM-300', SUPPLIER), { unrestricted: 0, blocked: 0, restricted: false });
  });
});
