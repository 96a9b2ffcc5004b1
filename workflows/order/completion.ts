import { condition, patched } from '@temporalio/workflow';
import { idempotencyKey } from '../../domain/ids';
import { qty } from '../../domain/quantity';
import { withSummary } from '../shared/activities';
import { businessRefusal as refusal } from '../shared/failures';
import { readOpenMo, recordBlockingChecks } from './odoo-mo';
import { notifyStockReceived } from './lot-receipts';
import type { OrderRun } from './run';

/**
 * Completion (docs/architecture.md §2.1): once every accepted event is posted, final-confirm what SAP has not yet
 * seen as final, then mark the MO done in Odoo with the chosen mode (complete, backorder, short close).
 * Each step parks on failure; an operator abort ends the order as aborted.
 */
export async function completeInErps(run: OrderRun): Promise<boolean> {
  const order = run.state.order!;
  const completion = run.state.completion!;
  const { odoo, sap } = run.acts;
  run.setStatus('completing', `${completion.mode} requested by ${completion.by}`);
  run.note({
    type: 'CompletionRequested',
    summary: `${completion.mode} by ${completion.by}${completion.reason ? `: ${completion.reason}` : ''}`,
    source: completion.by === 'plantflow' ? 'plantflow' : 'person',
  });

  await condition(() => run.pipeline.empty || run.terminal);
  if (run.terminal) return false;
  run.state.eventsRefused = true;

  const zero = qty.zero(order.quantity.uom);
  for (const op of order.operations) {
    if (run.state.execution!.operations[op.operation]!.final) continue;
    const step = `complete/sap-final/${op.operation}`;
    const summary = `Final confirmation of operation ${op.operation} in SAP (no further quantity)`;
    const outcome = await run.parking.run(step, summary, () =>
      withSummary(sap.sapPostConfirmation, summary, {
        order: order.erp.sapOrder,
        operation: op.operation,
        yield: zero,
        scrap: zero,
        rework: zero,
        final: true,
        postingDate: new Date().toISOString().slice(0, 10),
        idempotencyKey: idempotencyKey(run.workflowId, step),
      }),
    );
    if (outcome.outcome === 'aborted') return abortWith(run, step, outcome.reason);
  }

  for (const op of order.operations) {
    const scrap = run.state.execution!.operations[op.operation]!.scrap;
    if (qty.isZero(scrap)) continue;
    // Odoo scraps a lot-tracked product only with a lot: the order's first produced lot stands for the
    // units lost in process (none produced at all → Odoo refuses and the step parks for an operator).
    const lot = run.state.lots[0]?.lotId;
    const step = `complete/odoo-scrap/${op.operation}`;
    const summary = `Scrap ${qty.format(scrap)} of ${order.material} lost at operation ${op.operation} in Odoo`;
    const outcome = await run.parking.run(step, summary, async () => {
      const result = await withSummary(odoo.odooScrap, summary, {
        moName: order.erp.odooMo,
        product: order.material,
        lot,
        quantity: scrap,
        locationKind: 'production',
        idempotencyKey: idempotencyKey(run.workflowId, step),
      });
      if (result.status === 'insufficient_quantity')
        throw refusal('odoo', `Odoo has too little ${order.material} to scrap ${qty.format(scrap)}`);
    });
    if (outcome.outcome === 'aborted') return abortWith(run, step, outcome.reason);
  }

  // Added after orders were already running: the order's lots live on a chain of Odoo MOs, whose open
  // one is marked done once the QMS results are on the quality checks that block it.
  if (patched('odoo-open-mo-at-completion')) {
    const ctx = { workflowId: run.workflowId, order, acts: run.acts };
    const step = 'complete/odoo-quality-checks';
    const checked = await run.parking.run(
      step,
      `Quality checks of the open Odoo MO of ${order.erp.odooMo}`,
      async () => {
        const open = await readOpenMo(ctx);
        completion.odooMo ??= open.moName;
        await recordBlockingChecks(ctx, open);
      },
    );
    if (checked.outcome === 'aborted') return abortWith(run, step, checked.reason);
  }
  const moName = completion.odooMo ?? order.erp.odooMo;
  const doneSummary = `Mark MO ${moName} done in Odoo (${completion.mode})`;
  const done = await run.parking.run('complete/odoo-mark-done', doneSummary, async () => {
    const result = await withSummary(odoo.odooMarkDone, doneSummary, { moName, mode: completion.mode });
    // A wizard means Odoo did not finish: it wants a decision plantflow cannot take on its own.
    if (result.state !== 'done')
      throw refusal(
        'odoo',
        `Odoo did not mark ${moName} done (state ${result.state}${result.wizard ? `, asks for ${result.wizard}` : ''})`,
      );
    return result;
  });
  if (done.outcome === 'aborted') return abortWith(run, 'complete/odoo-mark-done', done.reason);
  const backorder = done.outcome === 'done' ? done.value.backorderName : undefined;
  run.note({
    type: 'OrderCompleted',
    summary: `completed (${completion.mode})${backorder ? `; Odoo backorder ${backorder}` : ''}`,
    source: 'plantflow',
  });
  run.setStatus(
    'completed',
    `waiting for the final disposition of ${run.state.lots.filter((l) => !l.final).length} lot(s)`,
  );
  // The finished goods are now in Odoo's stock: each lot can take them into quarantine.
  for (const lot of run.state.lots) await notifyStockReceived(run, lot);
  return true;
}

/** The order closes once every lot it produced has a final disposition; SAP is then technically completed. */
export async function closeOrder(run: OrderRun): Promise<void> {
  const order = run.state.order!;
  const summary = `Technically complete production order ${order.erp.sapOrder} in SAP`;
  const outcome = await run.parking.run('close/sap-teco', summary, () =>
    withSummary(run.acts.sap.sapTechnicallyCompleteOrder, summary, { order: order.erp.sapOrder }),
  );
  if (outcome.outcome === 'aborted') {
    abortWith(run, 'close/sap-teco', outcome.reason);
    return;
  }
  run.note({
    type: 'OrderClosed',
    summary: `order closed; lots ${run.state.lots.map((l) => `${l.lotId} ${l.disposition}`).join(', ') || 'none'}`,
    source: 'plantflow',
  });
  run.setStatus('closed');
}

function abortWith(run: OrderRun, step: string, reason: string): false {
  run.abort(`operator aborted at ${step}: ${reason}`);
  return false;
}
