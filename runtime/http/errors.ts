import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Every error leaves an HTTP server of plantflow as JSON {code, message, details}, never as an HTML page or a stack. */
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

/** What every server answers alike: its own ApiErrors, Fastify's 4xx; anything else is a 500 (a bug). */
export function commonApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    return new ApiError(fe.statusCode, fe.code ?? 'bad_request', fe.message);
  }
  return new ApiError(500, 'internal_error', 'internal error');
}

/**
 * The error handler of a server: a request that fails its zod schema is a 400 naming each field; every
 * other error is mapped by `toApiError` (a server adds the errors of what it calls) and a 500 is logged.
 */
export function errorHandler(toApiError: (err: unknown) => ApiError = commonApiError) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.code(400).send({
        code: 'invalid_request',
        message:
          `request ${String((err as { validationContext?: string }).validationContext ?? '')} is invalid`.replace(
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
  };
}
