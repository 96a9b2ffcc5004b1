import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../client/api/server';
import type { EdgeHealth, EdgeMesEventInput } from '../../domain/edge';
import { EdgeStore } from '../../edge/store';
import type { EdgeStatus } from '../../edge/status';
import { createLogger } from '../../runtime/logger';
import { bearer, TEST_KEYS } from '../support/api';
import { asMes, asViewer, edgeConfig, edgeEnv, spawnEdgeProcess, type EdgeProcess } from '../support/edge';
import { releasableOrder } from '../support/erp-fixtures';
import { FaultProxy } from '../support/fault-proxy';
import { startPlantStack, type PlantStack } from '../support/stack';
import { eventually } from '../support/eventually';
import { FAST_TUNING } from '../workflows/support/order-harness';
import { mulberry32 as seeded } from '../../simulators/shared/faults';

const CUT_MS = 120_000;
const ORDERS = 3;

/**
 * One order's shop-floor story, 33 or 34 events in effectiveAt order: operation 0010 in eight partial
 * reports (each consuming both components), operation 0020 consuming resin, two finished lots, and the last
 * resin consumption backflushed 30 s after 0020's final confirmation (the edge must forward it before).
 */
function orderStory(orderRef: string, lotPrefix: string, resinParts: string[], startMs: number): EdgeMesEventInput[] {
  let t = startMs;
  const envelope = (step = 60_000) => {
    t += step;
    const at = new Date(t).toISOString();
    return {
      eventId: randomUUID(),
      effectiveAt: at,
      source: { system: 'mes' as const, instance: 'mes-1710' },
      site: '1710',
    };
  };
  const op = (operation: string) => ({ orderRef, operation });
  const events: EdgeMesEventInput[] = [
    { ...envelope(), type: 'OperationStarted', correlation: op('0010'), payload: {} },
  ];
  const parts = ['5', '10', '15', '20', '10', '15', '20', '5'];
  parts.forEach((q, i) => {
    for (const [material, lotId] of [
      ['RM-300', 'H-1001'],
      ['RM-310', 'I-2001'],
    ] as const) {
      events.push({
        ...envelope(),
        type: 'MaterialConsumed',
        correlation: { ...op('0010'), lotId },
        payload: { material, quantity: { value: q, uom: 'EA' } },
      });
    }
    events.push({
      ...envelope(),
      type: 'OperationCompleted',
      correlation: op('0010'),
      payload: { yield: { value: q, uom: 'EA' }, final: i === parts.length - 1 },
    });
  });
  events.push({ ...envelope(), type: 'OperationStarted', correlation: op('0020'), payload: {} });
  const resin = (q: string, step?: number): EdgeMesEventInput => ({
    ...envelope(step),
    type: 'MaterialConsumed',
    correlation: { ...op('0020'), lotId: 'R-4001' },
    payload: { material: 'RM-400', quantity: { value: q, uom: 'KGM' } },
  });
  for (const q of resinParts.slice(0, -1)) events.push(resin(q));
  events.push({
    ...envelope(),
    type: 'OperationCompleted',
    correlation: op('0020'),
    payload: { yield: { value: '100', uom: 'EA' }, final: true },
  });
  for (const [i, q] of ['60', '40'].entries()) {
    events.push({
      ...envelope(10_000),
      type: 'MaterialProduced',
      correlation: { orderRef, lotId: `${lotPrefix}${i + 1}` },
      payload: { material: 'FG-100', quantity: { value: q, uom: 'EA' } },
    });
  }
  events.push(resin(resinParts.at(-1)!, 10_000)); // backflushed after the completion
  return events;
}

describe('S14: plant WAN cut between the edge and the central site', function () {
  this.timeout(600_000);
  let stack: PlantStack;
  let api: FastifyInstance;
  let proxy: FaultProxy;
  let edge: EdgeProcess | undefined;
  before(async () => {
    stack = await startPlantStack();
    // The central API as production runs it; it calls an edge silent after 20 s without contact.
    const config = { ...stack.config, edge: { ...stack.config.edge, silentAfterMs: 20_000 } };
    api = await buildApiServer({
      config,
      temporal: stack.client,
      logger: createLogger('silent'),
      clientOptions: { tuning: FAST_TUNING },
    });
    await api.listen({ host: '127.0.0.1', port: 0 });
    proxy = new FaultProxy(`http://127.0.0.1:${(api.server.address() as AddressInfo).port}`);
  });
  after(async () => {
    await edge?.kill();
    await proxy?.stop();
    await api?.close();
    await stack?.teardown();
  });

  it('S14: the link is cut for two minutes while the MES reports 100 events for three orders, the edge is SIGKILLed mid-forward — every event applied once, every ERP posting once, timelines in effectiveAt order, backlog 0', async () => {
    const tag = Date.now().toString(36).toUpperCase().slice(-5);
    const refs = Array.from({ length: ORDERS }, (_, i) => `S14${String.fromCharCode(65 + i)}-${tag}`);
    const orders = [];
    for (const ref of refs) {
      const order = await releasableOrder(stack.config, ref);
      orders.push(order);
      await stack.orders.release(order);
    }
    for (const ref of refs) {
      await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.status === 'released',
        60_000,
      );
    }
    const base = Date.parse('2026-11-23T06:00:00Z');
    const stories = refs.map((ref, i) =>
      orderStory(
        ref,
        `E${tag}${String.fromCharCode(65 + i)}`,
        i === 0 ? ['5', '5', '5', '5', '5'] : ['10', '5', '5', '5'],
        base + i * 7_000,
      ),
    );
    assert.equal(stories.flat().length, 100);

    const env = edgeEnv(await proxy.start(), TEST_KEYS.edge, {
      PLANTFLOW_EDGE_BATCH_SIZE: '10',
      PLANTFLOW_EDGE_TIMEOUT_MS: '2000',
      PLANTFLOW_EDGE_RETRY_INITIAL_MS: '500',
      PLANTFLOW_EDGE_RETRY_MAX_MS: '5000',
      PLANTFLOW_EDGE_REPORT_EVERY_MS: '1000',
    });
    edge = await spawnEdgeProcess(env);
    const edges = async (): Promise<EdgeHealth[]> =>
      (await api.inject({ method: 'GET', url: '/edges?site=1710', headers: bearer(TEST_KEYS.viewer) })).json().edges;
    const ours = (list: EdgeHealth[]) => list.find((e) => e.edgeId === 'edge-1710');
    await eventually(edges, (list) => ours(list)?.state === 'ok', 30_000, 200);

    // The WAN goes down. The MES keeps reporting to the edge, in chunks, a little out of order.
    proxy.cut();
    const cutAt = Date.now();
    const dice = seeded(14);
    const queue = stories.flatMap((story) => story.map((event, i) => ({ event, key: i + dice() * 3 })));
    queue.sort((a, b) => a.key - b.key); // orders interleaved, neighbours within an order sometimes swapped
    const report = async (events: EdgeMesEventInput[]) => {
      const single = events.length === 1;
      const res = await fetch(`${edge!.url}/mes/events`, {
        method: 'POST',
        headers: { ...asMes, 'content-type': 'application/json' },
        body: JSON.stringify(single ? events[0] : { events }),
      });
      assert.equal(res.status, 202, await res.clone().text());
      const answers = single ? [await res.json()] : ((await res.json()) as { results: unknown[] }).results;
      for (const a of answers as Array<{ outcome: string }>) assert.equal(a.outcome, 'stored');
    };
    let sent = 0;
    while (sent < queue.length) {
      const n = 1 + Math.floor(dice() * 6);
      await report(queue.slice(sent, sent + n).map((q) => q.event));
      sent += n;
      await new Promise((r) => setTimeout(r, 1_500));
    }
    const edgeStatus = async (): Promise<EdgeStatus> =>
      (await (await fetch(`${edge!.url}/edge/status`, { headers: asViewer })).json()) as EdgeStatus;
    const during = await edgeStatus();
    assert.equal(during.backlog.events, 100, 'every event waits at the edge');
    assert.equal(during.backlog.orders, ORDERS);
    assert.match(during.central.lastError ?? '', /unreachable/);

    // The central site sees the edge go silent, with the last backlog it heard of.
    const silent = await eventually(edges, (list) => ours(list)?.state === 'silent', 60_000, 500);
    // What it heard last is the last report that crossed the link before the cut (none crossed after).
    const lastPassed = proxy.passed.filter((r) => r.method === 'PUT' && r.path === '/edges/1710/edge-1710').at(-1)!;
    assert.equal(ours(silent)!.reportedAt, (JSON.parse(lastPassed.body) as EdgeHealth).reportedAt);
    const health = (await api.inject({ method: 'GET', url: '/health' })).json();
    assert.equal(health.status, 'degraded');
    assert.equal(health.edges.find((e: EdgeHealth) => e.edgeId === 'edge-1710').state, 'silent');
    for (const ref of refs) assert.equal((await stack.orders.status('1710', ref)).execution?.acceptedEvents, 0);

    await new Promise((r) => setTimeout(r, Math.max(0, CUT_MS - (Date.now() - cutAt))));

    // The link returns. The first batch reaches the central site, its answer does not reach the edge: the
    // edge dies (SIGKILL) mid-forward, with every event still in its backlog.
    proxy.holdAnswers();
    const held = await proxy.nextHeld('POST', '/mes/events');
    await edge.kill();
    const heldIds = (JSON.parse(held.requestBody) as { events: EdgeMesEventInput[] }).events.map((e) => e.eventId);
    assert.equal(held.status, 200, held.answer);
    const config = edgeConfig(env);
    const killed = EdgeStore.openReadOnly(config.database, config.site, { maxEvents: 1e6, maxBytes: 1e9 });
    assert.equal(killed.backlog.events, 100, 'the killed edge had settled nothing');
    killed.close();
    proxy.restore();

    edge = await spawnEdgeProcess(env);
    const reconnectedAt = Date.now();
    const drained = await eventually(edgeStatus, (s) => s.backlog.events === 0, 120_000, 250);
    // The new edge resent the batch whose answer died with the old one (the central API answers a resent
    // batch from Temporal's update dedup, or from the order's own dedup state: applied once either way).
    const resent = proxy.passed
      .filter((r) => r.path === '/mes/events')
      .flatMap((r) => (JSON.parse(r.body) as { events: EdgeMesEventInput[] }).events.map((e) => e.eventId));
    for (const id of heldIds) assert.ok(resent.includes(id), `held event ${id} resent after the restart`);
    assert.equal(new Set(resent).size, 100, 'the restarted edge forwarded every event');
    assert.equal(drained.forwarded.accepted + drained.forwarded.duplicate, 100);
    assert.equal(drained.forwarded.refused, 0);
    assert.equal(drained.refusals.total, 0);

    for (const [i, ref] of refs.entries()) {
      const story = stories[i]!;
      const status = await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.status === 'completed',
        180_000,
      );
      // Every event applied exactly once.
      assert.equal(status.execution?.acceptedEvents, story.length, `${ref}: events applied`);
      assert.equal(status.execution?.dedupEntries, story.length);
      const timeline = await stack.orders.timeline('1710', ref);
      const mesEntries = timeline.filter((e) => e.eventId);
      assert.deepEqual(
        mesEntries.map((e) => e.outcome).filter((o) => o !== 'accepted'),
        [],
        `${ref}: nothing refused`,
      );
      assert.deepEqual(
        mesEntries.map((e) => e.eventId).sort(),
        story.map((e) => e.eventId).sort(),
        `${ref}: each event once in the timeline`,
      );
      const times = timeline.map((e) => Date.parse(e.effectiveAt));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        `${ref}: timeline in effectiveAt order`,
      );
      for (const e of mesEntries) assert.ok(Date.parse(e.recordedAt) >= cutAt, 'recordedAt is the edge receipt');
    }

    // Every posting exists exactly once in SAP and Odoo, applied in the order the process needs.
    const sapWrites = await stack.sims.sap.writes({ applied: true });
    for (const [i, order] of orders.entries()) {
      const story = stories[i]!;
      const sapOrder = order.erp.sapOrder;
      const movements = sapWrites
        .filter((w) => w.operation === 'A_MaterialDocumentHeader.create')
        .map((w) => ({
          seq: w.seq,
          item: (w.body as { to_MaterialDocumentItem: { results: Array<Record<string, string>> } })
            .to_MaterialDocumentItem.results[0]!,
        }))
        .filter((m) => m.item.ManufacturingOrder === sapOrder);
      const confirmations = sapWrites
        .filter((w) => w.operation === 'ProdnOrdConf2.create')
        .map((w) => ({ seq: w.seq, body: w.body as Record<string, string | boolean> }))
        .filter((c) => c.body.OrderID === sapOrder);
      const consumed = story.filter((e) => e.type === 'MaterialConsumed');
      const issues = movements.filter((m) => m.item.GoodsMovementType === '261');
      assert.deepEqual(
        issues.map((m) => `${m.item.Material} ${Number(m.item.QuantityInEntryUnit)}`),
        consumed.map((e) => `${e.payload.material} ${Number(e.payload.quantity.value)}`),
        `${sapOrder}: one goods issue per consumption, in effectiveAt order`,
      );
      assert.equal(movements.filter((m) => m.item.GoodsMovementType === '101').length, 2, 'one goods receipt per lot');
      assert.deepEqual(
        confirmations.map((c) => `${String(c.body.OrderOperation)} ${Number(c.body.ConfirmationYieldQuantity)}`),
        story
          .filter((e) => e.type === 'OperationCompleted')
          .map((e) => `${e.correlation.operation} ${Number(e.payload.yield.value)}`),
        `${sapOrder}: one confirmation per completion, in effectiveAt order`,
      );
      const lastResin = issues.filter((m) => m.item.Material === 'RM-400').at(-1)!;
      const final0020 = confirmations.find((c) => c.body.OrderOperation === '0020')!;
      assert.ok(
        lastResin.seq < final0020.seq,
        `${sapOrder}: the backflushed resin was issued before 0020's final confirmation`,
      );
    }
    const events = stories.flat();
    const count = (type: EdgeMesEventInput['type']) => events.filter((e) => e.type === type).length;
    const sap = await stack.writeCounts('sap');
    assert.equal(sap['ProdnOrdConf2.create'], count('OperationCompleted'));
    assert.equal(sap['A_MaterialDocumentHeader.create'], count('MaterialConsumed') + count('MaterialProduced'));
    const odoo = await stack.writeCounts('odoo');
    assert.equal(odoo['mrp.workorder.button_start'], count('OperationStarted'));
    assert.equal(odoo['mrp.workorder.button_finish'], 2 * ORDERS);
    assert.equal(odoo['stock.move.line.load'], count('MaterialConsumed') + count('MaterialProduced'));
    // Odoo holds one finished lot per MO: each lot after the first goes on a backorder, each MO is marked done.
    assert.equal(odoo['mrp.production.button_mark_done'], count('MaterialProduced'));

    // Each finished lot takes its received goods into quarantine in Odoo and waits for QA.
    for (const e of events.filter((x) => x.type === 'MaterialProduced')) {
      const lot = await eventually(
        // The lot's run starts with the order's posting of it: until then there is none to ask.
        () => stack.plantflow.lots.status('FG-100', e.correlation.lotId!).catch(() => undefined),
        (l) => l?.registration.quarantine === 'done',
        60_000,
        250,
      );
      assert.equal(lot?.status, 'restricted', `${e.correlation.lotId}: restricted until QA decides`);
    }

    // The central site hears from the edge again, with an empty backlog.
    const back = await eventually(
      edges,
      (list) => ours(list)?.state === 'ok' && ours(list)?.backlog.events === 0,
      30_000,
      250,
    );
    assert.ok(Date.parse(ours(back)!.lastContactAt) >= reconnectedAt);
    assert.equal(ours(back)!.forwarded.accepted + ours(back)!.forwarded.duplicate, 100);

    // The plant decommissions the edge: an operator retires it, and the central site stops expecting it.
    await edge.stop();
    edge = undefined;
    const retire = () =>
      api.inject({ method: 'DELETE', url: '/edges/1710/edge-1710', headers: bearer(TEST_KEYS.operator) });
    const retired = await retire();
    assert.equal(retired.statusCode, 200, retired.body);
    await eventually(edges, (list) => ours(list) === undefined, 30_000, 250);
    const after = (await api.inject({ method: 'GET', url: '/health' })).json();
    assert.equal(
      after.edges.find((e: EdgeHealth) => e.edgeId === 'edge-1710'),
      undefined,
      'no longer in /health',
    );
    assert.equal((await retire()).statusCode, 404, 'retired once');
  });
});
