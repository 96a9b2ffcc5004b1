import type { LotQuantity } from './ids';
import type { Quantity } from './quantity';

/** What the shop floor has reported so far for one order. JSON-safe: it travels through continue-as-new. */
export interface OperationProgress {
  operation: string;
  /** effectiveAt of the start, or of the completion that implied it. */
  startedAt?: string;
  /** A completion arrived before its start: the start was posted on its behalf. */
  startImplied?: boolean;
  yield: Quantity;
  scrap: Quantity;
  rework: Quantity;
  final: boolean;
}

export interface ExecutionState {
  /** Source event ids already accepted: the dedup set, carried across continue-as-new. */
  seenEventIds: string[];
  operations: Record<string, OperationProgress>;
  consumed: LotQuantity[];
  produced: LotQuantity[];
  acceptedEvents: number;
}
