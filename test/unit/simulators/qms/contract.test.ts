import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createQmsSimulator, DEFAULT_QMS_TOKEN, type QmsSimulator } from '../../../../simulators/qms';
import { assertCommittedOpenApi, assertOpenApiConventions } from './openapi-check';

const auth = { authorization: `Bearer ${DEFAULT_QMS_TOKEN}` };
const activation = { site: '1710', orderRef: 'WH/MO/00012', material: 'FG-100', quantity: { value: '100', uom: 'EA' } };

describe('QMS simulator contract', () => {
  let sim: QmsSimulator;
  let app: FastifyInstance;
  before(async () => {
    sim = createQmsSimulator();
    app = sim.server.app;
    await app.ready();
  });
  beforeEach(() => sim.server.reset());
  after(async () => sim.server.stop());

  it('serves /health without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().system, 'qms');
  });

  it('answers 401 in the error envelope without (or with a wrong) bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: DEFAULT_QMS_TOKEN }]) {
      const res = await app.inject({ method: 'GET', url: '/v1/inspection-plans', headers });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { code: 'unauthorized', message: 'missing or invalid bearer token', details: {} });
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    }
  });

  it('answers 400 validation_failed with the zod issues, and journals nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/inspection-plan-activations',
      headers: auth,
      payload: { ...activation, quantity: { value: '-5', uom: 'BOX' } },
    });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 'validation_failed');
    assert.deepEqual(body.details.issues.map((i: { path: string }) => i.path).sort(), [
      '/quantity/uom',
      '/quantity/value',
    ]);
    assert.equal(sim.server.journal.list().length, 0);
    assert.deepEqual(sim.state().activations, {});
  });

  it('answers 404 in the error envelope for unknown routes and records', async () => {
    const route = await app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth });
    assert.equal(route.statusCode, 404);
    assert.equal(route.json().code, 'not_found');
    const ncr = await app.inject({ method: 'GET', url: '/v1/nonconformances/NCR-404', headers: auth });
    assert.equal(ncr.statusCode, 404);
    assert.equal(ncr.json().code, 'ncr_not_found');
  });

  it('replays the first answer for the same Idempotency-Key and body', async () => {
    const headers = { ...auth, 'idempotency-key': 'order:1710:WH/MO/00012:qms-activate' };
    const first = await app.inject({
      method: 'POST',
      url: '/v1/inspection-plan-activations',
      headers,
      payload: activation,
    });
    const second = await app.inject({
      method: 'POST',
      url: '/v1/inspection-plan-activations',
      headers,
      payload: activation,
    });
    assert.equal(first.statusCode, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.body, first.body);
    assert.equal(Object.keys(sim.state().activations).length, 1);
    const writes = sim.server.journal.list({ operation: 'InspectionPlanActivation.activate' });
    assert.deepEqual(
      writes.map((w) => [w.applied, w.refs.replayed]),
      [
        [true, undefined],
        [false, 'true'],
      ],
    );
  });

  it('replays a 422 business refusal too, but not a 409 conflict', async () => {
    const refused = { ...activation, material: 'RM-300' };
    const h1 = { ...auth, 'idempotency-key': 'k-refused' };
    const a = await app.inject({
      method: 'POST',
      url: '/v1/inspection-plan-activations',
      headers: h1,
      payload: refused,
    });
    const b = await app.inject({
      method: 'POST',
      url: '/v1/inspection-plan-activations',
      headers: h1,
      payload: refused,
    });
    assert.equal(a.statusCode, 422);
    assert.equal(a.json().code, 'no_inspection_plan');
    assert.equal(b.headers['idempotent-replayed'], 'true');
    await app.inject({ method: 'POST', url: '/v1/inspection-plan-activations', headers: auth, payload: activation });
    const h2 = { ...auth, 'idempotency-key': 'k-conflict' };
    const c = await app.inject({
      method: 'POST',
      url: '/v1/inspection-plan-activations',
      headers: h2,
      payload: activation,
    });
    assert.equal(c.statusCode, 409);
    assert.equal(c.json().code, 'activation_exists');
    assert.equal(sim.rest.idempotency.get('k-conflict'), undefined, 'a conflict may resolve, so it is not kept');
  });

  it('refuses the same Idempotency-Key with a different body (422 idempotency_key_reused)', async () => {
    const headers = { ...auth, 'idempotency-key': 'k-1' };
    await app.inject({ method: 'POST', url: '/v1/inspection-plan-activations', headers, payload: activation });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/inspection-plan-activations',
      headers,
      payload: { ...activation, orderRef: 'WH/MO/00013' },
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'idempotency_key_reused');
    assert.equal(Object.keys(sim.state().activations).length, 1);
  });

  it('answers injected faults in the JSON error envelope (503, 429 with Retry-After)', async () => {
    sim.server.faults.set({ errorRate: 1, errorStatus: 503 });
    const down = await app.inject({ method: 'GET', url: '/v1/inspection-plans', headers: auth });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().code, 'unavailable');
    sim.server.faults.set({ rateLimitRate: 1, retryAfterSeconds: 3 });
    const slow = await app.inject({ method: 'GET', url: '/v1/inspection-plans', headers: auth });
    assert.equal(slow.statusCode, 429);
    assert.equal(slow.headers['retry-after'], '3');
    assert.equal(slow.json().code, 'rate_limited');
  });

  it('keeps docs/openapi/qms.json equal to the generated contract', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.0.3');
    assertOpenApiConventions(doc);
    assert.ok(
      doc.components.schemas.TestResult && doc.components.schemas.Nonconformance && doc.components.schemas.SignedRecord,
    );
    assertCommittedOpenApi('qms', doc);
  });
});
