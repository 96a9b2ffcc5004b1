import { performance } from 'node:perf_hooks';
import { externalConfirmationId } from '../../activities/sap/idempotency';
import { idempotencyKey, orderWorkflowId } from '../../domain/ids';
import type { MesEventInput } from '../../domain/events';
import { SimulatorAdmin } from '../../simulators/shared/admin-client';
import { BENCH_LOTS, mesEvent, plannedOrder, until } from '../load/s1';
import { percentile } from '../measure';
import { pool, Progress } from '../progress';
import type { Figure } from '../results';
import type { Plant } from '../stack/plant';

export interface P3Options {
  /** Events per ratio phase. */
  events: number;
  concurrency: number;
  /** Length of the sustained batch run (0: skip it). */
  seconds: number;
  /** Offered MES events per second in the sustained run. */
  rate: number;
  /** Orders the sustained run spreads its events over. */
  sustainedOrders: number;
  tag: string;
  server: string;
}

const BATCH = 20;

/**
 * The shop floor's realistic mix for orders in progress: mostly consumptions (an Odoo move line and an
 * SAP goods issue each), partial confirmations (an SAP confirmation each), the odd start (none after the
 * first). Orders are large enough that no mix ever reaches their quantity.
 */
function mixedEvent(orderRef: string, n: number): MesEventInput {
  const op = n % 2 ? '0010' : '0020';
  const roll = n % 20;
  if (roll < 13) {
    const lot = [BENCH_LOTS.heatA, BENCH_LOTS.heatB, BENCH_LOTS.impeller][n % 3]!;
    const material = lot === BENCH_LOTS.impeller ? 'RM-310' : 'RM-300';
    return mesEvent(
      orderRef,
      'MaterialConsumed',
      { lotId: lot },
      { material, quantity: { value: '1', uom: 'EA' }, operator: 'op.sam' },
    );
  }
  if (roll < 19)
    return mesEvent(
      orderRef,
      'OperationCompleted',
      { operation: op },
      { yield: { value: '1', uom: 'EA' }, final: false, operator: 'op.sam' },
    );
  return mesEvent(orderRef, 'OperationStarted', { operation: op }, { operator: 'op.sam' });
}

/** Orders released and in progress (set-up, not timed). */
async function releaseOrders(plant: Plant, prefix: string, count: number): Promise<string[]> {
  const progress = new Progress(`P3 set-up: ${count} orders`, count, 'orders');
  const refs: string[] = [];
  const planner = plant.http('planner');
  await pool(count, 4, async (i) => {
    const ref = `${prefix}-${i}`;
    const order = await plannedOrder(plant, ref, { quantity: { value: '1000000', uom: 'EA' } });
    const answer = await planner.post('/orders', order);
    if (answer.status !== 202) throw new Error(`release of ${ref}: ${answer.status} ${JSON.stringify(answer.data)}`);
    refs.push(ref);
    progress.tick();
  });
  for (const ref of refs)
    await until(
      () => planner.get(`/orders/1710/${ref}`).then((r) => r.data as { status: string }),
      (s) => s.status === 'released' || s.status === 'in_progress',
      `${ref} released`,
    );
  progress.finish();
  return refs;
}

/** Sends events, answers their outcomes ('accepted', 'rejected: …', 'HTTP 500', …). */
type Sender = (events: MesEventInput[]) => Promise<string[]>;

/** `total` events at `concurrency` requests in flight, `size` events per request (one order per batch). */
async function ingest(label: string, refs: string[], total: number, concurrency: number, size: number, send: Sender) {
  const progress = new Progress(label, total, 'events');
  const outcomes: Record<string, number> = {};
  let n = 0;
  const t0 = performance.now();
  await pool(Math.ceil(total / size), concurrency, async (i) => {
    const ref = refs[i % refs.length]!;
    const events = Array.from({ length: size }, () => mixedEvent(ref, n++));
    for (const outcome of await send(events)) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    progress.tick(size);
  });
  const seconds = (performance.now() - t0) / 1000;
  progress.finish(`${(total / seconds).toFixed(0)} events/s`);
  if ((outcomes.accepted ?? 0) < total) throw new Error(`${label}: outcomes ${JSON.stringify(outcomes)}`);
  return total / seconds;
}

/**
 * P3: MES events over `POST /mes/events` (one event per request, and batches) against the raw client path
 * (the same Updates from a Temporal client in the generator's process) at the same concurrency; then a
 * sustained run through the batch route, with the latency from each event's report to its SAP posting.
 */
export async function runP3(plant: Plant, o: P3Options): Promise<Figure[]> {
  const mesApi = plant.http('mes');
  const refs = await releaseOrders(plant, `P3-${o.tag}`, Math.max(o.concurrency * 2, 10));
  const describe = (r: { outcome: string; message?: string; reason?: string }) =>
    r.outcome === 'accepted' ? 'accepted' : `${r.outcome}: ${r.reason ?? r.message ?? ''}`;
  const httpSingle: Sender = async ([e]) => {
    const r = await mesApi.post('/mes/events', e);
    return [r.status === 200 ? describe(r.data as { outcome: string }) : `HTTP ${r.status} ${JSON.stringify(r.data)}`];
  };
  const rawSingle: Sender = async ([e]) => [describe(await plant.plantflow.orders.reportMesEvent(e!))];
  const httpBatch: Sender = async (events) => {
    const r = await mesApi.post('/mes/events', { events });
    const results = (r.data as { results?: Array<{ outcome: string }> }).results;
    return results ? results.map(describe) : events.map(() => `HTTP ${r.status} ${JSON.stringify(r.data)}`);
  };
  const rawBatch: Sender = async (events) => (await plant.plantflow.orders.reportMesEvents(events)).map(describe);

  const c = o.concurrency;
  // Raw first, then HTTP, then raw again: the mean of the two raw runs cancels the drift of a growing history.
  const raw1 = await ingest(`P3 raw client, single (${o.server})`, refs, o.events, c, 1, rawSingle);
  const http1 = await ingest(`P3 HTTP API, single (${o.server})`, refs, o.events, c, 1, httpSingle);
  const raw2 = await ingest(`P3 raw client, single (${o.server})`, refs, o.events, c, 1, rawSingle);
  const rawB1 = await ingest(`P3 raw client, batch (${o.server})`, refs, o.events * 4, c, BATCH, rawBatch);
  const httpB = await ingest(`P3 HTTP API, batch (${o.server})`, refs, o.events * 4, c, BATCH, httpBatch);
  const rawB2 = await ingest(`P3 raw client, batch (${o.server})`, refs, o.events * 4, c, BATCH, rawBatch);
  const raw = (raw1 + raw2) / 2;
  const rawB = (rawB1 + rawB2) / 2;
  const figures: Figure[] = [
    {
      mode: `P3 ${o.server}`,
      name: 'single events, HTTP vs raw',
      subject: `${http1.toFixed(0)} events/s over POST /mes/events (one event per request, ${c} in flight)`,
      baseline: `${raw.toFixed(0)} events/s raw client`,
      ratio: http1 / raw,
      goal: '≥ 0.9×',
      met: http1 / raw >= 0.9,
      values: { httpEventsPerSecond: http1, rawEventsPerSecond: raw, concurrency: c },
    },
    {
      mode: `P3 ${o.server}`,
      name: 'batches, HTTP vs raw',
      subject: `${httpB.toFixed(0)} events/s over POST /mes/events (batches of ${BATCH}, ${c} in flight)`,
      baseline: `${rawB.toFixed(0)} events/s raw client`,
      ratio: httpB / rawB,
      goal: '≥ 0.9×',
      met: httpB / rawB >= 0.9,
      values: { httpEventsPerSecond: httpB, rawEventsPerSecond: rawB, batch: BATCH, concurrency: c },
    },
  ];
  if (o.seconds > 0) figures.push(...(await sustained(plant, o)));
  return figures;
}

/**
 * The sustained run: `rate` events/s offered through the batch route for `seconds` (one request of up to
 * 500 events every 200 ms, many orders, the mix above), then the postings' catch-up. Latency is measured
 * for confirmations: the event's recordedAt to the SAP simulator's journal entry of its confirmation.
 */
async function sustained(plant: Plant, o: P3Options): Promise<Figure[]> {
  const refs = await releaseOrders(plant, `P3S-${o.tag}`, o.sustainedOrders);
  const mesApi = plant.http('mes');
  const sap = new SimulatorAdmin(plant.sims.urls.sap);
  const sentAt = new Map<string, number>(); // confirmation GUID → when its event was reported
  const latencies: number[] = [];
  let lastSeq = (await sap.writes({ operation: 'ProdnOrdConf2.create' })).at(-1)?.seq ?? 0;
  const tail = async () => {
    const fresh = await sap.writes({ operation: 'ProdnOrdConf2.create', applied: true, after: lastSeq });
    for (const w of fresh) {
      lastSeq = Math.max(lastSeq, w.seq);
      const guid = String(
        (w.body as { ExternalSystemConfirmation?: string }).ExternalSystemConfirmation ?? '',
      ).toLowerCase();
      const t = sentAt.get(guid);
      if (t !== undefined) {
        latencies.push(Date.parse(w.at) - t);
        sentAt.delete(guid);
      }
    }
  };
  const tickMs = 200;
  const perTick = Math.max(1, Math.round((o.rate * tickMs) / 1000));
  const ticks = Math.round((o.seconds * 1000) / tickMs);
  const progress = new Progress(`P3 sustained ${o.rate}/s (${o.server})`, o.seconds, 's');
  let offered = 0;
  let accepted = 0;
  let unanswered = 0;
  let late = 0;
  let n = 0;
  let maxBacklog = 0;
  const inFlight = new Set<Promise<void>>();
  const t0 = Date.now();
  let tailing = tail();
  for (let k = 0; k < ticks; k++) {
    const due = t0 + k * tickMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else late++;
    const events = Array.from({ length: perTick }, () => mixedEvent(refs[n % refs.length]!, n++));
    for (const e of events)
      if (e.type === 'OperationCompleted') {
        const key = idempotencyKey(orderWorkflowId('1710', e.correlation.orderRef), `${e.eventId}/sap-confirmation`);
        sentAt.set(externalConfirmationId(key).toLowerCase(), Date.parse(e.recordedAt!));
      }
    offered += events.length;
    // Requests overlap when the API is slower than the tick: what a plant edge with a backlog does.
    const request = mesApi
      .post('/mes/events', { events })
      .then((r) => {
        accepted += ((r.data as { results?: Array<{ outcome: string }> }).results ?? []).filter(
          (x) => x.outcome === 'accepted',
        ).length;
      })
      // A request the API did not answer in time is counted, not fatal: the run measures what gets through.
      .catch(() => {
        unanswered += events.length;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
    if (k % 10 === 0) {
      await tailing;
      tailing = tail();
      maxBacklog = Math.max(maxBacklog, sentAt.size);
      progress.set(
        Math.round((Date.now() - t0) / 1000),
        `accepted ${accepted}, unanswered ${unanswered}, confirmations pending ${sentAt.size}, in flight ${inFlight.size}`,
      );
    }
  }
  await Promise.all(inFlight);
  const offeredSeconds = (Date.now() - t0) / 1000;
  progress.finish();
  // Catch-up: how long until every confirmation is posted (bounded to two minutes).
  const drain = new Progress('P3 postings catching up', sentAt.size, 'confirmations');
  const catchUpStart = Date.now();
  const pendingAtEnd = sentAt.size;
  while (sentAt.size > 0 && Date.now() - catchUpStart < 120_000) {
    await tailing;
    tailing = tail();
    drain.set(pendingAtEnd - sentAt.size);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await tailing;
  drain.finish();
  const catchUp = (Date.now() - catchUpStart) / 1000;
  const acceptedRate = accepted / offeredSeconds;
  const p50 = percentile(latencies, 50) / 1000;
  const p99 = percentile(latencies, 99) / 1000;
  return [
    {
      mode: `P3 ${o.server}`,
      name: `sustained ${o.seconds} s via batches`,
      subject: `${acceptedRate.toFixed(0)} events/s accepted (${accepted} of ${offered} offered over ${offeredSeconds.toFixed(0)} s, ${unanswered} in requests unanswered within 2 minutes, ${late} late ticks)`,
      baseline: `${o.rate} events/s offered`,
      ratio: acceptedRate / o.rate,
      goal: '≥ 500 events/s',
      met: acceptedRate >= 500 && o.rate >= 500,
      values: { offered, accepted, unanswered, offeredSeconds, rate: o.rate },
    },
    {
      mode: `P3 ${o.server}`,
      name: 'event → SAP posting',
      subject: `p50 ${p50.toFixed(1)} s, p99 ${p99.toFixed(1)} s over ${latencies.length} confirmations; backlog max ${maxBacklog}, ${sentAt.size} still unposted ${catchUp.toFixed(0)} s after the load`,
      baseline: 'goal p99 ≤ 5 s, backlog bounded',
      goal: 'p99 ≤ 5 s',
      met: p99 <= 5 && sentAt.size === 0,
      values: {
        p50Seconds: p50,
        p99Seconds: p99,
        confirmations: latencies.length,
        maxBacklog,
        unposted: sentAt.size,
        catchUpSeconds: catchUp,
      },
    },
  ];
}
