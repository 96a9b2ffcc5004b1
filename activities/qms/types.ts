import type { Quantity } from '../../domain/quantity';
import type {
  Capa,
  InspectionPlan,
  Nonconformance,
  PlanActivation,
  SignedRecord,
  TestResult,
  TestSpecification,
} from '../../contracts/qms';

/** Activity inputs and outputs: one JSON-safe object each way (docs/architecture.md §4.2). */
export type { Capa, InspectionPlan, Nonconformance, PlanActivation, SignedRecord, TestResult, TestSpecification };

export interface QmsActivateInspectionPlanInput {
  idempotencyKey: string;
  site: string;
  orderRef: string;
  material: string;
  quantity: Quantity;
}
export interface QmsActivateInspectionPlanResult {
  /** already_active: the order had an activation for this material (a retry whose answer was lost). */
  outcome: 'activated' | 'already_active';
  activation: PlanActivation;
}

export interface QmsDeactivateInspectionPlanInput {
  idempotencyKey?: string;
  site: string;
  orderRef: string;
  /** Recorded on the activation (default: the release was compensated). */
  reason?: string;
}
export interface QmsDeactivateInspectionPlanResult {
  /** nothing_active: compensation ran before (or without) the activation — a no-op. */
  outcome: 'deactivated' | 'nothing_active';
  activationIds: string[];
}

export interface QmsRecordInspectionResultInput {
  idempotencyKey: string;
  lotId: string;
  material: string;
  characteristic: string;
  result: 'pass' | 'fail';
  value?: string;
  unit?: string;
  inspector: string;
  effectiveAt: string;
  site?: string;
  orderRef?: string;
  comment?: string;
}

export type NcrSeverity = 'minor' | 'major' | 'critical';
export type NcrDecision = 'use_as_is' | 'rework' | 'scrap' | 'return_to_vendor' | 'regrade';
export interface NcrExternalRefs {
  odooQualityAlert?: string;
  sapQualityNotification?: string;
}
export interface NcrContainmentAction {
  actionId: string;
  description: string;
  lotId?: string;
  system?: 'odoo' | 'sap' | 'mes' | 'qms' | 'plantflow';
  performedAt: string;
}
export interface NcrRootCause {
  category: 'material' | 'method' | 'machine' | 'man' | 'measurement' | 'environment' | 'supplier' | 'design' | 'other';
  description: string;
}

export interface QmsOpenNonconformanceInput {
  idempotencyKey: string;
  ncrId: string;
  source: 'inspection' | 'mes_deviation' | 'supplier' | 'person';
  severity: NcrSeverity;
  material: string;
  lotIds: string[];
  quantity: Quantity;
  description: string;
  raisedBy: string;
  site?: string;
  orderRef?: string;
  refs?: NcrExternalRefs;
  effectiveAt?: string;
}
export interface QmsOpenNonconformanceResult {
  outcome: 'opened' | 'already_open';
  ncr: Nonconformance;
}

export interface QmsUpdateNonconformanceInput {
  idempotencyKey?: string;
  ncrId: string;
  updatedBy: string;
  status?: 'contained' | 'dispositioned';
  severity?: NcrSeverity;
  refs?: NcrExternalRefs;
  containmentActions?: NcrContainmentAction[];
  rootCause?: NcrRootCause;
  note?: string;
}

export interface QmsAddNonconformanceDispositionInput {
  idempotencyKey: string;
  ncrId: string;
  lineId: string;
  decision: NcrDecision;
  quantity: Quantity;
  lotId?: string;
  decidedBy: string;
  signedRecordId?: string;
  note?: string;
}

export interface QmsCloseNonconformanceInput {
  idempotencyKey?: string;
  ncrId: string;
  closedBy: string;
  /** Recorded first when given (closing requires one). */
  rootCause?: NcrRootCause;
  note?: string;
  effectiveAt?: string;
}

export interface QmsCountNonconformancesInput {
  material: string;
  /** Inclusive. */
  openedFrom: string;
  /** Exclusive. */
  openedTo: string;
  severity?: NcrSeverity;
}
export interface QmsCountNonconformancesResult {
  count: number;
  ncrIds: string[];
}

export interface QmsOpenCapaInput {
  idempotencyKey: string;
  capaId: string;
  title: string;
  material: string;
  ncrIds: string[];
  trigger: 'severity' | 'recurrence' | 'manual';
  owner: string;
  description?: string;
  dueAt?: string;
}
export interface QmsOpenCapaResult {
  /** linked: the CAPA existed and the missing NCRs were linked to it. */
  outcome: 'opened' | 'linked' | 'already_open';
  capa: Capa;
}

export interface QmsSignature {
  userId: string;
  printedName: string;
  meaning: string;
  reason: string;
  signedAt: string;
  recordHash: string;
}
export type LotDisposition = 'Planned' | 'In-Process' | 'Restricted' | 'UnRestricted' | 'Closed';
export interface QmsRecordSignedDispositionInput {
  idempotencyKey: string;
  recordId: string;
  recordType: 'lot' | 'ncr';
  subject: string;
  decision: 'release' | 'reject' | 'hold' | NcrDecision;
  material?: string;
  lotId?: string;
  ncrId?: string;
  quantity?: Quantity;
  fromDisposition?: LotDisposition;
  toDisposition?: LotDisposition;
  justification?: string;
  recordHash: string;
  signatures: QmsSignature[];
  effectiveAt: string;
}
export interface QmsRecordSignedDispositionResult {
  outcome: 'recorded' | 'already_recorded';
  record: SignedRecord;
}
