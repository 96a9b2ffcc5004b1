import { condition, patched } from '@temporalio/workflow';
import { idempotencyKey } from '../../domain/ids';
import { inspectionNcrId } from '../../domain/lot';
import {
  inspectionProblem,
  inspectionResultSchema,
  type InspectionResult,
  type RecordedInspection,
} from '../../domain/lot-inspection';
import type { NcrStart } from '../../domain/starts';
import { withSummary } from '../shared/activities';
import type { LotRun } from './run';
import type { InspectionTask } from './state';

/**
 * Inspection results (docs/architecture.md §2.2). Taking a result is synchronous (so a release validator sees it at
 * once, and a failure holds the lot at once); recording it in the QMS and Odoo and opening the NCR
 * follow in arrival order once the lot is registered.
 */
export function acceptInspection(run: LotRun, raw: unknown): void {
  const parsed = inspectionResultSchema.safeParse(raw);
  const eventId = String((raw as { eventId?: unknown } | null)?.eventId ?? '?');
  if (!parsed.success) {
    refuse(
      run,
      eventId,
      String((raw as { characteristic?: unknown } | null)?.characteristic ?? '?'),
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
    return;
  }
  const result = parsed.data;
  const seen = (list: Array<{ eventId: string }>) => list.some((r) => r.eventId === result.eventId);
  if (seen(run.state.inspections) || seen(run.state.pendingResults) || seen(run.state.refusedResults)) return;
  if (run.state.plan === undefined) {
    // The plan is not loaded yet: the result is taken (or refused) as soon as it is.
    run.state.pendingResults.push(result);
    return;
  }
  take(run, result);
}

/** ': 12 bar — a comment' after a result's name: what was measured, and what the inspector noted. */
function reading(result: InspectionResult): string {
  const value = result.value !== undefined ? `: ${result.value}${result.unit ? ` ${result.unit}` : ''}` : '';
  return `${value}${result.comment ? ` — ${result.comment}` : ''}`;
}

/** Called once the plan is known, before the lot counts as registered. */
export function takePendingResults(run: LotRun): void {
  const pending = run.state.pendingResults;
  run.state.pendingResults = [];
  for (const result of pending) take(run, result);
}

function refuse(run: LotRun, eventId: string, characteristic: string, reason: string): void {
  run.state.refusedResults.push({ eventId, characteristic, reason, at: new Date().toISOString() });
  run.state.refusedResults = run.state.refusedResults.slice(-100);
  run.note('InspectionRefused', `result ${eventId} for ${characteristic} refused: ${reason}`, 'qms');
}

function take(run: LotRun, result: InspectionResult): void {
  const problem = inspectionProblem(run.state.plan ?? null, result);
  if (problem) {
    refuse(run, result.eventId, result.characteristic, problem);
    return;
  }
  const recorded: RecordedInspection = { ...result, receivedAt: new Date().toISOString() };
  run.state.inspections.push(recorded);
  const base = `inspection/${result.eventId}`;
  run.state.tasks.push(
    { step: `${base}/qms`, kind: 'qms-result', eventId: result.eventId },
    { step: `${base}/odoo`, kind: 'odoo-check', eventId: result.eventId },
  );
  const shown = `${result.characteristic} ${result.result}${result.value !== undefined ? ` (${result.value}${result.unit ? ` ${result.unit}` : ''})` : ''}`;
  run.note('InspectionRecorded', `${shown} by ${result.inspector}`, 'qms');
  if (result.result === 'fail') failed(run, recorded);
}

/** A failure holds the lot and opens a nonconformance, or joins the one still open for the characteristic. */
function failed(run: LotRun, result: RecordedInspection): void {
  const { material, lotId } = run.input;
  const ofCharacteristic = run.state.ncrs.filter(
    (n) => n.origin === 'inspection' && n.characteristic === result.characteristic,
  );
  let link = ofCharacteristic.find((n) => n.status !== 'closed');
  if (!link) {
    const ncrId = inspectionNcrId(material, lotId, result.characteristic, ofCharacteristic.length + 1);
    link = {
      ncrId,
      origin: 'inspection',
      characteristic: result.characteristic,
      status: 'opening',
      openedAt: new Date().toISOString(),
    };
    run.state.ncrs.push(link);
    run.state.tasks.push({ step: `ncr/${ncrId}/open`, kind: 'open-ncr', eventId: result.eventId, ncrId });
  }
  result.ncrId = link.ncrId;
  if (run.decidedFinal) {
    run.note(
      'InspectionAfterDecision',
      `${result.characteristic} failed after the final decision; nonconformance ${link.ncrId} contains the lot`,
      'qms',
    );
    return;
  }
  run.placeHold({
    holdId: link.ncrId,
    ncrId: link.ncrId,
    source: 'ncr',
    by: 'plantflow',
    reason: `failed inspection ${result.characteristic} (nonconformance ${link.ncrId})`,
  });
}

/** Performs the queued records one at a time; a refusal parks only the record concerned. */
export class InspectionRecorder {
  private busy = false;
  private draining = false;

  constructor(private readonly run: LotRun) {}

  /** Not performing a record now (queued ones travel with continue-as-new). */
  get idle(): boolean {
    return !this.busy;
  }

  drain(): void {
    this.draining = true;
  }

  async loop(): Promise<void> {
    for (;;) {
      await condition(
        () => this.draining || this.run.stopping || (this.run.registered && this.run.state.tasks.length > 0),
      );
      if (this.draining || this.run.stopping) return;
      const task = this.run.state.tasks[0]!;
      this.busy = true;
      try {
        await this.perform(task);
      } finally {
        this.busy = false;
      }
      this.run.state.tasks = this.run.state.tasks.filter((t) => t.step !== task.step);
    }
  }

  private async perform(task: InspectionTask): Promise<void> {
    const run = this.run;
    const { material, lotId, site } = run.input;
    const result = run.state.inspections.find((r) => r.eventId === task.eventId);
    if (!result) return;
    const key = idempotencyKey(run.workflowId, task.step);
    const { qms, odoo, plantflow } = run.acts;
    const orderRef = run.producers[0]?.orderRef;
    let summary: string;
    let call: () => Promise<unknown>;
    switch (task.kind) {
      case 'qms-result':
        summary = `Record ${result.characteristic} ${result.result} for lot ${lotId} in the QMS`;
        call = () =>
          withSummary(qms.qmsRecordInspectionResult, summary, {
            idempotencyKey: key,
            lotId,
            material,
            characteristic: result.characteristic,
            result: result.result,
            value: result.value,
            unit: result.unit,
            inspector: result.inspector,
            effectiveAt: result.effectiveAt,
            site,
            orderRef,
            comment: result.comment,
          });
        break;
      case 'odoo-check':
        summary = `Quality check ${result.characteristic} ${result.result} on lot ${lotId} in Odoo`;
        call = () =>
          withSummary(odoo.odooRecordQualityCheck, summary, {
            material,
            lot: lotId,
            characteristic: result.characteristic,
            result: result.result,
            note: `${result.inspector} at ${result.effectiveAt}${reading(result)}`,
            idempotencyKey: key,
          });
        break;
      case 'open-ncr': {
        const start = ncrStart(run, result, task.ncrId!, orderRef);
        summary = `Open nonconformance ${task.ncrId} for lot ${lotId} (${result.characteristic} failed)`;
        // Runs from before one NCR-open activity scheduled the older one; they replay it.
        call = patched('one-ncr-open-activity')
          ? () => withSummary(plantflow.plantflowOpenNcr, summary, { start, tuning: run.input.tuning })
          : () => withSummary(plantflow.plantflowOpenNonconformance, summary, start);
        break;
      }
    }
    const outcome = await run.parking.run(task.step, summary, call);
    if (task.kind === 'open-ncr') {
      const link = run.state.ncrs.find((n) => n.ncrId === task.ncrId);
      if (link && link.status === 'opening') link.status = outcome.outcome === 'done' ? 'open' : link.status;
    }
    if (outcome.outcome !== 'done')
      run.note(
        'RecordNotMade',
        `${summary}: ${outcome.outcome}${outcome.outcome === 'aborted' ? ` (${outcome.reason})` : ''}`,
        'person',
      );
  }
}

function ncrStart(run: LotRun, result: RecordedInspection, ncrId: string, orderRef: string | undefined): NcrStart {
  const { material, lotId, site } = run.input;
  const quantity = run.quantity ?? { value: '0', uom: 'EA' };
  return {
    ncrId,
    source: 'inspection',
    severity: result.severity ?? 'major',
    site,
    material,
    lots: [{ material, lotId, quantity }],
    quantity,
    description: `Inspection ${result.characteristic} failed on lot ${lotId} of ${material}${reading(result)}`,
    raisedBy: result.inspector,
    orderRef,
    inspection: { characteristic: result.characteristic, value: result.value, unit: result.unit, result: 'fail' },
    openedAt: result.effectiveAt,
  };
}
