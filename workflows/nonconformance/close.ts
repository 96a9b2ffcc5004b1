import { patched } from '@temporalio/workflow';
import { NCR_STATUS_IN_QMS, ncrHoldId } from '../../domain/ncr';
import { approvedLines } from '../../domain/ncr-dispositions';
import { descendantReleasePlan } from '../../domain/ncr-execution';
import { qty } from '../../domain/quantity';
import { recordHash, sign, type VerifiedSigner } from '../../domain/signature';
import { lotNcrStatusSignal } from '../messages/lot';
import type { NcrCloseRequest } from '../messages/ncr';
import { legacyLiftOrderHoldSignal, MESSAGE_NAMES_PATCH } from '../messages/legacy';
import { liftOrderHoldSignal } from '../messages/order';
import { withSummary } from '../shared/activities';
import { signalRun } from '../shared/signal-run';
import { releaseLot } from './execution';
import type { NcrRun } from './run';
import { keyOf, step } from './steps';

/** Why the NCR cannot close now (the close Update's validator; the signer is checked apart), or undefined. */
export function closeProblem(run: NcrRun, req: NcrCloseRequest): string | undefined {
  if (run.terminal) return `NCR ${run.ncrId} is ${run.state.status}`;
  if (run.state.closure) return `closing was already requested by ${run.state.closure.signature.printedName}`;
  if (!req?.reason?.trim()) return 'closing needs a reason';
  if (!run.state.rootCause) return 'record the root cause before closing';
  if (!run.fullyDispositioned)
    return `only ${qty.format(run.view().dispositions.dispositioned)} of ${qty.format(run.input.quantity)} is dispositioned and signed`;
  const open = approvedLines(run.state.lines).filter((l) => l.status !== 'executed');
  if (open.length > 0)
    return `disposition line(s) not yet carried out: ${open.map((l) => `${l.record.lineId} (${l.status})`).join(', ')}`;
  const held = run.state.contained.filter((c) => c.role === 'affected' && !c.released);
  if (held.length > 0) return `lot(s) not yet given back: ${held.map((c) => c.lotId).join(', ')}`;
  if (run.parking.needsAttention) return 'a step is parked and waits for an operator';
  return undefined;
}

/** The closing record signed (meaning "reviewed"): the root cause and every signed decision, by hash. */
export function closureRecord(run: NcrRun): Record<string, unknown> {
  return {
    ncrId: run.ncrId,
    action: 'close',
    rootCause: { category: run.state.rootCause!.category, description: run.state.rootCause!.description },
    dispositions: approvedLines(run.state.lines).map((l) => ({
      lineId: l.record.lineId,
      decision: l.record.decision,
      quantity: l.record.quantity,
      recordHash: l.recordHash,
    })),
  };
}

export function signClosure(run: NcrRun, reason: string, signer: VerifiedSigner): void {
  const record = closureRecord(run);
  run.state.closure = {
    reason: reason.trim(),
    recordHash: recordHash(record),
    signature: sign(record, signer, 'reviewed', new Date().toISOString(), reason.trim()),
  };
  run.note('CloseRequested', `closing signed by ${signer.printedName} (${signer.userId}): ${reason}`, signer.userId);
}

/**
 * Closing (docs/architecture.md §2.3): the holds the NCR placed are lifted and what it blocked directly in Odoo
 * and SAP is given back (only what it changed itself), then the QMS NCR closes with its root cause,
 * the Odoo alert goes to its done stage and the SAP notification is completed.
 */
export async function closeNcr(run: NcrRun): Promise<void> {
  const closure = run.state.closure!;
  const i = run.input;
  for (const lot of run.state.contained.filter((c) => c.role === 'descendant' && !c.released)) {
    await releaseLot(run, lot, descendantReleasePlan(lot));
  }
  if (run.state.orderHold?.placed && !run.state.orderHold.lifted) {
    // Runs that sent the lift under its earlier name send it so again on replay.
    const signal = patched(MESSAGE_NAMES_PATCH) ? liftOrderHoldSignal : legacyLiftOrderHoldSignal;
    const told = await signalRun(run.state.orderHold.workflowId, signal, {
      holdId: ncrHoldId(run.ncrId),
      by: 'plantflow',
      reason: `NCR ${run.ncrId} closed`,
    });
    if (told === 'not_running') run.note('Close', `order ${i.orderRef} no longer runs: no hold to lift`);
    run.state.orderHold.lifted = true;
  }
  const s = closure.signature;
  const note = `Closed: ${s.printedName} (${s.userId}), ${s.meaningText}, ${s.signedAt}: ${closure.reason} [record ${closure.recordHash.slice(0, 16)}]`;
  const qmsSummary = `Close nonconformance ${run.ncrId} in the QMS`;
  await step(run, 'close/qms', qmsSummary, () =>
    withSummary(run.acts.qms.qmsCloseNonconformance, qmsSummary, {
      idempotencyKey: keyOf(run, 'close/qms'),
      ncrId: run.ncrId,
      closedBy: s.userId,
      rootCause: { category: run.state.rootCause!.category, description: run.state.rootCause!.description },
      note: note.slice(0, 2000),
      effectiveAt: s.signedAt,
    }),
  );
  const alert = run.state.records.odooQualityAlert;
  if (alert) {
    const summary = `Close quality alert ${alert.name} in Odoo with its root cause`;
    await step(run, 'close/odoo-alert', summary, () =>
      withSummary(run.acts.odoo.odooSetQualityAlertStage, summary, {
        alertId: alert.alertId,
        stage: 'done',
        rootCause: `${run.state.rootCause!.category}: ${run.state.rootCause!.description}`.slice(0, 80),
      }),
    );
  }
  const notification = run.state.records.sapQualityNotification;
  if (notification) {
    const summary = `Complete quality notification ${notification} in SAP`;
    const completed = await step(run, 'close/sap-notification', summary, () =>
      withSummary(run.acts.sap.sapCompleteQualityNotification, summary, { notification }),
    );
    // The released SAP service cannot complete notifications: quality management does it in SAP.
    if (completed?.outcome === 'left_open') {
      run.note('SapNotificationLeftOpen', completed.reason ?? summary);
      if (patched(REPORT_LEFT_OPEN_PATCH)) await reportLeftOpen(run, notification, completed.reason ?? summary);
    }
  }
  closure.closedAt = new Date().toISOString();
  run.setStatus('closed', `root cause ${run.state.rootCause!.category}`);
  await tellLots(run);
}

const REPORT_LEFT_OPEN_PATCH = 'report-record-left-open';

/** The NCR closed, SAP keeps its notification open: an exception for quality management to act on in SAP. */
async function reportLeftOpen(run: NcrRun, notification: string, reason: string): Promise<void> {
  const summary = `Report SAP quality notification ${notification} left open to the exception record`;
  await step(run, 'close/report-left-open', summary, () =>
    withSummary(run.acts.plantflow.plantflowReportException, summary, {
      kind: 'RecordLeftOpen',
      key: `sap-notification:${notification}`,
      site: run.input.site,
      subject: { ncrId: run.ncrId, material: run.input.material, system: 'sap' },
      summary: `SAP quality notification ${notification} stays open although NCR ${run.ncrId} closed`,
      reason: { code: 'NotificationLeftOpen', message: reason },
      at: new Date().toISOString(),
    }),
  );
}

const toldStamp = (run: NcrRun) => `${NCR_STATUS_IN_QMS[run.state.status]}/${run.state.containmentRuns}`;

/** The lots have not heard the NCR's present status (or a containment run since). */
export function lotsNeedTelling(run: NcrRun): boolean {
  return run.state.lotsTold !== toldStamp(run);
}

/** Lots with running workflows learn the NCR's status (they count it open until it reports closed). */
export async function tellLots(run: NcrRun): Promise<void> {
  const status = NCR_STATUS_IN_QMS[run.state.status];
  const stamp = toldStamp(run);
  if (run.state.lotsTold === stamp) return;
  for (const lot of run.state.contained.filter((c) => c.custody === 'lot_workflow')) {
    // A lot whose run has ended since has nothing left to decide.
    await signalRun(lot.workflowId, lotNcrStatusSignal, {
      ncrId: run.ncrId,
      status,
      at: new Date().toISOString(),
      by: 'plantflow',
    });
  }
  run.state.lotsTold = stamp;
}
