// `npm run bench`: speed and memory as ratios against baselines measured in the same run, so the numbers
// mean the same on a loaded 2-core sandbox and on a workstation. No timed assertions live in the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAxiosError } from 'axios';
import { Command, Option } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { bookBenchSupply } from './load/s1';
import { runMicro } from './modes/micro';
import { runP1 } from './modes/p1';
import { runP3 } from './modes/p3';
import { runP4 } from './modes/p4';
import { machine, printTable, writeResults, type Figure } from './results';
import { ensureBuild, bundleBenchWorkflows } from './stack/build';
import { Plant } from './stack/plant';
import { startTemporal, type ServerKind } from './stack/temporal';

const MODES = ['micro', 'p1', 'p3', 'p4'] as const;
type Mode = (typeof MODES)[number];

interface Options {
  quick: boolean;
  modes: Mode[];
  server: ServerKind[];
  orders: number;
  concurrency: number;
  events: number;
  p3Seconds: number;
  p3Rate: number;
  p3Orders: number;
  lots: number;
  maxCachedWorkflows?: number;
  workerHeapMb?: number;
  keep: boolean;
}

const list =
  <T extends string>(allowed: readonly T[]) =>
  (raw: string) => {
    const items = raw.split(',').map((s) => s.trim()) as T[];
    const bad = items.filter((i) => !allowed.includes(i));
    if (bad.length > 0) throw new Error(`unknown: ${bad.join(', ')} (choose from ${allowed.join(', ')})`);
    return items;
  };

function options(): Options {
  const cmd = new Command('bench')
    .description('plantflow against the engine: P1 throughput, P3 ingestion, P4 scale (and the micro ratios)')
    .option('--quick', 'a smoke run of a few minutes: few orders, events and lots', false)
    .addOption(new Option('--modes <list>', 'which to run').argParser(list(MODES)).default([...MODES]))
    .addOption(
      new Option('--server <list>', 'Temporal servers')
        .argParser(list<ServerKind>(['dev', 'postgres']))
        .default(['dev']),
    )
    .option('--orders <n>', 'P1: S1 orders per phase', Number, 40)
    .option('--concurrency <n>', 'P1 and P3: requests in flight', Number, 10)
    .option('--events <n>', 'P3: events per ratio phase (single, batch, raw)', Number, 600)
    .option('--p3-seconds <n>', 'P3: length of the sustained batch run (0: skip)', Number, 300)
    .option('--p3-rate <n>', 'P3: offered MES events per second in the sustained run', Number, 500)
    .option('--p3-orders <n>', 'P3: orders the sustained run spreads its events over', Number, 100)
    .option('--lots <n>', 'P4: open lots awaiting disposition', Number, 5_000)
    .option('--max-cached-workflows <n>', 'sticky cache of the workflow worker (default: the config default)', Number)
    .option('--worker-heap-mb <n>', "the workflow worker's --max-old-space-size (default: node's)", Number)
    .option('--keep', 'keep the run folder (logs, state) for a look afterwards', false);
  cmd.parse();
  const o = cmd.opts<Options>();
  if (o.quick) {
    return { ...o, orders: 4, concurrency: 4, events: 60, p3Seconds: 10, p3Rate: 20, p3Orders: 20, lots: 100 };
  }
  return o;
}

async function main(): Promise<void> {
  const o = options();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const figures: Figure[] = [];
  const servers: Record<string, string> = {};
  const started = Date.now();
  if (o.modes.includes('micro')) figures.push(...(await runMicro()));
  const stackModes = o.modes.filter((m) => m !== 'micro');
  if (stackModes.length > 0) {
    ensureBuild();
    const dir = mkdtempSync(join(tmpdir(), 'plantflow-bench-'));
    const bundle = await bundleBenchWorkflows(dir);
    const tag = Date.now().toString(36).toUpperCase().slice(-5);
    try {
      for (const kind of o.server) {
        const serverDir = join(dir, kind);
        const temporal = await startTemporal(kind, serverDir);
        servers[kind] = temporal.description;
        try {
          for (const mode of stackModes) {
            // Each mode gets a fresh plant (processes, simulators) so one does not measure another's leftovers.
            const plant = await Plant.start({
              temporalAddress: temporal.address,
              dir: join(serverDir, mode),
              workflowBundle: bundle,
              maxCachedWorkflows: o.maxCachedWorkflows,
              workerHeapMb: o.workerHeapMb,
            });
            try {
              await bookBenchSupply(plant);
              if (mode === 'p1')
                figures.push(
                  ...(await runP1(plant, { orders: o.orders, concurrency: o.concurrency, tag, server: kind })),
                );
              if (mode === 'p3')
                figures.push(
                  ...(await runP3(plant, {
                    events: o.events,
                    concurrency: o.concurrency,
                    seconds: o.p3Seconds,
                    rate: o.p3Rate,
                    sustainedOrders: o.p3Orders,
                    tag,
                    server: kind,
                  })),
                );
              if (mode === 'p4') figures.push(...(await runP4(plant, { lots: o.lots, tag, server: kind })));
            } finally {
              await plant.stop();
            }
          }
        } finally {
          await temporal.stop();
        }
      }
    } finally {
      if (o.keep) process.stderr.write(`run folder kept: ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(figures);
  const file = writeResults(o.quick ? 'quick' : 'bench', {
    options: o,
    servers,
    seconds: Math.round((Date.now() - started) / 1000),
    figures,
  });
  const m = machine();
  process.stdout.write(`\nmachine: ${m.cpu}, ${m.memoryGiB} GiB, node ${m.node}; results in ${file}\n`);
}

main().catch((err: unknown) => {
  console.error(isAxiosError(err) ? `${err.config?.method} ${err.config?.url}: ${err.message}` : err);
  process.exit(1);
});
