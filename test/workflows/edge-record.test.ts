import assert from 'node:assert/strict';
import type { EdgeContact } from '../../domain/edge';
import { edgeWorkflowId } from '../../domain/ids';
import { EDGE_WORKFLOW_TYPE, edgeContactQuery, edgeReportedSignal } from '../../workflows/messages/edge';
import { TaskQueue } from '../../workflows/task-queues';
import { timeSkippingEnv } from '../setup/temporal-env';
import { recordHistoryIfAsked } from '../support/histories';
import { eventually } from '../support/eventually';
import { workflowsWorker } from './support/workers';

describe('plant edge record (time-skipping)', function () {
  this.timeout(60_000);

  it('keeps the newest report as query and memo, ignores a late older one, and carries it across continue-as-new', async () => {
    const env = await timeSkippingEnv();
    const worker = await workflowsWorker(env);
    const edgeId = `edge-${Date.now()}`;
    const workflowId = edgeWorkflowId('1710', edgeId);
    const contact = (minute: number, events: number): EdgeContact => ({
      edgeId,
      site: '1710',
      reportedAt: new Date(Date.UTC(2026, 10, 23, 6, minute)).toISOString(),
      lastContactAt: new Date(Date.UTC(2026, 10, 23, 6, minute)).toISOString(),
      backlog: { events, bytes: events * 300, maxEvents: 1000, maxBytes: 1_000_000, alarm: false },
      forwarded: { accepted: minute, duplicate: 0, refused: 0 },
      refusals: 0,
    });
    const handle = env.client.workflow.getHandle(workflowId);
    const send = (c: EdgeContact) =>
      env.client.workflow.signalWithStart(EDGE_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: TaskQueue.workflows,
        args: [{ site: '1710', edgeId, reportsPerRun: 3 }],
        signal: edgeReportedSignal,
        signalArgs: [c],
      });
    const memoOf = async () => (await handle.describe()).memo?.edge as EdgeContact | undefined;
    /**
     * One report, applied before the next is sent, so which run takes it never depends on how the server
     * batches signals. Waited for on the memo: describe answers at any moment, while a query sent just as
     * the run continues as new can wait on the closed run.
     */
    const report = async (c: EdgeContact) => {
      await send(c);
      await eventually(memoOf, (kept) => kept?.lastContactAt === c.lastContactAt, 20_000);
    };
    /** The run after `runId`, once it has started (continue-as-new). */
    const nextRun = async (runId: string) =>
      (
        await eventually(
          () => handle.describe(),
          (d) => d.runId !== runId && d.status.name === 'RUNNING',
          20_000,
        )
      ).runId;

    await worker.runUntil(async () => {
      const first = (
        await env.client.workflow.start(EDGE_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: TaskQueue.workflows,
          args: [{ site: '1710', edgeId, reportsPerRun: 3 }],
        })
      ).firstExecutionRunId;
      for (const minute of [1, 2, 3]) await report(contact(minute, 10 - minute));
      const second = await nextRun(first);
      await eventually(memoOf, (m) => m?.lastContactAt === contact(3, 7).lastContactAt, 20_000);

      // A report that lost its way arrives late, after a newer one: it never rolls the record back.
      await send(contact(2, 99));
      await eventually(
        () => handle.fetchHistory(),
        (h) =>
          h.events!.some((e) => e.workflowExecutionSignaledEventAttributes) &&
          !!h.events!.at(-1)?.workflowTaskCompletedEventAttributes,
        20_000,
      );
      assert.equal((await handle.query(edgeContactQuery))?.backlog.events, 7, 'the carried report stands');
      assert.equal((await memoOf())?.backlog.events, 7);

      // The late report did not count: after two more the run still goes on, the third ends it.
      for (const minute of [4, 5]) await report(contact(minute, 10 - minute));
      const secondRun = env.client.workflow.getHandle(workflowId, second);
      assert.equal((await secondRun.describe()).status.name, 'RUNNING', 'the late report was not counted');
      await report(contact(6, 4));
      const third = await nextRun(second);
      const last = await handle.query(edgeContactQuery);
      assert.equal(last?.backlog.events, 4, 'the newest report stands, carried into the third run');
      await eventually(memoOf, (m) => m?.lastContactAt === contact(6, 4).lastContactAt, 20_000);
      for (const runId of [first, second]) {
        const run = await env.client.workflow.getHandle(workflowId, runId).describe();
        assert.equal(run.status.name, 'CONTINUED_AS_NEW');
      }
      assert.notEqual(third, second);
      // The second run holds both paths worth replaying: a late report ignored, then continue-as-new.
      await recordHistoryIfAsked('edge-record-late-report-continued', secondRun);
      await handle.terminate('test over');
    });
  });
});
