import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { lotKey } from '../../domain/ids';
import { DECIDED_LOT_STATUSES, FINAL_LOT_STATUSES, LOT_STATUS_MAPPING, type LotStatus } from '../../domain/lot';
import type { DispositionContext, LotDecision, SignedLotDisposition } from '../../domain/lot-disposition';
import {
  applyProducedNotice,
  learnChild,
  parentKeys,
  parentsOf,
  producedQuantity,
  type ChildLink,
  type ProducedNotice,
} from '../../domain/lot-genealogy';
import { requiredNotPassed, summariseInspections } from '../../domain/lot-inspection';
import { lotFingerprint } from '../../domain/lot-review';
import type { LotHoldRequest, LotLiftHoldRequest, LotNcrStatusNotice } from '../../domain/notices';
import type { Quantity } from '../../domain/quantity';
import type { LotWorkflowInput } from '../messages/lot';
import { LotStatusAttr, OrderRefAttr, OverdueAttr, ParentLotsAttr } from '../search-attributes';
import { systemActivities, type SystemActivities } from '../shared/activities';
import { ParkingLot } from '../shared/parking';
import { resumeState } from '../shared/procedure';
import { initialLotState, type LotHold, type LotState, type LotTimelineEntry } from './state';

const TIMELINE_LIMIT = 500;

/** One lot run: its state (carried whole through continue-as-new) and the operations on it. */
export class LotRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly key: string;
  readonly state: LotState;
  readonly acts: SystemActivities;
  readonly parking: ParkingLot;
  /** Set when a background loop failed in a way parking cannot hold: the procedure rethrows it. */
  backgroundFailure?: { error: unknown };
  stopping = false;

  constructor(
    readonly input: LotWorkflowInput,
    deadlineAt: string,
  ) {
    this.key = lotKey(input.material, input.lotId);
    this.state = resumeState(input.carry, () => initialLotState(input, deadlineAt));
    this.acts = systemActivities(input.tuning, input.site);
    this.parking = new ParkingLot(this.state.parking);
  }

  get final(): boolean {
    return FINAL_LOT_STATUSES.includes(this.state.status);
  }

  /** A final decision was signed (executing or done): no more holds, releases or rejections. */
  get decidedFinal(): boolean {
    return DECIDED_LOT_STATUSES.includes(this.state.status);
  }

  get registered(): boolean {
    return this.state.status !== 'registering';
  }

  get quantity(): Quantity | null {
    return producedQuantity(this.state.genealogy) ?? this.input.received?.quantity ?? null;
  }

  get producers(): Array<{ orderRef: string; orderWorkflowId: string }> {
    const seen = new Map<string, string>();
    for (const p of this.state.genealogy.production)
      if (!seen.has(p.orderWorkflowId)) seen.set(p.orderWorkflowId, p.orderRef);
    return [...seen].map(([orderWorkflowId, orderRef]) => ({ orderRef, orderWorkflowId }));
  }

  setStatus(status: LotStatus, detail?: string): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: LotStatusAttr, value: status }]);
    setCurrentDetails(
      `Lot ${this.input.lotId} of ${this.input.material}: ${status} (${LOT_STATUS_MAPPING[status].isa95})${detail ? ` — ${detail}` : ''}`,
    );
  }

  /** restricted ⇄ on_hold follows the holds; other statuses are set by the steps that cause them. */
  refreshHoldStatus(): void {
    if (this.state.status === 'restricted' && this.state.holds.length > 0)
      this.setStatus('on_hold', `${this.state.holds.length} hold(s)`);
    else if (this.state.status === 'on_hold' && this.state.holds.length === 0)
      this.setStatus('restricted', 'every hold lifted');
  }

  note(type: string, summary: string, source: LotTimelineEntry['source'] = 'plantflow'): void {
    this.state.timeline.push({ at: new Date().toISOString(), type, summary, source });
    if (this.state.timeline.length > TIMELINE_LIMIT) this.state.timeline = this.state.timeline.slice(-TIMELINE_LIMIT);
  }

  abort(reason: string): void {
    this.state.failure = reason;
    this.setStatus('aborted', reason);
    this.note('LotAborted', reason, 'person');
  }

  setOverdue(overdue: boolean): void {
    upsertSearchAttributes([{ key: OverdueAttr, value: overdue }]);
  }

  acceptProduced(notice: ProducedNotice): void {
    const before = parentKeys(this.state.genealogy).join(',');
    const hadProducer = this.state.genealogy.production.length > 0;
    const { state, counted } = applyProducedNotice(this.state.genealogy, notice);
    this.state.genealogy = state;
    const keys = parentKeys(state);
    if (keys.join(',') !== before) upsertSearchAttributes([{ key: ParentLotsAttr, value: keys }]);
    if (!hadProducer && counted) upsertSearchAttributes([{ key: OrderRefAttr, value: notice.producedBy.orderRef }]);
    if (counted) {
      const after = this.decidedFinal ? ' after the final decision: the order must reconcile it' : '';
      this.note(
        'MaterialProduced',
        `${notice.quantity.value} ${notice.quantity.uom} produced by order ${notice.producedBy.orderRef}${after}`,
        'order',
      );
    }
  }

  acceptChild(child: ChildLink): void {
    if (learnChild(this.state.genealogy, child))
      this.note(
        'ChildLot',
        `lot ${lotKey(child.material, child.lotId)} was made from it${child.orderRef ? ` by order ${child.orderRef}` : ''}`,
        'order',
      );
  }

  /** Holds from an NCR are one per NCR: its containment signal and the lot's own hold become aliases. */
  placeHold(req: LotHoldRequest | (Omit<LotHoldRequest, 'source'> & { source: LotHold['source'] })): void {
    if (this.state.holds.some((h) => h.holdId === req.holdId || h.aliases.includes(req.holdId))) return;
    const sameNcr = req.ncrId ? this.state.holds.find((h) => h.ncrId === req.ncrId) : undefined;
    if (sameNcr) {
      sameNcr.aliases.push(req.holdId);
      return;
    }
    this.state.holds.push({
      holdId: req.holdId,
      reason: req.reason,
      by: req.by,
      source: req.source,
      ncrId: req.ncrId,
      aliases: [],
      placedAt: new Date().toISOString(),
    });
    if (req.ncrId && !this.state.ncrs.some((n) => n.ncrId === req.ncrId)) {
      this.state.ncrs.push({
        ncrId: req.ncrId,
        origin: 'containment',
        status: 'open',
        openedAt: new Date().toISOString(),
      });
    }
    this.note('HoldPlaced', `hold ${req.holdId} by ${req.by}: ${req.reason}`, req.source === 'ncr' ? 'ncr' : 'person');
    this.refreshHoldStatus();
  }

  /** Holds a lift request names: by hold id or alias, or every hold of the NCR it names. */
  holdsNamed(req: Pick<LotLiftHoldRequest, 'holdId' | 'ncrId'>): LotHold[] {
    return this.state.holds.filter(
      (h) =>
        h.holdId === req.holdId ||
        h.aliases.includes(req.holdId) ||
        (h.ncrId !== undefined && (h.ncrId === req.ncrId || h.ncrId === req.holdId)),
    );
  }

  liftHolds(lifted: LotHold[], by: string, reason: string, source: LotTimelineEntry['source']): void {
    if (lifted.length === 0) return;
    this.state.holds = this.state.holds.filter((h) => !lifted.includes(h));
    this.note('HoldLifted', `hold ${lifted.map((h) => h.holdId).join(', ')} lifted by ${by}: ${reason}`, source);
    this.refreshHoldStatus();
  }

  ncrStatus(notice: LotNcrStatusNotice): void {
    const link = this.state.ncrs.find((n) => n.ncrId === notice.ncrId);
    if (link) Object.assign(link, { status: notice.status, updatedAt: notice.at });
    else
      this.state.ncrs.push({
        ncrId: notice.ncrId,
        origin: 'containment',
        status: notice.status,
        openedAt: notice.at,
        updatedAt: notice.at,
      });
    this.note('NcrStatus', `nonconformance ${notice.ncrId} is ${notice.status} (${notice.by})`, 'ncr');
  }

  get openNcrs(): string[] {
    return this.state.ncrs.filter((n) => n.status !== 'closed').map((n) => n.ncrId);
  }

  dispositionContext(): DispositionContext {
    return {
      status: this.state.status,
      decided: this.state.decided && {
        decision: this.state.decided.decision,
        by: this.state.decided.by,
        at: this.state.decided.at,
      },
      holds: this.state.holds.map((h) => ({ holdId: h.holdId, source: h.source, reason: h.reason, ncrId: h.ncrId })),
      requiredNotPassed: requiredNotPassed(this.state.plan ?? null, this.state.inspections),
      openNcrs: this.openNcrs,
      executors: this.state.genealogy.executors,
      nowMs: Date.now(),
    };
  }

  recordDecision(signed: SignedLotDisposition): void {
    const { record } = signed;
    this.state.dispositions.push(signed);
    this.state.toExecute.push(signed.recordId);
    this.note('LotDispositioned', `${record.decision} signed: ${signed.manifestation}`, 'person');
    if (record.decision === 'hold') {
      this.placeHold({
        holdId: signed.recordId,
        reason: record.justification ?? 'hold decision',
        by: record.signer.userId,
        source: 'disposition',
      });
      return;
    }
    this.state.decided = {
      decision: record.decision as LotDecision,
      by: record.signer.userId,
      at: record.signedAt,
      recordId: signed.recordId,
    };
    this.setStatus(record.decision === 'release' ? 'releasing' : 'rejecting', `signed by ${record.signer.printedName}`);
  }

  /** What the lot record shows of this run (domain/lot-review.ts): a release on a record that no longer fits is refused. */
  get fingerprint(): string {
    const { status, holds, ncrs, inspections, refusedResults, dispositions, parking } = this.state;
    return lotFingerprint({ status, holds, ncrs, inspections, refusedResults, dispositions, parking });
  }

  inspectionSummary() {
    return summariseInspections(this.state.plan ?? null, this.state.inspections);
  }

  parents() {
    return parentsOf(this.state.genealogy);
  }
}
