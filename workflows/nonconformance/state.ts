import type { NcrStatus, RootCause } from '../../domain/ncr';
import type { DispositionLine } from '../../domain/ncr-dispositions';
import type { ContainedLot, ContainmentAction } from '../../domain/ncr-execution';
import type { Quantity } from '../../domain/quantity';
import type { Signature } from '../../domain/signature';
import type { NcrStart } from '../../domain/starts';
import { emptyParking, type ParkedStep, type ParkingRecord, type ParkingState } from '../shared/parking';

/** Where the NCR is recorded: each system's own document, linked to the others by reference. */
/**
 * A state carried from a run recorded before skipped records were named as such: it marked them with
 * placeholders (alert id 0, "(skipped)"), read here as the skips they were.
 */
export function migrateCarriedRecords(state: { records: NcrRecords; lines: DispositionLine[] }): void {
  const r = state.records;
  const skipped = new Set(r.skipped);
  if (r.odooQualityAlert?.alertId === 0) {
    r.odooQualityAlert = undefined;
    skipped.add('odooQualityAlert');
  }
  if (r.sapQualityNotification?.startsWith('(')) {
    r.sapQualityNotification = undefined;
    skipped.add('sapQualityNotification');
  }
  if (skipped.size) r.skipped = [...skipped];
  for (const line of state.lines) {
    if (line.signedRecordId?.startsWith('(')) {
      line.signedRecordId = undefined;
      line.signedRecordSkipped = true;
    }
  }
}

export interface NcrRecords {
  qms?: { ncrId: string; outcome: string };
  odooQualityAlert?: { alertId: number; name: string };
  sapQualityNotification?: string;
  /** Records an operator chose not to make (a skipped step): none exists in that system. */
  skipped?: Array<'odooQualityAlert' | 'sapQualityNotification'>;
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

export interface OrderHoldRecord {
  workflowId: string;
  placed: boolean;
  lifted?: boolean;
}

/**
 * Everything an NCR run knows, in one JSON object: handlers and steps change it, the status query reads it,
 * and continue-as-new hands it whole to the next run.
 */
export interface NcrState {
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
  orderHold?: OrderHoldRecord;
  lines: DispositionLine[];
  rootCause?: RootCause;
  rootCauseInQms: boolean;
  closure?: ClosureRecord;
  capa?: CapaRecord;
  capaEvaluated: boolean;
  escalations: Escalation[];
  timeline: TimelineEntry[];
  parking: ParkingState;
  failure?: string;
  /** `<status>/<containment runs>` last told to the lot workflows. */
  lotsTold?: string;
  /** This run's number in the chain of continued runs (1 for the first). */
  runs: number;
}

export function initialNcrState(openedAt: string, deadlines: Record<SlaName, string>): NcrState {
  return {
    status: 'open',
    openedAt,
    deadlines,
    records: {},
    contained: [],
    actions: [],
    containmentRuns: 0,
    containmentRequested: false,
    actionsInQms: [],
    lines: [],
    rootCauseInQms: false,
    capaEvaluated: false,
    escalations: [],
    timeline: [],
    parking: emptyParking(),
    runs: 1,
  };
}

export interface NcrOutcome {
  workflowId: string;
  ncrId: string;
  status: NcrStatus;
  reason?: string;
}

/** The `status` query: the whole live state an operator or QA needs. */
export interface NcrView extends Pick<
  NcrStart,
  'ncrId' | 'severity' | 'source' | 'site' | 'material' | 'lots' | 'quantity' | 'description' | 'raisedBy' | 'orderRef'
> {
  workflowId: string;
  status: NcrStatus;
  openedAt: string;
  records: NcrRecords;
  containment: { runs: number; lots: ContainedLot[]; actions: ContainmentAction[]; orderHold?: OrderHoldRecord };
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
  /** The CAPA rule (severity, recurrence) has been applied, with or without a CAPA. */
  capaEvaluated: boolean;
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
