import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createMesSimulator, DEFAULT_MES_TOKEN, type MesSimulator } from '../../../../simulators/mes';
import { assertCommittedOpenApi, assertOpenApiConventions } from '../qms/openapi-check';
import { dispatchBody } from './fixtures';

const auth = { authorization: `Bearer ${DEFAULT_MES_TOKEN}` };

describe('MES simulator contract', () => {
  let sim: MesSimulator;
  let app: FastifyInstance;
  before(async () => {
    sim = createMesSimulator();
    app = sim.server.app;
    await app.ready();
  });
  beforeEach(() => sim.server.reset());
  after(async () => sim.server.stop());

  it('serves /health openly and refuses /v1 without the bearer token', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).json().system, 'mes');
    const res = await app.inject({
      method: 'GET',
      url: '/v1/plants',
      headers: { authorization: 'Bearer plantflow-qms-simulator-token' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'unauthorized');
  });

  it('lists the seeded plant 1710 with the demo work centers', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/plants/1710', headers: auth });
    assert.deepEqual(
      res.json().workCenters.map((w: { code: string }) => w.code),
      ['ASSY1', 'TEST1'],
    );
  });

  it('answers 400 validation_failed for a malformed dispatch and records nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plants/1710/dispatches',
      headers: auth,
      payload: { ...dispatchBody('WH/MO/1'), operations: [{ operation: '10', workCenter: 'ASSY1', description: 'x' }] },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'validation_failed');
    assert.equal(res.json().details.issues[0].path, '/operations/0/operation');
    assert.deepEqual(sim.state().dispatches, {});
  });

  it('replays a dispatch for the same Idempotency-Key and refuses the key for another order', async () => {
    const headers = { ...auth, 'idempotency-key': 'order:1710:WH/MO/1:dispatch' };
    const a = await app.inject({
      method: 'POST',
      url: '/v1/plants/1710/dispatches',
      headers,
      payload: dispatchBody('WH/MO/1'),
    });
    const b = await app.inject({
      method: 'POST',
      url: '/v1/plants/1710/dispatches',
      headers,
      payload: dispatchBody('WH/MO/1'),
    });
    assert.equal(a.statusCode, 201);
    assert.equal(b.statusCode, 201);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.equal(b.json().dispatchId, a.json().dispatchId);
    const c = await app.inject({
      method: 'POST',
      url: '/v1/plants/1710/dispatches',
      headers,
      payload: dispatchBody('WH/MO/2'),
    });
    assert.equal(c.statusCode, 422);
    assert.equal(c.json().code, 'idempotency_key_reused');
    assert.equal(Object.keys(sim.state().dispatches).length, 1);
    assert.equal(sim.server.journal.list({ operation: 'OperationsRequest.dispatch', applied: true }).length, 1);
  });

  it('keeps docs/openapi/mes.json equal to the generated contract (admin routes hidden)', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assertOpenApiConventions(doc);
    assert.ok(!Object.keys(doc.paths).some((p) => p.startsWith('/__sim')));
    assert.ok(doc.components.schemas.OperationsRequest && doc.components.schemas.Dispatch);
    assertCommittedOpenApi('mes', doc);
  });
});
