import assert from 'node:assert/strict';
import type { RegisterLotInput } from '../../activities/plantflow/runs';
import { LotClient } from '../../client/lots';
import { lotWorkflowId } from '../../domain/ids';
import type { LotStart } from '../../domain/starts';
import { LOT_WORKFLOW_TYPE, lotProducedSignal } from '../../workflows/messages/lot';
import { ParentLotsAttr } from '../../workflows/search-attributes';
import { TaskQueue } from '../../workflows/task-queues';
import { timeSkippingEnv } from '../setup/temporal-env';
import { demoOrderInput, mes } from '../support/orders';
import {
  defaultLotSystems,
  lotClient,
  produce,
  result,
  signer,
  trackLot,
  uniqueLotId,
  withLotWorkers,
  sign,
} from './support/lot-harness';
import { eventually, orderClient } from './support/order-harness';

const q = (value: string, uom = 'EA') => ({ value, uom });

describe('lot: genealogy, continue-as-new and the producing order (time-skipping)', function () {
  this.timeout(120_000);

  it('merges production notices: quantities once per source event, parents by the largest cumulative quantity, executors united; children learned', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    const order = { orderRef: `PO-${lotId}`, orderWorkflowId: `order:1710:PO-${lotId}` };
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId, {
        quantity: q('60'),
        parents: [{ material: 'RM-300', lotId: 'H-1001', quantity: q('60') }],
        sourceEventId: 'e1',
        producedBy: order,
      });
      const handle = lots.handle('FG-100', lotId);
      const notice = {
        quantity: q('40'),
        producedBy: order,
        executors: ['op.ria'],
        producedAt: new Date().toISOString(),
      };
      const cumulative = [
        { material: 'RM-300', lotId: 'H-1001', quantity: q('60') },
        { material: 'RM-300', lotId: 'H-1002', quantity: q('40') },
        { material: 'RM-400', lotId: 'R-4001', quantity: q('25', 'KGM') },
      ];
      await handle.signal(lotProducedSignal, { ...notice, sourceEventId: 'e2', parents: cumulative });
      await handle.signal(lotProducedSignal, { ...notice, sourceEventId: 'e2', parents: cumulative }); // a resend
      // A second order consuming into the same lot (a continued batch) adds to the parents.
      await handle.signal(lotProducedSignal, {
        ...notice,
        quantity: q('5'),
        sourceEventId: 'x1',
        producedBy: { orderRef: 'PO-X', orderWorkflowId: 'order:1710:PO-X' },
        parents: [{ material: 'RM-300', lotId: 'H-1001', quantity: q('5') }],
      });
      const s = await eventually(
        () => lots.status('FG-100', lotId),
        (v) => v.production.length === 3,
      );
      assert.deepEqual(s.quantity, q('105'));
      assert.deepEqual(
        s.parents.map((p) => `${p.material}:${p.lotId}=${p.quantity.value} ${p.orders.join('+')}`),
        [`RM-300:H-1001=65 PO-${lotId}+PO-X`, `RM-300:H-1002=40 PO-${lotId}`, `RM-400:R-4001=25 PO-${lotId}`],
      );
      assert.deepEqual(s.executors, ['op.sam', 'op.ria']);
      assert.deepEqual((await handle.describe()).typedSearchAttributes.get(ParentLotsAttr), [
        'RM-300:H-1001',
        'RM-300:H-1002',
        'RM-400:R-4001',
      ]);

      // A child made from this lot: registering it tells this running lot.
      const child = uniqueLotId('C');
      trackLot('FG-200', child);
      const told = await new LotClient(env.client).registerProduced({
        material: 'FG-200',
        lotId: child,
        site: '1710',
        quantity: q('10'),
        parents: [{ material: 'FG-100', lotId, quantity: q('10') }],
        producedAt: new Date().toISOString(),
        producedBy: { orderRef: `PO-${child}`, orderWorkflowId: `order:1710:PO-${child}` },
        executors: [],
        sourceEventId: `c-${child}`,
      } satisfies RegisterLotInput);
      assert.equal(told.parentsTold, 1);
      const withChild = await eventually(
        () => lots.status('FG-100', lotId),
        (v) => v.children.length === 1,
      );
      assert.deepEqual(
        withChild.children.map((c) => [c.material, c.lotId, c.quantity?.value, c.orderRef]),
        [['FG-200', child, '10', `PO-${child}`]],
      );

      const trace = await lots.genealogy('FG-200', child, { direction: 'backward' });
      assert.equal(trace.root.links[0]!.key, `FG-100:${lotId}`);
      assert.equal(trace.root.links[0]!.tracked, true);
      assert.deepEqual(
        trace.root.links[0]!.links.map((l) => [l.key, l.tracked, l.quantity?.value]),
        [
          ['RM-300:H-1001', false, '65'],
          ['RM-300:H-1002', false, '40'],
          ['RM-400:R-4001', false, '25'],
        ],
      );
      assert.deepEqual(
        trace.lots.sort(),
        [`FG-100:${lotId}`, 'RM-300:H-1001', 'RM-300:H-1002', 'RM-400:R-4001'].sort(),
      );
      const shallow = await lots.genealogy('FG-200', child, { direction: 'backward', depth: 1 });
      assert.equal(shallow.root.links[0]!.truncated, 'depth');
      assert.deepEqual(shallow.root.links[0]!.links, []);
    });
  });

  it('continues as new with its state: inspections, holds, genealogy and the deadline survive', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    const start: LotStart = {
      material: 'FG-100',
      lotId,
      site: '1710',
      maxHistoryEvents: 60,
      received: {
        quantity: q('30'),
        receivedBy: 'plan.eva',
        parents: [{ material: 'RM-320', lotId: 'S-3001', quantity: q('30') }],
        receivedAt: new Date().toISOString(),
      },
    };
    await withLotWorkers(env, systems, async () => {
      trackLot('FG-100', lotId);
      const handle = await env.client.workflow.start(LOT_WORKFLOW_TYPE, {
        workflowId: lotWorkflowId('FG-100', lotId),
        taskQueue: TaskQueue.workflows,
        args: [start],
      });
      await lots.placeHold('FG-100', lotId, { holdId: 'H-CAN', reason: 'keep across runs', by: 'qa.anna' });
      for (let i = 0; i < 12; i++)
        await lots.recordInspection({ material: 'FG-100', lotId, ...result('NOISE', 'pass') });
      await lots.recordInspection({ material: 'FG-100', lotId, ...result('PRESSURE', 'pass') });
      await lots.recordInspection({ material: 'FG-100', lotId, ...result('VISUAL', 'pass') });
      const s = await eventually(
        () => lots.status('FG-100', lotId),
        (v) => v.runs > 1 && v.results.length === 14 && v.execution.pending.length === 0,
        60_000,
      );
      assert.equal(s.holds[0]!.holdId, 'H-CAN');
      assert.equal(s.parents[0]!.lotId, 'S-3001');
      await lots.liftHold('FG-100', lotId, { holdId: 'H-CAN', by: 'qa.anna', reason: 'done' });
      await sign(
        lots,
        'FG-100',
        lotId,
        { decision: 'release', meaning: 'approved_for_release' },
        await signer(env, 'qp.marc'),
      );
      const done = await eventually(
        () => lots.status('FG-100', lotId),
        (v) => v.status === 'released',
      );
      assert.ok(done.runs > 1);
      assert.notEqual((await handle.describe()).runId, handle.firstExecutionRunId);
    });
    assert.equal(systems.called('qmsRecordInspectionResult').length, 14, 'each result recorded once across runs');
    assert.equal(systems.called('odooFindOrCreateLot').length, 1, 'registration is not repeated');
  });

  it('end to end with a real order: the order registers its lot with the consumed parents, the lot quarantines at the receipt, QA releases, the order closes', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    systems.when(
      'plantflowRegisterLot',
      (i) => (
        trackLot(String(i.material), String(i.lotId)),
        new LotClient(env.client).registerProduced(i as unknown as RegisterLotInput)
      ),
    );
    const orders = orderClient(env);
    const lots = lotClient(env);
    const ref = `PO-L${uniqueLotId('')}`;
    const lotId = uniqueLotId('F');
    await withLotWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      for (const e of [
        mes.consumed('RM-300', 'H-1001', '100', 'EA', { orderRef: ref }),
        mes.consumed('RM-310', 'I-2001', '100', 'EA', { orderRef: ref }),
        mes.completed('0010', '100', { orderRef: ref, final: true }),
        mes.completed('0020', '100', { orderRef: ref, final: true }),
        mes.produced(lotId, '100', { orderRef: ref }),
      ])
        await orders.reportMesEvent(e);
      // The lot run starts when the order's pipeline registers the produced lot.
      const lot = (await eventually(
        () => lots.status('FG-100', lotId).catch(() => undefined),
        (s) => s?.registration.quarantine === 'done',
        60_000,
      ))!;
      assert.deepEqual(
        lot.parents.map((p) => `${p.material}:${p.lotId}=${p.quantity.value}`),
        ['RM-300:H-1001=100', 'RM-310:I-2001=100'],
      );
      assert.equal(lot.executors.includes('op.sam'), true);
      assert.equal((await orders.status('1710', ref)).status, 'completed');
      for (const c of ['PRESSURE', 'VISUAL'])
        await lots.recordInspection({ material: 'FG-100', lotId, ...result(c, 'pass') });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.requiredNotPassed.length === 0,
      );
      await sign(
        lots,
        'FG-100',
        lotId,
        { decision: 'release', meaning: 'approved_for_release' },
        await signer(env, 'qp.marc'),
      );
      const closed = await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'closed',
        60_000,
      );
      assert.deepEqual(
        closed.lots.map((l) => [l.lotId, l.disposition, l.final]),
        [[lotId, 'released', true]],
      );
    });
    assert.equal(systems.called('sapTechnicallyCompleteOrder').length, 1);
  });
});
