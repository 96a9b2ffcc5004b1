import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { lotKey } from '../../domain/ids';
import { resolvePolicy, type NcrLot, type NcrPolicy, type NcrStatus, type RootCause } from '../../domain/ncr';
import {
  activeLines,
  approvedLines,
  fullyDispositioned,
  quantityOf,
  requiredSignatures,
  type DispositionLine,
} from '../../domain/ncr-dispositions';
import type { ContainedLot, ContainmentAction } from '../../domain/ncr-execution';
import { qty } from '../../domain/quantity';
import { LotIdAttr, MaterialAttr, NcrStatusAttr, OrderRefAttr, OverdueAttr, SiteAttr } from '../search-attributes';
import { resolveTuning, systemActivities, type SystemActivities } from '../shared/activities';
import { ParkingLot } from '../shared/parking';
import type { RetryTuning } from '../shared/tuning';
import { durationMs } from './steps';
import type {
  CapaRecord,
  ClosureRecord,
  Escalation,
  NcrCarry,
  NcrRecords,
  NcrView,
  NcrWorkflowInput,
  SlaName,
  TimelineEntry,
} from './state';

const TIMELINE_LIMIT = 500;

/** The live state of one nonconformance and the small operations its handlers and steps perform on it. */
export class NcrRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly tuning: RetryTuning;
  readonly policy: NcrPolicy;
  readonly acts: SystemActivities;
  readonly parking: ParkingLot;
  readonly lots: NcrLot[];
  status: NcrStatus;
  openedAt: string;
  deadlines: Record<SlaName, string>;
  records: NcrRecords;
  contained: ContainedLot[];
  actions: ContainmentAction[];
  containmentRuns: number;
  containmentRequested: boolean;
  actionsInQms: string[];
  orderHold?: NcrCarry['orderHold'];
  lines: DispositionLine[];
  rootCause?: RootCause;
  rootCauseInQms: boolean;
  closure?: ClosureRecord;
  capa?: CapaRecord;
  capaEvaluated: boolean;
  escalations: Escalation[];
  timeline: TimelineEntry[];
  failure?: string;
  runs: number;
  /** `<status>/<containment runs>` last told to the lot workflows. */
  lotsTold?: string;
  /** Bumped by every handler: the main loop wakes up on it. */
  revision = 0;

  constructor(readonly input: NcrWorkflowInput) {
    const c = input.carry;
    this.tuning = resolveTuning(input.tuning);
    this.policy = resolvePolicy(input.policy);
    this.acts = systemActivities(this.tuning, input.site);
    this.parking = new ParkingLot(c?.parking);
    this.lots = input.lots.map((l) => ({ ...l, material: l.material || input.material }));
    this.status = c?.status ?? 'open';
    this.openedAt = c?.openedAt ?? new Date().toISOString();
    const due = (d: string) => new Date(Date.parse(this.openedAt) + durationMs(d)).toISOString();
    this.deadlines = c?.deadlines ?? {
      containment: due(this.policy.containWithin),
      disposition: due(this.policy.dispositionWithin),
      closure: due(this.policy.closeWithin),
    };
    this.records = c?.records ?? {};
    this.contained = c?.contained ?? [];
    this.actions = c?.actions ?? [];
    this.containmentRuns = c?.containmentRuns ?? 0;
    this.containmentRequested = c?.containmentRequested ?? false;
    this.actionsInQms = c?.actionsInQms ?? [];
    this.orderHold = c?.orderHold;
    this.lines = c?.lines ?? [];
    this.rootCause = c?.rootCause;
    this.rootCauseInQms = c?.rootCauseInQms ?? false;
    this.closure = c?.closure;
    this.capa = c?.capa;
    this.capaEvaluated = c?.capaEvaluated ?? false;
    this.escalations = c?.escalations ?? [];
    this.timeline = c?.timeline ?? [];
    this.failure = c?.failure;
    this.lotsTold = c?.lotsTold;
    this.runs = (c?.runs ?? 0) + 1;
  }

  get ncrId(): string {
    return this.input.ncrId;
  }

  get terminal(): boolean {
    return this.status === 'closed' || this.status === 'aborted';
  }

  get unit(): string {
    return this.input.quantity.uom;
  }

  get fullyDispositioned(): boolean {
    return fullyDispositioned(this.lines, this.input.quantity);
  }

  /** Every decided unit carried out: lines executed and every affected lot given back. */
  get executed(): boolean {
    return (
      this.fullyDispositioned &&
      approvedLines(this.lines).every((l) => l.status === 'executed') &&
      this.contained.filter((c) => c.role === 'affected').every((c) => c.released)
    );
  }

  get overdue(): boolean {
    return this.escalations.some((e) => !e.resolvedAt);
  }

  line(lineId: string): DispositionLine | undefined {
    return this.lines.find((l) => l.record.lineId === lineId);
  }

  lotOf(key: string): ContainedLot | undefined {
    return this.contained.find((c) => c.key === key);
  }

  affectedKeys(): string[] {
    return this.lots.map((l) => lotKey(l.material, l.lotId));
  }

  touch(): void {
    this.revision += 1;
  }

  /** Status from the facts (open → contained → dispositioned → executed); closed and aborted are set. */
  refreshStatus(): void {
    if (this.terminal) return;
    const next: NcrStatus = this.executed
      ? 'executed'
      : this.fullyDispositioned
        ? 'dispositioned'
        : this.containmentRuns > 0
          ? 'contained'
          : 'open';
    if (next !== this.status) this.setStatus(next);
  }

  setStatus(status: NcrStatus, detail?: string): void {
    const changed = status !== this.status;
    this.status = status;
    this.publish(detail);
    if (changed) this.note('StatusChanged', `${status}${detail ? `: ${detail}` : ''}`);
  }

  /** Search attributes and the UI's current details. */
  publish(detail?: string): void {
    upsertSearchAttributes([
      { key: NcrStatusAttr, value: this.status },
      { key: MaterialAttr, value: this.input.material },
      { key: LotIdAttr, value: this.lots[0]!.lotId },
      { key: SiteAttr, value: this.input.site },
      { key: OverdueAttr, value: this.overdue },
      ...(this.input.orderRef ? [{ key: OrderRefAttr, value: this.input.orderRef }] : []),
    ]);
    setCurrentDetails(
      `NCR ${this.ncrId} (${this.input.severity}) on ${this.input.material} ${this.lots.map((l) => l.lotId).join(', ')}: ${this.status}${detail ? ` — ${detail}` : ''}`,
    );
  }

  note(type: string, summary: string, by?: string): void {
    this.timeline.push({ at: new Date().toISOString(), type, summary, by });
    if (this.timeline.length > TIMELINE_LIMIT) this.timeline = this.timeline.slice(-TIMELINE_LIMIT);
  }

  /** Adds a containment action once per (kind, lot); returns whether it is new. */
  recordAction(action: Omit<ContainmentAction, 'actionId' | 'performedAt'>): boolean {
    if (this.actions.some((a) => a.kind === action.kind && a.lotKey === action.lotKey)) return false;
    this.actions.push({ ...action, actionId: `C${this.actions.length + 1}`, performedAt: new Date().toISOString() });
    this.note('Containment', action.description);
    return true;
  }

  carry(): NcrCarry {
    return {
      status: this.status,
      openedAt: this.openedAt,
      deadlines: this.deadlines,
      records: this.records,
      contained: this.contained,
      actions: this.actions,
      containmentRuns: this.containmentRuns,
      containmentRequested: this.containmentRequested,
      actionsInQms: this.actionsInQms,
      orderHold: this.orderHold,
      lines: this.lines,
      rootCause: this.rootCause,
      rootCauseInQms: this.rootCauseInQms,
      closure: this.closure,
      capa: this.capa,
      capaEvaluated: this.capaEvaluated,
      escalations: this.escalations,
      timeline: this.timeline,
      parking: this.parking.carry(),
      failure: this.failure,
      lotsTold: this.lotsTold,
      runs: this.runs,
    };
  }

  view(): NcrView {
    const i = this.input;
    const decided = quantityOf(approvedLines(this.lines), this.unit);
    const active = quantityOf(activeLines(this.lines), this.unit);
    return {
      workflowId: this.workflowId,
      ncrId: i.ncrId,
      status: this.status,
      severity: i.severity,
      source: i.source,
      site: i.site,
      material: i.material,
      lots: this.lots,
      quantity: i.quantity,
      description: i.description,
      raisedBy: i.raisedBy,
      orderRef: i.orderRef,
      openedAt: this.openedAt,
      records: this.records,
      containment: {
        runs: this.containmentRuns,
        lots: this.contained,
        actions: this.actions,
        orderHold: this.orderHold,
      },
      dispositions: {
        lines: this.lines,
        dispositioned: decided,
        awaitingCoSignature: qty.sub(active, decided),
        remaining: qty.sub(i.quantity, active),
        requiredSignatures: requiredSignatures(i.severity),
      },
      rootCause: this.rootCause,
      closure: this.closure,
      capa: this.capa,
      overdue: this.overdue,
      deadlines: this.deadlines,
      escalations: this.escalations,
      needsAttention: this.parking.needsAttention,
      parked: this.parking.parked,
      resolvedParkings: this.parking.resolved,
      timeline: this.timeline,
      failure: this.failure,
      runs: this.runs,
    };
  }
}
