import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import {
  listRuns,
  visibilityQuery,
  VisibilityUnavailableError,
  VISIBILITY_RETRY_AFTER_SECONDS,
} from '../../../client/visibility';
import { bearer, buildTestApi, TEST_KEYS } from '../../support/api';

describe('visibility queries: one builder, every value a string literal', () => {
  it('escapes backslashes and both quote characters, so a filter value is never query syntax', () => {
    assert.equal(
      visibilityQuery([
        ['WorkflowType', '=', 'materialLot'],
        ['Material', '=', `a\\b'c"d`],
        undefined,
        ['Overdue', '=', true],
        ['StartTime', '>=', '2026-12-01T00:00:00Z'],
      ]),
      `WorkflowType = 'materialLot' AND Material = 'a\\\\b\\'c\\"d' AND Overdue = true AND StartTime >= '2026-12-01T00:00:00Z'`,
    );
  });

  it('a value ending in a backslash cannot close the literal early', () => {
    assert.equal(
      visibilityQuery([['ParentLots', '=', "RM-300:H\\' OR 1=1 --"]]),
      `ParentLots = 'RM-300:H\\\\\\' OR 1=1 --'`,
    );
  });
});

describe('visibility listings never hang', function () {
  this.timeout(30_000);
  // A Temporal frontend that accepts connections and never answers.
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  let address = '';
  before(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a listing that does not answer in time is VisibilityUnavailableError; the API answers 503 with Retry-After', async () => {
    const client = new Client({ connection: Connection.lazy({ address, connectTimeout: 60_000 }) });
    const started = Date.now();
    await assert.rejects(
      listRuns(client, [['WorkflowType', '=', 'materialLot']], () => undefined, 500),
      VisibilityUnavailableError,
    );
    assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms`);

    const api = await buildTestApi({ client });
    try {
      const res = await api.inject({ method: 'GET', url: '/lots?material=a%22b', headers: bearer(TEST_KEYS.viewer) });
      assert.equal(res.statusCode, 503, res.body);
      assert.equal(res.json().code, 'unavailable');
      assert.equal(res.headers['retry-after'], String(VISIBILITY_RETRY_AFTER_SECONDS));
    } finally {
      await api.close();
    }
  });
});
