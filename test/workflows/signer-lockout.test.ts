import assert from 'node:assert/strict';
import pino from 'pino';
import { withSigningLockout } from '../../client/api/signing/lockout';
import type { Reauthenticator } from '../../client/api/signing/reauth';
import { SignerClient } from '../../client/signers';
import type { ExceptionReport } from '../../domain/exceptions';
import type { SigningPolicy } from '../../domain/signer-lockout';
import { ApiError } from '../../runtime/http/errors';
import { timeSkippingEnv } from '../setup/temporal-env';
import { workflowsWorker } from './support/workers';

const POLICY: SigningPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 };

/** A directory that knows one password: the real re-authentication's refusal, without a users file. */
const directory: Reauthenticator = {
  async verify(proof) {
    if ('password' in proof && proof.password === 'right')
      return { userId: proof.userId, printedName: proof.userId, roles: ['qa'], reauth: { method: 'password', at: '' } };
    throw new ApiError(401, 'reauth_failed', 're-authentication failed: user id or password wrong');
  },
};

const code = (err: unknown) => (err instanceof ApiError ? `${err.status} ${err.code}` : String(err));

describe('signer lockout (time-skipping, the per-signer record in Temporal)', function () {
  this.timeout(60_000);

  it('locks a signer after 5 failures in the window, across API processes, refuses even the right password while locked, and lets go after 15 minutes', async () => {
    const env = await timeSkippingEnv();
    const worker = await workflowsWorker(env);
    const reports: ExceptionReport[] = [];
    // Two API processes: nothing shared but Temporal.
    const api = () => {
      const signers = new SignerClient(env.client, POLICY);
      const guard = withSigningLockout(directory, {
        signers,
        exceptions: { report: async (r) => (reports.push(r), { exceptionId: `${r.kind}:${r.key}` }) },
        site: '1710',
        logger: pino({ level: 'silent' }),
      });
      return { signers, guard };
    };
    const [a, b] = [api(), api()];
    const userId = `qa.lock${Date.now() % 100000}`;
    const attempt = (via: typeof a, password: string) => via.guard.verify({ userId, password }).then(() => 'ok', code);

    await worker.runUntil(async () => {
      assert.equal(await attempt(a, 'right'), 'ok', 'no record: nothing in the way');
      for (const via of [a, b, a, b]) assert.equal(await attempt(via, 'guess'), '401 reauth_failed');
      assert.equal((await b.signers.view(userId)).failuresInWindow, 4, 'both processes count into one record');
      assert.equal(await attempt(b, 'guess'), '423 SignerLocked', 'the fifth failure locks');
      assert.equal(await attempt(a, 'right'), '423 SignerLocked', 'the right password does not open a lock');
      const locked = await a.signers.view(userId);
      assert.equal(locked.locked, true);
      assert.equal(locked.lockouts, 1);
      assert.deepEqual(
        locked.recent.map((r) => r.outcome),
        ['failed', 'failed', 'failed', 'failed', 'failed'],
      );
      assert.deepEqual(
        reports.map((r) => `${r.kind}:${r.key.replace(/\/lockout\/.*/, '/lockout')}`),
        [...Array(5).fill(`SigningFailure:${userId}`), `SigningFailure:${userId}/lockout`],
      );

      await env.sleep('16 minutes');
      assert.equal(await attempt(b, 'right'), 'ok', 'the lock ends after its time');
      assert.equal((await a.signers.view(userId)).locked, false);
    });
  });
});
