import type { ExecutionState, OperationProgress } from './execution-state';
import type { LotQuantity } from './ids';
import { qty, type Quantity } from './quantity';
import type { MaterialConsumed, MaterialProduced, MesEvent, OperationCompleted, OperationStarted } from './events';
import type { ProductionOrder } from './order';
import { plannedPostings, type PostingRequest } from './postings';

export type { ExecutionState, LotQuantity, OperationProgress };

export type EventOutcome =
  | { outcome: 'accepted'; postings: PostingRequest[] }
  | { outcome: 'duplicate' }
  | { outcome: 'rejected'; reason: string };

export function initialExecution(order: ProductionOrder): ExecutionState {
  const unit = order.quantity.uom;
  return {
    seenEventIds: [],
    operations: Object.fromEntries(
      order.operations.map((o) => [
        o.operation,
        { operation: o.operation, yield: qty.zero(unit), scrap: qty.zero(unit), rework: qty.zero(unit), final: false },
      ]),
    ),
    consumed: [],
    produced: [],
    acceptedEvents: 0,
  };
}

export function totalProduced(state: ExecutionState, unit: string): Quantity {
  return qty.sum(
    state.produced.map((p) => p.quantity),
    unit,
  );
}

/** Most the order may produce: planned quantity plus its over-delivery tolerance. */
export function productionLimit(order: ProductionOrder): Quantity {
  return qty.add(order.quantity, qty.percentOf(order.quantity, order.tolerance.overPercent));
}

/**
 * Why an event is impossible for this order, or undefined when it may be accepted. Pure and
 * synchronous: it is the body of the Update validator, so a refused event never enters history.
 */
export function rejectionReason(order: ProductionOrder, state: ExecutionState, event: MesEvent): string | undefined {
  if (event.site !== order.site) return `event is for site ${event.site}, the order runs at ${order.site}`;
  if (event.correlation.orderRef !== order.orderRef) {
    return `event is for order ${event.correlation.orderRef}, not ${order.orderRef}`;
  }
  const op = event.correlation.operation;
  if (op !== undefined && !state.operations[op]) {
    return `unknown operation ${op}: the order has ${Object.keys(state.operations).join(', ')}`;
  }
  switch (event.type) {
    case 'OperationStarted':
      return undefined;
    case 'OperationCompleted':
      return completionProblem(order, state, event);
    case 'MaterialConsumed':
      return consumptionProblem(order, event);
    case 'MaterialProduced':
      return productionProblem(order, state, event);
  }
}

function completionProblem(
  order: ProductionOrder,
  state: ExecutionState,
  event: OperationCompleted,
): string | undefined {
  const progress = state.operations[event.correlation.operation]!;
  if (progress.final) return `operation ${progress.operation} was already finally confirmed`;
  const { yield: y, scrap, rework } = event.payload;
  for (const q of [y, scrap, rework]) {
    if (q && q.uom !== order.quantity.uom) return `quantities must be in ${order.quantity.uom}, got ${q.uom}`;
  }
  const reported = [progress.yield, progress.scrap, progress.rework, y, scrap, rework].filter(
    (q): q is Quantity => !!q,
  );
  if (qty.gt(qty.sum(reported, order.quantity.uom), productionLimit(order))) {
    return `operation ${progress.operation} would report more than ${qty.format(productionLimit(order))} (quantity plus tolerance)`;
  }
  return undefined;
}

function consumptionProblem(order: ProductionOrder, event: MaterialConsumed): string | undefined {
  const component = order.components.find((c) => c.material === event.payload.material);
  if (!component) return `${event.payload.material} is not a component of this order's bill of materials`;
  if (event.payload.quantity.uom !== component.quantity.uom) {
    return `${event.payload.material} is planned in ${component.quantity.uom}, reported in ${event.payload.quantity.uom}`;
  }
  return undefined;
}

function productionProblem(order: ProductionOrder, state: ExecutionState, event: MaterialProduced): string | undefined {
  if (event.payload.material !== order.material) {
    return `the order makes ${order.material}, not ${event.payload.material}`;
  }
  if (event.payload.quantity.uom !== order.quantity.uom) {
    return `produced quantity must be in ${order.quantity.uom}, got ${event.payload.quantity.uom}`;
  }
  const after = qty.add(totalProduced(state, order.quantity.uom), event.payload.quantity);
  if (qty.gt(after, productionLimit(order))) {
    return `producing ${qty.format(event.payload.quantity)} would make ${qty.format(after)}, beyond the limit of ${qty.format(productionLimit(order))}`;
  }
  return undefined;
}

function addLot(list: LotQuantity[], material: string, lotId: string, q: Quantity): LotQuantity[] {
  const existing = list.find((l) => l.material === material && l.lotId === lotId);
  if (!existing) return [...list, { material, lotId, quantity: q }];
  return list.map((l) => (l === existing ? { ...l, quantity: qty.add(l.quantity, q) } : l));
}

/**
 * A Set over each dedup list, built once per list (after continue-as-new the carried list is a new array):
 * a look-up stays constant-time however many events an order has seen. The list stays the JSON-safe
 * record; the index is memory only.
 */
const dedupIndex = new WeakMap<readonly string[], Set<string>>();

function seenIndex(state: ExecutionState): Set<string> {
  let index = dedupIndex.get(state.seenEventIds);
  if (!index) {
    index = new Set(state.seenEventIds);
    dedupIndex.set(state.seenEventIds, index);
  }
  return index;
}

/** Whether the order already accepted this source event id (a resend). */
export function hasSeenEvent(state: ExecutionState, eventId: string): boolean {
  return seenIndex(state).has(eventId);
}

/**
 * Applies an event to the execution state and says which postings it causes. Returns the new state;
 * the input's totals are not modified, but its dedup list is appended to in place (copying it per event
 * made every event cost as much as the order's history): a state is superseded by the one returned and
 * must not be applied to again. Out-of-order events are recorded, never dropped.
 */
export function applyMesEvent(
  order: ProductionOrder,
  state: ExecutionState,
  event: MesEvent,
): { state: ExecutionState; result: EventOutcome } {
  if (hasSeenEvent(state, event.eventId)) return { state, result: { outcome: 'duplicate' } };
  const reason = rejectionReason(order, state, event);
  if (reason) return { state, result: { outcome: 'rejected', reason } };

  seenIndex(state).add(event.eventId);
  state.seenEventIds.push(event.eventId);
  const next: ExecutionState = { ...state, acceptedEvents: state.acceptedEvents + 1 };
  let impliedStart = false;
  let alreadyStarted = false;
  switch (event.type) {
    case 'OperationStarted':
      alreadyStarted = recordStart(next, event);
      break;
    case 'OperationCompleted':
      impliedStart = recordCompletion(next, event);
      break;
    case 'MaterialConsumed':
      next.consumed = addLot(next.consumed, event.payload.material, event.correlation.lotId, event.payload.quantity);
      break;
    case 'MaterialProduced':
      next.produced = addLot(next.produced, event.payload.material, event.correlation.lotId, event.payload.quantity);
      break;
  }
  const postings = plannedPostings(order, next, event, { impliedStart, alreadyStarted });
  return { state: next, result: { outcome: 'accepted', postings } };
}

/** Returns true when the start was already known (implied by an earlier completion). */
function recordStart(state: ExecutionState, event: OperationStarted): boolean {
  const op = state.operations[event.correlation.operation]!;
  const known = op.startedAt !== undefined;
  state.operations = {
    ...state.operations,
    [op.operation]: {
      ...op,
      startedAt: known && !op.startImplied ? op.startedAt : event.effectiveAt,
      startImplied: false,
    },
  };
  return known;
}

/** Returns true when the completion implies a start the MES has not (yet) reported. */
function recordCompletion(state: ExecutionState, event: OperationCompleted): boolean {
  const op = state.operations[event.correlation.operation]!;
  const implied = op.startedAt === undefined;
  const unit = op.yield.uom;
  state.operations = {
    ...state.operations,
    [op.operation]: {
      ...op,
      startedAt: op.startedAt ?? event.effectiveAt,
      startImplied: implied ? true : op.startImplied,
      yield: qty.add(op.yield, event.payload.yield),
      scrap: qty.add(op.scrap, event.payload.scrap ?? qty.zero(unit)),
      rework: qty.add(op.rework, event.payload.rework ?? qty.zero(unit)),
      final: event.payload.final,
    },
  };
  return implied;
}
