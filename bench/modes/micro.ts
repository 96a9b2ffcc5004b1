// Micro ratios of `npm run bench`: the cost of single steps against baselines measured in the same run.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { applyMesEvent, initialExecution, type ExecutionState } from '../../domain/execution';
import { mesEventSchema } from '../../domain/events';
import { createSapActivities } from '../../activities/sap/activities';
import { createSapSimulator } from '../../simulators/sap';
import { createDataConverter } from '../../runtime/data-converter';
import { demoOrder, mes } from '../../test/support/orders';
import { TEST_CODEC } from '../../test/support/codec';
import { medianMs, type BenchResult } from '../measure';
import type { Figure } from '../results';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** Accepting an event when the order already has 5,000 behind it, versus a fresh order. */
async function dedupScaling(): Promise<BenchResult> {
  const order = demoOrder();
  let grown: ExecutionState = initialExecution(order);
  for (let i = 0; i < 5_000; i++)
    grown = applyMesEvent(order, grown, mesEventSchema.parse(mes.consumed('RM-300', 'H-1001', '1'))).state;
  const events = Array.from({ length: 200 }, () => mesEventSchema.parse(mes.consumed('RM-300', 'H-1001', '1')));
  const fresh = initialExecution(order);
  const perEvent = async (state: ExecutionState) => {
    for (const e of events) applyMesEvent(order, state, e);
  };
  const big = await medianMs(() => perEvent(grown));
  const small = await medianMs(() => perEvent(fresh));
  return {
    name: 'event at 5,000 events',
    ratio: big / small,
    subject: `${((big / events.length) * 1000).toFixed(1)} µs/event after 5,000 events`,
    baseline: `${((small / events.length) * 1000).toFixed(1)} µs/event on a fresh order`,
    note: 'cost of the dedup set and totals as an order grows (continue-as-new carries them)',
  };
}

/** Size of what continue-as-new carries after 5,000 events, versus after one (memory per cached order). */
async function carrySize(): Promise<BenchResult> {
  const order = demoOrder();
  let state = initialExecution(order);
  const one = applyMesEvent(order, state, mesEventSchema.parse(mes.consumed('RM-300', 'H-1001', '1'))).state;
  for (let i = 0; i < 5_000; i++)
    state = applyMesEvent(
      order,
      state,
      mesEventSchema.parse(mes.consumed('RM-300', i % 2 ? 'H-1001' : 'H-1002', '1')),
    ).state;
  const big = Buffer.byteLength(JSON.stringify(state));
  const small = Buffer.byteLength(JSON.stringify(one));
  return {
    name: 'carried state',
    ratio: big / small,
    subject: `${(big / 1024).toFixed(0)} KiB after 5,000 events`,
    baseline: `${(small / 1024).toFixed(1)} KiB after one`,
    note: 'grows with the dedup ids only (totals stay aggregated); Temporal payloads allow 2 MiB',
  };
}

/** Replaying the recorded S1 order history, per history event, versus the toolchain probe history. */
async function replayCost(): Promise<BenchResult> {
  const dir = resolve(__dirname, '../../test/replay/histories');
  const load = (f: string) => JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as { events: unknown[] };
  const order = load('order-s1-completed.json');
  const probe = load('fixture-toolchainProbe.json');
  const dataConverter = createDataConverter(TEST_CODEC);
  const plantflow = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet });
  const fixtures = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../test/fixtures/workflows'),
    logger: quiet,
  });
  const orderMs = await medianMs(() => Worker.runReplayHistory({ workflowBundle: plantflow, dataConverter }, order), 3);
  const probeMs = await medianMs(() => Worker.runReplayHistory({ workflowBundle: fixtures, dataConverter }, probe), 3);
  const perOrder = orderMs / order.events.length;
  const perProbe = probeMs / probe.events.length;
  return {
    name: 'replay per event',
    ratio: perOrder / perProbe,
    subject: `${perOrder.toFixed(2)} ms/event, S1 order (${order.events.length} events)`,
    baseline: `${perProbe.toFixed(2)} ms/event, one-activity probe (${probe.events.length} events)`,
    note: 'what a worker pays to rebuild an evicted order from its history',
  };
}

/** One idempotent SAP confirmation (CSRF + search by ExternalSystemConfirmation + create) versus one GET. */
async function sapPostingCost(): Promise<BenchResult> {
  const sim = createSapSimulator();
  const url = await sim.server.start(0);
  try {
    const sap = createSapActivities({ url, user: 'plantflow', password: 'plantflow', timeoutMs: 5_000 });
    const { createOrder, releaseOrder } = await import('../../simulators/sap/state/orders');
    const order = createOrder(
      sim.model,
      { Material: 'FG-100', ProductionPlant: '1710', TotalQuantity: '100000' },
      Date.now(),
    );
    releaseOrder(sim.model, order, Date.now());
    let n = 0;
    const post = () =>
      sap.sapPostConfirmation({
        order: order.ManufacturingOrder,
        operation: '0010',
        yield: { value: '1', uom: 'EA' },
        final: false,
        idempotencyKey: `bench/${++n}`,
      });
    const read = () => sap.sapReadProductionOrder({ order: order.ManufacturingOrder });
    const postMs = await medianMs(post, 15);
    const readMs = await medianMs(read, 15);
    return {
      name: 'SAP posting',
      ratio: postMs / readMs,
      subject: `${postMs.toFixed(1)} ms per exactly-once confirmation`,
      baseline: `${readMs.toFixed(1)} ms per order read`,
      note: 'price of idempotency (look up the key before creating) against the local simulator',
    };
  } finally {
    await sim.stop();
  }
}

/** The four micro ratios, as bench figures. */
export async function runMicro(): Promise<Figure[]> {
  const results = [await dedupScaling(), await carrySize(), await sapPostingCost(), await replayCost()];
  return results.map((r) => ({
    mode: 'micro',
    name: r.name,
    subject: r.subject,
    baseline: r.baseline,
    ratio: r.ratio,
    values: { note: r.note },
  }));
}
