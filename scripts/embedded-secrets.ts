import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ROLES, type Role } from '../runtime/config';
import { generateCodecKey } from '../runtime/codec';
import { EMBEDDED_FILES, embeddedApiKeys } from '../runtime/embedded-data';
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
