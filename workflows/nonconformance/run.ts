import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { lotKey } from '../../domain/ids';
import { resolvePolicy, type NcrLot, type NcrPolicy, type NcrStatus } from '../../domain/ncr';
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
import type { NcrWorkflowInput } from '../messages/ncr';
import { systemActivities, type SystemActivities } from '../shared/activities';
import { ParkingLot } from '../shared/parking';
import { resumeState } from '../shared/procedure';
import { durationMs } from '../shared/durations';
import { initialNcrState, migrateCarriedRecords, type NcrState, type NcrView } from './state';

const TIMELINE_LIMIT = 500;

/** One nonconformance run: its state (carried whole through continue-as-new) and the operations on it. */
export class NcrRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly state: NcrState;
  readonly policy: NcrPolicy;
  readonly acts: SystemActivities;
  readonly parking: ParkingLot;
  readonly lots: NcrLot[];

  constructor(readonly input: NcrWorkflowInput) {
    this.policy = resolvePolicy(input.policy);
    this.acts = systemActivities(input.tuning, input.site);
    this.lots = input.lots.map((l) => ({ ...l, material: l.material || input.material }));
    this.state = resumeState(input.carry, () => {
      const openedAt = new Date().toISOString();
      const due = (d: string) => new Date(Date.parse(openedAt) + durationMs(d)).toISOString();
      return initialNcrState(openedAt, {
        containment: due(this.policy.containWithin),
        disposition: due(this.policy.dispositionWithin),
        closure: due(this.policy.closeWithin),
      });
    });
    if (input.carry) migrateCarriedRecords(this.state);
    this.parking = new ParkingLot(this.state.parking);
  }

  get ncrId(): string {
    return this.input.ncrId;
  }

  get terminal(): boolean {
    return this.state.status === 'closed' || this.state.status === 'aborted';
  }

  get unit(): string {
    return this.input.quantity.uom;
  }

  get fullyDispositioned(): boolean {
    return fullyDispositioned(this.state.lines, this.input.quantity);
  }

  /** Every decided unit carried out: lines executed and every affected lot given back. */
  get executed(): boolean {
    return (
      this.fullyDispositioned &&
      approvedLines(this.state.lines).every((l) => l.status === 'executed') &&
      this.state.contained.filter((c) => c.role === 'affected').every((c) => c.released)
    );
  }

  get overdue(): boolean {
    return this.state.escalations.some((e) => !e.resolvedAt);
  }

  line(lineId: string): DispositionLine | undefined {
    return this.state.lines.find((l) => l.record.lineId === lineId);
  }

  lotOf(key: string): ContainedLot | undefined {
    return this.state.contained.find((c) => c.key === key);
  }

  affectedKeys(): string[] {
    return this.lots.map((l) => lotKey(l.material, l.lotId));
  }

  /** Status from the facts (open → contained → dispositioned → executed); closed and aborted are set. */
  derivedStatus(): NcrStatus {
    if (this.terminal) return this.state.status;
    if (this.executed) return 'executed';
    if (this.fullyDispositioned) return 'dispositioned';
    return this.state.containmentRuns > 0 ? 'contained' : 'open';
  }

  refreshStatus(): void {
    const next = this.derivedStatus();
    if (next !== this.state.status) this.setStatus(next);
  }

  setStatus(status: NcrStatus, detail?: string): void {
    const changed = status !== this.state.status;
    this.state.status = status;
    this.publish(detail);
    if (changed) this.note('StatusChanged', `${status}${detail ? `: ${detail}` : ''}`);
  }

  /** Search attributes and the UI's current details. */
  publish(detail?: string): void {
    upsertSearchAttributes([
      { key: NcrStatusAttr, value: this.state.status },
      { key: MaterialAttr, value: this.input.material },
      { key: LotIdAttr, value: this.lots[0]!.lotId },
      { key: SiteAttr, value: this.input.site },
      { key: OverdueAttr, value: this.overdue },
      ...(this.input.orderRef ? [{ key: OrderRefAttr, value: this.input.orderRef }] : []),
    ]);
    setCurrentDetails(
      `NCR ${this.ncrId} (${this.input.severity}) on ${this.input.material} ${this.lots.map((l) => l.lotId).join(', ')}: ` +
        `${this.state.status}${detail ? ` — ${detail}` : ''}`,
    );
  }

  note(type: string, summary: string, by?: string): void {
    this.state.timeline.push({ at: new Date().toISOString(), type, summary, by });
    if (this.state.timeline.length > TIMELINE_LIMIT) this.state.timeline = this.state.timeline.slice(-TIMELINE_LIMIT);
  }

  /** Adds a containment action once per (kind, lot); returns whether it is new. */
  recordAction(action: Omit<ContainmentAction, 'actionId' | 'performedAt'>): boolean {
    if (this.state.actions.some((a) => a.kind === action.kind && a.lotKey === action.lotKey)) return false;
    this.state.actions.push({
      ...action,
      actionId: `C${this.state.actions.length + 1}`,
      performedAt: new Date().toISOString(),
    });
    this.note('Containment', action.description);
    return true;
  }

  view(): NcrView {
    const i = this.input;
    const decided = quantityOf(approvedLines(this.state.lines), this.unit);
    const active = quantityOf(activeLines(this.state.lines), this.unit);
    return {
      workflowId: this.workflowId,
      ncrId: i.ncrId,
      status: this.state.status,
      severity: i.severity,
      source: i.source,
      site: i.site,
      material: i.material,
      lots: this.lots,
      quantity: i.quantity,
      description: i.description,
      raisedBy: i.raisedBy,
      orderRef: i.orderRef,
      openedAt: this.state.openedAt,
      records: this.state.records,
      containment: {
        runs: this.state.containmentRuns,
        lots: this.state.contained,
        actions: this.state.actions,
        orderHold: this.state.orderHold,
      },
      dispositions: {
        lines: this.state.lines,
        dispositioned: decided,
        awaitingCoSignature: qty.sub(active, decided),
        remaining: qty.sub(i.quantity, active),
        requiredSignatures: requiredSignatures(i.severity),
      },
      rootCause: this.state.rootCause,
      closure: this.state.closure,
      capa: this.state.capa,
      capaEvaluated: this.state.capaEvaluated,
      overdue: this.overdue,
      deadlines: this.state.deadlines,
      escalations: this.state.escalations,
      needsAttention: this.parking.needsAttention,
      parked: this.parking.parked,
      resolvedParkings: this.parking.resolved,
      timeline: this.state.timeline,
      failure: this.state.failure,
      runs: this.state.runs,
    };
  }
}
