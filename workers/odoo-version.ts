import type { Logger } from 'pino';
import { createOdooActivities } from '../activities/odoo/activities';
import type { PlantflowConfig } from '../runtime/config';

/**
 * An Odoo worker must not start against another Odoo version than configured: every call would go to the
 * wrong protocol or name fields that version does not have. An unreachable Odoo does not stop it (the
 * activities wait out outages); /health reports the version once Odoo answers.
 */
export async function verifyOdooVersion(odoo: PlantflowConfig['odoo'], logger: Logger): Promise<void> {
  let check;
  try {
    check = await createOdooActivities({ ...odoo, timeoutMs: Math.min(odoo.timeoutMs, 10_000) }).odooCheckConnection();
  } catch (err) {
    logger.warn({ url: odoo.url, err: (err as Error).message }, 'Odoo did not answer the version check at start-up');
    return;
  }
  if (!check.versionMatches) throw new Error(check.message);
  logger.info({ serverVersion: check.serverVersion }, check.message);
}
