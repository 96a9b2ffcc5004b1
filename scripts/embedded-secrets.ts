import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ROLES, type Role } from '../domain/roles';
import { generateCodecKey } from '../runtime/codec';
import { seedUsersFile } from '../client/api/signing/seed-users';
import { DEMO_PEOPLE } from '../simulators/shared/demo-plant';

/**
 * The embedded stack seeds what production configures: one API key per role and a payload codec key,
 * kept under .data/ (git-ignored, mode 600) so a restart keeps them and old payloads stay readable.
 */
export function ensureEmbeddedSecrets(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): { apiKeys?: Record<Role, string>; signerPasswords?: Record<string, string> } {
  mkdirSync(dataDir, { recursive: true });
  let apiKeys: Record<Role, string> | undefined;
  if (!env.PLANTFLOW_API_KEYS && !env.PLANTFLOW_API_KEYS_FILE) {
    const file = join(dataDir, 'api-keys.json');
    if (!existsSync(file)) {
      const byKey = Object.fromEntries(
        ALL_ROLES.map((role) => [`pf_${role}_${randomBytes(12).toString('hex')}`, [role]]),
      );
      writeFileSync(file, JSON.stringify(byKey, null, 2), { mode: 0o600 });
    }
    env.PLANTFLOW_API_KEYS_FILE = file;
    const byKey = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Role[]>;
    apiKeys = Object.fromEntries(Object.entries(byKey).map(([key, roles]) => [roles[0], key])) as Record<Role, string>;
  }
  if (!env.PLANTFLOW_CODEC_KEYS && !env.PLANTFLOW_CODEC_KEYS_FILE) {
    const file = join(dataDir, 'codec-keys');
    if (!existsSync(file)) writeFileSync(file, `local-1:${generateCodecKey()}\n`, { mode: 0o600 });
    env.PLANTFLOW_CODEC_KEYS_FILE = file;
  }
  // Signers of the demo plant re-authenticate with a password at signing (production: an OIDC issuer).
  let signerPasswords: Record<string, string> | undefined;
  if (!env.PLANTFLOW_USERS_FILE && !env.PLANTFLOW_OIDC_ISSUER) {
    const file = join(dataDir, 'users.json');
    signerPasswords = seedUsersFile(file, join(dataDir, 'signer-passwords.json'), DEMO_PEOPLE);
    env.PLANTFLOW_USERS_FILE = file;
  }
  return { apiKeys, signerPasswords };
}
