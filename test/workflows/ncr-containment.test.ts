import assert from 'node:assert/strict';
import type { GenealogyLot } from '../../domain/lot-genealogy';
import type { ActivityName } from './support/fakes';
import { lotStatusQuery } from '../../workflows/messages/lot';
import { timeSkippingEnv } from '../setup/temporal-env';
import { businessRule } from './support/fakes';
import { produce } from './support/lot-harness';
import {
  defaultNcrSystems,
  eventually,
  ncrClient,
  ncrStart,
  qtyOf,
  signer,
  uniqueLotId,
  withNcrWorkers,
} from './support/ncr-harness';

describe('nonconformance: containment and execution (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('contains the forward genealogy to any depth; a second run writes nothing new; closing gives back only what it blocked', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    const [a, d1, d2, d3] = [uniqueLotId('A'), uniqueLotId('D'), uniqueLotId('E'), uniqueLotId('F')];
    const start = ncrStart({ lots: [{ material: 'FG-100', lotId: a, quantity: qtyOf('50') }] });
    const lot = (lotId: string, depth: number, via: string | undefined, workflow: GenealogyLot['workflow']) => ({
      material: 'FG-100',
      lotId,
      key: `FG-100:${lotId}`,
      depth,
      via,
      workflowId: `lot:FG-100:${lotId}`,
      workflow,
    });
    systems.when('plantflowTraceForwardGenealogy', () => ({
      lots: [
        lot(a, 0, undefined, 'none'),
        lot(d1, 1, `FG-100:${a}`, 'running'),
        lot(d2, 1, `FG-100:${a}`, 'closed'),
        lot(d3, 2, `FG-100:${d1}`, 'closed'),
      ],
      truncated: false,
    }));
    // The systems answer like the real ones: a second request finds the first one's result.
    const seen = new Set<string>();
    const first = (key: string) => (seen.has(key) ? false : (seen.add(key), true));
    systems.when('odooMoveLotToQuarantine', (i) => ({
      status: first(`q:${String(i.lot)}`) ? 'moved' : 'already_there',
      lotId: 1,
      location: 'WH/Quarantine',
      quantity: qtyOf('10'),
    }));
    systems.when('sapSetBatchRestricted', (i) => ({
      material: i.material,
      batch: i.batch,
      restricted: i.restricted,
      created: false,
      changed: first(`r:${String(i.batch)}:${String(i.restricted)}`),
    }));
    systems.when('sapPostGoodsMovement', (i) => ({
      materialDocument: '4900000001',
      year: '2026',
      alreadyPosted: !first(`m:${String(i.idempotencyKey)}`),
      messages: [],
    }));
    await withNcrWorkers(env, systems, async () => {
      await produce(env, d1);
      const d1Handle = env.client.workflow.getHandle(`lot:FG-100:${d1}`);
      await eventually(
        () => d1Handle.query(lotStatusQuery),
        (v) => v.status === 'restricted',
      );
      await ncrs.openStart(start, { existing: 'fail' });
      const contained = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.containment.runs === 1,
      );
      // Every lot is contained on its own, all at once: the order of their actions is not fixed.
      assert.deepEqual(
        contained.containment.actions.map((x) => `${x.kind} ${x.lotId ?? ''} ${x.changed}`).sort(),
        [
          `odoo_quarantine ${a} true`,
          `sap_block ${a} true`,
          `lot_hold ${d1} true`,
          `odoo_quarantine ${d2} true`,
          `sap_restrict ${d2} true`,
          `odoo_quarantine ${d3} true`,
          `sap_restrict ${d3} true`,
        ].sort(),
      );
      const held = await eventually(
        () => d1Handle.query(lotStatusQuery),
        (v) => v.onHold,
      );
      assert.ok(held.holds.some((h) => h.holdId === `ncr:${start.ncrId}`));

      await ncrs.rerunContainment(start.ncrId, { by: 'qa.anna', reason: 'new downstream lots may exist' });
      const again = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.containment.runs === 2,
      );
      assert.equal(again.containment.actions.length, 7, 'no new action');
      const blockKeys = systems.called('sapPostGoodsMovement').map((c) => c.input.idempotencyKey);
      assert.equal(blockKeys.length, 2);
      assert.equal(blockKeys[0], blockKeys[1], 'the same idempotency key both times');
      const qmsWrites = systems
        .called('qmsUpdateNonconformance')
        .filter((c) => c.input.ncrId === start.ncrId && c.input.containmentActions);
      assert.equal(qmsWrites.length, 1, 'the QMS got the actions once');
      assert.equal((qmsWrites[0]!.input.containmentActions as unknown[]).length, 7);

      const anna = await signer(env, 'qa.anna');
      await ncrs.dispose(
        start.ncrId,
        { lotId: a, decision: 'use_as_is', quantity: qtyOf('50'), reason: 'retest passed' },
        anna,
      );
      await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'executed',
      );
      await ncrs.recordRootCause(start.ncrId, {
        category: 'measurement',
        description: 'gauge out of calibration',
        by: 'qa.anna',
      });
      await ncrs.close(start.ncrId, 'false alarm, gauge recalibrated', await signer(env, 'qp.marc'));
      assert.equal((await ncrs.handle(start.ncrId).result()).status, 'closed');
      const released = await eventually(
        () => d1Handle.query(lotStatusQuery),
        (v) => !v.holds.some((h) => h.holdId === `ncr:${start.ncrId}`),
      );
      assert.ok(!released.openNcrs.includes(start.ncrId), 'the lot learned the NCR closed');
    });
    const calls = (name: ActivityName) =>
      systems.called(name).map((c) => {
        const input = c.input as { lot?: string; batch?: string; restricted?: boolean };
        return `${input.lot ?? input.batch}${input.restricted === undefined ? '' : ` ${input.restricted}`}`;
      });
    // Moves to Quarantine: four lots, then the same again on the second run (each answered already_there).
    assert.equal(systems.called('odooMoveLotToQuarantine').length, 6);
    assert.deepEqual(
      calls('sapSetBatchRestricted').sort(),
      [`${d2} true`, `${d3} true`, `${d2} true`, `${d3} true`, `${d2} false`, `${d3} false`].sort(),
    );
    assert.deepEqual(calls('odooReleaseLotFromQuarantine').sort(), [a, d2, d3].sort());
    const movements = systems
      .called('sapPostGoodsMovement')
      .map(
        (c) =>
          `${String(c.input.movementType)} ${String(c.input.batch)} ${String((c.input.quantity as { value: string }).value)}`,
      );
    assert.deepEqual(movements, [`344 ${a} 50`, `344 ${a} 50`, `343 ${a} 50`]);
  });

  it('a fully consumed supplier lot: nothing to block in SAP is recorded, its parked Odoo step holds up no other lot', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    const [supplier, finished] = [uniqueLotId('S'), uniqueLotId('G')];
    const start = ncrStart({
      lots: [{ material: 'RM-300', lotId: supplier, quantity: qtyOf('50'), storageLocation: '0002' }],
    });
    systems.when('plantflowTraceForwardGenealogy', () => ({
      lots: [
        {
          material: 'RM-300',
          lotId: supplier,
          key: `RM-300:${supplier}`,
          depth: 0,
          workflowId: `lot:RM-300:${supplier}`,
          workflow: 'none',
        },
        {
          material: 'FG-100',
          lotId: finished,
          key: `FG-100:${finished}`,
          depth: 1,
          via: `RM-300:${supplier}`,
          workflowId: `lot:FG-100:${finished}`,
          workflow: 'closed',
        },
      ],
      truncated: false,
    }));
    systems.when('sapReadBatchStock', (i) => ({ ...i, byStorageLocation: [] }));
    systems.when('odooMoveLotToQuarantine', (i, attempt) => {
      if (i.lot === supplier && attempt === 1) throw businessRule('Odoo: the lot is reserved by a delivery', 'odoo');
      return { status: 'moved', lotId: 1, location: 'WH/Quarantine', quantity: qtyOf('100') };
    });
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      const parked = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.needsAttention && v.containment.actions.filter((a) => a.lotId === finished).length === 2,
      );
      assert.deepEqual(
        parked.parked.map((p) => p.step),
        [`contain/RM-300:${supplier}/odoo`],
        'only the supplier lot waits',
      );
      assert.deepEqual(parked.containment.actions.map((a) => `${a.kind} ${a.lotId} ${a.changed}`).sort(), [
        `odoo_quarantine ${finished} true`,
        `sap_block ${supplier} false`,
        `sap_restrict ${finished} true`,
      ]);
      assert.match(
        parked.containment.actions.find((a) => a.kind === 'sap_block')!.description,
        /no unrestricted stock on hand in storage location|no unrestricted stock on hand, nothing to block/,
      );
      assert.equal(systems.called('sapPostGoodsMovement').length, 0, 'no 344 asks for stock SAP does not hold');

      await ncrs.resolveParkedStep(start.ncrId, {
        step: `contain/RM-300:${supplier}/odoo`,
        action: 'retry',
        reason: 'delivery unreserved',
        by: 'qa.anna',
      });
      const contained = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.containment.runs === 1,
      );
      assert.equal(contained.needsAttention, false);
      assert.ok(contained.containment.actions.some((a) => a.kind === 'odoo_quarantine' && a.lotId === supplier));
    });
  });

  it('rework: creates the Odoo MO and the SAP order, releases a rework order run linked to the NCR', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    const start = ncrStart({
      source: 'mes_deviation',
      orderRef: 'PO-7001',
      erp: { odooMo: 'WH/MO/00071', sapOrder: '1000071' },
      operation: '0020',
      lots: [{ material: 'FG-100', lotId: 'WIP-PO-7001-0020', quantity: qtyOf('5'), wip: true }],
      quantity: qtyOf('5'),
      description: 'operation 0020 reported 5 EA for rework',
    });
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      const anna = await signer(env, 'qa.anna');
      await ncrs.dispose(
        start.ncrId,
        {
          lotId: 'WIP-PO-7001-0020',
          decision: 'rework',
          quantity: qtyOf('4'),
          reason: 'recoat',
          instructions: 'strip and recoat',
        },
        anna,
      );
      await ncrs.dispose(
        start.ncrId,
        { lotId: 'WIP-PO-7001-0020', decision: 'scrap', quantity: qtyOf('1'), reason: 'impeller bent' },
        anna,
      );
      const done = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'executed',
      );
      const rework = done.dispositions.lines.find((l) => l.record.decision === 'rework')!;
      assert.deepEqual(
        [rework.rework?.orderRef, rework.rework?.workflowId, rework.rework?.odooMo, rework.rework?.sapOrder],
        ['PO-7001-RW1', 'order:1710:PO-7001-RW1', 'WH/MO/00900', '1000900'],
      );
      assert.equal(done.containment.actions[0]!.kind, 'segregated');
    });
    const release = systems.called('plantflowReleaseReworkOrder').find((c) => c.input.ncrId === start.ncrId)!;
    const order = release.input.order as Record<string, unknown>;
    assert.deepEqual(
      [
        order.orderRef,
        order.material,
        (order.quantity as { value: string }).value,
        order.erp,
        order.releasedBy,
        release.input.reworkOf,
      ],
      ['PO-7001-RW1', 'FG-100', '4', { odooMo: 'WH/MO/00900', sapOrder: '1000900' }, 'qa.anna', 'PO-7001'],
    );
    assert.deepEqual(
      (order.operations as Array<{ operation: string }>).map((o) => o.operation),
      ['0010', '0020'],
    );
    const scrap = systems.called('odooScrap').find((c) => c.input.moName === 'WH/MO/00071')!;
    assert.deepEqual(
      [scrap.input.locationKind, (scrap.input.quantity as { value: string }).value],
      ['production', '1'],
    );
    assert.equal(
      systems.called('odooMoveLotToQuarantine').filter((c) => String(c.input.lot).startsWith('WIP')).length,
      0,
      'units in production are no ERP lot',
    );
  });
});
