// Production order: release saga, then execution, completion and close (docs/architecture.md §2.1).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { OrderRefAttr, SiteAttr } from './search-attributes';
import { closeOrder, completeInErps } from './order/completion';
import { registerOrderHandlers } from './order/handlers';
import { checkMasterData, compensate, releaseSaga } from './order/release';
import { OrderRun } from './order/run';
import type { OrderOutcome, OrderWorkflowInput } from './order/state';

export type { OrderOutcome, OrderWorkflowInput } from './order/state';

const DEFAULT_MAX_HISTORY_EVENTS = 10_000;
/** An order started by early events flags itself for attention if no release follows within a day. */
const ORPHAN_EVENTS_AFTER = '1 day';

export async function productionOrder(input: OrderWorkflowInput): Promise<OrderOutcome> {
  const run = new OrderRun(input);
  registerOrderHandlers(run);
  upsertSearchAttributes([
    { key: OrderRefAttr, value: input.orderRef },
    { key: SiteAttr, value: input.site },
  ]);
  if (!input.carry) run.setStatus(run.status);

  try {
    if (!input.carry) {
      const released = await release(run);
      if (!released) return outcome(run);
    }
    return await executeAndClose(run);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // A Temporal cancellation: before execution it compensates like a cancel request; afterwards the
    // postings already made stay, and the run ends aborted for an operator to reconcile.
    if ((run.execution?.acceptedEvents ?? 0) === 0 && run.order) {
      run.failure = 'cancelled through Temporal before execution started';
      await compensate(run);
      run.setStatus('cancelled', run.failure);
    } else {
      run.abort('cancelled through Temporal during execution');
    }
    return outcome(run);
  }
}

async function release(run: OrderRun): Promise<boolean> {
  if (!run.order) {
    const arrived = await condition(
      () => run.order !== undefined || run.cancelRequest !== undefined,
      ORPHAN_EVENTS_AFTER,
    );
    if (!arrived) {
      run.parking.park('release/awaiting-order', 'MES events arrived for an order plantflow has not released', {
        type: 'OrphanEvents',
        message: `${run.buffered.length} event(s) waiting since the run started; release the order or cancel the run`,
      });
      await condition(() => run.order !== undefined || run.cancelRequest !== undefined);
      run.parking.decide('release/awaiting-order', { action: 'retry', reason: 'order arrived', by: 'plantflow' });
      await run.parking.awaitDecision('release/awaiting-order');
    }
    if (!run.order) {
      run.failure = `cancelled: ${run.cancelRequest!.reason}`;
      run.setStatus('cancelled', run.failure);
      return false;
    }
  }
  run.setStatus('validating');
  if ((await checkMasterData(run)) === 'aborted') {
    run.failure = 'master data mismatch; operator aborted the release';
    run.setStatus('release_failed', run.failure);
    return false;
  }
  run.setStatus('releasing');
  const result = await releaseSaga(run);
  if (result !== 'released') {
    run.setStatus(result, run.failure);
    return false;
  }
  run.setStatus('released');
  run.note({ type: 'OrderReleased', summary: `released to plant ${run.input.site}`, source: 'plantflow' });
  // Events that arrived before the release are applied now, in arrival order.
  const early = run.buffered;
  run.buffered = [];
  for (const event of early) run.acceptEvent(event);
  return true;
}

async function executeAndClose(run: OrderRun): Promise<OrderOutcome> {
  const pipelineFailed = run.pipeline.start();
  const maxEvents = run.input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxEvents;
  const wake = (done: () => boolean) =>
    Promise.race([
      pipelineFailed.then(() => undefined),
      condition(() => done() || shouldContinueAsNew() || run.terminal),
    ]);

  while (!run.terminal && run.status !== 'closed') {
    if (run.status === 'released' || run.status === 'in_progress') {
      await wake(() => run.completion !== undefined || run.cancelRequest !== undefined);
      if (run.cancelRequest && run.status === 'released' && (run.execution?.acceptedEvents ?? 0) === 0) {
        run.pipeline.stop();
        run.failure = `cancelled: ${run.cancelRequest.reason}`;
        await compensate(run);
        run.setStatus('cancelled', run.failure);
        break;
      }
      if (run.completion && !run.terminal) {
        if (!(await completeInErps(run))) break;
        continue;
      }
    } else if (run.status === 'completing') {
      // Continued-as-new in the middle of completion: its steps are idempotent, run them again.
      if (!(await completeInErps(run))) break;
      continue;
    } else if (run.status === 'completed') {
      await wake(() => run.lots.every((l) => l.final));
      if (run.lots.every((l) => l.final) && !run.terminal) {
        await closeOrder(run);
        continue;
      }
    }
    if (shouldContinueAsNew() && !run.terminal) {
      run.pipeline.drain();
      await condition(() => run.pipeline.idle && allHandlersFinished());
      await continueAsNew<typeof productionOrder>({
        ...run.input,
        order: undefined,
        bufferedEvents: undefined,
        carry: run.carry(),
      });
    }
  }
  run.pipeline.stop();
  await condition(allHandlersFinished);
  return outcome(run);
}

function outcome(run: OrderRun): OrderOutcome {
  return { workflowId: run.workflowId, orderRef: run.input.orderRef, status: run.status, reason: run.failure };
}
