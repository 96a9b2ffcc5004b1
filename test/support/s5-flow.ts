import assert from 'node:assert/strict';
import type { NcrView } from '../../workflows/nonconformance/state';
import type { LotStatusReport } from '../../client/lots';
import { releasableOrder } from './erp-fixtures';
import type { ncrScenarioPlant } from './scenario-plant';
import { as, proof } from './ncr-signers';
import { mes } from './orders';
import { produce } from './produce';
import { eventually } from './eventually';

const q = (value: string) => ({ value, uom: 'EA' });

/**
 * S5 up to the NCR's closure: an order makes lot L1 (50 EA), L2 is packed from 10 EA of it, L1 fails its
 * PRESSURE inspection, the NCR it opens contains both, QA signs use-as-is 30 and scrap 20, both are
 * executed, the root cause is recorded and the QP closes the NCR; L2 is freed. S5 goes on to L1's release,
 * S19 to its reviewed record.
 */
export async function playS5UntilNcrClosed(plant: ReturnType<typeof ncrScenarioPlant>, prefix = 'S5') {
  const { call, ncrView } = plant;
  /** A lot's status; an empty view while its run does not exist yet. */
  const lotView = async (lotId: string): Promise<LotStatusReport> => {
    try {
      return await plant.stack.plantflow.lots.status('FG-100', lotId);
    } catch {
      return { holds: [], ncrs: [], openNcrs: [], registration: {} } as unknown as LotStatusReport;
    }
  };
  const { stack, api } = plant;
  const tag = Date.now().toString(36).toUpperCase().slice(-5);
  const ref = `${prefix}-${tag}`;
  const [l1, l2] = [`${prefix}A${tag}`, `${prefix}B${tag}`];

  // Order makes lot L1 (50 EA); the finished goods are received (MO done) into QI stock / Quarantine.
  const order = await releasableOrder(stack.config, ref, { quantity: q('50') });
  await stack.orders.release(order);
  await produce(stack, ref, [
    mes.consumed('RM-300', 'H-1001', '50', 'EA', { orderRef: ref }),
    mes.consumed('RM-310', 'I-2001', '50', 'EA', { orderRef: ref }),
    mes.completed('0010', '50', { orderRef: ref, final: true }),
    mes.completed('0020', '50', { orderRef: ref, final: true }),
    mes.produced(l1, '50', { orderRef: ref }),
  ]);
  await eventually(
    () => lotView(l1),
    (v) => v.registration.quarantine === 'done',
    120_000,
  );

  // L2 is packed from 10 EA of L1 (no demo BOM consumes FG-100): its genealogy names L1.
  await stack.plantflow.lots.receive({
    material: 'FG-100',
    lotId: l2,
    site: '1710',
    quantity: q('10'),
    receivedBy: 'wh.tom',
    reference: `repack of ${l1}`,
    parents: [{ material: 'FG-100', lotId: l1, quantity: q('10') }],
  });
  await eventually(
    async () => {
      const found = [];
      for await (const w of stack.client.workflow.list({ query: `ParentLots = 'FG-100:${l1}'` }))
        found.push(w.workflowId);
      return found;
    },
    (ids) => ids.includes(`lot:FG-100:${l2}`),
    60_000,
  );

  // The failed inspection: the lot workflow opens the NCR.
  await stack.plantflow.lots.recordInspection({
    material: 'FG-100',
    lotId: l1,
    eventId: `s5-${tag}-pressure`,
    characteristic: 'PRESSURE',
    result: 'fail',
    value: '12',
    unit: 'bar',
    inspector: 'lab.kim',
    effectiveAt: new Date().toISOString(),
    severity: 'minor',
  });
  const ncrId = (
    await eventually(
      () => lotView(l1),
      (v) => v.ncrs.some((n) => n.origin === 'inspection'),
      60_000,
    )
  ).ncrs.find((n) => n.origin === 'inspection')!.ncrId;
  const contained = await eventually(
    () => ncrView(ncrId),
    (v) => v.containment.runs > 0 && v.timeline.some((t) => t.type === 'Recurrence'),
    60_000,
  );
  assert.match(
    contained.timeline.find((t) => t.type === 'Recurrence')!.summary,
    /\(CAPA at 1000\)$/,
    "the NCR the lot opened follows the plant's configured policy",
  );
  assert.deepEqual(contained.containment.lots.map((l) => `${l.role} ${l.lotId} ${l.custody}`).sort(), [
    `affected ${l1} lot_workflow`,
    `descendant ${l2} lot_workflow`,
  ]);
  for (const lot of [l1, l2]) {
    const held = await eventually(
      () => lotView(lot),
      (v) => v.holds.some((h) => h.ncrId === ncrId && h.source === 'ncr'),
    );
    assert.equal(held.onHold, true, `${lot} is held by the NCR`);
  }

  // Split disposition, each line signed with re-authentication through the API.
  const use = await call<NcrView['dispositions']['lines'][number]>('POST', `/ncrs/${ncrId}/dispositions`, as.qa, {
    lineId: 'L1',
    lotId: l1,
    decision: 'use_as_is',
    quantity: q('30'),
    reason: 'retest at 18 bar passed for 30 units',
    signer: proof('qa.anna'),
  });
  await call('POST', `/ncrs/${ncrId}/dispositions`, as.qa, {
    lineId: 'L2',
    lotId: l1,
    decision: 'scrap',
    quantity: q('20'),
    reason: 'housing porosity on 20 units',
    signer: proof('qa.anna'),
  });
  assert.equal(use.status, 'approved');
  const wrong = await api.inject({
    method: 'POST',
    url: `/ncrs/${ncrId}/dispositions`,
    headers: as.qa,
    payload: {
      lotId: l1,
      decision: 'scrap',
      quantity: q('1'),
      reason: 'x',
      signer: { userId: 'qa.anna', password: 'wrong' },
    },
  });
  assert.equal(wrong.statusCode, 401, 'a wrong password signs nothing');
  const executed = await eventually(
    () => ncrView(ncrId),
    (v) => v.status === 'executed',
    120_000,
  );
  assert.equal(executed.dispositions.remaining.value, '0');

  // SAP: 20 scrapped out of the inspection lot (553), 30 still to be posted by QA's release.
  const inspection = await stack.sap.sapFindInspectionLot({ material: 'FG-100', batch: l1 });
  const il = inspection.lots[0]!;
  assert.deepEqual([il.postedToScrap.value, il.toBePosted.value], ['20', '30']);
  // Odoo: one done scrap of 20 from lot L1.
  assert.equal((await stack.writeCounts('odoo'))['stock.scrap.create'], 1);

  await call('POST', `/ncrs/${ncrId}/root-cause`, as.qa, {
    category: 'machine',
    description: 'casting porosity from mould 3 (worn vent)',
    by: 'qa.anna',
  });
  await call('POST', `/ncrs/${ncrId}/close`, as.qp, {
    reason: 'root cause confirmed, mould 3 serviced',
    signer: proof('qp.marc'),
  });
  const closed = await eventually(
    () => ncrView(ncrId),
    (v) => v.status === 'closed',
    60_000,
  );
  assert.equal(closed.closure!.signature.printedName, 'Marc Dubois');

  // The downstream lot is no longer held by the NCR, and knows it closed.
  const freed = await eventually(
    () => lotView(l2),
    (v) => !v.holds.some((h) => h.ncrId === ncrId) && !v.onHold && !v.openNcrs.includes(ncrId),
    60_000,
  );
  assert.equal(freed.status, 'restricted', "back to restricted: its own release is QA's decision");

  return { ref, order, tag, l1, l2, ncrId, closed, lotView };
}
