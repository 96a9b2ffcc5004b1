import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

export interface OidcSignerIdentity {
  userId: string;
  printedName: string;
  roles: string[];
  authTime: Date;
}

export interface OidcOptions {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  maxAuthAgeSeconds: number;
  /** Tests inject a local key set instead of fetching the issuer's JWKS. */
  keySet?: JWTVerifyGetKey;
}

/**
 * Re-authentication with an OIDC ID token: signature checked against the issuer's JWKS, audience and
 * issuer checked, and `auth_time` must be recent — the user logged in again for this signing.
 */
export class OidcReauthenticator {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: OidcOptions) {
    this.keys =
      options.keySet ??
      createRemoteJWKSet(new URL(options.jwksUrl ?? `${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`));
  }

  async verify(idToken: string, now = new Date()): Promise<OidcSignerIdentity> {
    const { payload } = await jwtVerify(idToken, this.keys, {
      issuer: this.options.issuer,
      audience: this.options.audience,
      currentDate: now,
    });
    if (typeof payload.auth_time !== 'number')
      throw new Error('ID token has no auth_time: cannot prove re-authentication');
    const authTime = new Date(payload.auth_time * 1000);
    if (now.getTime() - authTime.getTime() > this.options.maxAuthAgeSeconds * 1000) {
      throw new Error(`the signer last authenticated at ${authTime.toISOString()}; signing needs a fresh login`);
    }
    const userId = String(payload.preferred_username ?? payload.sub ?? '');
    const printedName = String(payload.name ?? '');
    if (!userId || !printedName)
      throw new Error('ID token lacks the user id (preferred_username/sub) or the printed name (name)');
    const roles = Array.isArray(payload.roles) ? payload.roles.map(String) : [];
    return { userId, printedName, roles, authTime };
  }
}
