import type { OdooClient, OdooConnection } from './client';
import type { OdooConnectionCheck } from './types';

/**
 * The Odoo a worker talks to must be the version it is configured for: 17/18 speak JSON-RPC, 19 JSON-2,
 * and field names differ (activities/odoo/versions.ts). Run by the odooCheckConnection activity, at Odoo
 * worker start-up and by /health.
 */
export async function checkOdooConnection(
  client: OdooClient,
  connection: Pick<OdooConnection, 'url' | 'version'>,
): Promise<OdooConnectionCheck> {
  const serverVersion = await client.serverVersion();
  const served = serverVersion.split('.')[0];
  const versionMatches = served === connection.version;
  return {
    serverVersion,
    configuredVersion: connection.version,
    versionMatches,
    message: versionMatches
      ? `Odoo at ${connection.url} serves ${serverVersion}, as configured (PLANTFLOW_ODOO_VERSION=${connection.version})`
      : `Odoo at ${connection.url} serves ${serverVersion}, but plantflow is configured for Odoo ${connection.version} (PLANTFLOW_ODOO_VERSION=${connection.version}): set PLANTFLOW_ODOO_VERSION=${served}`,
  };
}
