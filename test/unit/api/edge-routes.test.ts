import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { EdgeReport } from '../../../domain/edge';
import { bearer, buildTestApi, TEST_KEYS } from '../../support/api';

describe('HTTP API: plant edge reports', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApi();
  });
  after(async () => app.close());

  const report: EdgeReport = {
    edgeId: 'edge-1710',
    site: '1710',
    reportedAt: '2026-11-23T06:00:00Z',
    backlog: { events: 3, bytes: 900, maxEvents: 1000, maxBytes: 100000, alarm: false },
    forwarded: { accepted: 10, duplicate: 1, refused: 0 },
    refusals: 0,
  };
  const put = (headers: Record<string, string>, payload: unknown, url = '/edges/1710/edge-1710') =>
    app.inject({ method: 'PUT', url, headers, payload: payload as never });

  it('takes reports only from a key with the role edge', async () => {
    assert.equal((await put({}, report)).statusCode, 401);
    const mes = await put(bearer(TEST_KEYS.mes), report);
    assert.equal(mes.statusCode, 403);
    assert.deepEqual(mes.json().details.required, ['edge']);
  });

  it('refuses a malformed report, or one sent to another edge’s address, before it reaches Temporal', async () => {
    const edge = bearer(TEST_KEYS.edge);
    const negative = await put(edge, { ...report, backlog: { ...report.backlog, events: -1 } });
    assert.equal(negative.statusCode, 400);
    assert.equal(negative.json().details[0].path, '/backlog/events');
    const elsewhere = await put(edge, report, '/edges/1720/edge-1710');
    assert.equal(elsewhere.statusCode, 400);
    assert.match(elsewhere.json().message, /from 1710\/edge-1710, sent to 1720\/edge-1710/);
    assert.equal((await put(edge, report, '/edges/1710/edge%201710')).statusCode, 400);
  });

  it('lets only an operator retire an edge', async () => {
    const retire = (headers: Record<string, string>) =>
      app.inject({ method: 'DELETE', url: '/edges/1710/edge-1710', headers });
    for (const key of [TEST_KEYS.edge, TEST_KEYS.viewer, TEST_KEYS.mes]) {
      const refused = await retire(bearer(key));
      assert.equal(refused.statusCode, 403);
      assert.deepEqual(refused.json().details.required, ['operator']);
    }
  });
});
