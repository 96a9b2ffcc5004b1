import { condition } from '@temporalio/workflow';
import { signalRun } from '../shared/signal-run';
import { idempotencyKey } from '../../domain/ids';
import type { SignedLotDisposition } from '../../domain/lot-disposition';
import { qty } from '../../domain/quantity';
import { lotDispositionedSignal } from '../messages/order';
import { withSummary } from '../shared/activities';
import { StepAborted } from '../shared/parking';
import { businessRefusal as refusal } from '../shared/failures';
import { quarantine } from './register';
import type { LotRun } from './run';

/** How long a signed decision waits for the producing order's goods receipt before asking an operator. */
const STOCK_WAIT = '1 day';

/** Runs one step of the execution; a refusal parks it, an operator abort ends the lot as aborted. */
async function step<T>(run: LotRun, name: string, summary: string, fn: () => Promise<T>): Promise<T | undefined> {
  let outcome: 'done' | 'skipped' = 'skipped';
  let value: T | undefined;
  try {
    value = await run.parking.step(name, summary, async () => {
      const done = await fn();
      outcome = 'done';
      return done;
    });
  } catch (err) {
    if (err instanceof StepAborted) run.abort(err.message);
    throw err;
  }
  run.state.executed = [...run.state.executed, { step: name, summary, outcome, at: new Date().toISOString() }].slice(
    -100,
  );
  return value;
}

/**
 * docs/architecture.md §2.2: the signed record goes to the QMS first; a release or reject then waits for the lot's
 * stock in Odoo, and is executed in SAP (usage decision + stock posting per inspection lot, batch flag)
 * and Odoo (out of Quarantine, or scrapped). Each write carries its idempotency key. Finally the
 * producing order hears the disposition.
 */
export async function executeDecision(run: LotRun, signed: SignedLotDisposition): Promise<void> {
  try {
    await perform(run, signed);
  } catch (err) {
    if (!(err instanceof StepAborted)) throw err;
  }
  run.state.toExecute = run.state.toExecute.filter((id) => id !== signed.recordId);
}

async function perform(run: LotRun, signed: SignedLotDisposition): Promise<void> {
  const { record, signature, recordId } = signed;
  const { material, lotId } = run.input;
  const { qms, sap, odoo } = run.acts;
  const name = (s: string) => `execute/${recordId}/${s}`;
  const key = (s: string) => idempotencyKey(run.workflowId, name(s));

  const qmsSummary = `Write signed ${record.decision} record ${recordId} of lot ${lotId} to the QMS`;
  await step(run, name('qms-record'), qmsSummary, () =>
    withSummary(qms.qmsRecordSignedDisposition, qmsSummary, {
      idempotencyKey: key('qms-record'),
      recordId,
      recordType: 'lot',
      subject: record.subject,
      decision: record.decision,
      material,
      lotId,
      quantity: record.quantity ?? undefined,
      fromDisposition: record.fromDisposition,
      toDisposition: record.toDisposition,
      justification: record.justification,
      recordHash: signature.recordHash,
      signatures: [
        {
          userId: signature.userId,
          printedName: signature.printedName,
          meaning: signature.meaningText,
          reason: signature.reason ?? signature.meaningText,
          signedAt: signature.signedAt,
          recordHash: signature.recordHash,
        },
      ],
      effectiveAt: signature.signedAt,
    }),
  );
  if (record.decision === 'hold') {
    await notifyOrders(run, 'on_hold', false);
    return;
  }

  const release = record.decision === 'release';
  if (!(await stockReady(run, recordId))) return;

  const lotsSummary = `Find the SAP inspection lots of batch ${lotId}`;
  const found = await step(run, name('sap-inspection-lots'), lotsSummary, () =>
    withSummary(sap.sapFindInspectionLot, lotsSummary, { material, batch: lotId }),
  );
  if (release) {
    const s = `Set batch ${lotId} of ${material} unrestricted in SAP`;
    await step(run, name('sap-batch'), s, () =>
      withSummary(sap.sapSetBatchRestricted, s, { material, batch: lotId, restricted: false }),
    );
  }
  for (const lot of found?.lots.filter((l) => l.status !== 'cancelled') ?? []) {
    if (!lot.hasUsageDecision) {
      const s = `Usage decision ${release ? 'accept' : 'reject'} on SAP inspection lot ${lot.inspectionLot} (${signature.printedName})`;
      await step(run, name(`sap-ud/${lot.inspectionLot}`), s, () =>
        withSummary(sap.sapRecordUsageDecision, s, {
          inspectionLot: lot.inspectionLot,
          decision: release ? 'accept' : 'reject',
          decidedBy: signature.userId,
          idempotencyKey: key(`sap-ud/${lot.inspectionLot}`),
        }),
      );
    }
    if (!qty.isZero(lot.toBePosted)) {
      const to = release ? 'unrestricted' : 'scrap';
      const s = `Post ${qty.format(lot.toBePosted)} of inspection lot ${lot.inspectionLot} to ${to} stock in SAP`;
      await step(run, name(`sap-stock/${lot.inspectionLot}`), s, () =>
        withSummary(sap.sapPostInspectionLotStock, s, {
          inspectionLot: lot.inspectionLot,
          to,
          quantity: lot.toBePosted,
          idempotencyKey: key(`sap-stock/${lot.inspectionLot}`),
        }),
      );
    }
  }
  if (!release) {
    const s = `Keep batch ${lotId} of ${material} restricted in SAP`;
    await step(run, name('sap-batch'), s, () =>
      withSummary(sap.sapSetBatchRestricted, s, { material, batch: lotId, restricted: true }),
    );
  }

  if (release) {
    const s = `Move lot ${lotId} of ${material} from Quarantine to WH/Stock in Odoo`;
    await step(run, name('odoo-release'), s, async () => {
      const result = await withSummary(odoo.odooReleaseLotFromQuarantine, s, { material, lot: lotId });
      if (result.status === 'no_stock' || result.status === 'not_in_quarantine') {
        throw refusal(
          'odoo',
          `Odoo cannot release lot ${lotId}: ` +
            (result.status === 'no_stock'
              ? 'it holds no stock'
              : `it is in ${result.location ?? 'several locations'}, not in Quarantine`),
        );
      }
      return result;
    });
  } else {
    const s = `Scrap lot ${lotId} of ${material} in Odoo`;
    await step(run, name('odoo-scrap'), s, async () => {
      const result = await withSummary(odoo.odooScrapLot, s, {
        material,
        lot: lotId,
        idempotencyKey: key('odoo-scrap'),
      });
      if (result.status === 'insufficient_quantity')
        throw refusal('odoo', `Odoo has too little of lot ${lotId} to scrap it`);
      return result;
    });
  }

  run.setStatus(release ? 'released' : 'rejected', `${record.decision} executed in the QMS, SAP and Odoo`);
  run.note(release ? 'LotReleased' : 'LotRejected', `${record.toDisposition} in every system (record ${recordId})`);
  if (run.state.sla.escalatedAt) run.setOverdue(false);
  await notifyOrders(run, run.state.status, true);
}

/** Waits for the goods receipt in Odoo (parking after a day), then quarantines if that is still to do. */
async function stockReady(run: LotRun, recordId: string): Promise<boolean> {
  const parkStep = `execute/${recordId}/awaiting-stock`;
  while (run.state.registration.quarantine === 'pending') {
    if (!run.state.registration.stockReceived) {
      const arrived = await condition(() => run.state.registration.stockReceived, STOCK_WAIT);
      if (!arrived) {
        run.parking.park(parkStep, `Wait for the goods receipt of lot ${run.input.lotId} in Odoo`, {
          type: 'AwaitingStock',
          message:
            `the decision is signed but Odoo has not received lot ${run.input.lotId} for ${STOCK_WAIT}; ` +
            "retry keeps waiting, skip executes without Odoo's stock",
        });
        const decision = await run.parking.awaitDecision(parkStep, () => run.state.registration.stockReceived);
        if (!decision) {
          // The receipt arrived while parked: clear the parking (NeedsAttention) and go on.
          run.parking.decide(parkStep, { action: 'retry', reason: 'the goods receipt arrived', by: 'plantflow' });
          await run.parking.awaitDecision(parkStep);
          continue;
        }
        if (decision.action === 'abort') {
          run.abort(`operator aborted at ${parkStep}: ${decision.reason}`);
          return false;
        }
        if (decision.action === 'skip') {
          run.state.registration.quarantine = 'skipped';
          return true;
        }
        continue;
      }
    }
    const q = await quarantine(run);
    if (q === 'aborted') return false;
  }
  return true;
}

/** Tells each producing order (best effort: a closed order has nothing left to learn). */
export async function notifyOrders(run: LotRun, disposition: string, final: boolean): Promise<void> {
  const { material, lotId } = run.input;
  for (const { orderWorkflowId } of run.producers) {
    const at = new Date().toISOString();
    const told = await signalRun(orderWorkflowId, lotDispositionedSignal, { material, lotId, disposition, final });
    if (told === 'delivered')
      run.state.notifications.push({ orderWorkflowId, disposition, final, outcome: 'sent', at });
    else {
      const detail = 'the order run is not running';
      run.state.notifications.push({ orderWorkflowId, disposition, final, outcome: 'failed', detail, at });
      run.note('OrderNotNotified', `order ${orderWorkflowId} could not be told: ${detail}`);
    }
  }
}
