import { log } from '@temporalio/workflow';
import type { ExceptionReport } from '../../domain/exceptions';
import type { OrderRun } from './run';

/** How many of the waiting events the exception shows (the order's timeline has them all). */
const SHOWN = 20;

/**
 * Events for an order plantflow never released, still unclaimed after the grace: an EventForUnknownOrder
 * in the site's exception record, beside the parked step that keeps the events until a release or a cancel.
 */
export async function reportOrphanEvents(run: OrderRun): Promise<void> {
  const { site, orderRef } = run.input;
  const waiting = run.state.buffered;
  const report: ExceptionReport = {
    kind: 'EventForUnknownOrder',
    key: `${site}/${orderRef}`,
    site,
    subject: { orderRef, system: 'mes' },
    summary: `${waiting.length} MES event(s) for order ${orderRef}, which plantflow has not released`,
    reason: {
      code: 'EventForUnknownOrder',
      message: `no release of order ${orderRef} at ${site} arrived; release it (the events then apply) or cancel the run`,
    },
    arrived: waiting
      .slice(0, SHOWN)
      .map((e) => ({ eventId: e.eventId, type: e.type, effectiveAt: e.effectiveAt, correlation: e.correlation })),
    at: new Date().toISOString(),
  };
  try {
    await run.acts.plantflow.plantflowReportException(report);
  } catch (err) {
    // The parked step already shows the order under NeedsAttention: a failed report must not end the run.
    log.warn('could not record the orphan events as an exception', { orderRef, error: (err as Error).message });
    run.note({
      type: 'ExceptionNotRecorded',
      summary: `orphan events not recorded: ${(err as Error).message}`,
      source: 'plantflow',
    });
  }
}
