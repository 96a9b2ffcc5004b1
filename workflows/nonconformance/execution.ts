import { patched, sleep } from '@temporalio/workflow';
import { lotKey } from '../../domain/ids';
import { ncrHoldId, type NcrDecision } from '../../domain/ncr';
import { lineLotKey, signedRecordIdOf, type DispositionLine, type ExecutedStep } from '../../domain/ncr-dispositions';
import {
  lineExecutionPlan,
  lotReleasePlan,
  type ContainedLot,
  type LineStep,
  type ReleaseStep,
} from '../../domain/ncr-execution';
import { qty, type Quantity } from '../../domain/quantity';
import { liftLotHoldSignal } from '../messages/lot';
import { withSummary } from '../shared/activities';
import { signalRun } from '../shared/signal-run';
import { runRework } from './rework';
import type { NcrRun } from './run';
import { businessRefusal as refusal } from '../shared/failures';
import { keyOf, step } from './steps';

type LotDisposition = 'Restricted' | 'UnRestricted' | 'Closed' | 'In-Process';
const TO_DISPOSITION: Record<NcrDecision, LotDisposition> = {
  use_as_is: 'UnRestricted',
  scrap: 'Closed',
  return_to_vendor: 'Closed',
  rework: 'Restricted',
  regrade: 'Restricted',
};

/** An approved line that plantflow carries out (use-as-is lines are carried out by giving the lot back). */
export const lineToExecute = (line: DispositionLine) =>
  line.record.decision !== 'use_as_is' && (line.status === 'approved' || line.status === 'executing');

/** An approved line goes to the QMS: the signed record (hash chain there) and the NCR's disposition line. */
export async function recordApproval(run: NcrRun, line: DispositionLine): Promise<void> {
  const r = line.record;
  const wip = run.lotOf(lineLotKey(line))?.custody === 'wip';
  const recordId = signedRecordIdOf(run.ncrId, r.lineId);
  if (!line.signedRecordId && !line.signedRecordSkipped) {
    const summary = `Record the signed decision ${r.lineId} (${r.decision} ${qty.format(r.quantity)} of lot ${r.lotId}) in the QMS`;
    const stepName = `approve/${r.lineId}/signed-record`;
    const saved = await step(run, stepName, summary, () =>
      withSummary(run.acts.qms.qmsRecordSignedDisposition, summary, {
        idempotencyKey: keyOf(run, stepName),
        recordId,
        recordType: 'ncr',
        subject: `ncr:${run.ncrId}`,
        decision: r.decision,
        material: r.material,
        lotId: r.lotId,
        ncrId: run.ncrId,
        quantity: r.quantity,
        fromDisposition: wip ? 'In-Process' : 'Restricted',
        toDisposition: TO_DISPOSITION[r.decision],
        justification: [
          r.reason,
          r.regradeTo && `regrade to ${r.regradeTo}`,
          r.returnTo && `return to ${r.returnTo}`,
          r.instructions,
        ]
          .filter(Boolean)
          .join('; '),
        recordHash: line.recordHash,
        signatures: line.signatures.map((s) => ({
          userId: s.userId,
          printedName: s.printedName,
          meaning: s.meaningText,
          reason: s.reason ?? r.reason,
          signedAt: s.signedAt,
          recordHash: s.recordHash,
        })),
        effectiveAt: line.approvedAt ?? line.decidedAt,
      }),
    );
    if (saved) line.signedRecordId = saved.record.recordId;
    else line.signedRecordSkipped = true;
  }
  if (!line.inQms) {
    const summary = `Add disposition line ${r.lineId} to nonconformance ${run.ncrId} in the QMS`;
    const stepName = `approve/${r.lineId}/qms-line`;
    await step(run, stepName, summary, () =>
      withSummary(run.acts.qms.qmsAddNonconformanceDisposition, summary, {
        idempotencyKey: keyOf(run, stepName),
        ncrId: run.ncrId,
        lineId: r.lineId,
        decision: r.decision,
        quantity: r.quantity,
        lotId: r.lotId,
        decidedBy: line.signatures[0]!.userId,
        signedRecordId: line.signedRecordId,
        note: r.reason,
      }),
    );
    line.inQms = true;
  }
  run.note(
    'DispositionRecorded',
    `line ${r.lineId} (${r.decision} ${qty.format(r.quantity)} of ${r.lotId}) recorded in the QMS as ${line.signedRecordId ?? '(no signed record: skipped)'}`,
  );
}

/** Carries out one approved line, step by step; a step already done (before continue-as-new) is not redone. */
export async function executeLine(run: NcrRun, line: DispositionLine): Promise<void> {
  const lot = run.lotOf(lineLotKey(line));
  const custody = lot?.custody ?? 'blocked';
  line.status = 'executing';
  for (const planned of lineExecutionPlan(line, custody)) {
    if (line.steps.some((s) => s.step === planned.id)) continue;
    if (planned.kind === 'confirmation' && !line.confirmation) {
      line.status = 'awaiting_confirmation';
      run.note('AwaitingConfirmation', `${planned.summary} (line ${line.record.lineId})`);
      return;
    }
    const done = await runLineStep(run, line, planned);
    line.steps.push({
      step: planned.id,
      system: planned.system,
      summary: planned.summary,
      at: new Date().toISOString(),
      ...done,
    });
  }
  line.status = 'executed';
  line.executedAt = new Date().toISOString();
  run.note(
    'DispositionExecuted',
    `line ${line.record.lineId}: ${line.record.decision} ${qty.format(line.record.quantity)} of ${line.record.lotId} carried out`,
  );
}

/**
 * Where SAP keeps the lot's stock: where containment blocked it, else where the NCR was told (a component
 * lot), else the adapter's default.
 */
const storageOf = (run: NcrRun, material: string, lotId: string): string | undefined =>
  run.lotOf(lotKey(material, lotId))?.sapBlockedAt ??
  run.lots.find((l) => l.material === material && l.lotId === lotId)?.storageLocation;

type StepResult = Pick<ExecutedStep, 'outcome' | 'reference'>;

async function runLineStep(run: NcrRun, line: DispositionLine, planned: LineStep): Promise<StepResult> {
  const { odoo, sap } = run.acts;
  const r = line.record;
  const name = `exec/${r.lineId}/${planned.id}`;
  const key = keyOf(run, name);
  const outcome = (ref: string | undefined): StepResult =>
    ref === undefined ? { outcome: 'skipped' } : { outcome: 'done', reference: ref };
  switch (planned.kind) {
    case 'note':
      return { outcome: 'nothing_to_do', reference: planned.summary };
    case 'confirmation':
      return { outcome: 'done', reference: line.confirmation!.reference };
    case 'rework_order':
      return runRework(run, line);
    case 'sap_inspection_lot': {
      const posted = await step(run, name, planned.summary, async () => {
        const memo = (line.memo ??= {});
        memo[planned.id] ??= await awaitInspectionLot(run, line, planned.quantity);
        return withSummary(sap.sapPostInspectionLotStock, planned.summary, {
          inspectionLot: memo[planned.id]!,
          to: planned.to,
          quantity: planned.quantity,
          idempotencyKey: key,
        });
      });
      return outcome(
        posted && `inspection lot ${posted.inspectionLot}, material document ${posted.materialDocument}/${posted.year}`,
      );
    }
    case 'sap_movement': {
      const posted = await step(run, name, planned.summary, () =>
        withSummary(sap.sapPostGoodsMovement, planned.summary, {
          movementType: planned.movementType,
          material: r.material,
          plant: run.input.site,
          storageLocation: storageOf(run, r.material, r.lotId),
          batch: r.lotId,
          quantity: planned.quantity,
          idempotencyKey: key,
        }),
      );
      return outcome(posted && `material document ${posted.materialDocument}/${posted.year}`);
    }
    case 'odoo_scrap_lot':
    case 'odoo_scrap_wip': {
      const moName = run.input.erp?.odooMo;
      if (planned.kind === 'odoo_scrap_wip' && !moName)
        return { outcome: 'nothing_to_do', reference: 'no Odoo manufacturing order known for these units' };
      const scrapped = await step(run, name, planned.summary, async () => {
        const result =
          planned.kind === 'odoo_scrap_lot'
            ? await withSummary(odoo.odooScrapLot, planned.summary, {
                material: r.material,
                lot: r.lotId,
                quantity: planned.quantity,
                idempotencyKey: key,
              })
            : await withSummary(odoo.odooScrap, planned.summary, {
                moName,
                product: r.material,
                quantity: planned.quantity,
                locationKind: 'production',
                idempotencyKey: key,
              });
        if (result.status === 'insufficient_quantity')
          throw refusal(
            'odoo',
            `Odoo has too little of ${r.material} lot ${r.lotId} to scrap ${qty.format(planned.quantity)} (scrap ${result.scrapName} left in draft)`,
          );
        return result;
      });
      return outcome(scrapped?.scrapName);
    }
  }
}

// The goods receipt that opens SAP's inspection lot is posted by the order's confirmation, which may
// still be on its way when QA decides: look again for a while before parking the step.
const INSPECTION_LOT_LOOKUPS = 20;
const INSPECTION_LOT_PAUSE = '15 seconds';

/** The inspection lot of the line's batch with the line's quantity still to post, or a refusal (parks). */
async function awaitInspectionLot(run: NcrRun, line: DispositionLine, quantity: Quantity): Promise<string> {
  const r = line.record;
  const patient = patched('ncr-await-inspection-lot');
  for (let lookup = 1; ; lookup++) {
    const found = await withSummary(
      run.acts.sap.sapFindInspectionLot,
      `Find the inspection lot of batch ${r.lotId} in SAP`,
      { material: r.material, batch: r.lotId },
    );
    const open = found.lots.filter(
      (l) => l.status !== 'cancelled' && l.toBePosted.uom === quantity.uom && qty.gte(l.toBePosted, quantity),
    );
    const pick = open.find((l) => l.inspectionLot === found.inspectionLot) ?? open[0];
    if (pick) return pick.inspectionLot;
    const missing = `SAP has no inspection lot of batch ${r.lotId} with ${qty.format(quantity)} still to post`;
    if (!patient || lookup >= INSPECTION_LOT_LOOKUPS) throw refusal('sap', missing);
    if (lookup === 1)
      run.note(
        'AwaitingInspectionLot',
        `${missing} yet (line ${r.lineId}): the goods receipt may still be on its way; looking again every ${INSPECTION_LOT_PAUSE}`,
      );
    await sleep(INSPECTION_LOT_PAUSE);
  }
}

/** Gives an affected lot back once its decisions are carried out; its use-as-is lines are then executed. */
export async function releaseLot(
  run: NcrRun,
  lot: ContainedLot,
  plan: ReleaseStep[] = lotReleasePlan(lot, run.state.lines),
): Promise<void> {
  const done: string[] = [];
  for (const planned of plan) done.push(await runReleaseStep(run, lot, planned));
  const at = new Date().toISOString();
  lot.released = { at, summary: done.join('; ') || 'nothing to give back' };
  for (const line of run.state.lines.filter(
    (l) => lineLotKey(l) === lot.key && l.record.decision === 'use_as_is' && l.status === 'approved',
  )) {
    line.steps.push({
      step: 'release',
      system: lot.custody === 'lot_workflow' ? 'plantflow' : 'sap',
      summary: lot.released.summary,
      outcome: 'done',
      at,
    });
    line.status = 'executed';
    line.executedAt = at;
  }
  run.note('LotReleased', `${lot.role} lot ${lot.lotId}: ${lot.released.summary}`);
}

async function runReleaseStep(run: NcrRun, lot: ContainedLot, planned: ReleaseStep): Promise<string> {
  const { odoo, sap } = run.acts;
  const name = `release/${lot.key}/${planned.id}`;
  switch (planned.kind) {
    case 'note':
      return planned.summary;
    case 'lift_lot_hold':
      return (await signalRun(lot.workflowId, liftLotHoldSignal, {
        holdId: ncrHoldId(run.ncrId),
        by: 'plantflow',
        reason: `NCR ${run.ncrId}: decisions carried out`,
        ncrId: run.ncrId,
      })) === 'delivered'
        ? `hold ${ncrHoldId(run.ncrId)} lifted`
        : 'its lot workflow no longer runs: no hold to lift';
    case 'sap_movement': {
      const posted = await step(run, name, planned.summary, () =>
        withSummary(sap.sapPostGoodsMovement, planned.summary, {
          movementType: '343',
          material: lot.material,
          plant: run.input.site,
          storageLocation: storageOf(run, lot.material, lot.lotId),
          batch: lot.lotId,
          quantity: planned.quantity,
          idempotencyKey: keyOf(run, name),
        }),
      );
      return posted
        ? `SAP ${qty.format(planned.quantity)} back to unrestricted (343, ${posted.materialDocument}/${posted.year})`
        : 'SAP unblocking skipped by an operator';
    }
    case 'sap_unrestrict': {
      const changed = await step(run, name, planned.summary, () =>
        withSummary(sap.sapSetBatchRestricted, planned.summary, {
          material: lot.material,
          batch: lot.lotId,
          restricted: false,
        }),
      );
      if (changed) lot.sapRestricted = false;
      return changed ? `SAP batch ${lot.lotId} no longer restricted` : 'SAP unrestriction skipped by an operator';
    }
    case 'odoo_release': {
      const moved = await step(run, name, planned.summary, () =>
        withSummary(odoo.odooReleaseLotFromQuarantine, planned.summary, { material: lot.material, lot: lot.lotId }),
      );
      if (moved) lot.odooMoved = false;
      return moved
        ? `Odoo lot ${lot.lotId} ${moved.status === 'moved' ? `moved to ${moved.location}` : moved.status.replace(/_/g, ' ')}`
        : 'Odoo release skipped by an operator';
    }
  }
}
