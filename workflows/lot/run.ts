import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { lotKey } from '../../domain/ids';
import { DECIDED_LOT_STATUSES, FINAL_LOT_STATUSES, LOT_STATUS_MAPPING, type LotStatus } from '../../domain/lot';
import type { DispositionContext, LotDecision, SignedLotDisposition } from '../../domain/lot-disposition';
import {
  applyProducedNotice,
  emptyGenealogy,
  learnChild,
  parentKeys,
  parentsOf,
  producedQuantity,
  type ChildLink,
  type GenealogyState,
  type ProducedNotice,
} from '../../domain/lot-genealogy';
import {
  requiredNotPassed,
  summariseInspections,
  type InspectionResult,
  type LotPlan,
  type RecordedInspection,
} from '../../domain/lot-inspection';
import type { Quantity } from '../../domain/quantity';
import type { LotHoldRequest, LotLiftHoldRequest, LotNcrStatusNotice, LotWorkflowStart } from '../messages/lot';
import { LotStatusAttr, OrderRefAttr, OverdueAttr, ParentLotsAttr } from '../search-attributes';
import { resolveTuning, systemActivities, type SystemActivities } from '../shared/activities';
import { ParkingLot } from '../shared/parking';
import type {
  ExecutedStep,
  InspectionTask,
  LotCarry,
  LotHold,
  LotTimelineEntry,
  NcrLink,
  OrderNotification,
  RefusedInspection,
  RegistrationState,
  SlaState,
} from './state';

const TIMELINE_LIMIT = 500;

/** The live state of one lot run, and the small operations its handlers perform on it. */
export class LotRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly key: string;
  readonly acts: SystemActivities;
  readonly parking: ParkingLot;
  status: LotStatus;
  genealogy: GenealogyState;
  plan: LotPlan | null | undefined;
  registration: RegistrationState;
  holds: LotHold[];
  ncrs: NcrLink[];
  inspections: RecordedInspection[];
  pendingResults: InspectionResult[];
  refusedResults: RefusedInspection[];
  tasks: InspectionTask[];
  dispositions: SignedLotDisposition[];
  toExecute: string[];
  decided?: LotCarry['decided'];
  executed: ExecutedStep[];
  notifications: OrderNotification[];
  sla: SlaState;
  timeline: LotTimelineEntry[];
  failure?: string;
  runs: number;
  /** Set when a background loop failed in a way parking cannot hold: the main loop rethrows it. */
  backgroundFailure?: unknown;
  stopping = false;

  constructor(
    readonly input: LotWorkflowStart,
    deadlineAt: string,
  ) {
    const c = input.carry;
    this.key = lotKey(input.material, input.lotId);
    this.acts = systemActivities(resolveTuning(input.tuning), input.site);
    this.parking = new ParkingLot(c?.parking);
    this.status = c?.status ?? 'registering';
    this.genealogy = c?.genealogy ?? { ...emptyGenealogy(), declaredParents: input.received?.parents ?? [] };
    this.plan = c ? c.plan : undefined;
    this.registration = c?.registration ?? {
      odooLot: false,
      sapBatch: false,
      stockReceived: input.received !== undefined,
      quarantine: 'pending',
    };
    this.holds = c?.holds ?? [];
    this.ncrs = c?.ncrs ?? [];
    this.inspections = c?.inspections ?? [];
    this.pendingResults = c?.pendingResults ?? [];
    this.refusedResults = c?.refusedResults ?? [];
    this.tasks = c?.tasks ?? [];
    this.dispositions = c?.dispositions ?? [];
    this.toExecute = c?.toExecute ?? [];
    this.decided = c?.decided;
    this.executed = c?.executed ?? [];
    this.notifications = c?.notifications ?? [];
    this.sla = c?.sla ?? { deadlineAt };
    this.timeline = c?.timeline ?? [];
    this.failure = c?.failure;
    this.runs = (c?.runs ?? 0) + 1;
  }

  get final(): boolean {
    return FINAL_LOT_STATUSES.includes(this.status);
  }

  /** A final decision was signed (executing or done): no more holds, releases or rejections. */
  get decidedFinal(): boolean {
    return DECIDED_LOT_STATUSES.includes(this.status);
  }

  get registered(): boolean {
    return this.status !== 'registering';
  }

  get quantity(): Quantity | null {
    return producedQuantity(this.genealogy) ?? this.input.received?.quantity ?? null;
  }

  get producers(): Array<{ orderRef: string; orderWorkflowId: string }> {
    const seen = new Map<string, string>();
    for (const p of this.genealogy.production)
      if (!seen.has(p.orderWorkflowId)) seen.set(p.orderWorkflowId, p.orderRef);
    return [...seen].map(([orderWorkflowId, orderRef]) => ({ orderRef, orderWorkflowId }));
  }

  setStatus(status: LotStatus, detail?: string): void {
    this.status = status;
    upsertSearchAttributes([{ key: LotStatusAttr, value: status }]);
    setCurrentDetails(
      `Lot ${this.input.lotId} of ${this.input.material}: ${status} (${LOT_STATUS_MAPPING[status].isa95})${detail ? ` — ${detail}` : ''}`,
    );
  }

  /** restricted ⇄ on_hold follows the holds; other statuses are set by the steps that cause them. */
  refreshHoldStatus(): void {
    if (this.status === 'restricted' && this.holds.length > 0)
      this.setStatus('on_hold', `${this.holds.length} hold(s)`);
    else if (this.status === 'on_hold' && this.holds.length === 0) this.setStatus('restricted', 'every hold lifted');
  }

  note(type: string, summary: string, source: LotTimelineEntry['source'] = 'plantflow'): void {
    this.timeline.push({ at: new Date().toISOString(), type, summary, source });
    if (this.timeline.length > TIMELINE_LIMIT) this.timeline = this.timeline.slice(-TIMELINE_LIMIT);
  }

  abort(reason: string): void {
    this.failure = reason;
    this.setStatus('aborted', reason);
    this.note('LotAborted', reason, 'person');
  }

  setOverdue(overdue: boolean): void {
    upsertSearchAttributes([{ key: OverdueAttr, value: overdue }]);
  }

  acceptProduced(notice: ProducedNotice): void {
    const before = parentKeys(this.genealogy).join(',');
    const hadProducer = this.genealogy.production.length > 0;
    const { state, counted } = applyProducedNotice(this.genealogy, notice);
    this.genealogy = state;
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
    if (learnChild(this.genealogy, child))
      this.note(
        'ChildLot',
        `lot ${lotKey(child.material, child.lotId)} was made from it${child.orderRef ? ` by order ${child.orderRef}` : ''}`,
        'order',
      );
  }

  /** Holds from an NCR are one per NCR: its containment signal and the lot's own hold become aliases. */
  placeHold(req: LotHoldRequest | (Omit<LotHoldRequest, 'source'> & { source: LotHold['source'] })): void {
    if (this.holds.some((h) => h.holdId === req.holdId || h.aliases.includes(req.holdId))) return;
    const sameNcr = req.ncrId ? this.holds.find((h) => h.ncrId === req.ncrId) : undefined;
    if (sameNcr) {
      sameNcr.aliases.push(req.holdId);
      return;
    }
    this.holds.push({
      holdId: req.holdId,
      reason: req.reason,
      by: req.by,
      source: req.source,
      ncrId: req.ncrId,
      aliases: [],
      placedAt: new Date().toISOString(),
    });
    if (req.ncrId && !this.ncrs.some((n) => n.ncrId === req.ncrId)) {
      this.ncrs.push({ ncrId: req.ncrId, origin: 'containment', status: 'open', openedAt: new Date().toISOString() });
    }
    this.note('HoldPlaced', `hold ${req.holdId} by ${req.by}: ${req.reason}`, req.source === 'ncr' ? 'ncr' : 'person');
    this.refreshHoldStatus();
  }

  /** Holds a lift request names: by hold id or alias, or every hold of the NCR it names. */
  holdsNamed(req: Pick<LotLiftHoldRequest, 'holdId' | 'ncrId'>): LotHold[] {
    return this.holds.filter(
      (h) =>
        h.holdId === req.holdId ||
        h.aliases.includes(req.holdId) ||
        (h.ncrId !== undefined && (h.ncrId === req.ncrId || h.ncrId === req.holdId)),
    );
  }

  liftHolds(lifted: LotHold[], by: string, reason: string, source: LotTimelineEntry['source']): void {
    if (lifted.length === 0) return;
    this.holds = this.holds.filter((h) => !lifted.includes(h));
    this.note('HoldLifted', `hold ${lifted.map((h) => h.holdId).join(', ')} lifted by ${by}: ${reason}`, source);
    this.refreshHoldStatus();
  }

  ncrStatus(notice: LotNcrStatusNotice): void {
    const link = this.ncrs.find((n) => n.ncrId === notice.ncrId);
    if (link) Object.assign(link, { status: notice.status, updatedAt: notice.at });
    else
      this.ncrs.push({
        ncrId: notice.ncrId,
        origin: 'containment',
        status: notice.status,
        openedAt: notice.at,
        updatedAt: notice.at,
      });
    this.note('NcrStatus', `nonconformance ${notice.ncrId} is ${notice.status} (${notice.by})`, 'ncr');
  }

  get openNcrs(): string[] {
    return this.ncrs.filter((n) => n.status !== 'closed').map((n) => n.ncrId);
  }

  dispositionContext(): DispositionContext {
    return {
      status: this.status,
      decided: this.decided && { decision: this.decided.decision, by: this.decided.by, at: this.decided.at },
      holds: this.holds.map((h) => ({ holdId: h.holdId, source: h.source, reason: h.reason, ncrId: h.ncrId })),
      requiredNotPassed: requiredNotPassed(this.plan ?? null, this.inspections),
      openNcrs: this.openNcrs,
      executors: this.genealogy.executors,
      nowMs: Date.now(),
    };
  }

  recordDecision(signed: SignedLotDisposition): void {
    const { record } = signed;
    this.dispositions.push(signed);
    this.toExecute.push(signed.recordId);
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
    this.decided = {
      decision: record.decision as LotDecision,
      by: record.signer.userId,
      at: record.signedAt,
      recordId: signed.recordId,
    };
    this.setStatus(record.decision === 'release' ? 'releasing' : 'rejecting', `signed by ${record.signer.printedName}`);
  }

  inspectionSummary() {
    return summariseInspections(this.plan ?? null, this.inspections);
  }

  parents() {
    return parentsOf(this.genealogy);
  }

  carry(): LotCarry {
    const {
      status,
      genealogy,
      plan,
      registration,
      holds,
      ncrs,
      inspections,
      pendingResults,
      refusedResults,
      tasks,
      dispositions,
      toExecute,
      decided,
      executed,
      notifications,
      sla,
      timeline,
      failure,
      runs,
    } = this;
    return {
      status,
      genealogy,
      plan,
      registration,
      holds,
      ncrs,
      inspections,
      pendingResults,
      refusedResults,
      tasks,
      dispositions,
      toExecute,
      decided,
      executed,
      notifications,
      sla,
      timeline,
      parking: this.parking.carry(),
      failure,
      runs,
    };
  }
}
