import type { OdooOpenProduction } from '../../activities/odoo/types';
import { finishedLotStep } from '../../domain/finished-lots';
import { idempotencyKey } from '../../domain/ids';
import { latestResult } from '../../domain/lot-inspection';
import type { ProductionOrder } from '../../domain/order';
import { qty } from '../../domain/quantity';
import { withSummary, type SystemActivities } from '../shared/activities';
import { businessRefusal as refusal } from '../shared/failures';

/**
 * The order's Odoo MO chain: Odoo keeps one finished lot per MO (domain/finished-lots.ts), so producing
 * into the next lot first marks the open MO done with a backorder for the rest; and a quality point
 * measured on every MO blocks mark-done until its check carries the QMS result.
 */
export interface OdooMoContext {
  workflowId: string;
  order: ProductionOrder;
  acts: SystemActivities;
}

export function readOpenMo(ctx: OdooMoContext): Promise<OdooOpenProduction> {
  const moName = ctx.order.erp.odooMo;
  return withSummary(ctx.acts.odoo.odooOpenProduction, `Read the open Odoo MO of ${moName}`, { moName });
}

/**
 * Records the QMS result on every check that blocks the MO's mark-done. A check the QMS has no result
 * for refuses (the calling step parks with the reason; a retry once the QMS has it goes on).
 */
export async function recordBlockingChecks(ctx: OdooMoContext, open: OdooOpenProduction): Promise<void> {
  if (open.pendingChecks.length === 0) return;
  const titles = open.pendingChecks.map((c) => `"${c.title}"`).join(', ');
  if (!open.lot)
    throw refusal('odoo', `Odoo MO ${open.moName} has quality checks to do (${titles}) but has produced no lot`);
  const { odoo, qms } = ctx.acts;
  const results = await withSummary(qms.qmsListInspectionResults, `Read the QMS results of lot ${open.lot}`, {
    lotId: open.lot,
    material: ctx.order.material,
  });
  const missing: string[] = [];
  for (const check of open.pendingChecks) {
    const latest = latestResult(results, check.characteristic);
    if (!latest) {
      missing.push(`"${check.title}"`);
      continue;
    }
    await withSummary(
      odoo.odooRecordQualityCheck,
      `Quality check ${check.characteristic} ${latest.result} on Odoo MO ${open.moName} (lot ${open.lot}, from the QMS)`,
      {
        moName: open.moName,
        lot: open.lot,
        characteristic: check.characteristic,
        result: latest.result,
        note: `QMS result ${latest.resultId} by ${latest.inspector} at ${latest.effectiveAt}`,
        checkId: check.checkId,
        idempotencyKey: idempotencyKey(ctx.workflowId, `odoo-check/${open.moName}/${check.checkId}`),
      },
    );
  }
  if (missing.length > 0)
    throw refusal(
      'qms',
      `Odoo cannot mark MO ${open.moName} done: quality check ${missing.join(', ')} waits for a result the QMS does not have for lot ${open.lot} yet; retry once it is recorded`,
    );
}

/**
 * Before producing into `lotId`: when the open MO holds another lot, its checks get their results and it
 * is marked done with a backorder for the rest, where the new lot goes. Returns the lot thus closed.
 */
export async function closeMoOfOtherLot(
  ctx: OdooMoContext,
  lotId: string,
): Promise<{ lot: string; moName: string; backorder?: string } | undefined> {
  const open = await readOpenMo(ctx);
  if (!open.open) return undefined;
  const step = finishedLotStep(
    { moName: open.moName, lot: open.lot, producing: open.qtyProducing, planned: open.quantity },
    lotId,
  );
  if (step.action === 'post') return undefined;
  if (step.action === 'refuse') throw refusal('odoo', step.reason);
  await recordBlockingChecks(ctx, open);
  const done = await withSummary(
    ctx.acts.odoo.odooMarkDone,
    `Mark Odoo MO ${open.moName} done with lot ${step.closedLot}; ${qty.format(step.rest)} go on a backorder for lot ${lotId}`,
    // What the plant consumes from now on is reported on the backorder: nothing more is consumed here.
    { moName: open.moName, mode: 'backorder', onlyReportedComponents: true },
  );
  if (done.state !== 'done')
    throw refusal(
      'odoo',
      `Odoo did not mark ${open.moName} done (state ${done.state}${done.wizard ? `, asks for ${done.wizard}` : ''})`,
    );
  return { lot: step.closedLot, moName: done.moName, backorder: done.backorderName };
}
