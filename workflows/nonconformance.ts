// Nonconformance (NCR): containment, records, signed dispositions by quantity, execution, CAPA, close
// (docs/architecture.md §2.3).
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import { approvedLines, type DispositionLine } from '../domain/ncr-dispositions';
import { lotReadyForRelease } from '../domain/ncr-execution';
import { closeNcr, tellLots } from './nonconformance/close';
import { contain } from './nonconformance/containment';
import { evaluateCapa, watchDeadlines } from './nonconformance/escalation';
import { executeLine, recordApproval, releaseLot } from './nonconformance/execution';
import { registerNcrHandlers } from './nonconformance/handlers';
import { openRecords } from './nonconformance/records';
import { NcrRun } from './nonconformance/run';
import type { NcrOutcome, NcrWorkflowInput } from './nonconformance/state';
import { keyOf, NcrAborted, step } from './nonconformance/steps';
import { withSummary } from './shared/activities';

export type { NcrOutcome, NcrWorkflowInput } from './nonconformance/state';

const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

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
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxEvents;

  try {
    await openRecords(run);
    if (run.containmentRuns === 0) await contain(run, 'opening');
    await tellLots(run);
    // The CAPA is a matter of its own: a QMS refusing it parks that step without holding up the
    // dispositions. Runs from before this change evaluated it first, and replay the same way.
    let capa = beside(Promise.resolve());
    if (patched('capa-beside-dispositions')) capa = beside(evaluateCapa(run));
    else await evaluateCapa(run);
    for (;;) {
      await work(run);
      capa.rethrow();
      if (run.closure) {
        await capa.done();
        await closeNcr(run);
        break;
      }
      if (shouldContinueAsNew()) {
        await capa.done();
        draining = true;
        await watchers;
        await condition(allHandlersFinished);
        return await continueAsNew<typeof nonconformance>({ ...input, carry: run.carry() });
      }
      const seen = run.revision;
      await condition(() => run.revision !== seen || hasWork(run) || capa.failed() || shouldContinueAsNew());
    }
  } catch (err) {
    if (err instanceof NcrAborted) {
      run.failure = err.message;
      run.setStatus('aborted', err.message);
    } else if (isCancellation(err)) {
      run.failure = 'cancelled through Temporal; its containment stays in place';
      run.setStatus('aborted', run.failure);
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
  return { workflowId: run.workflowId, ncrId: run.ncrId, status: run.status, reason: run.failure };
}

/** A branch run beside the main loop; its failure (an operator's abort, a cancellation) surfaces there. */
function beside(branch: Promise<void>) {
  let failure: { err: unknown } | undefined;
  const settled = branch.catch((err: unknown) => {
    failure = { err };
  });
  const rethrow = () => {
    if (failure) throw failure.err;
  };
  return {
    failed: () => failure !== undefined,
    rethrow,
    done: async () => {
      await settled;
      rethrow();
    },
  };
}

const toExecute = (line: DispositionLine) =>
  line.record.decision !== 'use_as_is' && (line.status === 'approved' || line.status === 'executing');

/** Anything the loop would do now: the condition it waits on must agree with `work`. */
function hasWork(run: NcrRun): boolean {
  const approved = approvedLines(run.lines);
  return (
    run.containmentRequested ||
    run.closure !== undefined ||
    (run.rootCause !== undefined && !run.rootCauseInQms) ||
    approved.some((l) => !l.inQms || toExecute(l)) ||
    run.contained.some((c) => lotReadyForRelease(c, run.lines, run.fullyDispositioned))
  );
}

/** One pass over everything due: containment reruns, root cause, approvals, executions, lot releases. */
async function work(run: NcrRun): Promise<void> {
  if (run.containmentRequested) await contain(run, 'rerun requested');
  if (run.rootCause && !run.rootCauseInQms) {
    const rc = run.rootCause;
    const name = `root-cause/${rc.recordedAt}`;
    const summary = `Record the root cause of NCR ${run.ncrId} in the QMS`;
    await step(run, name, summary, () =>
      withSummary(run.acts.qms.qmsUpdateNonconformance, summary, {
        idempotencyKey: keyOf(run, name),
        ncrId: run.ncrId,
        updatedBy: rc.recordedBy,
        rootCause: { category: rc.category, description: rc.description },
      }),
    );
    if (run.rootCause === rc) run.rootCauseInQms = true;
  }
  for (const line of approvedLines(run.lines)) {
    if (!line.inQms) await recordApproval(run, line);
    if (toExecute(line)) await executeLine(run, line);
  }
  for (const lot of run.contained) {
    if (lotReadyForRelease(lot, run.lines, run.fullyDispositioned)) await releaseLot(run, lot);
  }
  run.refreshStatus();
  await tellLots(run);
}
