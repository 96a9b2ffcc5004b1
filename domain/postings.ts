import { qty, type Quantity } from './quantity';
import type { MesEvent } from './events';
import type { ExecutionState } from './execution-state';
import type { LotQuantity } from './ids';
import type { ProductionOrder } from './order';

/**
 * One write to one system, caused by one accepted event. `step` is unique within the order and becomes
 * the idempotency key's suffix, so a retried or replayed posting finds the record it already made.
 */
interface PostingBase {
  step: string;
  eventId: string;
  /** What an operator reads in the Temporal UI and in the order status. */
  summary: string;
  /** When the shop floor did it and when the MES recorded it: where event-to-posting latency starts. */
  eventAt?: EventTimes;
}

export interface EventTimes {
  recordedAt: string;
  effectiveAt: string;
}

export type PostingRequest = PostingBase &
  (
    | { system: 'odoo'; kind: 'startWorkorder'; operation: string }
    | { system: 'odoo'; kind: 'finishWorkorder'; operation: string; quantity: Quantity }
    | { system: 'odoo'; kind: 'consumption'; material: string; lotId: string; quantity: Quantity }
    | { system: 'odoo'; kind: 'production'; material: string; lotId: string; quantity: Quantity }
    | {
        system: 'sap';
        kind: 'confirmation';
        operation: string;
        yield: Quantity;
        scrap: Quantity;
        rework: Quantity;
        final: boolean;
        postingDate: string;
      }
    | { system: 'sap'; kind: 'goodsIssue'; material: string; lotId: string; quantity: Quantity; postingDate: string }
    | { system: 'sap'; kind: 'goodsReceipt'; material: string; lotId: string; quantity: Quantity; postingDate: string }
    | {
        system: 'plantflow';
        kind: 'registerLot';
        material: string;
        lotId: string;
        quantity: Quantity;
        parents: LotQuantity[];
        producedAt: string;
      }
    // Units reported for rework open a nonconformance (workflows/nonconformance.ts, domain/ncr-deviation.ts).
    | {
        system: 'plantflow';
        kind: 'openNcr';
        operation: string;
        quantity: Quantity;
        raisedBy?: string;
        effectiveAt: string;
      }
  );

export type PostingSystem = PostingRequest['system'];
export type PostingKind = PostingRequest['kind'];

/** The business day the shop floor did it: ERPs post on the effective date, not the arrival date. */
const postingDateOf = (event: MesEvent) => event.effectiveAt.slice(0, 10);

/** Postings an accepted event causes, in the order each system must receive them. */
export function plannedPostings(
  order: ProductionOrder,
  state: ExecutionState,
  event: MesEvent,
  flags: { impliedStart: boolean; alreadyStarted: boolean },
): PostingRequest[] {
  const base = (kind: string) => ({
    eventId: event.eventId,
    step: `${event.eventId}/${kind}`,
    eventAt: { recordedAt: event.recordedAt, effectiveAt: event.effectiveAt },
  });
  switch (event.type) {
    case 'OperationStarted': {
      // A completion that arrived first already started the work order on its behalf.
      if (flags.alreadyStarted) return [];
      const op = event.correlation.operation;
      return [
        {
          ...base('odoo-start'),
          system: 'odoo',
          kind: 'startWorkorder',
          operation: op,
          summary: `Start operation ${op} in Odoo`,
        },
      ];
    }
    case 'OperationCompleted': {
      const op = event.correlation.operation;
      const unit = order.quantity.uom;
      const scrap = event.payload.scrap ?? qty.zero(unit);
      const rework = event.payload.rework ?? qty.zero(unit);
      const postings: PostingRequest[] = [];
      if (flags.impliedStart) {
        postings.push({
          ...base('odoo-start'),
          system: 'odoo',
          kind: 'startWorkorder',
          operation: op,
          summary: `Start operation ${op} in Odoo (implied by its completion)`,
        });
      }
      postings.push({
        ...base('sap-confirmation'),
        system: 'sap',
        kind: 'confirmation',
        operation: op,
        yield: event.payload.yield,
        scrap,
        rework,
        final: event.payload.final,
        postingDate: postingDateOf(event),
        summary:
          `Confirm operation ${op} in SAP: yield ${qty.format(event.payload.yield)}, ` +
          `scrap ${qty.format(scrap)}, rework ${qty.format(rework)}${event.payload.final ? ' (final)' : ''}`,
      });
      // Odoo's share of the scrap is posted at completion (see workflows/order/completion.ts): Odoo scraps
      // a lot-tracked product only with its lot, which the MES names when it reports production.
      if (!qty.isZero(rework)) {
        postings.push({
          ...base('ncr'),
          system: 'plantflow',
          kind: 'openNcr',
          operation: op,
          quantity: rework,
          raisedBy: event.payload.operator,
          effectiveAt: event.effectiveAt,
          summary: `Open a nonconformance for ${qty.format(rework)} to rework at operation ${op}`,
        });
      }
      if (event.payload.final) {
        const done = state.operations[op]!.yield;
        postings.push({
          ...base('odoo-finish'),
          system: 'odoo',
          kind: 'finishWorkorder',
          operation: op,
          quantity: done,
          summary: `Finish operation ${op} in Odoo (${qty.format(done)})`,
        });
      }
      return postings;
    }
    case 'MaterialConsumed': {
      const { material, quantity } = event.payload;
      const lotId = event.correlation.lotId;
      return [
        {
          ...base('odoo-consumption'),
          system: 'odoo',
          kind: 'consumption',
          material,
          lotId,
          quantity,
          summary: `Consume ${qty.format(quantity)} of ${material} lot ${lotId} in Odoo`,
        },
        {
          ...base('sap-goods-issue'),
          system: 'sap',
          kind: 'goodsIssue',
          material,
          lotId,
          quantity,
          postingDate: postingDateOf(event),
          summary: `Goods issue (261) ${qty.format(quantity)} of ${material} batch ${lotId} in SAP`,
        },
      ];
    }
    case 'MaterialProduced': {
      const { material, quantity } = event.payload;
      const lotId = event.correlation.lotId;
      return [
        {
          ...base('odoo-production'),
          system: 'odoo',
          kind: 'production',
          material,
          lotId,
          quantity,
          summary: `Produce ${qty.format(quantity)} of ${material} into lot ${lotId} in Odoo`,
        },
        {
          ...base('sap-goods-receipt'),
          system: 'sap',
          kind: 'goodsReceipt',
          material,
          lotId,
          quantity,
          postingDate: postingDateOf(event),
          summary: `Goods receipt (101) ${qty.format(quantity)} of ${material} batch ${lotId} into quality inspection in SAP`,
        },
        {
          ...base('lot'),
          system: 'plantflow',
          kind: 'registerLot',
          material,
          lotId,
          quantity,
          parents: state.consumed,
          producedAt: event.effectiveAt,
          summary: `Start lot ${lotId} with its genealogy`,
        },
      ];
    }
  }
}
