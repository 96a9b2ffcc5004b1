import { exceptionIdOf } from '../../domain/exceptions';
import { businessRefusal as refusal, summariseFailure } from '../shared/failures';
import { systemActivities, withSummary } from '../shared/activities';
import type { DriftRepairInput, DriftRepairOutcome } from '../messages/reconciliation';

/**
 * Puts plantflow's value back in the system through the same idempotent verbs the processes post with: an
 * SAP confirmation under its re-application key (found, not posted twice, if it exists), a batch's restriction
 * (set only when it differs). A system that refuses is reported as an exception, never a failed run.
 */
export async function driftRepair(input: DriftRepairInput): Promise<DriftRepairOutcome> {
  const { sap, odoo, plantflow } = systemActivities(undefined, input.site);
  const r = input.repair;
  try {
    if (r.kind === 'postConfirmation') {
      const { kind: _kind, ...confirmation } = r;
      const posted = await withSummary(
        sap.sapPostConfirmation,
        `Re-apply confirmation of SAP order ${r.order} operation ${r.operation}`,
        confirmation,
      );
      return {
        exceptionId: input.exceptionId,
        outcome: 'repaired',
        detail: `confirmation ${posted.confirmationGroup}/${posted.confirmationCount}${posted.alreadyPosted ? ' (already there)' : ''}`,
      };
    }
    if (r.kind === 'postGoodsMovement') {
      const { kind: _kind, ...movement } = r;
      const posted = await withSummary(
        sap.sapPostGoodsMovement,
        `Re-apply goods movement ${r.movementType} of ${r.material} batch ${r.batch} (SAP order ${r.order})`,
        movement,
      );
      return {
        exceptionId: input.exceptionId,
        outcome: 'repaired',
        detail: `material document ${posted.year}/${posted.materialDocument}${posted.alreadyPosted ? ' (already there)' : ''}`,
      };
    }
    if (r.kind === 'moveOdooLot') {
      const toQuarantine = r.to === 'quarantine';
      const moved = await withSummary(
        toQuarantine ? odoo.odooMoveLotToQuarantine : odoo.odooReleaseLotFromQuarantine,
        `Re-apply: move lot ${r.lot} of ${r.material} to ${toQuarantine ? 'Quarantine' : 'WH/Stock'} in Odoo`,
        { material: r.material, lot: r.lot },
      );
      if (moved.status === 'no_stock' || moved.status === 'not_in_quarantine')
        throw refusal('odoo', `Odoo cannot move lot ${r.lot}: ${moved.status} (${moved.location ?? 'no location'})`);
      return { exceptionId: input.exceptionId, outcome: 'repaired', detail: `lot ${r.lot} ${moved.status}` };
    }
    await withSummary(
      sap.sapSetBatchRestricted,
      `Re-apply ${r.restricted ? 'restriction' : 'release'} of SAP batch ${r.material}/${r.batch}`,
      { material: r.material, batch: r.batch, restricted: r.restricted },
    );
    return { exceptionId: input.exceptionId, outcome: 'repaired', detail: `batch ${r.material}/${r.batch}` };
  } catch (err) {
    const failure = summariseFailure(err);
    const report = {
      kind: 'Drift' as const,
      key: `reapply-refused:${input.exceptionId}`,
      site: input.site,
      subject: { system: r.kind === 'moveOdooLot' ? ('odoo' as const) : ('sap' as const) },
      summary: `Re-applying ${input.exceptionId} was refused by ${r.kind === 'moveOdooLot' ? 'Odoo' : 'SAP'}`,
      reason: { code: 'ReapplyRefused', message: failure.message },
      expected: { value: r },
      at: new Date().toISOString(),
      actions: ['acknowledge' as const, 'resolve' as const],
    };
    await plantflow.plantflowReportException(report);
    return { exceptionId: exceptionIdOf(report), outcome: 'refused', detail: failure.message };
  }
}
