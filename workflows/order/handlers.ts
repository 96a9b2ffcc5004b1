import { ApplicationFailure } from '@temporalio/common';
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { rejectionReason } from '../../domain/execution';
import { mesEventSchema, type MesEvent } from '../../domain/events';
import { initialExecution } from '../../domain/execution';
import { productionOrderSchema } from '../../domain/order';
import {
  cancelOrderUpdate,
  completeOrderUpdate,
  liftOrderHoldUpdate,
  lotDispositionedSignal,
  orderStatusQuery,
  orderTimelineQuery,
  placeOrderHoldUpdate,
  placeOrderHoldSignal,
  liftOrderHoldSignal,
  releaseOrderUpdate,
  reportMesEventUpdate,
  reportMesEventsUpdate,
} from '../messages';
import { registerParkingHandler } from '../shared/parking-handler';
import type { OrderRun } from './run';

/** Validators throw ApplicationFailure: the caller sees the type and message; nothing enters history. */
const refuse = (type: string, message: string, details?: unknown): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
};

function issues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Why an event is impossible now (only once the order is executing; before that events wait). */
function eventRefusal(run: OrderRun, event: MesEvent): string | undefined {
  if (!run.order || !run.execution || !run.executing || run.execution.seenEventIds.includes(event.eventId))
    return undefined;
  return rejectionReason(run.order, run.execution, event);
}

export function registerOrderHandlers(run: OrderRun): void {
  setHandler(
    releaseOrderUpdate,
    ({ order }) => {
      run.order = productionOrderSchema.parse(order);
      run.execution = initialExecution(run.order);
      return { workflowId: run.workflowId, runId: workflowInfo().runId, status: 'validating' };
    },
    {
      validator: ({ order }) => {
        if (run.order) {
          refuse(
            'AlreadyReleased',
            `order ${run.input.orderRef} at ${run.input.site} is already released in run ${workflowInfo().runId} (${run.status})`,
            { workflowId: run.workflowId, runId: workflowInfo().runId },
          );
        }
        if (run.terminal) refuse('OrderClosed', `order run is ${run.status}`);
        const parsed = productionOrderSchema.safeParse(order);
        if (!parsed.success) refuse('InvalidOrder', `invalid order: ${issues(parsed.error)}`);
        else if (parsed.data.orderRef !== run.input.orderRef || parsed.data.site !== run.input.site) {
          refuse(
            'InvalidOrder',
            `order ${parsed.data.site}/${parsed.data.orderRef} sent to the run of ${run.input.site}/${run.input.orderRef}`,
          );
        }
      },
    },
  );

  setHandler(reportMesEventUpdate, (event) => run.acceptEvent(mesEventSchema.parse(event)), {
    validator: (raw) => {
      const parsed = mesEventSchema.safeParse(raw);
      if (!parsed.success) return refuse('EventRejected', `malformed event: ${issues(parsed.error)}`);
      const event: MesEvent = parsed.data;
      if (run.terminal)
        refuse('EventRejected', `order ${run.input.orderRef} is ${run.status}; no more events are accepted`);
      if (!run.acceptingEvents)
        refuse('EventRejected', `order ${run.input.orderRef} is being completed; no more events are accepted`);
      const reason = eventRefusal(run, event);
      if (reason) refuse('EventRejected', reason, { eventId: event.eventId });
    },
  });

  setHandler(
    reportMesEventsUpdate,
    (events) =>
      events.map((raw) => {
        const event = mesEventSchema.parse(raw);
        const reason = eventRefusal(run, event);
        return reason ? { outcome: 'rejected' as const, eventId: event.eventId, reason } : run.acceptEvent(event);
      }),
    {
      validator: (events) => {
        const list: unknown[] = Array.isArray(events) ? events : [];
        if (list.length === 0 || list.length > 500) refuse('EventRejected', 'a batch holds 1 to 500 events');
        list.forEach((raw, i) => {
          const parsed = mesEventSchema.safeParse(raw);
          if (!parsed.success) refuse('EventRejected', `event ${i} is malformed: ${issues(parsed.error)}`);
          else if (parsed.data.site !== run.input.site || parsed.data.correlation.orderRef !== run.input.orderRef) {
            refuse(
              'EventRejected',
              `event ${i} is for ${parsed.data.site}/${parsed.data.correlation.orderRef}, not this order`,
            );
          }
        });
        if (run.terminal)
          refuse('EventRejected', `order ${run.input.orderRef} is ${run.status}; no more events are accepted`);
        if (!run.acceptingEvents)
          refuse('EventRejected', `order ${run.input.orderRef} is being completed; no more events are accepted`);
      },
    },
  );

  setHandler(placeOrderHoldUpdate, (req) => (run.placeHold(req), { holds: run.holds.length }), {
    validator: (req) => {
      if (run.terminal) refuse('OrderClosed', `order is ${run.status}`);
      if (!req.holdId || !req.reason?.trim() || !req.by) refuse('InvalidHold', 'a hold needs holdId, reason and by');
    },
  });

  setHandler(
    liftOrderHoldUpdate,
    (req) => (run.liftHold(req.holdId, req.by, req.reason), { holds: run.holds.length }),
    {
      validator: (req) => {
        if (!run.holds.some((h) => h.holdId === req.holdId)) refuse('UnknownHold', `no active hold ${req.holdId}`);
        if (!req.reason?.trim()) refuse('InvalidHold', 'lifting a hold needs a reason');
      },
    },
  );

  // Holds from other workflows (an NCR) cannot be refused: they are applied when they make sense.
  setHandler(placeOrderHoldSignal, (req) => {
    if (!run.terminal) run.placeHold(req);
  });
  setHandler(liftOrderHoldSignal, (req) => {
    if (run.holds.some((h) => h.holdId === req.holdId)) run.liftHold(req.holdId, req.by, req.reason);
  });

  setHandler(
    completeOrderUpdate,
    (req) => {
      run.completion = { ...req, requestedAt: new Date().toISOString() };
      return { status: run.status };
    },
    {
      validator: (req) => {
        const problem = run.completionProblem(req);
        if (problem) refuse('CompletionRefused', problem);
      },
    },
  );

  setHandler(
    cancelOrderUpdate,
    (req) => {
      run.cancelRequest = req;
      return { status: run.status };
    },
    {
      validator: (req) => {
        if (!req.reason?.trim()) refuse('CancelRefused', 'a cancellation needs a reason');
        if (run.terminal) refuse('CancelRefused', `order is already ${run.status}`);
        if (
          (run.execution?.acceptedEvents ?? 0) > 0 ||
          !['awaiting_order', 'validating', 'releasing', 'released'].includes(run.status)
        ) {
          refuse('CancelRefused', 'execution has started; use a short close instead of a cancellation');
        }
      },
    },
  );

  registerParkingHandler(run.parking);

  setHandler(lotDispositionedSignal, (notice) => {
    const lot = run.lots.find((l) => l.lotId === notice.lotId && l.material === notice.material);
    if (lot) {
      lot.disposition = notice.disposition;
      lot.final = notice.final;
    }
    run.note({
      type: 'LotDispositioned',
      summary: `lot ${notice.lotId} ${notice.disposition}${notice.final ? ' (final)' : ''}`,
      source: 'plantflow',
    });
  });

  setHandler(orderStatusQuery, () => run.view());
  setHandler(orderTimelineQuery, () =>
    [...run.timeline].sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : 0)),
  );
}
