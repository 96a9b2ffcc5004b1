import type { Quantity } from '../../domain/quantity';
import type { Dispatch, DispatchStatus } from '../../contracts/mes';

/** Activity inputs and outputs: one JSON-safe object each way (docs/architecture.md §4.2). */
export type { Dispatch, DispatchStatus };

export interface MesDispatchOperation {
  /** Four-digit routing operation, e.g. '0010'. */
  operation: string;
  workCenter: string;
  description: string;
}

export interface MesDispatchComponent {
  material: string;
  /** Total for the order. */
  quantity: Quantity;
  /** Consuming operation (default: the first). */
  operation?: string;
  lotIds?: string[];
}

export interface MesDispatchOrderInput {
  idempotencyKey: string;
  site: string;
  orderRef: string;
  material: string;
  quantity: Quantity;
  operations: MesDispatchOperation[];
  components?: MesDispatchComponent[];
  dueAt?: string;
}
export interface MesDispatchOrderResult {
  /** already_dispatched: the order was on the floor already with the same material and quantity. */
  outcome: 'dispatched' | 'already_dispatched';
  dispatchId: string;
  status: DispatchStatus;
  dispatchedAt: string;
}

export interface MesRecallDispatchInput {
  idempotencyKey?: string;
  site: string;
  orderRef: string;
  reason: string;
}
export interface MesRecallDispatchResult {
  /** not_dispatched: the compensation ran before (or without) the dispatch — a no-op. */
  outcome: 'recalled' | 'already_recalled' | 'not_dispatched';
  status: DispatchStatus | null;
}

export interface MesHoldOrderInput {
  idempotencyKey?: string;
  site: string;
  orderRef: string;
  holdId: string;
  reason: string;
  placedBy?: string;
}
export interface MesHoldOrderResult {
  /** not_dispatched: nothing on the floor to hold; plantflow simply does not dispatch while held. */
  outcome: 'held' | 'already_held' | 'not_dispatched';
  status: DispatchStatus | null;
  activeHoldIds: string[];
}

export interface MesResumeOrderInput {
  idempotencyKey?: string;
  site: string;
  orderRef: string;
  holdId: string;
  releasedBy?: string;
}
export interface MesResumeOrderResult {
  /** still_held: this hold is lifted but others remain; not_held: unknown or already released hold. */
  outcome: 'resumed' | 'still_held' | 'not_held' | 'not_dispatched';
  status: DispatchStatus | null;
  activeHoldIds: string[];
}
