import type { ApplicationFailure } from '@temporalio/common';
import { authFailure, businessRuleFailure, transientFailure } from '../shared/failures';

/**
 * Odoo exception class → failure type. The class name is the contract (`error.data.name` on JSON-RPC,
 * `name` in JSON-2 error bodies); the message is Odoo's own, shown to the operator as is.
 */
const AUTH = new Set([
  'odoo.exceptions.AccessDenied',
  'odoo.exceptions.AccessError',
  'werkzeug.exceptions.Unauthorized',
  'werkzeug.exceptions.Forbidden',
]);
const BUSINESS = new Set([
  'odoo.exceptions.UserError',
  'odoo.exceptions.ValidationError',
  'odoo.exceptions.MissingError',
  'odoo.exceptions.RedirectWarning',
  'werkzeug.exceptions.NotFound',
  'werkzeug.exceptions.UnprocessableEntity',
  'werkzeug.exceptions.BadRequest',
]);
const TRANSIENT = new Set([
  'odoo.exceptions.LockError',
  'odoo.exceptions.ConcurrencyError',
  'psycopg2.errors.SerializationFailure',
  'psycopg2.errors.LockNotAvailable',
  'psycopg2.errors.DeadlockDetected',
  'psycopg2.extensions.TransactionRollbackError',
  'psycopg2.OperationalError',
  'psycopg2.InterfaceError',
]);

export interface OdooErrorInfo {
  name: string;
  message: string;
  status?: number;
  model?: string;
  method?: string;
}

/** Whether the class name is one the mapping knows (JSON-2 falls back to the HTTP status otherwise). */
export function isKnownOdooError(name: string): boolean {
  return (
    AUTH.has(name) ||
    BUSINESS.has(name) ||
    TRANSIENT.has(name) ||
    name.startsWith('psycopg2.') ||
    name.startsWith('builtins.')
  );
}

export function failureFromOdooError(info: OdooErrorInfo): ApplicationFailure {
  const details = {
    system: 'odoo' as const,
    status: info.status,
    code: info.name,
    model: info.model,
    method: info.method,
  };
  const where = info.model ? ` (${info.model}.${info.method ?? '?'})` : '';
  const text = `${info.message}${where}`;
  if (AUTH.has(info.name)) return authFailure(`Odoo refused access: ${text}`, details);
  if (BUSINESS.has(info.name)) return businessRuleFailure(`Odoo refused: ${text}`, details);
  if (TRANSIENT.has(info.name) || info.name.startsWith('psycopg2.'))
    return transientFailure(`Odoo temporarily failed: ${text}`, details);
  // TypeError, ValueError, AttributeError…: the call does not fit this server (version or module
  // mismatch). Retrying cannot fix it; an operator must.
  if (info.name.startsWith('builtins.'))
    return businessRuleFailure(`Odoo rejected the call as invalid (${info.name}): ${text}`, details);
  return transientFailure(`Odoo failed with ${info.name}: ${text}`, details);
}
