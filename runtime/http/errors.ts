import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Every error leaves a plantflow HTTP server as JSON {code, message, details}, never as an HTML page or a stack. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
    /** Extra response headers (Retry-After on a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** What a server knows of its own errors (Temporal refusals, storage errors); undefined for the rest. */
export type ErrorTranslator = (err: unknown) => ApiError | undefined;

/** The error as the client sees it: translated, a Fastify 4xx as it is, anything else a 500 (a bug). */
export function toApiError(err: unknown, translate?: ErrorTranslator): ApiError {
  if (err instanceof ApiError) return err;
  const translated = translate?.(err);
  if (translated) return translated;
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    return new ApiError(fe.statusCode, fe.code ?? 'bad_request', fe.message);
  }
  return new ApiError(500, 'internal_error', 'internal error');
}

export function handleError(
  err: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  translate?: ErrorTranslator,
): FastifyReply {
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
  const apiError = toApiError(err, translate);
  if (apiError.status >= 500) request.log.error({ err }, 'request failed');
  const body: ErrorBody = { code: apiError.code, message: apiError.message };
  if (apiError.details !== undefined) body.details = apiError.details;
  return reply.code(apiError.status).headers(apiError.headers).send(body);
}
