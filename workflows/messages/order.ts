// Production order messages (docs/architecture.md §2.1): its workflow type and input, and every Signal, Update
// and Query.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MesEvent } from '../../domain/events';
import type { HoldRequest, LiftHoldRequest, LotDispositionNotice } from '../../domain/notices';
import type { CompletionMode, OrderAmendment, ProductionOrder, ProductionOrderInput } from '../../domain/order';
import type { OrderStart } from '../../domain/starts';
import type { OrderState, OrderStatusView, TimelineEntry } from '../order/state';

/** Workflow type of the order process (workflows/order.ts), id order:<site>:<orderRef>. */
export const ORDER_WORKFLOW_TYPE = 'productionOrder';

export interface OrderWorkflowInput extends OrderStart {
  /** How long events for an order never released wait before they are an exception (default 15 minutes). */
  orphanEventsGrace?: string;
  /** The state a continued run hands to its successor. */
  carry?: OrderState;
}

export interface ReleaseOrderRequest {
  order: ProductionOrderInput;
}
export interface ReleaseOrderAccepted {
  workflowId: string;
  runId: string;
  status: string;
}
/** Delivers the order to its run (update-with-start: a run may already exist, started by an early MES event). */
export const releaseOrderUpdate = defineUpdate<ReleaseOrderAccepted, [ReleaseOrderRequest]>('releaseOrder');

export type MesEventResult =
  | { outcome: 'accepted'; eventId: string; postings: number }
  | { outcome: 'duplicate'; eventId: string }
  | { outcome: 'buffered'; eventId: string };
/** One shop-floor event; impossible events are refused by the validator with the reason. */
export const reportMesEventUpdate = defineUpdate<MesEventResult, [MesEvent]>('reportMesEvent');

/** `code`: the refusal type the single-event Update would have answered with (EventRejected, EventConflict). */
export type MesBatchResult = MesEventResult | { outcome: 'rejected'; eventId: string; code: string; reason: string };
/**
 * A batch of events for one order in one Update (a shift handover's resend, a buffered plant): each
 * event gets its own outcome, an impossible one is refused alone and the rest are recorded.
 */
export const reportMesEventsUpdate = defineUpdate<MesBatchResult[], [MesEvent[]]>('reportMesEvents');

/** Holds by people (Updates, validated) and by another run, an NCR (Signals: runs cannot send Updates). */
export const placeOrderHoldUpdate = defineUpdate<{ holds: number }, [HoldRequest]>('placeOrderHold');
export const liftOrderHoldUpdate = defineUpdate<{ holds: number }, [LiftHoldRequest]>('liftOrderHold');
export const placeOrderHoldSignal = defineSignal<[HoldRequest]>('placeOrderHold');
export const liftOrderHoldSignal = defineSignal<[LiftHoldRequest]>('liftOrderHold');

export interface CompleteOrderRequest {
  mode: CompletionMode;
  by: string;
  reason?: string;
}
export const completeOrderUpdate = defineUpdate<{ status: string }, [CompleteOrderRequest]>('completeOrder');

export interface CancelOrderRequest {
  by: string;
  reason: string;
}
export const cancelOrderUpdate = defineUpdate<{ status: string }, [CancelOrderRequest]>('cancelOrder');

/**
 * The planner corrects the order's ERP references while its master data check is parked (or before it
 * ran); the parked check is retried with them. Refused once the release in the ERPs has begun.
 */
export const amendOrderUpdate = defineUpdate<{ status: string; erp: ProductionOrder['erp'] }, [OrderAmendment]>(
  'amendOrder',
);

/** A lot workflow tells its producing order about a disposition. */
export const lotDispositionedSignal = defineSignal<[LotDispositionNotice]>('lotDispositioned');

export const orderStatusQuery = defineQuery<OrderStatusView>('orderStatus');
export const orderTimelineQuery = defineQuery<TimelineEntry[]>('orderTimeline');
