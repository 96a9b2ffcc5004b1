import axios from 'axios';
import { z } from 'zod';
import type { PlantflowConfig } from './config';

/**
 * Which Odoo answers at the configured URL, read without logging in: `GET /web/version` on 19 (the JSON-2
 * side), JSON-RPC `common.version` on 17/18. The Odoo adapter, the Odoo worker at start-up and `/health`
 * all ask through here, so the version is read one way only.
 */
export type OdooEndpoint = Pick<PlantflowConfig['odoo'], 'url' | 'version'>;

export interface OdooVersionCheck {
  serverVersion: string;
  configuredVersion: string;
  versionMatches: boolean;
  /** For people: names the served and the configured version (and the fix when they differ). */
  message: string;
}

/** Odoo did not answer (connection refused, timeout, 5xx): the version is unknown, nothing is wrong yet. */
export class OdooUnreachableError extends Error {}

/** Something answered at the URL, but not with an Odoo version: the URL or the configured version is wrong. */
export class NotAnOdooVersionError extends Error {}

const flat = (data: unknown) =>
  String(data ?? '')
    .replace(/\s+/g, ' ')
    .slice(0, 200);

export async function readOdooVersion(odoo: OdooEndpoint, timeoutMs: number): Promise<string> {
  const json2 = odoo.version === '19';
  const where = json2 ? `${odoo.url}/web/version` : `${odoo.url}/jsonrpc (common.version)`;
  let res;
  try {
    res = await axios.request<string>({
      url: json2 ? `${odoo.url}/web/version` : `${odoo.url}/jsonrpc`,
      method: json2 ? 'GET' : 'POST',
      data: json2
        ? undefined
        : { jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'common', method: 'version', args: [] } },
      timeout: timeoutMs,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
    });
  } catch (err) {
    throw new OdooUnreachableError(`Odoo at ${odoo.url} did not answer: ${(err as Error).message}`);
  }
  if (res.status >= 500 || res.status === 408 || res.status === 429)
    throw new OdooUnreachableError(`Odoo at ${odoo.url} answered ${res.status}: ${flat(res.data)}`);
  let body: unknown;
  try {
    body = JSON.parse(res.data);
  } catch {
    body = undefined;
  }
  const served = json2
    ? z.object({ version: z.string() }).loose().safeParse(body)
    : z
        .object({ result: z.object({ server_version: z.string() }).loose() })
        .loose()
        .transform((v) => ({ version: v.result.server_version }))
        .safeParse(body);
  if (res.status !== 200 || !served.success) {
    throw new NotAnOdooVersionError(
      `${where} answered ${res.status} without an Odoo version (is it Odoo ${odoo.version}?): ${flat(res.data)}`,
    );
  }
  return served.data.version;
}

/** The major version in a served version: "17.0", "18.0+e", "saas~17.4" → "17". */
export function majorOdooVersion(serverVersion: string): string | undefined {
  return /(\d+)\./.exec(serverVersion)?.[1];
}

export function judgeOdooVersion(serverVersion: string, odoo: OdooEndpoint): OdooVersionCheck {
  const served = majorOdooVersion(serverVersion);
  const versionMatches = served === odoo.version;
  const fix = served ? `set PLANTFLOW_ODOO_VERSION=${served}` : 'plantflow supports Odoo 17, 18 and 19';
  return {
    serverVersion,
    configuredVersion: odoo.version,
    versionMatches,
    message: versionMatches
      ? `Odoo at ${odoo.url} serves ${serverVersion}, as configured (PLANTFLOW_ODOO_VERSION=${odoo.version})`
      : `Odoo at ${odoo.url} serves ${serverVersion}, but plantflow is configured for Odoo ${odoo.version} (PLANTFLOW_ODOO_VERSION=${odoo.version}): ${fix}`,
  };
}

export async function checkOdooVersion(odoo: OdooEndpoint, timeoutMs: number): Promise<OdooVersionCheck> {
  return judgeOdooVersion(await readOdooVersion(odoo, timeoutMs), odoo);
}
