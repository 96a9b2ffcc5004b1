import { randomBytes, scryptSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface SeedPerson {
  userId: string;
  name: string;
  roles: string[];
}

const SCRYPT = { N: 16384, r: 8, p: 1 };

/** Same format as hashPassword (user-directory.ts), synchronous for start-up seeding. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * Seeds the embedded default's signer directory once: a users file with scrypt hashes, and beside it
 * the generated passwords (mode 600) so `npm start` can show them like the API keys. Existing files are
 * kept, so a restart keeps everyone's password.
 */
export function seedUsersFile(
  usersFile: string,
  passwordsFile: string,
  people: readonly SeedPerson[],
): Record<string, string> {
  if (!existsSync(usersFile)) {
    const passwords = Object.fromEntries(people.map((p) => [p.userId, randomBytes(9).toString('base64url')]));
    const users = people.map((p) => ({
      userId: p.userId,
      printedName: p.name,
      roles: p.roles,
      passwordHash: hashPasswordSync(passwords[p.userId]!),
    }));
    writeFileSync(passwordsFile, JSON.stringify(passwords, null, 2), { mode: 0o600 });
    writeFileSync(usersFile, JSON.stringify(users, null, 2), { mode: 0o600 });
  }
  return existsSync(passwordsFile) ? (JSON.parse(readFileSync(passwordsFile, 'utf8')) as Record<string, string>) : {};
}
