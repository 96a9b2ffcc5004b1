import { setHandler, workflowInfo } from '@temporalio/workflow';
import { hasSeenEvent, initialExecution, rejectionReason } from '../../domain/execution';
import { mesEventSchema, type MesEvent } from '../../domain/events';
import { orderAmendmentSchema, productionOrderSchema } from '../../domain/order';
import {
  amendOrderUpdate,
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
  type MesBatchResult,
} from '../messages/order';
import { legacyLiftOrderHoldSignal, legacyPlaceOrderHoldSignal } from '../messages/legacy';
import { refuseRequest as refuse } from '../shared/failures';
import { registerParkingHandler } from '../shared/parking-handler';
import { MASTER_DATA_STEP } from './release';
import type { OrderRun } from './run';

function issues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Why an event is impossible now (only once the order is executing; before that events wait). */
function eventRefusal(run: OrderRun, event: MesEvent): string | undefined {
  if (!run.state.order || !run.state.execution || !run.executing || hasSeenEvent(run.state.execution, event.eventId))
    return undefined;
  return rejectionReason(run.state.order, run.state.execution, event);
}

/**
 * What becomes of an event here, the same on the single-event and the batch route: refused with its code,
 * `seen` (taken in already: answered as a duplicate), or undefined (to be applied or kept for the release).
 */
function classifyEvent(run: OrderRun, event: MesEvent): { code: string; reason: string } | 'seen' | undefined {
  const conflict = run.eventConflict(event);
  if (conflict) return { code: 'EventConflict', reason: conflict };
  if (run.eventSeen(event.eventId)) return 'seen';
  const order = `order ${run.input.orderRef}`;
  if (run.terminal)
    return { code: 'EventForClosedOrder', reason: `${order} is ${run.state.status}; no more events are accepted` };
  if (run.state.eventsRefused)
    return { code: 'EventForCompletingOrder', reason: `${order} is being completed; no more events are accepted` };
  const reason = eventRefusal(run, event);
  return reason ? { code: 'EventRejected', reason } : undefined;
}

export function registerOrderHandlers(run: OrderRun): void {
  setHandler(
    releaseOrderUpdate,
    ({ order }) => {
      run.state.order = productionOrderSchema.parse(order);
      run.state.execution = initialExecution(run.state.order);
      return { workflowId: run.workflowId, runId: workflowInfo().runId, status: 'validating' };
    },
    {
      validator: ({ order }) => {
        if (run.state.order) {
          refuse(
            'AlreadyReleased',
            `order ${run.input.orderRef} at ${run.input.site} is already released in run ${workflowInfo().runId} (${run.state.status})`,
            { workflowId: run.workflowId, runId: workflowInfo().runId },
          );
        }
        if (run.terminal) refuse('OrderClosed', `order run is ${run.state.status}`);
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
      const refusal = classifyEvent(run, parsed.data);
      if (refusal && refusal !== 'seen') refuse(refusal.code, refusal.reason, { eventId: parsed.data.eventId });
    },
  });

  setHandler(
    reportMesEventsUpdate,
    (events) =>
      events.map((raw): MesBatchResult => {
        const event = mesEventSchema.parse(raw);
        const refusal = classifyEvent(run, event);
        if (refusal && refusal !== 'seen') return { outcome: 'rejected', eventId: event.eventId, ...refusal };
        return run.acceptEvent(event);
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
      },
    },
  );

  setHandler(placeOrderHoldUpdate, (req) => (run.placeHold(req), { holds: run.state.holds.length }), {
    validator: (req) => {
      if (run.terminal) refuse('OrderClosed', `order is ${run.state.status}`);
      if (!req.holdId || !req.reason?.trim() || !req.by) refuse('InvalidHold', 'a hold needs holdId, reason and by');
    },
  });

  setHandler(
    liftOrderHoldUpdate,
    (req) => (run.liftHold(req.holdId, req.by, req.reason), { holds: run.state.holds.length }),
    {
      validator: (req) => {
        if (!run.state.holds.some((h) => h.holdId === req.holdId))
          refuse('UnknownHold', `no active hold ${req.holdId}`);
        if (!req.reason?.trim()) refuse('InvalidHold', 'lifting a hold needs a reason');
      },
    },
  );

  // Holds from other workflows (an NCR) cannot be refused: they are applied when they make sense.
  for (const signal of [placeOrderHoldSignal, legacyPlaceOrderHoldSignal]) {
    setHandler(signal, (req) => {
      if (!run.terminal) run.placeHold(req);
    });
  }
  for (const signal of [liftOrderHoldSignal, legacyLiftOrderHoldSignal]) {
    setHandler(signal, (req) => {
      if (run.state.holds.some((h) => h.holdId === req.holdId)) run.liftHold(req.holdId, req.by, req.reason);
    });
  }

  setHandler(
    completeOrderUpdate,
    (req) => {
      run.state.completion = { ...req, requestedAt: new Date().toISOString() };
      return { status: run.state.status };
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
      run.state.cancelRequest = req;
      return { status: run.state.status };
    },
    {
      validator: (req) => {
        if (!req.reason?.trim()) refuse('CancelRefused', 'a cancellation needs a reason');
        if (run.terminal) refuse('CancelRefused', `order is already ${run.state.status}`);
        if (
          (run.state.execution?.acceptedEvents ?? 0) > 0 ||
          !['awaiting_order', 'validating', 'releasing', 'released'].includes(run.state.status)
        ) {
          refuse('CancelRefused', 'execution has started; use a short close instead of a cancellation');
        }
      },
    },
  );

  setHandler(
    amendOrderUpdate,
    (raw) => {
      const req = orderAmendmentSchema.parse(raw);
      const order = run.state.order!;
      const before = `MO ${order.erp.odooMo}, SAP order ${order.erp.sapOrder}`;
      order.erp = { ...order.erp, ...req.erp };
      run.note({
        type: 'OrderAmended',
        summary: `ERP references ${before} → MO ${order.erp.odooMo}, SAP order ${order.erp.sapOrder} by ${req.by}: ${req.reason}`,
        source: 'person',
      });
      // The parked check runs again against the amended references.
      if (run.parking.parked.some((p) => p.step === MASTER_DATA_STEP && !p.decision))
        run.parking.decide(MASTER_DATA_STEP, { action: 'retry', reason: `amended: ${req.reason}`, by: req.by });
      return { status: run.state.status, erp: order.erp };
    },
    {
      validator: (raw) => {
        const parsed = orderAmendmentSchema.safeParse(raw);
        if (!parsed.success) refuse('InvalidAmendment', `invalid amendment: ${issues(parsed.error)}`);
        if (!run.state.order) refuse('AmendRefused', `order ${run.input.orderRef} has not been released to plantflow`);
        if (run.state.status !== 'validating')
          refuse(
            'AmendRefused',
            `order ${run.input.orderRef} is ${run.state.status}: its ERP references can change only before the release in the ERPs`,
          );
      },
    },
  );

  registerParkingHandler(run.parking);

  setHandler(lotDispositionedSignal, (notice) => {
    const lot = run.state.lots.find((l) => l.lotId === notice.lotId && l.material === notice.material);
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
    [...run.state.timeline].sort((a, b) =>
      a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : 0,
    ),
  );
}
