import type { PlantflowConfig } from '../../../runtime/config';
import { ApiError } from '../../../runtime/http/errors';
import { OidcReauthenticator } from './oidc';
import { createReauthenticator, type Reauthenticator } from './reauth';
import { UserDirectory } from './user-directory';

/**
 * The re-authentication the configuration asks for: the users file (embedded default,
 * PLANTFLOW_USERS_FILE) and/or an OIDC issuer (production, PLANTFLOW_OIDC_*). With neither, signing is
 * refused with a clear error rather than accepted without re-authentication.
 */
export function reauthenticatorFromConfig(config: Pick<PlantflowConfig, 'usersFile' | 'oidc'>): Reauthenticator {
  const directory = config.usersFile ? UserDirectory.fromFile(config.usersFile) : undefined;
  const oidc = config.oidc ? new OidcReauthenticator(config.oidc) : undefined;
  if (!directory && !oidc) {
    return {
      async verify() {
        throw new ApiError(
          503,
          'signing_unavailable',
          'no signer re-authentication is configured: set PLANTFLOW_USERS_FILE or PLANTFLOW_OIDC_ISSUER',
        );
      },
    };
  }
  return createReauthenticator({ directory, oidc });
}
