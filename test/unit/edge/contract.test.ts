import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { RunningEdge } from '../../../edge/edge';
import type { EdgeStatus } from '../../../edge/status';
import type { Refusal } from '../../../edge/store';
import type { MesEventInput } from '../../../domain/events';
import { bearer, buildTestApi, TEST_KEYS } from '../../support/api';
import { asMes, asViewer, edgeEnv, plantEvent, startTestEdge } from '../../support/edge';
import { FakeCentral } from '../../support/fake-central';
import { eventually } from '../../support/eventually';

describe('plant edge: the MES contract, storage and forwarding', function () {
  this.timeout(30_000);
  let central: FakeCentral;
  let centralUrl: string;
  let edge: RunningEdge | undefined;

  beforeEach(async () => {
    central = new FakeCentral();
    centralUrl = await central.start();
  });
  afterEach(async () => {
    await edge?.stop();
    edge = undefined;
    await central.stop();
  });

  const start = async (extra: Record<string, string> = {}) => {
    edge = await startTestEdge(edgeEnv(centralUrl, central.apiKey, extra));
    return edge;
  };
  const post = (payload: unknown, headers: Record<string, string> = asMes) =>
    edge!.server.inject({ method: 'POST', url: '/mes/events', headers, payload: payload as never });
  const status = async (): Promise<EdgeStatus> =>
    (await edge!.server.inject({ method: 'GET', url: '/edge/status', headers: asViewer })).json();
  const drained = () => eventually(status, (s) => s.backlog.events === 0, 10_000, 20);

  describe('answers malformed input exactly as the central API does', () => {
    let api: FastifyInstance;
    before(async () => {
      api = await buildTestApi();
    });
    after(async () => api.close());

    const good = plantEvent('PO-1', '2026-11-23T06:00:00Z', 'OperationCompleted');
    const cases: Array<[string, unknown]> = [
      ['an empty body', {}],
      ['an unknown event type', { ...good, type: 'OperationPaused' }],
      ['a negative yield', { ...good, payload: { yield: { value: '-1', uom: 'EA' } } }],
      ['a three-digit operation', { ...good, correlation: { orderRef: 'PO-1', operation: '010' } }],
      ['a timestamp without offset', { ...good, effectiveAt: '2026-11-23 06:00' }],
      ['an empty batch', { events: [] }],
      ['a batch of 501', { events: Array.from({ length: 501 }, () => good) }],
    ];
    for (const [what, payload] of cases) {
      it(what, async () => {
        await start();
        const atCentral = await api.inject({
          method: 'POST',
          url: '/mes/events',
          headers: bearer(TEST_KEYS.mes),
          payload: payload as never,
        });
        const atEdge = await post(payload);
        assert.equal(atEdge.statusCode, 400);
        assert.equal(atEdge.statusCode, atCentral.statusCode);
        assert.deepEqual(atEdge.json(), atCentral.json());
        assert.equal((await status()).backlog.events, 0, 'nothing stored');
      });
    }

    it('without a key, or with a key that may not report', async () => {
      await start();
      const noKey = await post(good, {});
      assert.equal(noKey.statusCode, 401);
      const viewer = await post(good, asViewer);
      assert.equal(viewer.statusCode, 403);
      assert.equal(viewer.json().code, 'forbidden');
    });
  });

  it('stores an event before answering 202, stamps recordedAt at the edge and forwards the MES’s effectiveAt', async () => {
    await start();
    const event = { ...plantEvent('PO-1', '2026-11-23T06:00:00+01:00'), recordedAt: '2020-01-01T00:00:00Z' };
    const before = Date.now();
    const res = await post(event);
    assert.equal(res.statusCode, 202);
    const answer = res.json() as { outcome: string; eventId: string; recordedAt: string };
    assert.equal(answer.outcome, 'stored');
    assert.ok(Date.parse(answer.recordedAt) >= before - 5, 'recordedAt is the receipt at the edge');
    const { recordedAt: _mes, ...withoutStamp } = event;
    assert.equal((await post(withoutStamp)).json().outcome, 'duplicate', 'the MES may leave recordedAt out');

    await drained();
    assert.equal(central.applied.length, 1);
    assert.equal(central.applied[0]!.effectiveAt, '2026-11-23T06:00:00+01:00');
    assert.equal(central.applied[0]!.recordedAt, answer.recordedAt);
    const s = await status();
    assert.deepEqual(s.forwarded, { accepted: 1, duplicate: 0, refused: 0 });
    assert.ok(s.central.lastContactAt && s.central.lastForwardAt);
    await eventually(
      async () => central.reports.at(-1),
      (r) => r?.backlog.events === 0 && r.forwarded.accepted === 1,
      5_000,
      20,
    );
  });

  it('a resend is a duplicate before and after forwarding; the same id with other content is refused (409)', async () => {
    await start();
    const event = plantEvent('PO-1', '2026-11-23T06:00:00Z', 'OperationCompleted');
    assert.equal((await post(event)).statusCode, 202);
    assert.equal((await post(event)).json().outcome, 'duplicate');
    await drained();
    assert.equal((await post(event)).json().outcome, 'duplicate', 'remembered after forwarding');
    const changed = { ...event, payload: { yield: { value: '11', uom: 'EA' }, final: false } } as MesEventInput;
    const conflict = await post(changed);
    assert.equal(conflict.statusCode, 409);
    assert.equal(conflict.json().code, 'conflicting_resend');
    assert.equal(central.deliveries.length, 1, 'the central site saw the event once');
    const refusals = (await edge!.server.inject({ method: 'GET', url: '/edge/refusals', headers: asViewer })).json()
      .refusals as Refusal[];
    assert.deepEqual(
      refusals.map((r) => [r.by, r.code, r.eventId]),
      [['edge', 'conflicting_resend', event.eventId]],
    );
  });

  it('a batch is answered per event: stored, duplicate, or refused for another plant (kept, visible)', async () => {
    await start();
    const a = plantEvent('PO-1', '2026-11-23T06:00:00Z');
    const elsewhere = { ...plantEvent('PO-9', '2026-11-23T06:01:00Z'), site: '1720' };
    const res = await post({ events: [a, a, elsewhere] });
    assert.equal(res.statusCode, 202);
    assert.deepEqual(
      (res.json().results as Array<{ outcome: string }>).map((r) => r.outcome),
      ['stored', 'duplicate', 'rejected'],
    );
    const single = await post(elsewhere);
    assert.equal(single.statusCode, 422);
    assert.equal(single.json().code, 'wrong_site');
    await drained();
    assert.deepEqual(
      central.applied.map((e) => e.eventId),
      [a.eventId],
    );
    assert.equal((await status()).refusals.total, 2);
  });

  it('a full backlog refuses the whole report with 507 and a reason, stores nothing of it, and alarms at 80 %', async () => {
    central.behaviour = () => ({ kind: 'status', status: 503, retryAfter: '60' });
    await start({ PLANTFLOW_EDGE_MAX_BACKLOG_EVENTS: '5' });
    const events = Array.from({ length: 4 }, (_, i) => plantEvent('PO-1', `2026-11-23T06:0${i}:00Z`));
    assert.equal((await post({ events })).statusCode, 202);
    const s = await status();
    assert.equal(s.backlog.alarm, true, '4 of 5 is 80 %');
    assert.equal(s.backlog.fillPercent, 80);

    const two = [plantEvent('PO-2', '2026-11-23T07:00:00Z'), plantEvent('PO-2', '2026-11-23T07:01:00Z')];
    const full = await post({ events: two });
    assert.equal(full.statusCode, 507);
    assert.equal(full.json().code, 'backlog_full');
    assert.match(full.json().message, /4 of 5 events waiting for the central site/);
    const after = await status();
    assert.equal(after.backlog.events, 4, 'nothing of the refused report was stored');
    assert.equal(after.refusals.backlogFull, 1);
    assert.equal((await post(two[0])).statusCode, 202, 'one still fits');
    const metrics = (await edge!.server.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /plantflow_edge_backlog_alarm 1/);
    assert.match(metrics, /plantflow_edge_received_total\{outcome="backlog_full"\} 2/);
  });

  it('keeps everything while the central site fails (503 with Retry-After), then forwards each order in effectiveAt order', async () => {
    let failing = true;
    central.behaviour = () => (failing ? { kind: 'status', status: 503, retryAfter: '0' } : { kind: 'answer' });
    await start({ PLANTFLOW_EDGE_BATCH_SIZE: '3' });
    // The MES reports late and out of order; two orders interleaved.
    const times = ['06:05', '06:01', '06:03', '06:02', '06:04'];
    const orderA = times.map((t) => plantEvent('PO-A', `2026-11-23T${t}:00Z`));
    const orderB = times.map((t) => plantEvent('PO-B', `2026-11-23T${t}:30Z`));
    for (let i = 0; i < times.length; i++) {
      assert.equal((await post(orderA[i])).statusCode, 202);
      assert.equal((await post({ events: [orderB[i]] })).statusCode, 202);
    }
    const waiting = await eventually(status, (s) => s.central.lastError !== undefined, 5_000, 20);
    assert.match(waiting.central.lastError!, /503/);
    assert.equal(waiting.backlog.events, 10);
    assert.equal(waiting.backlog.orders, 2);
    assert.equal(central.applied.length, 0);

    failing = false;
    await drained();
    for (const ref of ['PO-A', 'PO-B']) {
      const applied = central.applied.filter((e) => e.correlation.orderRef === ref).map((e) => e.effectiveAt);
      assert.deepEqual(applied, [...applied].sort(), `${ref} reached the central site in effectiveAt order`);
      assert.equal(applied.length, 5);
    }
    assert.equal((await status()).central.lastError, undefined, 'the error clears once the central site answers');
  });

  it('a refusal by the central site leaves the backlog but is kept at the edge; a batch refused whole goes event by event', async () => {
    const bad = plantEvent('PO-1', '2026-11-23T06:02:00Z');
    const refused = plantEvent('PO-1', '2026-11-23T06:01:00Z', 'OperationCompleted');
    central.refuse = (e) =>
      e.eventId === refused.eventId ? 'operation 0010 was already finally confirmed' : undefined;
    central.behaviour = (_n, events) =>
      events.some((e) => e.eventId === bad.eventId)
        ? { kind: 'status', status: 400, body: { code: 'invalid_request', message: 'event 0 is not acceptable' } }
        : { kind: 'answer' };
    await start();
    const good = plantEvent('PO-1', '2026-11-23T06:00:00Z');
    assert.equal((await post({ events: [bad, refused, good] })).statusCode, 202);
    await drained();
    assert.deepEqual(
      central.applied.map((e) => e.eventId),
      [good.eventId],
    );
    const list = (await edge!.server.inject({ method: 'GET', url: '/edge/refusals', headers: asViewer })).json()
      .refusals as Refusal[];
    assert.deepEqual(
      list.map((r) => [r.by, r.code, r.eventId, r.reason]).sort(),
      [
        ['central', 'EventRejected', refused.eventId, 'operation 0010 was already finally confirmed'],
        ['central', 'invalid_request', bad.eventId, 'event 0 is not acceptable'],
      ].sort(),
    );
    assert.deepEqual((await status()).forwarded, { accepted: 1, duplicate: 0, refused: 2 });
  });

  it('a key the central site refuses holds the backlog and says why', async () => {
    edge = await startTestEdge(edgeEnv(centralUrl, 'a-key-the-central-site-does-not-know'));
    assert.equal((await post(plantEvent('PO-1', '2026-11-23T06:00:00Z'))).statusCode, 202);
    const s = await eventually(status, (x) => x.central.lastError !== undefined, 5_000, 20);
    assert.match(s.central.lastError!, /refuses the edge itself \(401/);
    assert.equal(s.backlog.events, 1);
  });

  it('the backlog survives a restart of the edge and is forwarded by the next one', async () => {
    central.behaviour = () => ({ kind: 'status', status: 503 });
    const env = edgeEnv(centralUrl, central.apiKey);
    edge = await startTestEdge(env);
    const events = [plantEvent('PO-1', '2026-11-23T06:00:00Z'), plantEvent('PO-1', '2026-11-23T06:01:00Z')];
    assert.equal((await post({ events })).statusCode, 202);
    await edge.stop();
    central.behaviour = () => ({ kind: 'answer' });
    edge = await startTestEdge(env);
    await drained();
    assert.deepEqual(
      central.applied.map((e) => e.eventId),
      events.map((e) => e.eventId),
    );
  });
});
