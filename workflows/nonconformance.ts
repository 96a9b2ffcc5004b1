// Nonconformance (NCR): containment, records, signed dispositions by quantity, execution, CAPA, close
// (docs/architecture.md §2.3).
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
} from '@temporalio/workflow';
import { approvedLines } from '../domain/ncr-dispositions';
import { lotReadyForRelease } from '../domain/ncr-execution';
import type { NcrWorkflowInput } from './messages/ncr';
import { closeNcr, lotsNeedTelling, tellLots } from './nonconformance/close';
import { contain } from './nonconformance/containment';
import { evaluateCapa, watchDeadlines } from './nonconformance/escalation';
import { executeLine, lineToExecute, recordApproval, releaseLot } from './nonconformance/execution';
import { registerNcrHandlers } from './nonconformance/handlers';
import { openRecords, recordRootCause } from './nonconformance/records';
import { NcrRun } from './nonconformance/run';
import type { NcrOutcome } from './nonconformance/state';
import { StepAborted } from './shared/parking';
import { beside, historyFull, serve, type Duty } from './shared/procedure';

export type { NcrOutcome } from './nonconformance/state';

/** Workflow type 'nonconformance' (NCR_WORKFLOW_TYPE), id ncr:<ncrId>. */
export async function nonconformance(input: NcrWorkflowInput): Promise<NcrOutcome> {
  const run = new NcrRun(input);
  registerNcrHandlers(run);
  run.publish();
  if (!input.carry)
    run.note(
      'Opened',
      `${input.severity} NCR from ${input.source} by ${input.raisedBy}: ${input.description}`,
      input.raisedBy,
    );
  let draining = false;
  // Handled at once: a cancellation reaching a timer must not surface as an unhandled rejection.
  const watchers = watchDeadlines(run, () => draining).catch((err: unknown) =>
    run.note('EscalationStopped', err instanceof Error ? err.message : String(err)),
  );

  try {
    await openRecords(run);
    if (run.state.containmentRuns === 0) await contain(run, 'opening');
    await tellLots(run);
    // The CAPA is a matter of its own: a QMS refusing it parks that step without holding up the
    // dispositions. Runs from before this change evaluated it first, and replay the same way.
    let capa = beside(Promise.resolve());
    if (patched('capa-beside-dispositions')) capa = beside(evaluateCapa(run));
    else await evaluateCapa(run);
    const end = await serve({
      duties: duties(run),
      finished: () => run.state.closure !== undefined,
      continueAsNewDue: () => historyFull(input.maxHistoryEvents),
      failed: capa.failed,
    });
    await capa.done();
    if (end === 'continue-as-new') {
      draining = true;
      await watchers;
      await condition(allHandlersFinished);
      return await continueAsNew<typeof nonconformance>({ ...input, carry: run.state });
    }
    await closeNcr(run);
  } catch (err) {
    if (err instanceof StepAborted) {
      run.state.failure = err.message;
      run.setStatus('aborted', err.message);
    } else if (isCancellation(err)) {
      run.state.failure = 'cancelled through Temporal; its containment stays in place';
      run.setStatus('aborted', run.state.failure);
    } else {
      throw err;
    }
  }
  draining = true;
  // After a Temporal cancellation the run still reports how it ended.
  await CancellationScope.nonCancellable(async () => {
    await watchers;
    await condition(allHandlersFinished);
  });
  return { workflowId: run.workflowId, ncrId: run.ncrId, status: run.state.status, reason: run.state.failure };
}

/** What the NCR does whenever it is due, in this order: one pass over them after each wake. */
function duties(run: NcrRun): Duty[] {
  const approved = () => approvedLines(run.state.lines);
  const readyLots = () =>
    run.state.contained.filter((c) => lotReadyForRelease(c, run.state.lines, run.fullyDispositioned));
  return [
    {
      name: 'run containment again',
      due: () => run.state.containmentRequested,
      perform: () => contain(run, 'rerun requested'),
    },
    {
      name: 'record the root cause in the QMS',
      due: () => run.state.rootCause !== undefined && !run.state.rootCauseInQms,
      perform: () => recordRootCause(run),
    },
    {
      name: 'record and carry out the approved decisions',
      due: () => approved().some((l) => !l.inQms || lineToExecute(l)),
      perform: async () => {
        for (const line of approved()) {
          if (!line.inQms) await recordApproval(run, line);
          if (lineToExecute(line)) await executeLine(run, line);
        }
      },
    },
    {
      name: 'give back the lots whose decisions are carried out',
      due: () => readyLots().length > 0,
      perform: async () => {
        for (const lot of run.state.contained) {
          if (lotReadyForRelease(lot, run.state.lines, run.fullyDispositioned)) await releaseLot(run, lot);
        }
      },
    },
    {
      name: 'tell the lots how the NCR stands',
      due: () => run.derivedStatus() !== run.state.status || lotsNeedTelling(run),
      perform: async () => {
        run.refreshStatus();
        await tellLots(run);
      },
    },
  ];
}
