import assert from 'node:assert/strict';
import type { NcrView } from '../../workflows/nonconformance/state';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';
import { as } from '../support/ncr-signers';
import { odooLot } from '../support/lot-systems';
import { lotView, releasedLotFrom, sapStock } from '../support/released-lot';
import { ncrScenarioPlant } from '../support/scenario-plant';

const q = (value: string) => ({ value, uom: 'EA' });
/** Consumed whole by this scenario only: no other scenario's lot descends from it. */
const SUPPLIER = 'H-1005';

describe('S16 on the dev server: NCR on a supplier lot consumed whole into a released finished lot', function () {
  this.timeout(300_000);
  const plant = ncrScenarioPlant();
  const { ncrView, post } = plant;

  it('S16: the released finished lot is blocked in Odoo and SAP within seconds although the supplier-lot step parks; nothing on hand is recorded, not parked', async () => {
    const { stack } = plant;
    const tag = Date.now().toString(36).toUpperCase().slice(-5);
    const ref = `S16-${tag}`;
    const made = `S16${tag}`;
    await releasedLotFrom(stack, SUPPLIER, ref, made);
    const lot = () => lotView(stack, made);
    assert.deepEqual(await sapStock(stack, 'RM-300', SUPPLIER), { unrestricted: 0, blocked: 0, restricted: false });
    assert.deepEqual(await sapStock(stack, 'FG-100', made), { unrestricted: 50, blocked: 0, restricted: false });

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
    assert.match(String((await odooLot(stack, 'FG-100', made)).location), /Quarantine/);
    assert.deepEqual(await sapStock(stack, 'FG-100', made), { unrestricted: 50, blocked: 0, restricted: true });
    const madeView = await lot();
    assert.equal(madeView.status, 'contained', 'the released lot reads contained, not released');
    assert.deepEqual(
      madeView.containedBy?.map((c) => c.ncrId),
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
    // Contained, and the CAPA rule applied (its recurrence count is the NCR's last call before it waits for
    // the dispositions), so the run is idle when the file ends.
    const contained = await eventually(
      () => ncrView(ncrId),
      (v: NcrView) => v.containment.runs === 1 && v.capaEvaluated,
      60_000,
    );
    assert.equal(contained.needsAttention, false);
    const block = contained.containment.actions.find((a) => a.kind === 'sap_block' && a.lotId === SUPPLIER);
    assert.match(block!.description, /no unrestricted stock on hand/);
    assert.equal(block!.changed, false);
    assert.deepEqual(await sapStock(stack, 'RM-300', SUPPLIER), { unrestricted: 0, blocked: 0, restricted: false });
    await recordHistoryIfAsked('ncr-s16-lots-at-once', stack.plantflow.ncrs.handle(ncrId));
  });
});
