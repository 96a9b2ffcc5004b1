import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  QueryNotRegisteredError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PlantflowInputError } from '../errors';

/** Every error leaves the API as JSON {code, message, details}, never as an HTML page or a stack. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** HTTP status for each refusal type a workflow's Update validator raises. */
const REFUSAL_STATUS: Record<string, number> = {
  InvalidOrder: 400,
  InvalidHold: 400,
  InvalidDecision: 409,
  AlreadyReleased: 409,
  OrderClosed: 409,
  CompletionRefused: 409,
  CancelRefused: 409,
  UnknownHold: 404,
  EventRejected: 422,
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
};

function fromUpdateFailure(err: WorkflowUpdateFailedError): ApiError {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) {
    const type = cause.type ?? 'rejected';
    return new ApiError(REFUSAL_STATUS[type] ?? 422, type, cause.message, cause.details?.[0]);
  }
  return new ApiError(422, 'rejected', cause?.message ?? err.message);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof PlantflowInputError) return new ApiError(400, 'invalid_request', err.message, err.issues);
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
  if (err instanceof QueryNotRegisteredError) return new ApiError(409, 'not_ready', err.message);
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    return new ApiError(fe.statusCode, fe.code ?? 'bad_request', fe.message);
  }
  return new ApiError(500, 'internal_error', 'internal error');
}

export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(err)) {
    return reply.code(400).send({
      code: 'invalid_request',
      message: `request ${String((err as { validationContext?: string }).validationContext ?? '')} is invalid`.replace(
        '  ',
        ' ',
      ),
      details: err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message })),
    } satisfies ErrorBody);
  }
  const apiError = toApiError(err);
  if (apiError.status >= 500) request.log.error({ err }, 'request failed');
  const body: ErrorBody = { code: apiError.code, message: apiError.message };
  if (apiError.details !== undefined) body.details = apiError.details;
  return reply.code(apiError.status).send(body);
}
