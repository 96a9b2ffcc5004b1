import type { PlantflowConfig } from '../runtime/config';
import { createOdooActivities } from './odoo/activities';
import type { OdooConnectionCheck } from './odoo/types';

/**
 * Read-only checks of the systems that only their adapter can make, for /health and `plantflow status`.
 * The client names them by this type; the process that serves health (the API, the CLI, `npm start`)
 * hands them in, so the client itself never calls a system.
 */
export interface SystemProbes {
  /** The Odoo version served against PLANTFLOW_ODOO_VERSION (what the odooCheckConnection activity checks). */
  odooConnection(odoo: PlantflowConfig['odoo']): Promise<OdooConnectionCheck>;
}

export const systemProbes: SystemProbes = {
  odooConnection: (odoo) => createOdooActivities({ ...odoo, timeoutMs: 2_000 }).odooCheckConnection(),
};
