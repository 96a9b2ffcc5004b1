// Nonconformance messages (docs/architecture.md §2.3): how other processes open an NCR, and how people decide on it.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DispositionLine, DispositionRequest } from '../../domain/ncr-dispositions';
import type { RootCause } from '../../domain/ncr';
import type { Quantity } from '../../domain/quantity';
import type { VerifiedSigner } from '../../domain/signature';
import type { NcrView } from '../nonconformance/state';

/** Workflow type name of the nonconformance process (workflows/nonconformance.ts). */
export const NCR_WORKFLOW_TYPE = 'nonconformance';

/** Start input of `ncr:<ncrId>`; opened by a failed inspection, an MES deviation, a supplier issue or a person. */
export interface NcrWorkflowStart {
  ncrId: string;
  source: 'inspection' | 'mes_deviation' | 'supplier' | 'person';
  severity: 'minor' | 'major' | 'critical';
  site: string;
  material: string;
  /**
   * The lots affected at opening (containment extends to their forward genealogy). `wip`: units set
   * aside in production that are no ERP lot yet (an MES deviation), segregated at the plant.
   * `storageLocation`: where SAP keeps its stock, when not the plant's finished-goods location.
   */
  lots: Array<{ material: string; lotId: string; quantity: Quantity; wip?: boolean; storageLocation?: string }>;
  quantity: Quantity;
  description: string;
  raisedBy: string;
  orderRef?: string;
  /** The producing order's ERP documents, when the NCR comes from an order (rework, WIP scrap). */
  erp?: { odooMo: string; sapOrder: string };
  /** The operation that reported the deviation. */
  operation?: string;
  /** The failed inspection that opened it, when it came from one. */
  inspection?: { characteristic: string; value?: string; unit?: string; result: 'fail' };
  openedAt?: string;
}

/** A disposition line, as the API sends it: the request plus the signer it re-authenticated. */
export interface NcrDispositionRequest {
  line: DispositionRequest;
  signer: VerifiedSigner;
}
/** Records one signed decision on a quantity; synchronous validator (quantity, lot, roles, re-auth). */
export const dispositionNcrUpdate = defineUpdate<DispositionLine, [NcrDispositionRequest]>('dispositionNcr');

export interface NcrCoSignRequest {
  lineId: string;
  reason: string;
  signer: VerifiedSigner;
}
/** The second signature of a critical NCR's line: a different person, bound to the same record hash. */
export const coSignNcrDispositionUpdate = defineUpdate<DispositionLine, [NcrCoSignRequest]>('coSignNcrDisposition');

export interface NcrLineDecisionRequest {
  lineId: string;
  by: string;
  reason: string;
}
/** Withdraws a line still waiting for its co-signature (nothing was executed). */
export const withdrawNcrDispositionUpdate = defineUpdate<DispositionLine, [NcrLineDecisionRequest]>(
  'withdrawNcrDisposition',
);

export interface NcrExecutionConfirmation {
  lineId: string;
  by: string;
  /** The document that proves it (return delivery, regrade posting …). */
  reference: string;
  note?: string;
}
/** A person confirms a physical execution plantflow cannot post (return to vendor, regrade). */
export const confirmNcrExecutionUpdate = defineUpdate<DispositionLine, [NcrExecutionConfirmation]>(
  'confirmNcrExecution',
);

export type NcrRootCauseRequest = Omit<RootCause, 'recordedBy' | 'recordedAt'> & { by: string };
export const recordNcrRootCauseUpdate = defineUpdate<RootCause, [NcrRootCauseRequest]>('recordNcrRootCause');

export interface NcrContainmentRequest {
  by: string;
  reason: string;
}
/** Runs containment again (new downstream lots since): idempotent, the same keys and hold id. */
export const rerunNcrContainmentUpdate = defineUpdate<{ runs: number }, [NcrContainmentRequest]>('rerunNcrContainment');

export interface NcrCloseRequest {
  reason: string;
  signer: VerifiedSigner;
}
/** Closes the NCR: needs the root cause and every quantity dispositioned and executed; signed. */
export const closeNcrUpdate = defineUpdate<{ status: string }, [NcrCloseRequest]>('closeNcr');

export const ncrStatusQuery = defineQuery<NcrView>('status');
