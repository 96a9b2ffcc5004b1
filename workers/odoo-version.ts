import type { Logger } from 'pino';
import type { PlantflowConfig } from '../runtime/config';
import { checkOdooVersion, OdooUnreachableError } from '../runtime/odoo-version';

/**
 * An Odoo worker must not start against another Odoo version than configured, nor against something that
 * is not Odoo at all: every call would go to the wrong protocol or name fields that version does not have.
 * An Odoo that does not answer (down, 5xx) does not stop it: the activities wait out outages, and /health
 * reports the version once Odoo answers.
 */
export async function verifyOdooVersion(odoo: PlantflowConfig['odoo'], logger: Logger): Promise<void> {
  let check;
  try {
    check = await checkOdooVersion(odoo, Math.min(odoo.timeoutMs, 10_000));
  } catch (err) {
    if (!(err instanceof OdooUnreachableError)) throw err;
    logger.warn({ url: odoo.url, err: err.message }, 'Odoo did not answer the version check at start-up');
    return;
  }
  if (!check.versionMatches) throw new Error(check.message);
  logger.info({ serverVersion: check.serverVersion }, check.message);
}
