import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ROLES, type Role } from '../domain/roles';
import { generateCodecKey } from '../runtime/codec';
import { EMBEDDED_FILES, embeddedApiKeys, keysByRole } from '../runtime/embedded-data';
import { seedUsersFile } from '../client/api/signing/seed-users';
import { DEMO_PEOPLE } from '../simulators/shared/demo-plant';

/**
 * The embedded stack seeds what production configures: one API key per role and a payload codec key,
 * kept under .data/ (git-ignored, mode 600) so a restart keeps them and old payloads stay readable.
 */
export function ensureEmbeddedSecrets(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): { apiKeys?: Partial<Record<Role, string>>; signerPasswords?: Record<string, string> } {
  mkdirSync(dataDir, { recursive: true });
  let apiKeys: Partial<Record<Role, string>> | undefined;
  if (!env.PLANTFLOW_API_KEYS && !env.PLANTFLOW_API_KEYS_FILE) {
    const file = join(dataDir, EMBEDDED_FILES.apiKeys);
    if (!existsSync(file)) {
      const byKey = Object.fromEntries(
        ALL_ROLES.map((role) => [`pf_${role}_${randomBytes(12).toString('hex')}`, [role]]),
      );
      writeFileSync(file, JSON.stringify(byKey, null, 2), { mode: 0o600 });
    }
    env.PLANTFLOW_API_KEYS_FILE = file;
    apiKeys = embeddedApiKeys(dataDir);
  }
  if (!env.PLANTFLOW_CODEC_KEYS && !env.PLANTFLOW_CODEC_KEYS_FILE) {
    const file = join(dataDir, EMBEDDED_FILES.codecKeys);
    if (!existsSync(file)) writeFileSync(file, `local-1:${generateCodecKey()}\n`, { mode: 0o600 });
    env.PLANTFLOW_CODEC_KEYS_FILE = file;
  }
  // Signers of the demo plant re-authenticate with a password at signing (production: an OIDC issuer).
  let signerPasswords: Record<string, string> | undefined;
  if (!env.PLANTFLOW_USERS_FILE && !env.PLANTFLOW_OIDC_ISSUER) {
    const file = join(dataDir, EMBEDDED_FILES.users);
    signerPasswords = seedUsersFile(file, join(dataDir, EMBEDDED_FILES.signerPasswords), DEMO_PEOPLE);
    env.PLANTFLOW_USERS_FILE = file;
  }
  return { apiKeys, signerPasswords };
}

/**
 * The embedded plant edge (plant 1710): its own keys (`.data/edge-api-keys.json`: the MES reports, a viewer
 * reads, an operator requeues refusals) and a central key with the roles `edge` and `mes` in the API's key
 * file. Returns the edge's keys by role for the banner.
 */
export function ensureEmbeddedEdgeSecrets(dataDir: string, env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  const centralFile = join(dataDir, EMBEDDED_FILES.apiKeys);
  const embeddedKeys = env.PLANTFLOW_API_KEYS_FILE === centralFile && existsSync(centralFile);
  if (!env.PLANTFLOW_EDGE_CENTRAL_API_KEY && !env.PLANTFLOW_EDGE_CENTRAL_API_KEY_FILE && embeddedKeys) {
    const byKey = readKeys(centralFile);
    const key = embeddedApiKeys(dataDir)?.edge ?? `pf_edge_${randomBytes(12).toString('hex')}`;
    if (!byKey[key]?.includes('mes')) writeKeys(centralFile, { ...byKey, [key]: ['edge', 'mes'] });
    env.PLANTFLOW_EDGE_CENTRAL_API_KEY = key;
  }
  if (env.PLANTFLOW_EDGE_API_KEYS || env.PLANTFLOW_EDGE_API_KEYS_FILE) return undefined;
  const file = join(dataDir, EMBEDDED_FILES.edgeApiKeys);
  const byKey = existsSync(file) ? readKeys(file) : {};
  const held = keysByRole(byKey);
  const missing = EDGE_ROLES.filter((role) => !held[role]);
  // A key file from before a role was added gets the new role's key; the others stay as they are.
  if (missing.length > 0)
    writeKeys(file, {
      ...byKey,
      ...Object.fromEntries(missing.map((role) => [`pf_edge_${role}_${randomBytes(12).toString('hex')}`, [role]])),
    });
  env.PLANTFLOW_EDGE_API_KEYS_FILE = file;
  return embeddedApiKeys(dataDir, EMBEDDED_FILES.edgeApiKeys);
}

const EDGE_ROLES: Role[] = ['mes', 'viewer', 'operator'];

const readKeys = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, Role[]>;
const writeKeys = (file: string, byKey: Record<string, Role[]>) =>
  writeFileSync(file, JSON.stringify(byKey, null, 2), { mode: 0o600 });
