// Failure types shared by activities (which raise them) and workflows (which decide to retry, park or
// compensate on them). docs/architecture.md §4.2.
export const FailureType = {
  /** Network trouble, timeouts, 5xx, locks: retry with backoff for as long as the business allows. */
  Transient: 'Transient',
  /** The server asked us to slow down; retry after the delay it gave. */
  RateLimited: 'RateLimited',
  /** The system understood and refused (period closed, master data missing): retrying cannot help. */
  BusinessRule: 'BusinessRule',
  /** The answer did not have the shape we rely on: a contract break, not a blip. */
  InvalidResponse: 'InvalidResponse',
  /** Credentials refused or insufficient. */
  Auth: 'Auth',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export const NON_RETRYABLE_FAILURE_TYPES: FailureType[] = [
  FailureType.BusinessRule,
  FailureType.InvalidResponse,
  FailureType.Auth,
];

export type ExternalSystem = 'odoo' | 'sap' | 'qms' | 'mes' | 'plantflow';
