import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  QueryNotRegisteredError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError, toApiError as toGenericApiError } from '../../runtime/http/errors';
import { LotReviewError, PlantflowInputError } from '../errors';
import { RecordedRefusal } from '../refusals';
import { VisibilityUnavailableError } from '../visibility';

/** HTTP status for each refusal type a workflow's Update validator raises. */
const REFUSAL_STATUS: Record<string, number> = {
  InvalidOrder: 400,
  InvalidHold: 400,
  InvalidAmendment: 400,
  AmendRefused: 409,
  InvalidDecision: 409,
  AlreadyReleased: 409,
  OrderClosed: 409,
  CompletionRefused: 409,
  CancelRefused: 409,
  UnknownHold: 404,
  EventRejected: 422,
  EventForClosedOrder: 409,
  EventForCompletingOrder: 409,
  EventConflict: 409,
  UnknownException: 404,
  DecisionRefused: 409,
  DispositionRefused: 422,
  SignatureRefused: 403,
  CloseRefused: 409,
  NcrClosed: 409,
  UnknownDispositionLine: 404,
  InvalidNcrRequest: 400,
  InvalidDisposition: 400,
  ReleaseBlocked: 409,
  DispositionConflict: 409,
  LotNotReady: 409,
  LotDecided: 409,
  HoldRefused: 409,
  ReviewRequired: 422,
  ReviewIncomplete: 422,
  RecordChanged: 409,
};

/** A release refused by the lot record's review: 409 when the record changed since it was shown. */
const REVIEW_STATUS: Record<LotReviewError['code'], number> = {
  ReviewRequired: 422,
  ReviewIncomplete: 422,
  RecordChanged: 409,
};

function fromUpdateFailure(err: WorkflowUpdateFailedError): ApiError {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) {
    const type = cause.type ?? 'rejected';
    return new ApiError(REFUSAL_STATUS[type] ?? 422, type, cause.message, cause.details?.[0]);
  }
  return new ApiError(422, 'rejected', cause?.message ?? err.message);
}

/** The central API's own errors: bad input caught in the client, and what Temporal answered. */
export function translateCentralError(err: unknown): ApiError | undefined {
  if (err instanceof RecordedRefusal) {
    return new ApiError(409, err.code, err.message, { exceptionId: err.exceptionId, site: err.site });
  }
  if (err instanceof PlantflowInputError) return new ApiError(400, 'invalid_request', err.message, err.issues);
  if (err instanceof LotReviewError) return new ApiError(REVIEW_STATUS[err.code], err.code, err.message, err.details);
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new ApiError(409, 'already_exists', `${err.workflowId} already ran and is closed; its id is not reused`, {
      workflowId: err.workflowId,
      workflowType: err.workflowType,
    });
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(404, 'not_found', `no run with id ${err.workflowId}`, { workflowId: err.workflowId });
  }
  if (err instanceof WorkflowUpdateFailedError) return fromUpdateFailure(err);
  if (err instanceof VisibilityUnavailableError) {
    return new ApiError(503, 'unavailable', err.message, undefined, { 'retry-after': String(err.retryAfterSeconds) });
  }
  if (err instanceof QueryNotRegisteredError) return new ApiError(409, 'not_ready', err.message);
  return undefined;
}

export function toApiError(err: unknown): ApiError {
  return toGenericApiError(err, translateCentralError);
}
