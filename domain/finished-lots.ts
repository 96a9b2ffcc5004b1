import { qty, type Quantity } from './quantity';

/**
 * Odoo keeps one finished lot per manufacturing order: 19 refuses a second lot on a lot-tracked product
 * ("You cannot set more than 1 lot"), 17/18 relabel every finished move line to the order's producing lot
 * at mark-done. An order that fills several lots therefore follows Odoo's own way: the open MO is marked
 * done with a backorder for the rest, and the next lot is produced on the backorder. Pure rules; the
 * Odoo adapter and the order workflow both ask them.
 */
export interface OpenMoLot {
  /** The open manufacturing order of the order's chain (the original MO or its latest backorder). */
  moName: string;
  /** The finished lot it produces, or null while nothing is produced on it. */
  lot: string | null;
  /** What it has produced so far (qty_producing) and is to produce (product_qty). */
  producing: Quantity;
  planned: Quantity;
}

export type FinishedLotStep =
  | { action: 'post' }
  | { action: 'close_then_post'; closeMo: string; closedLot: string; rest: Quantity }
  | { action: 'refuse'; reason: string };

/** What producing into `lot` needs on the open MO: post on it, close it with a backorder first, or nothing possible. */
export function finishedLotStep(open: OpenMoLot, lot: string): FinishedLotStep {
  if (open.lot === null || open.lot === lot || qty.isZero(open.producing)) return { action: 'post' };
  const rest = qty.sub(open.planned, open.producing);
  if (qty.gt(rest, qty.zero(rest.uom))) {
    return { action: 'close_then_post', closeMo: open.moName, closedLot: open.lot, rest };
  }
  return {
    action: 'refuse',
    reason:
      `Odoo manufacturing order ${open.moName} has produced its full ${qty.format(open.planned)} into lot ${open.lot}; ` +
      `Odoo keeps one finished lot per order and nothing is left to put lot ${lot} on a backorder: ` +
      `create a manufacturing order for lot ${lot} in Odoo, or skip this posting`,
  };
}

/** Why the adapter refuses to post `lot` on an MO that holds another one (the caller must close it first). */
export function secondLotRefusal(open: OpenMoLot, lot: string): string {
  return (
    `Odoo manufacturing order ${open.moName} produces lot ${open.lot}; Odoo keeps one finished lot per order ` +
    `(a second lot is refused by Odoo 19 and relabelled to ${open.lot} at mark-done by 17/18): ` +
    `mark ${open.moName} done with a backorder first, then post lot ${lot} on the backorder`
  );
}
