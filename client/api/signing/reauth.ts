import { z } from 'zod';
import type { VerifiedSigner } from '../../../domain/signature';
import { ApiError } from '../../../runtime/http/errors';
import type { OidcReauthenticator } from './oidc';
import type { UserDirectory } from './user-directory';

/** What a signer presents with a signed request: their password again, or a fresh OIDC ID token. */
export const reauthProofSchema = z.union([
  z.object({ userId: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
  z.object({ idToken: z.string().min(20) }),
]);
export type ReauthProof = z.infer<typeof reauthProofSchema>;

export interface Reauthenticator {
  verify(proof: ReauthProof): Promise<VerifiedSigner>;
}

/** Checks re-authentication at signing time, before any Update is sent (docs/architecture.md §5). */
export function createReauthenticator(deps: {
  directory?: UserDirectory;
  oidc?: OidcReauthenticator;
  now?: () => Date;
}): Reauthenticator {
  const now = deps.now ?? (() => new Date());
  return {
    async verify(proof) {
      if ('password' in proof) {
        if (!deps.directory)
          throw new ApiError(
            400,
            'reauth_unavailable',
            'password re-authentication is not configured; present an OIDC idToken',
          );
        const user = await deps.directory.verify(proof.userId, proof.password);
        if (!user) throw new ApiError(401, 'reauth_failed', 're-authentication failed: user id or password wrong');
        return {
          userId: user.userId,
          printedName: user.printedName,
          roles: user.roles,
          reauth: { method: 'password', at: now().toISOString() },
        };
      }
      if (!deps.oidc) throw new ApiError(400, 'reauth_unavailable', 'OIDC re-authentication is not configured');
      try {
        const id = await deps.oidc.verify(proof.idToken, now());
        return {
          userId: id.userId,
          printedName: id.printedName,
          roles: id.roles,
          reauth: { method: 'oidc', at: id.authTime.toISOString() },
        };
      } catch (err) {
        throw new ApiError(401, 'reauth_failed', `re-authentication failed: ${(err as Error).message}`);
      }
    },
  };
}
