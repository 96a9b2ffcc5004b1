import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { RunningEdge } from '../../../edge/edge';
import type { EdgeStatus } from '../../../edge/status';
import type { Refusal, RequeueResult } from '../../../edge/store';
import type { MesEventInput } from '../../../domain/events';
import { bearer, buildTestApi, TEST_KEYS } from '../../support/api';
import { asMes, asOperator, asViewer, EDGE_KEYS, edgeEnv, plantEvent, startTestEdge } from '../../support/edge';
import { runCli } from '../../support/spawn';
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

    it('a body over the size limit is refused at both with the same 413 (the edge stores nothing the central site would refuse)', async () => {
      await start();
      const payload = { events: [good], note: 'x'.repeat(1024 * 1024) };
      const atCentral = await api.inject({
        method: 'POST',
        url: '/mes/events',
        headers: bearer(TEST_KEYS.mes),
        payload,
      });
      const atEdge = await post(payload);
      assert.equal(atEdge.statusCode, 413);
      assert.equal(atCentral.statusCode, 413);
      assert.deepEqual(atEdge.json(), atCentral.json());
      assert.equal((await status()).backlog.events, 0, 'nothing stored');
    });

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
    const kept = (await status()).refusals;
    assert.equal(kept.total, 1, 'a refused resend updates its refusal; it does not add one');
    assert.equal(kept.recent[0]!.refusedAt >= kept.recent[0]!.receivedAt, true);
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

  it('a disk that is full or a backlog held by another writer is said to the MES (507, 503 + Retry-After), with nothing stored', async () => {
    central.behaviour = () => ({ kind: 'status', status: 503 }); // the backlog stays put
    const running = await start();
    const db = running.store['db'];
    const batch = () => ({
      events: Array.from({ length: 200 }, (_, i) =>
        plantEvent('PO-1', `2026-11-23T06:00:${String(i % 60).padStart(2, '0')}Z`),
      ),
    });

    // SQLite's own limit on the file's pages: the next write that needs a page finds the disk full.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const full = await post(batch());
    assert.equal(full.statusCode, 507);
    assert.equal(full.json().code, 'storage_full');
    assert.match(full.json().message, /disk is full \(SQLITE_FULL: .*\); nothing of this request was stored/);
    assert.equal((await status()).backlog.events, 0);
    db.pragma('max_page_count = 1073741823');

    // Another process holds the write lock past the busy timeout.
    db.pragma('busy_timeout = 50');
    const other = new Database(running.store.file);
    other.exec('BEGIN IMMEDIATE');
    const busy = await post(batch());
    other.exec('ROLLBACK');
    other.close();
    assert.equal(busy.statusCode, 503);
    assert.equal(busy.headers['retry-after'], '1');
    assert.equal(busy.json().code, 'busy');
    assert.match(busy.json().message, /SQLITE_BUSY/);

    assert.equal((await post(batch())).statusCode, 202, 'once the cause is gone, the same report is stored');
    const metrics = (await edge!.server.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /plantflow_edge_received_total\{outcome="storage_error"\} 400/);
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

  it('a 4xx that is not plantflow’s answer (a proxy’s HTML 400, 413, 415) refuses nothing: the backlog waits and says why', async () => {
    let proxyStatus: number | undefined = 400;
    central.behaviour = () =>
      proxyStatus
        ? { kind: 'status', status: proxyStatus, html: `<html><body><h1>${proxyStatus} Bad Request</h1></body></html>` }
        : { kind: 'answer' };
    await start();
    const events = [plantEvent('PO-1', '2026-11-23T06:00:00Z'), plantEvent('PO-1', '2026-11-23T06:01:00Z')];
    assert.equal((await post({ events })).statusCode, 202);
    const waiting = await eventually(
      status,
      (s) => /without plantflow's error body/.test(s.central.lastError ?? ''),
      5_000,
      20,
    );
    assert.match(waiting.central.lastError!, /answered 400 .*<h1>400 Bad Request<\/h1>/);
    assert.equal(waiting.backlog.events, 2, 'both events still wait');
    proxyStatus = 413;
    const still = await eventually(status, (s) => /answered 413/.test(s.central.lastError ?? ''), 5_000, 20);
    assert.equal(still.backlog.events, 2);
    assert.equal(still.refusals.total, 0, 'nothing went into the refusals');

    proxyStatus = undefined;
    await drained();
    assert.deepEqual(
      central.applied.map((e) => e.eventId),
      events.map((e) => e.eventId),
    );
    assert.deepEqual((await status()).forwarded, { accepted: 2, duplicate: 0, refused: 0 });
  });

  it('a resend of an event the central site refused hears the refusal; an operator requeues it once the cause is fixed', async () => {
    const victim = plantEvent('PO-1', '2026-11-23T06:00:00Z', 'OperationCompleted');
    let centralBug = true;
    // A central release with a bug refuses the event as a whole, with plantflow's own error body.
    central.behaviour = (_n, events) =>
      centralBug && events.some((e) => e.eventId === victim.eventId)
        ? { kind: 'status', status: 400, body: { code: 'invalid_request', message: 'event 0 is malformed: yield' } }
        : { kind: 'answer' };
    await start();
    const wrongPlant = { ...plantEvent('PO-9', '2026-11-23T06:01:00Z'), site: '1720' };
    assert.equal((await post({ events: [victim, wrongPlant] })).statusCode, 202);
    await eventually(status, (s) => s.backlog.events === 0 && s.refusals.total === 2, 10_000, 20);

    const resend = await post(victim);
    assert.equal(resend.statusCode, 422, 'not "duplicate": the MES learns the central site refused it');
    assert.deepEqual(
      [resend.json().code, resend.json().message, resend.json().details.refusedBy],
      ['invalid_request', 'event 0 is malformed: yield', 'central'],
    );

    const requeue = (payload: unknown, headers = asOperator) =>
      edge!.server.inject({ method: 'POST', url: '/edge/refusals/requeue', headers, payload: payload as never });
    assert.equal((await requeue({ code: 'invalid_request' }, asViewer)).statusCode, 403, 'an operator requeues');
    assert.equal((await requeue({})).statusCode, 400, 'ids, a code, or both');

    const kept = (await status()).refusals.recent.find((r) => r.eventId === victim.eventId)!;
    assert.equal(kept.code, 'invalid_request');
    centralBug = false;
    const cli = await runCli([
      'edge',
      'requeue',
      '--code',
      'invalid_request',
      '--edge-url',
      edge!.url,
      '--key',
      EDGE_KEYS.operator,
      '--json',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), { requeued: [victim.eventId], skipped: [] });
    const again = (await requeue({ eventIds: [victim.eventId, wrongPlant.eventId] })).json() as RequeueResult;
    assert.deepEqual(again.requeued, []);
    assert.deepEqual(
      again.skipped.map((x) => x.eventId),
      [wrongPlant.eventId, victim.eventId],
    );
    assert.match(again.skipped[0]!.reason, /refused by the edge \(wrong_site\): the MES must report it again/);
    assert.equal(
      again.skipped[1]!.reason,
      'no refusal kept for this event',
      'requeued once, it is no refusal any more',
    );

    const done = await eventually(status, (s) => s.backlog.events === 0 && s.forwarded.accepted === 1, 10_000, 20);
    assert.deepEqual(
      central.applied.map((e) => e.eventId),
      [victim.eventId],
    );
    assert.equal(central.applied[0]!.recordedAt, kept.receivedAt, 'forwarded with its first receipt at the edge');
    assert.deepEqual(
      done.refusals.recent.map((r) => [r.by, r.code, r.eventId]),
      [['edge', 'wrong_site', wrongPlant.eventId]],
      'the central refusal is gone; the edge’s own stays',
    );
    assert.equal((await post(victim)).json().outcome, 'duplicate', 'a resend after the requeue is a duplicate again');
  });

  it('reports itself at its heartbeat and when the backlog drains or starts to wait, not after every batch', async () => {
    await start({ PLANTFLOW_EDGE_REPORT_EVERY_MS: '3600000', PLANTFLOW_EDGE_BATCH_SIZE: '1' });
    await eventually(
      async () => central.reports.length,
      (n) => n === 1,
      5_000,
      20,
    ); // the first heartbeat
    const applied = (n: number) =>
      eventually(
        async () => central.applied.length,
        (a) => a === n,
        10_000,
        20,
      );
    // Steady flow: each event forwarded alone, the backlog empty after each batch.
    for (let i = 0; i < 3; i++) {
      assert.equal((await post(plantEvent('PO-1', `2026-11-23T06:0${i}:00Z`))).statusCode, 202);
      await applied(i + 1);
    }
    // Three waiting at once: forwarded one per batch; the central site hears "waiting" once, then "drained".
    const three = [4, 5, 6].map((m) => plantEvent('PO-2', `2026-11-23T06:0${m}:00Z`));
    assert.equal((await post({ events: three })).statusCode, 202);
    await applied(6);
    // The forwarder sends in turn, so once this event is applied every report before it has arrived.
    assert.equal((await post(plantEvent('PO-3', '2026-11-23T07:00:00Z'))).statusCode, 202);
    await applied(7);
    assert.deepEqual(
      central.reports.map((r) => r.backlog.events),
      [0, 2, 0],
      'the heartbeat, "2 waiting" after the first of the three, "drained" after the last',
    );
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
