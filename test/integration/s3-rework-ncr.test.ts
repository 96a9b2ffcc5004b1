import assert from 'node:assert/strict';
import { createQmsActivities } from '../../activities/qms/activities';
import { reworkDeviationNcr } from '../../domain/ncr-deviation';
import { productionOrderSchema } from '../../domain/order';
import type { MesState } from '../../simulators/mes/state';
import type { QmsState } from '../../simulators/qms/state';
import { releasableOrder } from '../support/erp-fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { ncrScenarioPlant } from '../support/scenario-plant';
import { as, proof } from '../support/ncr-signers';
import { mes } from '../support/orders';
import { eventually } from '../support/eventually';

const q = (value: string) => ({ value, uom: 'EA' });

describe('S3 rework half on the dev server: reported rework → NCR → rework order', function () {
  this.timeout(300_000);
  const plant = ncrScenarioPlant();

  const { ncrView, post } = plant;

  it('S3 (rework half): 5 EA reported to rework open an MES-deviation NCR; the signed rework disposition releases a rework order that links back', async () => {
    const { stack } = plant;
    const tag = Date.now().toString(36).toUpperCase().slice(-5);
    const ref = `S3R-${tag}`;
    const order = await releasableOrder(stack.config, ref);
    await stack.orders.release(order);
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'released',
      60_000,
    );
    const reworked = mes.completed('0010', '90', { orderRef: ref, scrap: '5', rework: '5', final: true });
    for (const e of [
      mes.consumed('RM-300', 'H-1001', '100', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2001', '100', 'EA', { orderRef: ref }),
      reworked,
      mes.completed('0020', '90', { orderRef: ref, final: true }),
      mes.produced(`S3R${tag}`, '90', { orderRef: ref }),
    ]) {
      await stack.orders.reportMesEvent(e);
    }

    // The order's rework report opened the NCR (its id derives from the report's event id).
    const { ncrId } = reworkDeviationNcr(productionOrderSchema.parse(order), {
      eventId: reworked.eventId,
      operation: '0010',
      quantity: q('5'),
      effectiveAt: reworked.effectiveAt,
    });
    const opened = await eventually(
      () => ncrView(ncrId),
      (v) => v.status === 'contained',
      60_000,
    );
    assert.deepEqual(
      [opened.source, opened.orderRef, opened.quantity.value, opened.lots[0]!.wip],
      ['mes_deviation', ref, '5', true],
    );
    assert.deepEqual(
      opened.containment.actions.map((a) => a.kind),
      ['segregated'],
    );

    const line = (await post(`/ncrs/${ncrId}/dispositions`, as.qa, {
      lotId: opened.lots[0]!.lotId,
      decision: 'rework',
      quantity: q('5'),
      reason: 'coating runs on 5 housings: strip and recoat',
      instructions: 'strip, recoat, retest PRESSURE',
      signer: proof('qa.anna'),
    })) as { status: string };
    assert.equal(line.status, 'approved');
    const executed = await eventually(
      () => ncrView(ncrId),
      (v) => v.status === 'executed',
      120_000,
    );
    const rework = executed.dispositions.lines[0]!.rework!;
    assert.deepEqual([rework.orderRef, rework.workflowId], [`${ref}-RW1`, `order:1710:${ref}-RW1`]);

    // The rework order runs like any order: released through Odoo, SAP, QMS and the plant.
    const rwStatus = await eventually(
      () => stack.orders.status('1710', `${ref}-RW1`),
      (s) => s.status === 'released',
      120_000,
    );
    assert.deepEqual(
      [rwStatus.order?.quantity.value, rwStatus.order?.erp],
      ['5', { odooMo: rework.odooMo, sapOrder: rework.sapOrder }],
    );
    const handle = stack.client.workflow.getHandle(rework.workflowId);
    const described = await handle.describe();
    assert.equal(described.memo?.ncrId, ncrId);
    assert.equal(described.memo?.reworkOf, ref);
    assert.match(String(await described.staticSummary()), new RegExp(`Rework order ${ref}-RW1 for NCR ${ncrId}`));

    // What every system holds.
    const mo = await stack.odoo.odooReadManufacturingOrder({ moName: rework.odooMo! });
    assert.deepEqual([mo.state, mo.product, mo.quantity.value], ['confirmed', 'FG-100', '5']);
    assert.match(String(mo.origin), new RegExp(`NCR ${ncrId} rework ${ref}-RW1`));
    const po = await stack.sap.sapReadProductionOrder({ order: rework.sapOrder! });
    assert.deepEqual([po.material, po.totalQuantity.value, po.flags.released], ['FG-100', '5', true]);
    assert.equal(
      (await stack.writeCounts('sap'))['A_ProductionOrder_2.create'],
      2,
      "the planner's order and the one rework order",
    );
    const mesState = (await stack.sims.mes.state<{ state: MesState }>()).state;
    assert.ok(mesState.dispatches[`1710|${ref}-RW1`], 'the rework order is dispatched to the plant');
    const qms = (await stack.sims.qms.state<{ state: QmsState }>()).state;
    const record = qms.nonconformances[ncrId]!;
    assert.deepEqual(
      [record.source, record.status, record.dispositions.map((d) => `${d.decision} ${d.quantity.value}`)],
      ['mes_deviation', 'dispositioned', ['rework 5']],
    );
    assert.ok(record.refs.odooQualityAlert && record.refs.sapQualityNotification);
    const signed = await createQmsActivities(stack.config.qms).qmsListSignedRecords({ subject: `ncr:${ncrId}` });
    assert.deepEqual(
      signed.map((s) => [s.decision, s.signatures[0]!.printedName]),
      [['rework', 'Anna Berger']],
    );

    await post(`/ncrs/${ncrId}/root-cause`, as.qa, {
      category: 'method',
      description: 'coating viscosity not checked at shift start',
      by: 'qa.anna',
    });
    await post(`/ncrs/${ncrId}/close`, as.qp, {
      reason: 'rework order released, coating check added to the start-up list',
      signer: proof('qp.marc'),
    });
    await eventually(
      () => ncrView(ncrId),
      (v) => v.status === 'closed',
      60_000,
    );
    assert.equal(
      (await stack.orders.status('1710', `${ref}-RW1`)).status,
      'released',
      'the rework order goes on after the NCR closed',
    );
    await recordHistoryIfAsked('ncr-s3-rework', stack.plantflow.ncrs.handle(ncrId));
  });
});
