// `npx ts-node bench/memory.ts [--lots 300] [--step 100] [--snapshot <dir>]`: what one cached lot run costs
// the workflow worker. Opens lots in steps with a sticky cache larger than all of them, and after each step
// (every lot registered and waiting for its disposition) reads the worker's heap after a full GC. The
// difference per step over the lots it added is the heap one cached run holds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { percentile } from './measure';
import { pool } from './progress';
import { bundleBenchWorkflows, ensureBuild } from './stack/build';
import { Plant } from './stack/plant';
import { startTemporal } from './stack/temporal';

const MiB = 1024 * 1024;
const KiB = 1024;

async function main(): Promise<void> {
  const o = new Command('bench-memory')
    .option('--lots <n>', 'lots opened in all', Number, 300)
    .option('--step <n>', 'lots per step', Number, 100)
    .option('--cache <n>', 'sticky cache (default: every lot stays cached)', Number)
    .option('--snapshot <dir>', 'write a heap snapshot of the worker after the last step into this folder')
    .parse()
    .opts<{ lots: number; step: number; cache?: number; snapshot?: string }>();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  ensureBuild();
  const dir = mkdtempSync(join(tmpdir(), 'plantflow-bench-memory-'));
  const temporal = await startTemporal('dev', join(dir, 'dev'));
  const plant = await Plant.start({
    temporalAddress: temporal.address,
    dir: join(dir, 'plant'),
    workflowBundle: await bundleBenchWorkflows(dir),
    maxCachedWorkflows: o.cache ?? o.lots + 100,
    workerHeapMb: 4096,
    env: { PLANTFLOW_BENCH_WORKFLOWS_IN_MAIN_THREAD: '1' },
  });
  try {
    const tag = Date.now().toString(36).toUpperCase().slice(-5);
    const lotId = (i: number) => `M${tag}${i.toString(36).toUpperCase()}`.slice(0, 10);
    const query = `WorkflowType = 'materialLot' AND LotStatus = 'restricted' AND LotId STARTS_WITH 'M${tag}'`;
    const worker = plant.workflowWorker;
    let before = await worker.memory();
    const line = (s: string) => process.stdout.write(`${s}\n`);
    line(
      `idle: heap ${(before.heapUsed / MiB).toFixed(1)} MiB, rss ${(before.rss / MiB).toFixed(0)} MiB, ` +
        `${before.nativeContexts} V8 contexts`,
    );
    for (let opened = 0; opened < o.lots;) {
      const n = Math.min(o.step, o.lots - opened);
      const from = opened;
      await pool(n, 16, async (i) => {
        await plant.plantflow.lots.receive({
          material: 'RM-300',
          lotId: lotId(from + i),
          site: '1710',
          quantity: { value: '100', uom: 'EA' },
          receivedBy: 'wh.kim',
          supplier: 'bench supplier',
          releaseWithin: '30 days',
        });
      });
      opened += n;
      while (Number((await plant.temporal.workflow.count(query)).count) < opened)
        await new Promise((r) => setTimeout(r, 500));
      const after = await worker.memory();
      line(
        `${opened} lots cached: heap ${(after.heapUsed / MiB).toFixed(1)} MiB (+${((after.heapUsed - before.heapUsed) / n / KiB).toFixed(0)} KiB per run), ` +
          `external +${((after.external - before.external) / n / KiB).toFixed(0)} KiB per run, rss ${(after.rss / MiB).toFixed(0)} MiB, ` +
          `${after.nativeContexts} V8 contexts`,
      );
      before = after;
    }
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await plant.plantflow.lots.status('RM-300', lotId(Math.floor(Math.random() * o.lots)));
      times.push(performance.now() - t);
    }
    line(
      `status query (cache ${plant.config.worker.maxCachedWorkflows}): p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`,
    );
    if (o.snapshot) {
      const report = await worker.memory(join(o.snapshot, `lots-${o.lots}.heapsnapshot`));
      line(`heap snapshot: ${report.snapshot}`);
    }
  } finally {
    await plant.stop();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
