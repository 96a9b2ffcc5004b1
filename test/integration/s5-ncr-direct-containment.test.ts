import assert from 'node:assert/strict';
import type { SimulatedSystem } from '../../simulators';
import type { NcrView } from '../../workflows/nonconformance/state';
import { odooLot } from '../support/lot-systems';
import { releasedLotFrom, sapStock } from '../support/released-lot';
import { ncrScenarioPlant } from '../support/scenario-plant';
import { SCENARIO_ODOO_VERSIONS } from '../support/stack';
import { as, proof } from '../support/ncr-signers';
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
      await releasedLotFrom(stack, supplier, ref, made);
      // The order closes once its only lot is final (SAP TECO): let that write land before counting writes.
      await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.status === 'closed',
        60_000,
      );
      assert.deepEqual(await sapStock(stack, 'FG-100', made), { unrestricted: 50, blocked: 0, restricted: false });

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
      assert.deepEqual(await sapStock(stack, 'RM-300', supplier), {
        unrestricted: 400,
        blocked: 50,
        restricted: false,
      });
      assert.deepEqual(await sapStock(stack, 'FG-100', made), { unrestricted: 50, blocked: 0, restricted: true });
      assert.match(String((await odooLot(stack, 'RM-300', supplier)).location), /Quarantine/);
      assert.match(String((await odooLot(stack, 'FG-100', made)).location), /Quarantine/);

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
      assert.deepEqual(await sapStock(stack, 'RM-300', supplier), { unrestricted: 450, blocked: 0, restricted: false });
      assert.deepEqual(await sapStock(stack, 'FG-100', made), { unrestricted: 50, blocked: 0, restricted: false });
      assert.match(String((await odooLot(stack, 'RM-300', supplier)).location), /WH\/Stock/);
      assert.match(String((await odooLot(stack, 'FG-100', made)).location), /WH\/Stock/);
    });
  });
}
