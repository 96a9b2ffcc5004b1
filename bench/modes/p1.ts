import { performance } from 'node:perf_hooks';
import type { ProductionOrderInput } from '../../domain/order';
import { TaskQueue } from '../../workflows/task-queues';
import { benchLotId, plannedOrder, runS1OrderOverHttp } from '../load/s1';
import { pool, Progress } from '../progress';
import { percentile } from '../measure';
import type { Figure } from '../results';
import type { BaselinePlan } from '../stack/baseline';
import type { Plant } from '../stack/plant';

export interface P1Options {
  orders: number;
  concurrency: number;
  /** Distinguishes this run's order and lot references from earlier runs on the same server. */
  tag: string;
  server: string;
}

/** The task queue of every activity in a run's history, with when it was scheduled. */
async function scheduledActivities(plant: Plant, workflowId: string): Promise<Array<{ at: number; queue: string }>> {
  const history = await plant.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const queue = e.activityTaskScheduledEventAttributes?.taskQueue?.name;
    const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
    return queue ? [{ at, queue }] : [];
  });
}

async function timed(
  label: string,
  n: number,
  concurrency: number,
  one: (i: number) => Promise<void>,
): Promise<{ seconds: number; latencies: number[] }> {
  const progress = new Progress(label, n, 'orders');
  const latencies: number[] = [];
  const t0 = performance.now();
  await pool(n, concurrency, async (i) => {
    const s = performance.now();
    await one(i);
    latencies.push(performance.now() - s);
    progress.tick(1, `${((latencies.length * 1000) / (performance.now() - t0)).toFixed(2)} orders/s`);
  });
  const seconds = (performance.now() - t0) / 1000;
  progress.finish();
  return { seconds, latencies };
}

/**
 * P1: N S1 orders (release, the nine MES events, completion, the lot registered) through the HTTP API at
 * concurrency C, against the engine baseline on the same server and task queues in the same run: a
 * workflow running, one after the other, the same activities as an S1 order and its lot, as no-ops.
 */
export async function runP1(plant: Plant, o: P1Options): Promise<Figure[]> {
  // Warm-up order (not timed): JIT, connections, caches; its history gives the baseline its plan.
  const warmRef = `P1W-${o.tag}`;
  const warmLot = benchLotId(`W${o.tag}`, 0);
  await runS1OrderOverHttp(plant, await plannedOrder(plant, warmRef), warmLot);
  const activities = [
    ...(await scheduledActivities(plant, `order:1710:${warmRef}`)),
    ...(await scheduledActivities(plant, `lot:FG-100:${warmLot}`)),
  ].sort((a, b) => a.at - b.at);
  const plan: BaselinePlan = { taskQueues: activities.map((a) => a.queue) };
  const perQueue: Record<string, number> = {};
  for (const q of plan.taskQueues) perQueue[q] = (perQueue[q] ?? 0) + 1;

  const prep = new Progress('P1 planner: orders in both ERPs', o.orders, 'orders');
  const orders: ProductionOrderInput[] = [];
  for (let i = 0; i < o.orders; i++) {
    orders.push(await plannedOrder(plant, `P1-${o.tag}-${i}`));
    prep.tick();
  }
  prep.finish();

  const baseline = await timed(`P1 baseline (${o.server})`, o.orders, o.concurrency, async (i) => {
    await plant.temporal.workflow.execute('engineBaseline', {
      taskQueue: TaskQueue.workflows,
      workflowId: `bench-baseline:${o.tag}:${i}`,
      args: [plan],
    });
  });
  const subject = await timed(`P1 plantflow (${o.server})`, o.orders, o.concurrency, (i) =>
    runS1OrderOverHttp(plant, orders[i]!, benchLotId(o.tag, i)),
  );
  const rate = (r: { seconds: number }) => o.orders / r.seconds;
  const ratio = rate(subject) / rate(baseline);
  const ms = (v: number) => `${(v / 1000).toFixed(1)} s`;
  return [
    {
      mode: `P1 ${o.server}`,
      name: 'orders/s vs engine',
      subject: `${rate(subject).toFixed(2)} orders/s (${o.orders} S1 orders at concurrency ${o.concurrency}, p50 ${ms(percentile(subject.latencies, 50))}, p99 ${ms(percentile(subject.latencies, 99))} per order)`,
      baseline: `${rate(baseline).toFixed(2)} orders/s baseline (${plan.taskQueues.length} no-op activities per order, p50 ${ms(percentile(baseline.latencies, 50))})`,
      ratio,
      goal: '≥ 0.85×',
      met: ratio >= 0.85,
      values: {
        orders: o.orders,
        concurrency: o.concurrency,
        plantflowOrdersPerSecond: rate(subject),
        baselineOrdersPerSecond: rate(baseline),
        plantflowSeconds: subject.seconds,
        baselineSeconds: baseline.seconds,
        activitiesPerOrder: plan.taskQueues.length,
        ...Object.fromEntries(Object.entries(perQueue).map(([q, n]) => [`activities:${q}`, n])),
        plantflowOrderP50Ms: percentile(subject.latencies, 50),
        plantflowOrderP99Ms: percentile(subject.latencies, 99),
        baselineOrderP50Ms: percentile(baseline.latencies, 50),
      },
    },
  ];
}
