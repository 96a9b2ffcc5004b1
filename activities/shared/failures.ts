import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type ExternalSystem } from '../../domain/failures';

/** What every failure carries in `details[0]`, so operators and workflows see where and why. */
export interface FailureDetails {
  system: ExternalSystem;
  status?: number;
  code?: string;
  [key: string]: unknown;
}

export function transientFailure(message: string, details: FailureDetails): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.Transient, message, details: [details] });
}

export function rateLimitedFailure(message: string, retryAfterMs: number, details: FailureDetails): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.RateLimited,
    message,
    details: [details],
    // Honour the server's own delay instead of our backoff curve.
    nextRetryDelay: Math.max(retryAfterMs, 100),
  });
}

export function businessRuleFailure(message: string, details: FailureDetails): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.BusinessRule, message, details: [details], nonRetryable: true });
}

export function invalidResponseFailure(message: string, details: FailureDetails): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.InvalidResponse,
    message,
    details: [details],
    nonRetryable: true,
  });
}

export function authFailure(message: string, details: FailureDetails): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.Auth, message, details: [details], nonRetryable: true });
}
