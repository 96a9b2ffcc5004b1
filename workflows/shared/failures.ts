import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/common';
import { isCancellation } from '@temporalio/workflow';

export interface FailureSummary {
  type: string;
  message: string;
  system?: string;
}

/** The business-readable reason behind an activity failure (the innermost ApplicationFailure). */
export function summariseFailure(err: unknown): FailureSummary {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure) cause = cause.cause;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as { system?: string };
    return { type: cause.type ?? 'ApplicationFailure', message: cause.message, system: details.system };
  }
  if (cause instanceof TimeoutFailure) {
    return { type: 'Timeout', message: `no answer within the posting window (${cause.timeoutType})` };
  }
  return { type: 'Unknown', message: err instanceof Error ? err.message : String(err) };
}

/**
 * A step parks (waits for an operator) when the system said no for good, or when retries ran out of
 * the posting window. Cancellation is never parked: it must reach the saga.
 */
export function isParkable(err: unknown): boolean {
  if (isCancellation(err) || err instanceof CancelledFailure) return false;
  // ApplicationFailure covers refusals the workflow itself recognises in an activity's answer.
  return err instanceof ActivityFailure || err instanceof ApplicationFailure;
}

/** A refusal the workflow recognises in an activity's answer: parks the step as the system's own refusal would. */
export function businessRefusal(system: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'BusinessRule', message, nonRetryable: true, details: [{ system }] });
}

/** Update validators throw this: the caller sees the type and message, and nothing enters the history. */
export function refuseRequest(type: string, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });
}
