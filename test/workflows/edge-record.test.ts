import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import type { EdgeContact } from '../../domain/edge';
import { edgeWorkflowId } from '../../domain/ids';
import { EDGE_WORKFLOW_TYPE, edgeContactQuery, edgeReportedSignal } from '../../workflows/messages/edge';
import { TaskQueue } from '../../workflows/task-queues';
import { testDataConverter, timeSkippingEnv } from '../setup/temporal-env';
import { eventually } from '../support/eventually';
import { workflowBundle } from './support/workers';

describe('plant edge record (time-skipping)', function () {
  this.timeout(60_000);

  it('keeps the newest report as query and memo, ignores a late older one, and carries it across continue-as-new', async () => {
    const env = await timeSkippingEnv();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      dataConverter: testDataConverter,
      taskQueue: TaskQueue.workflows,
      workflowBundle: await workflowBundle(),
    });
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
    const report = (c: EdgeContact) =>
      env.client.workflow.signalWithStart(EDGE_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: TaskQueue.workflows,
        args: [{ site: '1710', edgeId, reportsPerRun: 3 }],
        signal: edgeReportedSignal,
        signalArgs: [c],
      });
    await worker.runUntil(async () => {
      const first = await report(contact(1, 10));
      for (let minute = 2; minute <= 6; minute++) await report(contact(minute, 10 - minute));
      const handle = env.client.workflow.getHandle(workflowId);
      // Six reports, three per run: the third run starts with nothing but the carried last report.
      await eventually(
        () => handle.describe(),
        (d) => d.runId !== first.signaledRunId && d.historyLength > 0,
        20_000,
      );
      await report(contact(5, 99)); // a report that lost its way and arrives late, at the new run's start
      await eventually(
        () => handle.fetchHistory(),
        (h) =>
          h.events!.some((e) => e.workflowExecutionSignaledEventAttributes) &&
          !!h.events!.at(-1)?.workflowTaskCompletedEventAttributes,
        20_000,
      );
      assert.equal((await handle.query(edgeContactQuery))?.backlog.events, 4, 'the carried report stands');
      await report(contact(7, 3));
      const last = await eventually(
        () => handle.query(edgeContactQuery),
        (c) => c?.lastContactAt === contact(7, 3).lastContactAt,
        20_000,
      );
      assert.equal(last!.backlog.events, 3);
      const history = await handle.fetchHistory();
      const received = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
      assert.equal(received, 2, 'the third run got the late report and the newest');
      const memo = (await handle.describe()).memo?.edge as EdgeContact | undefined;
      assert.equal(memo?.lastContactAt, contact(7, 3).lastContactAt);
      const firstRun = await env.client.workflow.getHandle(workflowId, first.signaledRunId).describe();
      assert.equal(firstRun.status.name, 'CONTINUED_AS_NEW');
      await handle.terminate('test over');
    });
  });
});
