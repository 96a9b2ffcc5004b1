import type { ZodError } from 'zod';

/** Bad input caught in the client, before anything reaches Temporal: nothing starts, nothing changes. */
export class PlantflowInputError extends Error {
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'PlantflowInputError';
  }

  static fromZod(what: string, error: ZodError): PlantflowInputError {
    const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    return new PlantflowInputError(
      `invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
}

/** A release the lot record's review does not support: nothing is signed, nothing changes. */
export class LotReviewError extends Error {
  constructor(
    readonly code: 'ReviewRequired' | 'RecordChanged' | 'ReviewIncomplete',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'LotReviewError';
  }
}
