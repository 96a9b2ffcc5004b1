import { isLotId } from '../../domain/ids';
import { DEFECT_CODE_OF_SOURCE } from '../../domain/ncr';
import { qty } from '../../domain/quantity';
import { withSummary } from '../shared/activities';
import type { NcrRun } from './run';
import { keyOf, step } from './steps';

/**
 * Records the NCR where it belongs (docs/architecture.md §2.3): the QMS nonconformance (the system of record), an
 * Odoo quality alert and an SAP quality notification with its defect, then links them by reference:
 * the QMS record holds both numbers, Odoo's alert names the QMS NCR and gets the SAP number in its
 * chatter, SAP's notification text starts with the NCR id. Each step is idempotent and parks on refusal.
 */
export async function openRecords(run: NcrRun): Promise<void> {
  const i = run.input;
  const { qms, odoo, sap } = run.acts;
  const firstLot = run.lots.find((l) => !l.wip);

  if (!run.state.records.qms) {
    const summary = `Open nonconformance ${i.ncrId} in the QMS`;
    const opened = await step(run, 'records/qms-open', summary, () =>
      withSummary(qms.qmsOpenNonconformance, summary, {
        idempotencyKey: keyOf(run, 'records/qms-open'),
        ncrId: i.ncrId,
        source: i.source,
        severity: i.severity,
        material: i.material,
        lotIds: run.lots.map((l) => l.lotId),
        quantity: i.quantity,
        description: i.description,
        raisedBy: i.raisedBy,
        site: i.site,
        orderRef: i.orderRef,
        effectiveAt: run.state.openedAt,
      }),
    );
    run.state.records.qms = { ncrId: i.ncrId, outcome: opened?.outcome ?? 'skipped' };
    run.note('Recorded', `QMS nonconformance ${i.ncrId} (${run.state.records.qms.outcome})`);
  }

  // A continued run finds its records made: it notes nothing again.
  const records = run.state.records;
  const made = (record: 'odooQualityAlert' | 'sapQualityNotification') =>
    records[record] !== undefined || (records.skipped ?? []).includes(record);
  const skip = (record: 'odooQualityAlert' | 'sapQualityNotification') => {
    records.skipped = [...(records.skipped ?? []), record];
  };
  const recorded = made('odooQualityAlert') && made('sapQualityNotification');
  const alertSummary = `Create the quality alert for NCR ${i.ncrId} in Odoo`;
  const notificationSummary = `Create the quality notification for NCR ${i.ncrId} in SAP`;
  const defectText = i.inspection
    ? `${i.inspection.characteristic} failed${i.inspection.value ? ` (${i.inspection.value}${i.inspection.unit ? ` ${i.inspection.unit}` : ''})` : ''}`
    : i.description;
  await Promise.all([
    made('odooQualityAlert')
      ? undefined
      : step(run, 'records/odoo-alert', alertSummary, () =>
          withSummary(odoo.odooCreateQualityAlert, alertSummary, {
            idempotencyKey: keyOf(run, 'records/odoo-alert'),
            title: `NCR ${i.ncrId}: ${i.description}`.slice(0, 120),
            description: `${i.description}\nQMS nonconformance ${i.ncrId} (${i.severity}, ${qty.format(i.quantity)}); plantflow ${run.workflowId}`,
            material: i.material,
            lot: firstLot?.lotId,
            moName: i.erp?.odooMo,
          }),
        ).then((a) => {
          if (a) records.odooQualityAlert = { alertId: a.alertId, name: a.name };
          else skip('odooQualityAlert');
        }),
    made('sapQualityNotification')
      ? undefined
      : step(run, 'records/sap-notification', notificationSummary, () =>
          withSummary(sap.sapCreateQualityNotification, notificationSummary, {
            idempotencyKey: keyOf(run, 'records/sap-notification'),
            text: `NCR ${i.ncrId} ${i.description}`,
            material: i.material,
            plant: i.site,
            // A lot id that is no SAP batch number (a supplier's own lot) names no batch.
            batch: firstLot && isLotId(firstLot.lotId) ? firstLot.lotId : undefined,
            defects: [{ code: DEFECT_CODE_OF_SOURCE[i.source], text: defectText, quantity: i.quantity }],
          }),
        ).then((n) => {
          if (n) records.sapQualityNotification = n.notification;
          else skip('sapQualityNotification');
        }),
  ]);
  if (!recorded)
    run.note(
      'Recorded',
      `Odoo quality alert ${records.odooQualityAlert?.name ?? '(skipped)'}, SAP quality notification ${records.sapQualityNotification ?? '(skipped)'}`,
    );
  if (!run.state.records.linked) await linkRecords(run);
}

async function linkRecords(run: NcrRun): Promise<void> {
  const i = run.input;
  const alert = run.state.records.odooQualityAlert;
  const notification = run.state.records.sapQualityNotification;
  const refs = { odooQualityAlert: alert?.name, sapQualityNotification: notification };
  if (refs.odooQualityAlert || refs.sapQualityNotification) {
    const summary = `Link the Odoo alert and the SAP notification to NCR ${i.ncrId} in the QMS`;
    await step(run, 'records/qms-refs', summary, () =>
      withSummary(run.acts.qms.qmsUpdateNonconformance, summary, {
        idempotencyKey: keyOf(run, 'records/qms-refs'),
        ncrId: i.ncrId,
        updatedBy: 'plantflow',
        refs,
        note: `Odoo quality alert ${refs.odooQualityAlert ?? '-'}, SAP quality notification ${refs.sapQualityNotification ?? '-'}`,
      }),
    );
  }
  if (alert) {
    const summary = `Note the SAP notification and the QMS NCR on Odoo alert ${alert.name}`;
    await step(run, 'records/odoo-link', summary, () =>
      withSummary(run.acts.odoo.odooPostChatterNote, summary, {
        model: 'quality.alert',
        resId: alert.alertId,
        body: `QMS nonconformance ${i.ncrId} · SAP quality notification ${refs.sapQualityNotification ?? '-'} · plantflow ${run.workflowId}`,
        idempotencyKey: keyOf(run, 'records/odoo-link'),
      }),
    );
  }
  run.state.records.linked = true;
}

/** The root cause recorded on the NCR, written to the QMS record (again when a person revised it). */
export async function recordRootCause(run: NcrRun): Promise<void> {
  const rc = run.state.rootCause!;
  const name = `root-cause/${rc.recordedAt}`;
  const summary = `Record the root cause of NCR ${run.ncrId} in the QMS`;
  await step(run, name, summary, () =>
    withSummary(run.acts.qms.qmsUpdateNonconformance, summary, {
      idempotencyKey: keyOf(run, name),
      ncrId: run.ncrId,
      updatedBy: rc.recordedBy,
      rootCause: { category: rc.category, description: rc.description },
    }),
  );
  if (run.state.rootCause === rc) run.state.rootCauseInQms = true;
}
