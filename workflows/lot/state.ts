import type { IsaLotDisposition, LotStatus, LotStatusMapping } from '../../domain/lot';
import type { LotDecision, SignedLotDisposition } from '../../domain/lot-disposition';
import {
  emptyGenealogy,
  type ChildLink,
  type GenealogyState,
  type ParentLink,
  type ProductionEntry,
} from '../../domain/lot-genealogy';
import type { InspectionResult, InspectionSummaryLine, LotPlan, RecordedInspection } from '../../domain/lot-inspection';
import type { Quantity } from '../../domain/quantity';
import type { LotStart, ReceivedLotStart } from '../../domain/starts';
import { emptyParking, type ParkedStep, type ParkingRecord, type ParkingState } from '../shared/parking';

export interface LotHold {
  holdId: string;
  reason: string;
  by: string;
  source: 'person' | 'ncr' | 'disposition';
  ncrId?: string;
  /** Other hold ids the same NCR used for this lot (its containment signal and the lot's own hold). */
  aliases: string[];
  placedAt: string;
}

export interface NcrLink {
  ncrId: string;
  /** inspection: this lot opened it; containment: an NCR elsewhere holds this lot. */
  origin: 'inspection' | 'containment';
  characteristic?: string;
  status: 'opening' | 'open' | 'contained' | 'dispositioned' | 'closed';
  openedAt: string;
  updatedAt?: string;
}

/** External records an inspection result causes, performed in arrival order after registration. */
export interface InspectionTask {
  step: string;
  kind: 'qms-result' | 'odoo-check' | 'open-ncr';
  eventId: string;
  ncrId?: string;
}

export interface RefusedInspection {
  eventId: string;
  characteristic: string;
  reason: string;
  at: string;
}

export interface RegistrationState {
  odooLot: boolean;
  sapBatch: boolean;
  /** Odoo holds the lot's stock (the producing MO is done, or a received lot was booked in). */
  stockReceived: boolean;
  quarantine: 'pending' | 'done' | 'skipped';
}

export interface ExecutedStep {
  step: string;
  summary: string;
  outcome: 'done' | 'skipped';
  at: string;
}

export interface OrderNotification {
  orderWorkflowId: string;
  disposition: string;
  final: boolean;
  outcome: 'sent' | 'failed';
  detail?: string;
  at: string;
}

export interface LotTimelineEntry {
  at: string;
  type: string;
  summary: string;
  source: 'plantflow' | 'order' | 'person' | 'ncr' | 'qms';
}

export interface SlaState {
  deadlineAt: string;
  escalatedAt?: string;
}

/**
 * Everything a lot run knows, in one JSON object: handlers and steps change it, the status query reads it,
 * and continue-as-new hands it whole to the next run.
 */
export interface LotState {
  status: LotStatus;
  genealogy: GenealogyState;
  /** undefined: not read from the QMS yet; null: the material has no inspection plan. */
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
  decided?: LotDecided;
  executed: ExecutedStep[];
  notifications: OrderNotification[];
  sla: SlaState;
  timeline: LotTimelineEntry[];
  parking: ParkingState;
  failure?: string;
  /** This run's number in the chain of continued runs (1 for the first). */
  runs: number;
}

export interface LotDecided {
  decision: LotDecision;
  by: string;
  at: string;
  recordId: string;
}

export function initialLotState(start: LotStart, deadlineAt: string): LotState {
  return {
    status: 'registering',
    genealogy: { ...emptyGenealogy(), declaredParents: start.received?.parents ?? [] },
    plan: undefined,
    registration: {
      odooLot: false,
      sapBatch: false,
      stockReceived: start.received !== undefined,
      quarantine: 'pending',
    },
    holds: [],
    ncrs: [],
    inspections: [],
    pendingResults: [],
    refusedResults: [],
    tasks: [],
    dispositions: [],
    toExecute: [],
    executed: [],
    notifications: [],
    sla: { deadlineAt },
    timeline: [],
    parking: emptyParking(),
    runs: 1,
  };
}

export interface LotOutcome {
  workflowId: string;
  material: string;
  lotId: string;
  status: LotStatus;
  reason?: string;
}

export interface LotStatusView {
  workflowId: string;
  material: string;
  lotId: string;
  key: string;
  site: string;
  status: LotStatus;
  /** ISA-95 MaterialLot disposition, and where the lot should stand in Odoo and SAP in this status. */
  disposition: IsaLotDisposition;
  systems: LotStatusMapping;
  origin: 'produced' | 'received';
  quantity: Quantity | null;
  production: ProductionEntry[];
  received?: ReceivedLotStart;
  parents: ParentLink[];
  children: ChildLink[];
  executors: string[];
  registration: RegistrationState & { planLoaded: boolean };
  plan: LotPlan | null | undefined;
  inspections: InspectionSummaryLine[];
  results: RecordedInspection[];
  refusedResults: RefusedInspection[];
  /** Results still being written to the QMS and Odoo (and NCRs being opened), in arrival order. */
  inspectionTasks: number;
  /** SHA-256 of what the lot record shows of this run; a reviewed release names it. */
  fingerprint: string;
  requiredNotPassed: string[];
  onHold: boolean;
  holds: LotHold[];
  ncrs: NcrLink[];
  openNcrs: string[];
  /** Signed records with their human-readable manifestation (Part 11 §11.50), oldest first. */
  dispositions: SignedLotDisposition[];
  decided?: LotDecided;
  execution: { pending: string[]; steps: ExecutedStep[] };
  orderNotifications: OrderNotification[];
  needsAttention: boolean;
  parked: ParkedStep[];
  resolvedParkings: ParkingRecord[];
  sla: SlaState & { overdue: boolean };
  timeline: LotTimelineEntry[];
  failure?: string;
  runs: number;
}
