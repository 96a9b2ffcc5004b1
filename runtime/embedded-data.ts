import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Role } from '../domain/roles';

/**
 * What the embedded stack (`npm start`) keeps in its data directory, and how the CLI and the demo find
 * it: when the environment names no keys, they use the ones `npm start` seeded, so a command typed in a
 * second terminal reads the same runs without any set-up.
 */
export const EMBEDDED_FILES = {
  apiKeys: 'api-keys.json',
  codecKeys: 'codec-keys',
  users: 'users.json',
  signerPasswords: 'signer-passwords.json',
  /** The embedded plant edge's own keys (the MES, a viewer, an operator). */
  edgeApiKeys: 'edge-api-keys.json',
} as const;

type Env = Record<string, string | undefined>;

const dataDirOf = (env: Env): string => resolve(env.PLANTFLOW_DATA_DIR || '.data');

/** `<NAME>_FILE` for each secret the environment leaves unset and the data directory holds. */
const DEFAULTS: Array<[variable: string, file: string]> = [
  ['PLANTFLOW_API_KEYS', EMBEDDED_FILES.apiKeys],
  ['PLANTFLOW_CODEC_KEYS', EMBEDDED_FILES.codecKeys],
  ['PLANTFLOW_EDGE_API_KEYS', EMBEDDED_FILES.edgeApiKeys],
];

/** The environment completed with the embedded stack's files (the given one is not changed). */
export function withEmbeddedDefaults(env: Env): Env {
  const dir = dataDirOf(env);
  const out: Env = { ...env };
  for (const [variable, file] of DEFAULTS) {
    const path = join(dir, file);
    if (env[variable] === undefined && env[`${variable}_FILE`] === undefined && existsSync(path))
      out[`${variable}_FILE`] = path;
  }
  const users = join(dir, EMBEDDED_FILES.users);
  if (!env.PLANTFLOW_USERS_FILE && !env.PLANTFLOW_OIDC_ISSUER && existsSync(users)) out.PLANTFLOW_USERS_FILE = users;
  return out;
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/** A key file (key → roles) as one key per role: the first key that holds the role. */
export function keysByRole(byKey: Record<string, Role[]>): Partial<Record<Role, string>> {
  const byRole: Partial<Record<Role, string>> = {};
  for (const [key, roles] of Object.entries(byKey)) for (const role of roles) byRole[role] ??= key;
  return byRole;
}

/** The seeded API key of each role (`npm start` seeds one per role), or undefined when none is kept. */
export function embeddedApiKeys(
  dataDir: string,
  file: string = EMBEDDED_FILES.apiKeys,
): Partial<Record<Role, string>> | undefined {
  const byKey = readJson<Record<string, Role[]>>(join(dataDir, file));
  return byKey && keysByRole(byKey);
}

/** The demo signers' passwords `npm start` generated, by user id. */
export function embeddedSignerPasswords(dataDir: string): Record<string, string> | undefined {
  return readJson<Record<string, string>>(join(dataDir, EMBEDDED_FILES.signerPasswords));
}
