import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ExceptionsClient } from '../../client/exceptions';
import type { ExceptionReport } from '../../domain/exceptions';
import { exceptionsWorkflowId } from '../../domain/ids';
import { EXCEPTIONS_WORKFLOW_TYPE, exceptionReportedSignal } from '../../workflows/messages/exceptions';
import { TaskQueue } from '../../workflows/task-queues';
import { timeSkippingEnv } from '../setup/temporal-env';
import { eventually } from '../support/eventually';
import { workflowsWorker } from './support/workers';

describe('business exception record (time-skipping)', function () {
  this.timeout(60_000);

  it('keeps reports per situation, raises NeedsAttention while one is open, takes and refuses decisions, and carries them across continue-as-new', async () => {
    const env = await timeSkippingEnv();
    const worker = await workflowsWorker(env);
    const site = `X${Date.now() % 100000}`;
    const exceptions = new ExceptionsClient(env.client);
    const handle = env.client.workflow.getHandle(exceptionsWorkflowId(site));
    const report = (key: string, minute: number): ExceptionReport => ({
      kind: 'EventForClosedOrder',
      key,
      site,
      subject: { orderRef: key, system: 'mes' },
      summary: `MES event for closed order ${key}`,
      reason: { code: 'OrderClosed', message: `order ${key} is closed` },
      arrived: { eventId: `evt-${key}` },
      at: new Date(Date.UTC(2026, 11, 4, 6, minute)).toISOString(),
    });
    const attention = async () => (await handle.describe()).searchAttributes?.NeedsAttention?.[0];

    await worker.runUntil(async () => {
      // Nothing reported yet: an empty record, without a run.
      assert.deepEqual(await exceptions.list(site), { site, exceptions: [], counts: {} });

      // A record that continues as new after four messages; the same situation again is one exception seen twice.
      await env.client.workflow.start(EXCEPTIONS_WORKFLOW_TYPE, {
        workflowId: exceptionsWorkflowId(site),
        taskQueue: TaskQueue.workflows,
        args: [{ site, messagesPerRun: 4 }],
      });
      await exceptions.report(report('PO-1', 1));
      await exceptions.report(report('PO-1', 2));
      await exceptions.report(report('PO-2', 3));
      const listed = await eventually(
        () => exceptions.list(site),
        (l) => l.exceptions.length === 2 && l.exceptions.some((e) => e.occurrences === 2),
        20_000,
      );
      assert.deepEqual(listed.counts, { EventForClosedOrder: { open: 2, total: 2 } });
      assert.equal(await eventually(attention, (v) => v === true, 20_000), true);
      const firstRun = (await handle.describe()).runId;

      // An action this kind does not offer, and an unknown exception, are refused without entering the history.
      await assert.rejects(
        exceptions.decide(site, { exceptionId: 'EventForClosedOrder:PO-1', action: 'reapply', by: 'op', reason: 'x' }),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === 'DecisionRefused',
      );
      await assert.rejects(
        exceptions.decide(site, { exceptionId: 'EventForClosedOrder:nope', action: 'resolve', by: 'op', reason: 'x' }),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError && (err.cause as ApplicationFailure).type === 'UnknownException',
      );

      // The fourth message (this decision) ends the run: the next run still holds both, one resolved.
      const decided = await exceptions.decide(site, {
        exceptionId: 'EventForClosedOrder:PO-1',
        action: 'acknowledge',
        by: 'operator.anna',
        reason: 'resend after close, nothing to post',
      });
      assert.equal(decided.status, 'resolved');
      await eventually(
        () => handle.describe(),
        (d) => d.runId !== firstRun && d.status.name === 'RUNNING',
        20_000,
      );
      const after = await exceptions.list(site);
      assert.deepEqual(after.counts, { EventForClosedOrder: { open: 1, total: 2 } });
      assert.equal(after.exceptions.find((e) => e.subject.orderRef === 'PO-1')?.resolution?.by, 'operator.anna');
      assert.deepEqual(
        (await exceptions.list(site, { status: 'open' })).exceptions.map((e) => e.subject.orderRef),
        ['PO-2'],
      );

      // Resolving the last open one clears NeedsAttention.
      await exceptions.decide(site, {
        exceptionId: 'EventForClosedOrder:PO-2',
        action: 'resolve',
        by: 'operator.anna',
        reason: 'posted by hand in SAP',
      });
      assert.equal(await eventually(attention, (v) => v === false, 20_000), false);

      // A report sent around the client's validation cannot be refused (a signal): it is kept as unreadable.
      await handle.signal(exceptionReportedSignal, { kind: 'NotAKind' } as unknown as ExceptionReport);
      const unreadable = await eventually(
        () => exceptions.list(site, { kind: 'UnreadableReport' }),
        (l) => l.exceptions.length === 1,
        20_000,
      );
      assert.deepEqual(unreadable.exceptions[0]!.arrived, { kind: 'NotAKind' });
      assert.equal(await eventually(attention, (v) => v === true, 20_000), true);
    });
  });
});
