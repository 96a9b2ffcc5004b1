import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { bearer, buildTestApi, TEST_KEYS } from '../../support/api';

describe('HTTP API authentication and errors', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApi();
  });
  after(async () => app.close());

  it('401 with a JSON error when no key is presented', async () => {
    const res = await app.inject({ method: 'GET', url: '/whoami' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'message']);
    assert.equal(res.json().code, 'unauthenticated');
  });

  it('401 for an unknown key', async () => {
    const res = await app.inject({ method: 'GET', url: '/whoami', headers: bearer('not-a-real-key-123456789') });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().message, 'unknown API key');
  });

  it('accepts the key as Bearer or X-API-Key and reports its roles', async () => {
    const a = await app.inject({ method: 'GET', url: '/whoami', headers: bearer(TEST_KEYS.qa) });
    assert.equal(a.statusCode, 200);
    assert.deepEqual(a.json().roles, ['qa']);
    assert.ok(!a.body.includes(TEST_KEYS.qa), 'the key itself is never echoed');
    const b = await app.inject({ method: 'GET', url: '/whoami', headers: { 'x-api-key': TEST_KEYS.mes } });
    assert.deepEqual(b.json().roles, ['mes']);
  });

  it('403 when the key lacks the role the route needs', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: bearer(TEST_KEYS.mes),
      payload: { payloads: [] },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'forbidden');
  });

  it('400 with the validation details for a malformed body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: bearer(TEST_KEYS.operator),
      payload: { payloads: 'nope' },
    });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 'invalid_request');
    assert.ok(Array.isArray(body.details) && body.details.length > 0);
  });

  it('round-trips payloads through the codec endpoint for an authorised user', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"lot L-1"').toString('base64'),
    };
    const enc = await app.inject({
      method: 'POST',
      url: '/codec/encode',
      headers: bearer(TEST_KEYS.operator),
      payload: { payloads: [plain] },
    });
    assert.equal(enc.statusCode, 200);
    const encrypted = enc.json().payloads[0];
    assert.equal(Buffer.from(encrypted.metadata.encoding, 'base64').toString(), 'binary/encrypted');
    assert.notEqual(encrypted.data, plain.data);
    const dec = await app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: bearer(TEST_KEYS.viewer),
      payload: { payloads: [encrypted] },
    });
    assert.deepEqual(dec.json().payloads[0], plain);
  });

  it('404 as JSON for an unknown route, and OpenAPI is public', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'not_found');
    const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(doc.statusCode, 200);
    assert.ok(doc.json().paths['/whoami']);
  });
});
