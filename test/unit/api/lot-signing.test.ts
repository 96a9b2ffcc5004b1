import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { reauthenticatorFromConfig } from '../../../client/api/signing/from-config';
import { seedUsersFile } from '../../../client/api/signing/seed-users';
import { ensureEmbeddedSecrets } from '../../../scripts/embedded-secrets';
import { DEMO_PEOPLE } from '../../../simulators/shared/demo-plant';
import { bearer, buildTestApi, testConfig, TEST_KEYS } from '../../support/api';

describe('lot signing: users file, re-authentication and the disposition routes (no Temporal)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pf-users-'));
  const usersFile = join(dir, 'users.json');
  const passwords = seedUsersFile(usersFile, join(dir, 'signer-passwords.json'), DEMO_PEOPLE);
  let api: FastifyInstance;
  before(async () => {
    api = await buildTestApi({ config: { ...testConfig(), usersFile } });
  });
  after(async () => api.close());

  it('seeds the demo people once, with scrypt hashes and generated passwords (mode 600); a second seeding keeps them', () => {
    const users = JSON.parse(readFileSync(usersFile, 'utf8')) as Array<{
      userId: string;
      printedName: string;
      passwordHash: string;
    }>;
    assert.deepEqual(
      users.map((u) => u.userId),
      DEMO_PEOPLE.map((p) => p.userId),
    );
    assert.ok(users.every((u) => u.passwordHash.startsWith('scrypt$16384$8$1$')));
    assert.ok(!readFileSync(usersFile, 'utf8').includes(passwords['qp.marc']!), 'no clear password in the users file');
    assert.equal(statSync(usersFile).mode & 0o777, 0o600);
    assert.deepEqual(seedUsersFile(usersFile, join(dir, 'signer-passwords.json'), DEMO_PEOPLE), passwords);
  });

  it('re-authenticates with the password: the printed name and roles come from the directory', async () => {
    const signer = await reauthenticatorFromConfig({ usersFile }).verify({
      userId: 'qp.marc',
      password: passwords['qp.marc']!,
    });
    assert.equal(signer.printedName, 'Marc Dubois');
    assert.deepEqual(signer.roles, ['qp', 'qa']);
    assert.equal(signer.reauth.method, 'password');
    await assert.rejects(
      reauthenticatorFromConfig({ usersFile }).verify({ userId: 'qp.marc', password: 'guess' }),
      /re-authentication failed/,
    );
    await assert.rejects(
      reauthenticatorFromConfig({}).verify({ userId: 'qp.marc', password: 'x' }),
      /no signer re-authentication is configured/,
    );
  });

  it('production: an OIDC ID token with a recent auth_time, verified against the issuer JWKS, gives the signer', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const jwks = createServer((_req, res) =>
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    try {
      const oidc = {
        issuer: 'https://id.example.com',
        audience: 'plantflow',
        jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
        maxAuthAgeSeconds: 300,
      };
      const token = (authTime: number) =>
        new SignJWT({ name: 'Marc Dubois', preferred_username: 'qp.marc', roles: ['qp'], auth_time: authTime })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(oidc.issuer)
          .setAudience(oidc.audience)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      const reauth = reauthenticatorFromConfig({ oidc });
      const fresh = await reauth.verify({ idToken: await token(Math.floor(Date.now() / 1000) - 30) });
      assert.deepEqual(
        [fresh.userId, fresh.printedName, fresh.roles, fresh.reauth.method],
        ['qp.marc', 'Marc Dubois', ['qp'], 'oidc'],
      );
      await assert.rejects(
        reauth.verify({ idToken: await token(Math.floor(Date.now() / 1000) - 3600) }),
        /signing needs a fresh login/,
      );
    } finally {
      jwks.close();
    }
  });

  it('the embedded default seeds .data/users.json and points PLANTFLOW_USERS_FILE at it', () => {
    const data = mkdtempSync(join(tmpdir(), 'pf-data-'));
    const env: NodeJS.ProcessEnv = {};
    const { signerPasswords } = ensureEmbeddedSecrets(data, env);
    assert.equal(env.PLANTFLOW_USERS_FILE, join(data, 'users.json'));
    assert.deepEqual(
      Object.keys(signerPasswords ?? {}),
      DEMO_PEOPLE.map((p) => p.userId),
    );
    assert.equal(
      ensureEmbeddedSecrets(data, { PLANTFLOW_OIDC_ISSUER: 'https://id.example.com' }).signerPasswords,
      undefined,
      'OIDC configured: no users file',
    );
  });

  const dispose = (key: string, body: unknown) =>
    api.inject({
      method: 'POST',
      url: '/lots/FG-100/L-1/disposition',
      headers: bearer(key),
      payload: body as Record<string, unknown>,
    });

  it('refuses a disposition without a signature, with a wrong password, or from a caller without a quality role — before anything reaches Temporal', async () => {
    const unsigned = await dispose(TEST_KEYS.qp, { decision: 'release', meaning: 'approved_for_release' });
    assert.equal(unsigned.statusCode, 400);
    assert.equal(unsigned.json().code, 'invalid_request');
    assert.match(JSON.stringify(unsigned.json().details), /signature/);
    const badMeaning = await dispose(TEST_KEYS.qp, {
      decision: 'release',
      meaning: 'looks good',
      signature: { userId: 'qp.marc', password: 'x' },
    });
    assert.equal(badMeaning.statusCode, 400);
    const wrongPassword = await dispose(TEST_KEYS.qp, {
      decision: 'release',
      meaning: 'approved_for_release',
      signature: { userId: 'qp.marc', password: 'guess' },
    });
    assert.equal(wrongPassword.statusCode, 401);
    assert.equal(wrongPassword.json().code, 'reauth_failed');
    const viewer = await dispose(TEST_KEYS.viewer, {
      decision: 'release',
      meaning: 'approved_for_release',
      signature: { userId: 'qp.marc', password: passwords['qp.marc'] },
    });
    assert.equal(viewer.statusCode, 403);
    assert.deepEqual(viewer.json().details.required, ['qa', 'qp']);
  });

  it('refuses malformed lots and inspection results with the field at fault', async () => {
    const lot = {
      material: 'RM-300',
      lotId: 'H-9001',
      site: '1710',
      quantity: { value: '-3', uom: 'EA' },
      receivedBy: 'plan.eva',
    };
    const negative = await api.inject({ method: 'POST', url: '/lots', headers: bearer(TEST_KEYS.qms), payload: lot });
    assert.equal(negative.statusCode, 400);
    assert.match(JSON.stringify(negative.json().details), /greater than zero/);
    const unknownUom = await api.inject({
      method: 'POST',
      url: '/lots',
      headers: bearer(TEST_KEYS.qms),
      payload: { ...lot, quantity: { value: '3', uom: 'BOX' } },
    });
    assert.equal(unknownUom.statusCode, 400);
    assert.match(JSON.stringify(unknownUom.json().details), /unknown unit of measure/);
    const result = await api.inject({
      method: 'POST',
      url: '/inspections',
      headers: bearer(TEST_KEYS.qms),
      payload: { material: 'FG-100', lotId: 'L-1', characteristic: 'PRESSURE', result: 'maybe' },
    });
    assert.equal(result.statusCode, 400);
    const wrongRole = await api.inject({
      method: 'POST',
      url: '/inspections',
      headers: bearer(TEST_KEYS.mes),
      payload: {},
    });
    assert.equal(wrongRole.statusCode, 403);
  });
});
