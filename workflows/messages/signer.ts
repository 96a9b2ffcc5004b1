// Signer security messages: the per-signer run that counts failed re-authentications and locks the signer.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SignerView, SigningPolicy } from '../../domain/signer-lockout';

/** Workflow type of a signer's record (workflows/signer.ts), id signer:<userId>. */
export const SIGNER_WORKFLOW_TYPE = 'signerSecurity';

export interface SignerWorkflowInput {
  userId: string;
  policy: SigningPolicy;
}

export interface SigningFailureResult {
  view: SignerView;
  /** This failure locked the signer. */
  lockedNow: boolean;
}

/** A failed re-authentication (update-with-start, so the first failure opens the record). */
export const signingFailedUpdate = defineUpdate<SigningFailureResult, [{ via?: string }]>('signingFailed');
/** A successful re-authentication outside a lockout: the failure count starts again. */
export const signingSucceededSignal = defineSignal('signingSucceeded');
export const signerQuery = defineQuery<SignerView>('signer');
