import assert from 'node:assert/strict';
import { createSapActivities } from '../../../../activities/sap/activities';
import { applied, ea, failureOf, seedOrder, useSapSimulator } from './harness';

describe('SAP activities: protocol and transport failures', () => {
  const h = useSapSimulator();
  const scrap = (key: string) =>
    h.sap.sapPostGoodsMovement({
      movementType: '551',
      material: 'RM-320',
      plant: '1710',
      storageLocation: '171B',
      batch: 'S-3001',
      quantity: ea('1'),
      idempotencyKey: key,
    });

  it('a CSRF token that expires mid-run is refetched once and the write succeeds', async () => {
    await scrap('k1');
    await h.admin.setFaults({ special: { csrfExpireEvery: 2 } });
    await scrap('k2'); // second write: token expired → 403 Required → refetch → retry
    const writes = await h.admin.writes({ operation: 'A_MaterialDocumentHeader.create' });
    assert.deepEqual(
      writes.map((w) => [w.status, w.applied]),
      [
        [201, true],
        [403, false],
        [201, true],
      ],
    );
    assert.equal(h.sim.sessions.tokenFetches, 2);
  });

  it('a token refused again after the refetch → Transient', async () => {
    await h.admin.setFaults({ special: { csrfExpireEvery: 'always' } });
    const failure = await failureOf(scrap('k3'), 'Transient');
    assert.match(failure.message, /CSRF/);
    assert.equal((await applied(h, 'A_MaterialDocumentHeader.create')).length, 0);
  });

  it('concurrent writes share one in-flight token fetch and one session', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((k) => scrap(`par-${k}`)));
    assert.equal(h.sim.sessions.tokenFetches, 1);
    assert.equal((await applied(h, 'A_MaterialDocumentHeader.create')).length, 4);
  });

  it("429 with Retry-After → RateLimited with the server's delay", async () => {
    await h.admin.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const failure = await failureOf(h.sap.sapReadBatch({ material: 'RM-300', batch: 'H-1001' }), 'RateLimited');
    assert.equal(failure.nextRetryDelay, 7_000);
    assert.equal(failure.nonRetryable, false);
  });

  it('503 from the ICM → Transient; the retry after the outage posts exactly once', async () => {
    await h.admin.setFaults({ errorRate: 1, errorStatus: 503, writesOnly: true });
    const failure = await failureOf(scrap('k-out'), 'Transient');
    assert.match(failure.message, /503/);
    await h.admin.clearFaults();
    await scrap('k-out');
    await scrap('k-out');
    assert.equal((await applied(h, 'A_MaterialDocumentHeader.create')).length, 1);
  });

  it('a response outside the contract → InvalidResponse, non-retryable', async () => {
    const order = seedOrder(h);
    await h.admin.setFaults({ special: { malformedResponseRate: 1 } });
    const failure = await failureOf(h.sap.sapReadProductionOrder({ order }), 'InvalidResponse');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /sap returned an unexpected production order/);
  });

  it('wrong credentials → Auth, non-retryable', async () => {
    const stranger = createSapActivities({ url: h.url, user: 'plantflow', password: 'wrong', timeoutMs: 2_000 });
    const failure = await failureOf(stranger.sapReadBatch({ material: 'RM-300', batch: 'H-1001' }), 'Auth');
    assert.equal(failure.nonRetryable, true);
    const writer = await failureOf(
      stranger.sapEnsureBatch({ material: 'RM-300', batch: 'H-9', plant: '1710', restricted: false }),
      'Auth',
    );
    assert.equal(writer.nonRetryable, true);
  });

  it('a hung SAP → Transient after the explicit timeout; an unreachable one → Transient', async () => {
    await h.admin.setFaults({ timeoutRate: 1, timeoutMs: 400 });
    const impatient = createSapActivities({ url: h.url, user: 'plantflow', password: 'plantflow', timeoutMs: 150 });
    await failureOf(impatient.sapReadBatch({ material: 'RM-300', batch: 'H-1001' }), 'Transient');
    const nowhere = createSapActivities({
      url: 'http://127.0.0.1:1',
      user: 'plantflow',
      password: 'plantflow',
      timeoutMs: 500,
    });
    await failureOf(nowhere.sapReadBatch({ material: 'RM-300', batch: 'H-1001' }), 'Transient');
  });

  it('sends sap-client on every request (the simulator only knows client 100)', async () => {
    const otherClient = createSapActivities({
      url: h.url,
      user: 'plantflow',
      password: 'plantflow',
      client: '200',
      timeoutMs: 2_000,
    });
    await failureOf(otherClient.sapReadBatch({ material: 'RM-300', batch: 'H-1001' }), 'Auth');
  });
});
