import type { NcrLot, NcrPolicyOverrides, NcrSeverity, NcrStatus, RootCause } from '../../domain/ncr';
import type { DispositionLine } from '../../domain/ncr-dispositions';
import type { ContainedLot, ContainmentAction } from '../../domain/ncr-execution';
import type { Quantity } from '../../domain/quantity';
import type { Signature } from '../../domain/signature';
import type { NcrWorkflowStart } from '../messages/ncr';
import type { ParkedStep, ParkingRecord } from '../shared/parking';
import type { RetryTuning } from '../shared/tuning';

/** Where the NCR is recorded: each system's own document, linked to the others by reference. */
export interface NcrRecords {
  qms?: { ncrId: string; outcome: string };
  odooQualityAlert?: { alertId: number; name: string };
  sapQualityNotification?: string;
  /** The QMS holds the Odoo and SAP references; Odoo's alert carries the SAP number in its chatter. */
  linked?: boolean;
}

export type SlaName = 'containment' | 'disposition' | 'closure';

export interface Escalation {
  sla: SlaName;
  dueAt: string;
  escalatedAt: string;
  reminders: number;
  lastNotifiedAt: string;
  resolvedAt?: string;
}

export interface CapaRecord {
  capaId: string;
  trigger: 'severity' | 'recurrence';
  outcome: string;
  ncrIds: string[];
  at: string;
}

export interface TimelineEntry {
  at: string;
  type: string;
  summary: string;
  by?: string;
}

export interface ClosureRecord {
  reason: string;
  signature: Signature;
  recordHash: string;
  closedAt?: string;
}

/** Everything a run hands to its successor at continue-as-new: JSON only. */
export interface NcrCarry {
  status: NcrStatus;
  openedAt: string;
  deadlines: Record<SlaName, string>;
  records: NcrRecords;
  contained: ContainedLot[];
  actions: ContainmentAction[];
  containmentRuns: number;
  containmentRequested: boolean;
  /** Actions already written to the QMS (by actionId). */
  actionsInQms: string[];
  orderHold?: { workflowId: string; placed: boolean; lifted?: boolean };
  lines: DispositionLine[];
  rootCause?: RootCause;
  rootCauseInQms?: boolean;
  closure?: ClosureRecord;
  capa?: CapaRecord;
  capaEvaluated: boolean;
  escalations: Escalation[];
  timeline: TimelineEntry[];
  parking: { parked: ParkedStep[]; resolved: ParkingRecord[] };
  failure?: string;
  lotsTold?: string;
  runs: number;
}

export interface NcrWorkflowInput extends NcrWorkflowStart {
  policy?: NcrPolicyOverrides;
  tuning?: Partial<RetryTuning>;
  /** Continue-as-new after this many history events even if the server does not suggest it. */
  maxHistoryEvents?: number;
  carry?: NcrCarry;
}

export interface NcrOutcome {
  workflowId: string;
  ncrId: string;
  status: NcrStatus;
  reason?: string;
}

/** The `status` query: the whole live state an operator or QA needs. */
export interface NcrView {
  workflowId: string;
  ncrId: string;
  status: NcrStatus;
  severity: NcrSeverity;
  source: NcrWorkflowStart['source'];
  site: string;
  material: string;
  lots: NcrLot[];
  quantity: Quantity;
  description: string;
  raisedBy: string;
  orderRef?: string;
  openedAt: string;
  records: NcrRecords;
  containment: { runs: number; lots: ContainedLot[]; actions: ContainmentAction[]; orderHold?: NcrCarry['orderHold'] };
  dispositions: {
    lines: DispositionLine[];
    dispositioned: Quantity;
    awaitingCoSignature: Quantity;
    remaining: Quantity;
    requiredSignatures: number;
  };
  rootCause?: RootCause;
  closure?: ClosureRecord;
  capa?: CapaRecord;
  overdue: boolean;
  deadlines: Record<SlaName, string>;
  escalations: Escalation[];
  needsAttention: boolean;
  parked: ParkedStep[];
  resolvedParkings: ParkingRecord[];
  timeline: TimelineEntry[];
  failure?: string;
  runs: number;
}
