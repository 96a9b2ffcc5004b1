import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { z } from 'zod';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;

/** `scrypt$N$r$p$<salt base64>$<hash base64>` */
const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

const userSchema = z.object({
  userId: z.string().min(1).max(64),
  printedName: z.string().min(1).max(120),
  roles: z.array(z.string().min(1)).min(1),
  passwordHash: z.string().regex(HASH_PATTERN, 'passwordHash must be scrypt$N$r$p$salt$hash'),
  disabled: z.boolean().default(false),
});
export type DirectoryUser = z.infer<typeof userSchema>;

export async function hashPassword(password: string, params = { N: 16384, r: 8, p: 1 }): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * The embedded default's signer directory: a JSON file of users with scrypt password hashes. Production
 * uses an OIDC provider instead (oidc.ts); both give the same verified identity.
 */
export class UserDirectory {
  private readonly users: Map<string, DirectoryUser>;

  constructor(users: DirectoryUser[]) {
    this.users = new Map(users.map((u) => [u.userId, u]));
  }

  static fromFile(path: string): UserDirectory {
    const parsed = z.array(userSchema).safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success)
      throw new Error(
        `users file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return new UserDirectory(parsed.data);
  }

  /** Both components (user id and password) every time: signings here are never in a continuous session. */
  async verify(userId: string, password: string): Promise<Omit<DirectoryUser, 'passwordHash'> | undefined> {
    const user = this.users.get(userId);
    // Hash anyway for unknown users, so timing does not tell which ids exist.
    const stored =
      user?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    const [, n, r, p, salt, hash] = HASH_PATTERN.exec(stored)!;
    const expected = Buffer.from(hash!, 'base64');
    const actual = await scrypt(password, Buffer.from(salt!, 'base64'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
    });
    if (!user || user.disabled || !timingSafeEqual(actual, expected)) return undefined;
    const { passwordHash: _omit, ...identity } = user;
    return identity;
  }
}
