import type { Logger } from 'pino';
import type { ExceptionReport } from '../../../domain/exceptions';
import type { SignerView } from '../../../domain/signer-lockout';
import { ApiError } from '../../../runtime/http/errors';
import type { ExceptionsClient } from '../../exceptions';
import { SignerClient } from '../../signers';
import type { ApiDeps } from '../deps';
import { reauthenticatorFromConfig } from './from-config';
import type { Reauthenticator } from './reauth';

export interface SigningGuardDeps {
  signers: SignerClient;
  exceptions: Pick<ExceptionsClient, 'report'>;
  /** The site whose exception record keeps signing failures (signers are not tied to one plant). */
  site: string;
  logger: Pick<Logger, 'warn' | 'error'>;
}

function lockedError(view: SignerView): ApiError {
  const until = view.lockedUntil ?? new Date().toISOString();
  const seconds = Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 1000));
  return new ApiError(
    423,
    'SignerLocked',
    `signer ${view.userId} is locked until ${until} after ${view.policy.maxFailures} failed re-authentications; a QA lead can see it at GET /signers/${view.userId}`,
    { userId: view.userId, lockedUntil: until },
    { 'retry-after': String(seconds) },
  );
}

/**
 * Re-authentication with a lockout (21 CFR 11.300(d)). The password is checked first (no Temporal needed to
 * refuse a wrong one); a failure is counted in the signer's record in Temporal, logged and kept as a
 * SigningFailure exception; a locked signer is refused with 423 whether the password was right or wrong,
 * so a guesser learns nothing while the lock holds. Tokens (OIDC) name no user until verified: their
 * failures are the issuer's to count.
 */
export function withSigningLockout(inner: Reauthenticator, deps: SigningGuardDeps): Reauthenticator {
  return {
    async verify(proof) {
      const userId = 'userId' in proof ? proof.userId : undefined;
      let signer;
      try {
        signer = await inner.verify(proof);
      } catch (err) {
        if (!userId || !(err instanceof ApiError) || err.code !== 'reauth_failed') throw err;
        throw await failed(userId, deps, err);
      }
      if (userId) {
        const view = await deps.signers.view(signer.userId);
        if (view.locked) {
          deps.logger.warn({ security: 'signing', userId, lockedUntil: view.lockedUntil }, 'locked signer refused');
          throw lockedError(view);
        }
        if (view.failuresInWindow > 0) await deps.signers.succeeded(signer.userId);
      }
      return signer;
    },
  };
}

/** Counts and records a failed re-authentication; the error to answer with (401, or 423 once locked). */
async function failed(userId: string, deps: SigningGuardDeps, err: ApiError): Promise<ApiError> {
  deps.logger.warn({ security: 'signing', userId }, 'failed re-authentication of a signer');
  let result;
  try {
    result = await deps.signers.failed(userId);
  } catch (recordErr) {
    // Temporal is out of reach: no signature can be applied either; the attempt stays in the log.
    deps.logger.error({ security: 'signing', userId, err: recordErr }, 'failed re-authentication not counted');
    return err;
  }
  const at = new Date().toISOString();
  const reports: ExceptionReport[] = [
    {
      kind: 'SigningFailure',
      key: userId,
      site: deps.site,
      subject: { signerId: userId, system: 'api' },
      summary: `failed re-authentication of signer ${userId} (${result.view.failuresInWindow} in the window)`,
      reason: { code: 'reauth_failed', message: 'user id or password wrong at signing' },
      at,
    },
  ];
  if (result.lockedNow) {
    reports.push({
      kind: 'SigningFailure',
      key: `${userId}/lockout/${result.view.lockedUntil}`,
      site: deps.site,
      subject: { signerId: userId, system: 'api' },
      summary: `signer ${userId} locked until ${result.view.lockedUntil} after ${result.view.policy.maxFailures} failed re-authentications`,
      reason: {
        code: 'SignerLocked',
        message: 'repeated failed re-authentication: possible attempt at unauthorized use',
      },
      at,
    });
    deps.logger.error({ security: 'signing', userId, lockedUntil: result.view.lockedUntil }, 'signer locked');
  }
  for (const report of reports) {
    await deps.exceptions.report(report).catch((reportErr: unknown) => {
      deps.logger.error({ security: 'signing', userId, err: reportErr }, 'signing failure not recorded');
    });
  }
  return result.view.locked ? lockedError(result.view) : err;
}

/**
 * The API's re-authentication: the configured one (built on first use: it reads the users file) behind the
 * lockout, shared by every signing route, and the signers' records for GET /signers/:userId.
 */
export function signingFor(
  deps: Pick<ApiDeps, 'config' | 'temporal' | 'logger' | 'reauthenticator'>,
  exceptions: Pick<ExceptionsClient, 'report'>,
): { signers: SignerClient; reauthenticator: Reauthenticator } {
  const signers = new SignerClient(deps.temporal, deps.config.signing);
  let inner = deps.reauthenticator;
  const lazy: Reauthenticator = { verify: (proof) => (inner ??= reauthenticatorFromConfig(deps.config)).verify(proof) };
  const reauthenticator = withSigningLockout(lazy, {
    signers,
    exceptions,
    site: deps.config.sites[0]!,
    logger: deps.logger.child({ component: 'signing' }),
  });
  return { signers, reauthenticator };
}
