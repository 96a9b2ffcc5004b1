import { lotWorkflowId } from '../../domain/ids';
import { lotStockReceivedSignal } from '../messages/lot';
import { signalRun } from '../shared/signal-run';
import type { LotTrack, OrderState, TimelineEntry } from './state';

/** What telling the lots needs of the order's run: its state and its timeline. */
export interface LotReceiptContext {
  state: Pick<OrderState, 'order' | 'lots'>;
  note(entry: Omit<TimelineEntry, 'recordedAt' | 'effectiveAt'>): void;
}

/** Tells a lot's run that its stock arrived in Odoo (idempotent on the lot's side). */
export async function notifyStockReceived(run: LotReceiptContext, lot: LotTrack): Promise<void> {
  const told = await signalRun(lotWorkflowId(lot.material, lot.lotId), lotStockReceivedSignal, {
    orderRef: run.state.order!.orderRef,
    receivedAt: new Date().toISOString(),
  });
  // The lot's registration was skipped by an operator, or its run is closed: nothing to tell.
  if (told === 'not_running')
    run.note({
      type: 'LotNotified',
      summary: `lot ${lot.lotId} could not be told about the receipt: its run is not running`,
      source: 'plantflow',
    });
}

/** An Odoo MO was marked done with its lot mid-order: the lot's stock is in Odoo, quarantine it now. */
export async function odooLotClosed(
  run: LotReceiptContext,
  closed: { lot: string; moName: string; backorder?: string },
): Promise<void> {
  const next = closed.backorder ? `; the next lot goes on backorder ${closed.backorder}` : '';
  run.note({
    type: 'OdooLotClosed',
    summary: `Odoo MO ${closed.moName} done with lot ${closed.lot}${next}`,
    source: 'plantflow',
  });
  const lot = run.state.lots.find((l) => l.lotId === closed.lot);
  if (lot) await notifyStockReceived(run, lot);
}
