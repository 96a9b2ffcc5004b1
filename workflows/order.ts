// Production order: release saga, then execution, completion and close (docs/architecture.md §2.1).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { OrderWorkflowInput } from './messages/order';
import { reportOrphanEvents } from './order/orphans';
import { closeOrder, completeInErps } from './order/completion';
import { registerOrderHandlers } from './order/handlers';
import { checkMasterData, compensate, releaseSaga } from './order/release';
import { OrderRun } from './order/run';
import type { OrderOutcome } from './order/state';
import { OrderRefAttr, SiteAttr } from './search-attributes';
import { beside, historyFull, serve } from './shared/procedure';

export type { OrderOutcome } from './order/state';
/** Events for an order never released become an exception (and NeedsAttention) after this grace. */
const ORPHAN_EVENTS_GRACE = '15 minutes';

export async function productionOrder(input: OrderWorkflowInput): Promise<OrderOutcome> {
  const run = new OrderRun(input);
  registerOrderHandlers(run);
  upsertSearchAttributes([
    { key: OrderRefAttr, value: input.orderRef },
    { key: SiteAttr, value: input.site },
  ]);
  if (!input.carry) run.setStatus(run.state.status);

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
    if (!eventsAccepted(run) && run.state.order) {
      run.state.failure = 'cancelled through Temporal before execution started';
      await compensate(run);
      run.setStatus('cancelled', run.state.failure);
    } else {
      run.abort('cancelled through Temporal during execution');
    }
    return outcome(run);
  }
}

async function release(run: OrderRun): Promise<boolean> {
  if (!run.state.order) {
    const arrived = await condition(
      () => run.state.order !== undefined || run.state.cancelRequest !== undefined,
      (run.input.orphanEventsGrace ?? ORPHAN_EVENTS_GRACE) as Duration,
    );
    if (!arrived) {
      run.parking.park('release/awaiting-order', 'MES events arrived for an order plantflow has not released', {
        type: 'OrphanEvents',
        message: `${run.state.buffered.length} event(s) waiting since the run started; release the order or cancel the run`,
      });
      if (patched('orphan-events-exception')) await reportOrphanEvents(run);
      await condition(() => run.state.order !== undefined || run.state.cancelRequest !== undefined);
      run.parking.decide('release/awaiting-order', { action: 'retry', reason: 'order arrived', by: 'plantflow' });
      await run.parking.awaitDecision('release/awaiting-order');
    }
    if (!run.state.order) {
      run.state.failure = `cancelled: ${run.state.cancelRequest!.reason}`;
      run.setStatus('cancelled', run.state.failure);
      return false;
    }
  }
  run.setStatus('validating');
  if ((await checkMasterData(run)) === 'aborted') {
    run.state.failure = 'master data check: operator aborted the release';
    run.setStatus('release_failed', run.state.failure);
    return false;
  }
  run.setStatus('releasing');
  const result = await releaseSaga(run);
  if (result !== 'released') {
    run.setStatus(result, run.state.failure);
    return false;
  }
  run.setStatus('released');
  run.note({ type: 'OrderReleased', summary: `released to plant ${run.input.site}`, source: 'plantflow' });
  // Events that arrived before the release are applied now, in arrival order.
  const early = run.state.buffered;
  run.state.buffered = [];
  for (const event of early) run.acceptEvent(event);
  return true;
}

async function executeAndClose(run: OrderRun): Promise<OrderOutcome> {
  const postings = beside(run.pipeline.start());
  const allLotsFinal = () => run.state.lots.every((l) => l.final);
  const end = await serve({
    duties: [
      {
        name: 'cancel before execution: compensate the release',
        due: () => run.state.cancelRequest !== undefined && run.state.status === 'released' && !eventsAccepted(run),
        perform: async () => {
          run.pipeline.stop();
          run.state.failure = `cancelled: ${run.state.cancelRequest!.reason}`;
          await compensate(run);
          run.setStatus('cancelled', run.state.failure);
        },
      },
      {
        // 'completing' when continued in the middle of completion: its steps are idempotent, run again.
        name: 'complete in Odoo and SAP',
        due: () =>
          (run.state.completion !== undefined && ['released', 'in_progress'].includes(run.state.status)) ||
          run.state.status === 'completing',
        perform: () => completeInErps(run),
      },
      {
        name: 'close once every lot is dispositioned',
        due: () => run.state.status === 'completed' && allLotsFinal(),
        perform: () => closeOrder(run),
      },
    ],
    finished: () => run.terminal || run.state.status === 'closed',
    continueAsNewDue: () => historyFull(run.input.maxHistoryEvents),
    failed: postings.failed,
    raceWith: postings.failure,
  });
  if (end === 'continue-as-new') {
    run.pipeline.drain();
    await condition(() => run.pipeline.idle && allHandlersFinished());
    return continueAsNew<typeof productionOrder>({ ...run.input, order: undefined, carry: run.state });
  }
  run.pipeline.stop();
  await condition(allHandlersFinished);
  return outcome(run);
}

const eventsAccepted = (run: OrderRun) => (run.state.execution?.acceptedEvents ?? 0) > 0;

function outcome(run: OrderRun): OrderOutcome {
  return {
    workflowId: run.workflowId,
    orderRef: run.input.orderRef,
    status: run.state.status,
    reason: run.state.failure,
  };
}
