import { performance } from 'node:perf_hooks';
import { percentile } from '../measure';
import { Progress } from '../progress';
import type { Figure } from '../results';
import type { Plant } from '../stack/plant';

export interface P4Options {
  lots: number;
  tag: string;
  server: string;
}

const MiB = 1024 * 1024;

async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times;
}

/**
 * P4: N received lots started and registered (restricted in Odoo and SAP, awaiting disposition), with the
 * workflow worker's RSS sampled as they grow (its sticky cache sized by config); then status queries on
 * random lots and visibility count/list latency with all of them open.
 */
export async function runP4(plant: Plant, o: P4Options): Promise<Figure[]> {
  const lotId = (i: number) => `P${o.tag}${i.toString(36).toUpperCase()}`.slice(0, 10);
  const query = `WorkflowType = 'materialLot' AND LotStatus = 'restricted' AND LotId STARTS_WITH 'P${o.tag}'`;
  const count = async () => Number((await plant.temporal.workflow.count(query)).count);
  const worker = plant.workflowWorker;
  const rssStart = worker.rss();
  const curve: Array<{ lots: number; registered: number; rssMiB: number }> = [];
  const sample = async (started: number) => {
    const registered = await count();
    curve.push({ lots: started, registered, rssMiB: Math.round(worker.rss() / MiB) });
    return registered;
  };

  // Lots are opened the way a plant receives them, a window at a time: at most `window` lots registering at
  // once, fewer than the sticky cache holds. Thousands of lots registering at once would each be evicted
  // between their workflow tasks and replayed for every one of them (measured: 3 lots/s at 1,000 in flight).
  const cache = plant.config.worker.maxCachedWorkflows;
  const window = Math.max(2, Math.floor(cache / 2));
  const progress = new Progress(`P4 opening ${o.lots} lots, ${window} at a time (${o.server})`, o.lots, 'lots');
  const t0 = performance.now();
  let started = 0;
  let registered = 0;
  let nextSample = Math.max(1, Math.floor(o.lots / 20));
  const step = nextSample;
  const deadline = Date.now() + Math.max(600_000, o.lots * 200);
  const lanes = Array.from({ length: Math.min(16, o.lots) }, async () => {
    while (started < o.lots && Date.now() < deadline) {
      if (started - registered >= window) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const i = started++;
      await plant.plantflow.lots.receive({
        material: 'RM-300',
        lotId: lotId(i),
        site: '1710',
        quantity: { value: '100', uom: 'EA' },
        receivedBy: 'wh.kim',
        supplier: 'bench supplier',
        releaseWithin: '30 days',
      });
    }
  });
  let opening = true;
  // One lane counts the registered lots (a visibility count) and samples the worker's RSS as they grow.
  const counter = (async () => {
    while (opening) {
      registered = await count();
      if (registered >= nextSample) {
        curve.push({ lots: started, registered, rssMiB: Math.round(worker.rss() / MiB) });
        nextSample += step;
      }
      progress.set(registered, `${started} started, worker RSS ${Math.round(worker.rss() / MiB)} MiB`);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await Promise.all(lanes);
  const startSeconds = (performance.now() - t0) / 1000;
  while (registered < o.lots && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  opening = false;
  await counter;
  await sample(o.lots);
  const registeredSeconds = (performance.now() - t0) / 1000;
  progress.finish();

  const random = () => lotId(Math.floor(Math.random() * o.lots));
  const statusTimes = await timeEach(Math.min(300, o.lots * 2), () => plant.plantflow.lots.status('RM-300', random()));
  const viewer = plant.http('viewer');
  const httpTimes = await timeEach(Math.min(100, o.lots), async () => {
    const r = await viewer.get(`/lots/RM-300/${random()}`);
    if (r.status !== 200) throw new Error(`GET lot: ${r.status}`);
  });
  const countTimes = await timeEach(20, count);
  const listTimes = await timeEach(10, () => plant.plantflow.lots.list({ status: 'restricted', limit: 100 }));
  const rssEnd = worker.rss();
  const rssMax = Math.max(rssEnd, ...curve.map((c) => c.rssMiB * MiB));
  const others = plant.workers
    .filter((w) => w !== worker)
    .map((w) => `${w.name.split(' ')[0]} ${Math.round(w.rss() / MiB)}`);
  const p = (v: number[], q: number) => percentile(v, q).toFixed(0);
  return [
    {
      mode: `P4 ${o.server}`,
      name: `${o.lots} open lots: worker RSS`,
      subject: `${Math.round(rssMax / MiB)} MiB max, ${Math.round(rssEnd / MiB)} MiB at the end (cache ${plant.config.worker.maxCachedWorkflows} runs)`,
      baseline: `${Math.round(rssStart / MiB)} MiB idle; other workers ${others.join(', ')} MiB`,
      ratio: rssMax / rssStart,
      goal: '≤ 512 MiB',
      met: rssMax <= 512 * MiB && registered >= o.lots,
      values: {
        lots: o.lots,
        registered,
        rssStartMiB: Math.round(rssStart / MiB),
        rssMaxMiB: Math.round(rssMax / MiB),
        rssEndMiB: Math.round(rssEnd / MiB),
        maxCachedWorkflows: plant.config.worker.maxCachedWorkflows,
        curve: JSON.stringify(curve),
      },
    },
    {
      mode: `P4 ${o.server}`,
      name: 'lot status query',
      subject: `p50 ${p(statusTimes, 50)} ms, p99 ${p(statusTimes, 99)} ms (client); GET /lots p50 ${p(httpTimes, 50)} ms, p99 ${p(httpTimes, 99)} ms`,
      baseline: `visibility count p50 ${p(countTimes, 50)} ms, list of 100 p50 ${p(listTimes, 50)} ms`,
      goal: 'p99 ≤ 100 ms',
      met: percentile(statusTimes, 99) <= 100,
      values: {
        statusP50Ms: percentile(statusTimes, 50),
        statusP99Ms: percentile(statusTimes, 99),
        httpP50Ms: percentile(httpTimes, 50),
        httpP99Ms: percentile(httpTimes, 99),
        countP50Ms: percentile(countTimes, 50),
        countP99Ms: percentile(countTimes, 99),
        listP50Ms: percentile(listTimes, 50),
        listP99Ms: percentile(listTimes, 99),
      },
    },
    {
      mode: `P4 ${o.server}`,
      name: 'time to open the lots',
      subject: `${registeredSeconds.toFixed(0)} s until all ${o.lots} restricted in Odoo and SAP (${(registered / registeredSeconds).toFixed(1)} lots/s, ${window} registering at once)`,
      baseline: `${registered} of ${o.lots} registered; ERP rate limits off (zero-latency simulators), as P1`,
      values: { startSeconds, registeredSeconds, lotsPerSecond: registered / registeredSeconds, window },
    },
  ];
}
