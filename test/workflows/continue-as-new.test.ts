import assert from 'node:assert/strict';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { NcrClient } from '../../client/ncrs';
import { lotWorkflowId, ncrWorkflowId, orderWorkflowId } from '../../domain/ids';
import type { LotStart } from '../../domain/starts';
import { LOT_WORKFLOW_TYPE, lotStatusQuery } from '../../workflows/messages/lot';
import { ncrStatusQuery } from '../../workflows/messages/ncr';
import { orderStatusQuery, orderTimelineQuery } from '../../workflows/messages/order';
import { TaskQueue } from '../../workflows/task-queues';
import { timeSkippingEnv } from '../setup/temporal-env';
import { demoOrderInput, mes } from '../support/orders';
import { defaultLotSystems, lotClient, result, trackLot, uniqueLotId, withLotWorkers } from './support/lot-harness';
import { defaultNcrSystems, ncrStart, signer, uniqueNcrId, withNcrWorkers } from './support/ncr-harness';
import { defaultOrderSystems, eventually, FAST_TUNING, orderClient, withOrderWorkers } from './support/order-harness';
import { trackRun } from './support/workers';

/**
 * A run hands its whole state to the next at continue-as-new: what the run showed before it continued is
 * exactly what the next run shows (only the run count differs). Each process is driven into a rich state,
 * then signals no handler takes grow its history (without touching its state) until it continues.
 */
/** The runs continue once their history reaches this length: well after the state is built. */
const MAX_HISTORY_EVENTS = 600;

describe('continue-as-new round trip (time-skipping, mocked systems)', function () {
  this.timeout(180_000);

  it('an order shows the same view and timeline before and after', async () => {
    const env = await timeSkippingEnv();
    const orders = orderClient(env, MAX_HISTORY_EVENTS);
    const ref = `PO-CAN-${Date.now() % 100000}`;
    await withOrderWorkers(env, defaultOrderSystems(), async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      await orders.reportMesEvent(mes.started('0010', { orderRef: ref }));
      await orders.reportMesEvent(mes.consumed('RM-300', 'H-1001', '40', 'EA', { orderRef: ref }));
      await orders.placeHold('1710', ref, {
        holdId: 'H-CAN',
        reason: 'kept across runs',
        by: 'qa.anna',
        source: 'person',
      });
      await eventually(
        () => orders.status('1710', ref),
        // Every posting of the two events and the hold done: the work order start and the consumption in
        // Odoo, the goods issue in SAP, the hold at the MES.
        (s) =>
          s.postings.pending === 0 &&
          s.postings.posted.odoo === 2 &&
          s.postings.posted.sap === 1 &&
          s.postings.posted.mes === 1,
      );
      const id = orderWorkflowId('1710', ref);
      const { before, after } = await continuedViews(env.client, id, async (c, runId) => {
        const handle = c.workflow.getHandle(id, runId);
        return { view: await handle.query(orderStatusQuery), timeline: await handle.query(orderTimelineQuery) };
      });
      assert.equal(after.view.runs, before.view.runs + 1);
      assert.deepEqual({ ...after.view, runs: 0 }, { ...before.view, runs: 0 });
      assert.deepEqual(after.timeline, before.timeline);
      assert.equal(before.view.holds[0]!.holdId, 'H-CAN');
      assert.equal(before.view.execution!.acceptedEvents, 2);
    });
  });

  it('a lot shows the same view before and after', async () => {
    const env = await timeSkippingEnv();
    const lots = lotClient(env);
    const lotId = uniqueLotId('C');
    const start: LotStart = {
      material: 'FG-100',
      lotId,
      site: '1710',
      maxHistoryEvents: MAX_HISTORY_EVENTS,
      received: {
        quantity: { value: '30', uom: 'EA' },
        receivedBy: 'plan.eva',
        parents: [{ material: 'RM-320', lotId: 'S-3001', quantity: { value: '30', uom: 'EA' } }],
        receivedAt: new Date().toISOString(),
      },
    };
    await withLotWorkers(env, defaultLotSystems(), async () => {
      trackLot('FG-100', lotId);
      await env.client.workflow.start(LOT_WORKFLOW_TYPE, {
        workflowId: lotWorkflowId('FG-100', lotId),
        taskQueue: TaskQueue.workflows,
        args: [start],
      });
      await lots.placeHold('FG-100', lotId, { holdId: 'H-CAN', reason: 'kept across runs', by: 'qa.anna' });
      await lots.recordInspection({ material: 'FG-100', lotId, ...result('PRESSURE', 'pass') });
      await lots.recordInspection({ material: 'FG-100', lotId, ...result('NOISE', 'pass') });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) =>
          s.results.length === 2 &&
          s.inspectionTasks === 0 &&
          s.execution.pending.length === 0 &&
          s.registration.quarantine === 'done',
      );
      const id = lotWorkflowId('FG-100', lotId);
      const { before, after } = await continuedViews(env.client, id, (c, runId) =>
        c.workflow.getHandle(id, runId).query(lotStatusQuery),
      );
      assert.deepEqual({ ...after, runs: 0, sla: null }, { ...before, runs: 0, sla: null });
      assert.deepEqual(after.sla.deadlineAt, before.sla.deadlineAt);
      assert.equal(before.holds[0]!.holdId, 'H-CAN');
      assert.equal(before.results.length, 2);
    });
  });

  it('an NCR shows the same view before and after', async () => {
    const env = await timeSkippingEnv();
    const ncrs = new NcrClient(env.client, { tuning: FAST_TUNING, maxHistoryEvents: MAX_HISTORY_EVENTS });
    const start = ncrStart({ ncrId: uniqueNcrId('NCR-CAN') });
    await withNcrWorkers(env, defaultNcrSystems(), async () => {
      trackRun(ncrWorkflowId(start.ncrId));
      await ncrs.openStart(start, { existing: 'fail' });
      await eventually(
        () => ncrs.status(start.ncrId),
        (s) => s.status === 'contained',
      );
      const lotId = start.lots[0]!.lotId;
      await ncrs.dispose(
        start.ncrId,
        { lineId: 'L1', decision: 'scrap', quantity: { value: '20', uom: 'EA' }, lotId, reason: 'crack' },
        await signer(env, 'qa.anna'),
      );
      await ncrs.recordRootCause(start.ncrId, { category: 'machine', description: 'worn die', by: 'qa.anna' });
      await eventually(
        () => ncrs.status(start.ncrId),
        (s) => s.dispositions.lines[0]?.status === 'executed' && s.rootCause !== undefined && !s.needsAttention,
      );
      const id = ncrWorkflowId(start.ncrId);
      const { before, after } = await continuedViews(env.client, id, (c, runId) =>
        c.workflow.getHandle(id, runId).query(ncrStatusQuery),
      );
      assert.deepEqual({ ...after, runs: 0 }, { ...before, runs: 0 });
      assert.equal(before.dispositions.lines.length, 1);
      assert.equal(before.containment.runs, 1);
    });
  });
});

/**
 * Reads the run's view, then grows its history with signals no handler takes (they leave its state as it
 * is) until it reaches `maxHistoryEvents` and continues as new, and reads the view of the run that took over.
 */
async function continuedViews<V>(
  client: Client,
  workflowId: string,
  read: (client: Client, runId?: string) => Promise<V>,
  maxHistoryEvents = MAX_HISTORY_EVENTS,
): Promise<{ before: V; after: V }> {
  const handle = client.workflow.getHandle(workflowId);
  // The run to watch: one still open when its view is read (building the state may have continued it).
  const { runId, before } = await eventually(
    async () => {
      const { runId } = await handle.describe();
      return { runId, before: await read(client, runId).catch(() => undefined) };
    },
    (seen) => seen.before !== undefined,
  );
  await eventually(
    async () => {
      const d = await handle.describe();
      // Past the limit by a margin, so the last activation the run saw is past it too.
      // A signal sent as the run hands over can meet the closed run: the next look finds the new one.
      if (d.runId === runId && d.historyLength < maxHistoryEvents + 20)
        await handle.signal('historyFiller').catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
      return d.runId;
    },
    (current) => current !== runId,
    60_000,
    20,
  );
  // The run that took over, once it answers (a query can reach the run that just continued and be refused).
  const after = await eventually(
    () => read(client).catch(() => undefined),
    (v) => v !== undefined,
  );
  return { before: before!, after: after! };
}
