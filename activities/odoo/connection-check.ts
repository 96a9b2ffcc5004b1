import { invalidResponseFailure, transientFailure } from '../shared/failures';
import { checkOdooVersion, OdooUnreachableError, type OdooEndpoint } from '../../runtime/odoo-version';
import type { OdooConnectionCheck } from './types';

/**
 * The Odoo a worker talks to must be the version it is configured for: 17/18 speak JSON-RPC, 19 JSON-2,
 * and field names differ (activities/odoo/versions.ts). The odooCheckConnection activity: the version read
 * (runtime/odoo-version.ts, shared with worker start-up and /health) as an activity result or failure.
 */
export async function checkOdooConnection(
  connection: OdooEndpoint & { timeoutMs: number },
): Promise<OdooConnectionCheck> {
  try {
    return await checkOdooVersion(connection, connection.timeoutMs);
  } catch (err) {
    const details = { system: 'odoo' as const, what: 'version' };
    if (err instanceof OdooUnreachableError) throw transientFailure(err.message, details);
    throw invalidResponseFailure((err as Error).message, details);
  }
}
