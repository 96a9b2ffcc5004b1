/**
 * A refusal the simulator answers with the shared error envelope. Handlers throw it; the error handler
 * installed by createRestApi turns it into `{code, message, details}` with its status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (code: string, message: string, details: Record<string, unknown> = {}): ApiError =>
  new ApiError(404, code, message, details);

export const conflict = (code: string, message: string, details: Record<string, unknown> = {}): ApiError =>
  new ApiError(409, code, message, details);

/** 422: understood, valid, and refused by a business rule. */
export const businessRule = (code: string, message: string, details: Record<string, unknown> = {}): ApiError =>
  new ApiError(422, code, message, details);
