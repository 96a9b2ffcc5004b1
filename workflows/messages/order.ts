// Production order messages (docs/architecture.md §2.1).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MesEvent } from '../../domain/events';
import type { CompletionMode, ProductionOrderInput } from '../../domain/order';
import type { OrderStatusView, TimelineEntry } from '../order/state';

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

export type MesBatchResult = MesEventResult | { outcome: 'rejected'; eventId: string; reason: string };
/**
 * A batch of events for one order in one Update (a shift handover's resend, a buffered plant): each
 * event gets its own outcome, an impossible one is refused alone and the rest are recorded.
 */
export const reportMesEventsUpdate = defineUpdate<MesBatchResult[], [MesEvent[]]>('reportMesEvents');

export interface HoldRequest {
  holdId: string;
  reason: string;
  by: string;
  source: 'person' | 'ncr';
}
export const placeOrderHoldUpdate = defineUpdate<{ holds: number }, [HoldRequest]>('placeOrderHold');
export interface LiftHoldRequest {
  holdId: string;
  by: string;
  reason: string;
}
export const liftOrderHoldUpdate = defineUpdate<{ holds: number }, [LiftHoldRequest]>('liftOrderHold');
/** The same hold and lift, sent by another workflow (an NCR): workflows can signal each other, not update. */
export const placeOrderHoldSignal = defineSignal<[HoldRequest]>('placeOrderHoldSignal');
export const liftOrderHoldSignal = defineSignal<[LiftHoldRequest]>('liftOrderHoldSignal');

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

/** A lot workflow tells its producing order about a disposition. */
export interface LotDispositionNotice {
  material: string;
  lotId: string;
  disposition: string;
  final: boolean;
}
export const lotDispositionedSignal = defineSignal<[LotDispositionNotice]>('lotDispositioned');

export const orderStatusQuery = defineQuery<OrderStatusView>('status');
export const orderTimelineQuery = defineQuery<TimelineEntry[]>('timeline');
