// Nonconformance messages (docs/architecture.md §2.3): its workflow type and input, and how people decide on it.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DispositionLine, DispositionRequest } from '../../domain/ncr-dispositions';
import type { NcrPolicyOverrides, RootCause } from '../../domain/ncr';
import type { VerifiedSigner } from '../../domain/signature';
import type { NcrStart } from '../../domain/starts';
import type { RunOptions } from '../../domain/tuning';
import type { NcrState, NcrView } from '../nonconformance/state';

/** Workflow type of the nonconformance process (workflows/nonconformance.ts), id ncr:<ncrId>. */
export const NCR_WORKFLOW_TYPE = 'nonconformance';

export interface NcrWorkflowInput extends NcrStart, RunOptions {
  /** The plant's policy when the NCR opened (overrides of DEFAULT_NCR_POLICY): fixed for the run. */
  policy?: NcrPolicyOverrides;
  /** The state a continued run hands to its successor. */
  carry?: NcrState;
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

export const ncrStatusQuery = defineQuery<NcrView>('ncrStatus');
