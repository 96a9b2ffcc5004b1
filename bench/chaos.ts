// `npm run chaos`: S1 orders through the HTTP API while (R1) the worker processes are SIGKILLed every 20 s,
// ten times, (R2) the Temporal server restarts once, (R3) SAP answers 503 for 60 s then fails 30 % of calls,
// and (R4) every MES event is sent three times, 20 % out of order; the simulators are SIGKILLed too. Then
// every posting is counted in the simulators' persisted state files: exit 1 on any duplicate or missing one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { MesEventInput } from '../domain/events';
import type { ProductionOrderInput } from '../domain/order';
import { mulberry32 } from '../simulators/shared/faults';
import { SimulatorAdmin } from '../simulators/shared/admin-client';
import { spawnSimulators } from '../test/support/sim-process';
import { BENCH_LOTS, benchLotId, bookBenchSupply, plannedOrder, s1Events } from './load/s1';
import { pool, Progress } from './progress';
import { machine, writeResults } from './results';
import { bundleBenchWorkflows, ensureBuild } from './stack/build';
import { Plant } from './stack/plant';
import { startTemporal, type ServerKind } from './stack/temporal';

interface Options {
  orders: number;
  server: ServerKind;
  quick: boolean;
  keep: boolean;
}

function options(): Options {
  const o = new Command('chaos')
    .option('--orders <n>', 'S1 orders under fire', Number, 30)
    .addOption(new Option('--server <kind>', 'Temporal server').choices(['dev', 'postgres']).default('dev'))
    .option('--quick', 'fewer orders and shorter faults (a smoke run)', false)
    .option('--keep', 'keep the run folder', false)
    .parse()
    .opts<Options>();
  return o.quick ? { ...o, orders: 4 } : o;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What an S1 order must leave in SAP and Odoo, exactly once each. */
const EXPECTED_CONSUMPTION: Record<string, number> = {
  [BENCH_LOTS.heatA]: 60,
  [BENCH_LOTS.heatB]: 40,
  [BENCH_LOTS.impeller]: 100,
  [BENCH_LOTS.resin]: 25,
};

interface Tally {
  exactlyOnce: number;
  duplicated: string[];
  missing: string[];
}

/** R4's shop floor: each event three times, one in five swapped with its successor (before the last two). */
function shuffled(events: MesEventInput[], dice: () => number): MesEventInput[] {
  const out = [...events];
  // The last final confirmation and the production stay last: after them the order completes and refuses events.
  for (let i = 0; i < out.length - 3; i++) {
    if (dice() < 0.2) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  }
  return out;
}

async function main(): Promise<void> {
  const o = options();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  ensureBuild();
  const dir = mkdtempSync(join(tmpdir(), 'plantflow-chaos-'));
  const dice = mulberry32(1710);
  const temporal = await startTemporal(o.server, join(dir, 'temporal'));
  const bundle = await bundleBenchWorkflows(dir);
  let plant: Plant | undefined;
  let exitCode = 1;
  try {
    plant = await Plant.start({ temporalAddress: temporal.address, dir: join(dir, 'plant'), workflowBundle: bundle });
    const p = plant;
    await bookBenchSupply(p);
    const tag = Date.now().toString(36).toUpperCase().slice(-5);
    const orders: ProductionOrderInput[] = [];
    for (let i = 0; i < o.orders; i++) orders.push(await plannedOrder(p, `CH-${tag}-${i}`));
    const lots = orders.map((_, i) => benchLotId(`C${tag}`, i));

    const planner = p.http('planner');
    const mesApi = p.http('mes');
    const answers: Record<string, number> = {};
    /** Resends until the API answers (a 5xx or no connection while the server restarts): what an MES does. */
    const deliver = async (path: string, body: unknown, client = mesApi): Promise<unknown> => {
      for (;;) {
        try {
          const r = await client.post(path, body);
          if (r.status < 500) {
            const key = `${r.status} ${(r.data as { outcome?: string; code?: string }).outcome ?? (r.data as { code?: string }).code ?? ''}`;
            answers[key] = (answers[key] ?? 0) + 1;
            return r.data;
          }
        } catch {
          // connection refused while the API's Temporal link is down: try again
        }
        await sleep(1_000);
      }
    };

    // The faults run beside the load, on a schedule from its start.
    const t0 = Date.now();
    const killEvery = o.quick ? 10_000 : 20_000;
    const kills = o.quick ? 2 : 10;
    const sap = new SimulatorAdmin(p.sims.urls.sap);
    const log: string[] = [];
    const note = (s: string) => log.push(`${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s  ${s}`);
    let killsDone = 0;
    let serverRestarts = 0;
    let simKills = 0;
    const faults = (async () => {
      const outageSeconds = o.quick ? 15 : 60;
      await sap.setFaults({
        outages: [{ from: Date.now() + 5_000, to: Date.now() + 5_000 + outageSeconds * 1_000, status: 503 }],
      });
      note(`R3: SAP answers 503 for ${outageSeconds} s from 5 s`);
      for (let k = 1; k <= kills; k++) {
        await sleep(t0 + k * killEvery - Date.now());
        await p.killWorkers();
        killsDone++;
        note(`R1: worker processes SIGKILLed and restarted (${k}/${kills})`);
        if (k === 3) {
          await sap.setFaults({ errorRate: 0.3, errorStatus: 503, seed: 1710 });
          note('R3: SAP now fails 30 % of calls');
        }
        if (k === Math.ceil(kills / 2)) {
          await temporal.restart();
          serverRestarts++;
          note('R2: Temporal server restarted');
          const ports = p.sims.ports;
          await p.sims.kill();
          p.sims = await spawnSimulators({ dataDir: join(dir, 'plant', 'plant'), compiled: true, ports });
          simKills++;
          await new SimulatorAdmin(p.sims.urls.sap).setFaults({ errorRate: 0.3, errorStatus: 503, seed: 1711 });
          note('simulators SIGKILLed and restarted on their state files (SAP still failing 30 %)');
        }
      }
    })();

    const progress = new Progress(`chaos: ${o.orders} S1 orders (${o.server})`, o.orders, 'orders');
    await pool(o.orders, 4, async (i) => {
      const order = orders[i]!;
      await deliver('/orders', order, planner);
      const events = shuffled(
        s1Events(order.orderRef, lots[i]!).map((make) => make()),
        dice,
      );
      for (const e of events) {
        // Three copies: two at once, one a moment later (a retrying MES and a resend after a timeout).
        await Promise.all([deliver('/mes/events', e), deliver('/mes/events', e)]);
        await deliver('/mes/events', e);
      }
      progress.tick();
    });
    progress.finish();
    await faults;
    await new SimulatorAdmin(p.sims.urls.sap).clearFaults();
    note('faults cleared; waiting for every order to finish');

    // Every order completed (or parked with a reason), every lot registered.
    const waiting = new Progress('chaos: orders settling', o.orders, 'orders');
    const outcome = new Map<string, string>();
    const deadline = Date.now() + (o.quick ? 300_000 : 600_000);
    while (outcome.size < o.orders && Date.now() < deadline) {
      for (const [i, order] of orders.entries()) {
        if (outcome.has(order.orderRef)) continue;
        const s = await planner.get(`/orders/1710/${order.orderRef}`).catch(() => undefined);
        const view = s?.data as
          { status?: string; needsAttention?: boolean; parked?: Array<{ reason?: string }> } | undefined;
        if (view?.needsAttention)
          outcome.set(order.orderRef, `parked: ${view.parked?.map((x) => x.reason).join('; ')}`);
        else if (view?.status === 'completed' || view?.status === 'closed') {
          const lot = await planner.get(`/lots/FG-100/${lots[i]}`).catch(() => undefined);
          if ((lot?.data as { status?: string } | undefined)?.status === 'restricted')
            outcome.set(order.orderRef, 'completed');
        } else if (view?.status && ['aborted', 'release_failed', 'cancelled'].includes(view.status))
          outcome.set(order.orderRef, view.status);
      }
      waiting.set(outcome.size);
      if (outcome.size < o.orders) await sleep(3_000);
    }
    waiting.finish();
    const failedRuns = await countFailedRuns(p, tag);

    // The count: in the persisted state files, after one more SIGKILL (nothing is flushed on the way out).
    await p.sims.kill();
    const stateDir = join(dir, 'plant', 'plant', 'simulators');
    const sapState = JSON.parse(readFileSync(join(stateDir, 'sap.json'), 'utf8')) as SapFile;
    const odooState = JSON.parse(readFileSync(join(stateDir, 'odoo.json'), 'utf8')) as OdooFile;
    const tally = countPostings(orders, sapState, odooState);
    const completed = [...outcome.values()].filter((v) => v === 'completed').length;
    const parked = [...outcome.values()].filter((v) => v.startsWith('parked'));
    const unsettled = orders.filter((x) => !outcome.has(x.orderRef)).map((x) => x.orderRef);
    const other = [...outcome.entries()].filter(([, v]) => v !== 'completed' && !v.startsWith('parked'));

    process.stdout.write(`\n${log.join('\n')}\n\n`);
    const lines = [
      [
        'R1 worker kills (SIGKILL, all groups)',
        `${killsDone} (every ${killEvery / 1000} s); ${p.restartsAfterExit} restarts of a worker that exited while starting`,
      ],
      ['R2 Temporal server restarts', `${serverRestarts} (${temporal.description})`],
      ['R3 SAP 503 window, then 30 % failures', 'yes'],
      ['R4 MES events sent three times, 20 % out of order', `answers ${JSON.stringify(answers)}`],
      ['simulators SIGKILLed (mid-run and before the count)', `${simKills + 1}`],
      ['orders completed, lot registered', `${completed} of ${o.orders}`],
      ['orders parked with a reason', `${parked.length}${parked.length ? `: ${parked.join(' | ')}` : ''}`],
      [
        'orders failed / aborted / unsettled',
        `${failedRuns} failed runs; ${other.map(([r, v]) => `${r} ${v}`).join(', ') || 'none'}; unsettled ${unsettled.join(', ') || 'none'}`,
      ],
      ['postings exactly once (persisted state)', String(tally.exactlyOnce)],
      [
        'postings duplicated',
        `${tally.duplicated.length}${tally.duplicated.length ? `: ${tally.duplicated.join('; ')}` : ''}`,
      ],
      ['postings missing', `${tally.missing.length}${tally.missing.length ? `: ${tally.missing.join('; ')}` : ''}`],
    ];
    for (const [k, v] of lines) process.stdout.write(`${k!.padEnd(52)} ${v}\n`);
    // A parked order's postings stop where it parked: missing ones there are the operator's, not lost.
    const ok =
      tally.duplicated.length === 0 &&
      tally.missing.length === 0 &&
      failedRuns === 0 &&
      unsettled.length === 0 &&
      other.length === 0;
    const file = writeResults(o.quick ? 'chaos-quick' : 'chaos', {
      options: o,
      server: temporal.description,
      seconds: Math.round((Date.now() - t0) / 1000),
      timeline: log,
      figures: Object.fromEntries(lines),
      exactlyOnce: tally.exactlyOnce,
      duplicated: tally.duplicated,
      missing: tally.missing,
      ok,
    });
    const m = machine();
    process.stdout.write(`\n${ok ? 'PASS' : 'FAIL'}: machine ${m.cpu}, ${m.memoryGiB} GiB; results in ${file}\n`);
    exitCode = ok ? 0 : 1;
  } finally {
    await plant?.stop().catch(() => undefined);
    await temporal.stop();
    if (o.keep) process.stderr.write(`run folder kept: ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

async function countFailedRuns(plant: Plant, tag: string): Promise<number> {
  const { count } = await plant.temporal.workflow.count(
    `ExecutionStatus = 'Failed' AND (OrderRef STARTS_WITH 'CH-${tag}' OR LotId STARTS_WITH 'LC${tag}')`,
  );
  return Number(count);
}

interface SapFile {
  confirmations: Array<{ OrderID: string; OrderOperation: string; IsReversed: boolean; IsReversal: boolean }>;
  materialDocuments: Array<{
    items: Array<{
      ManufacturingOrder: string;
      GoodsMovementType: string;
      Batch: string;
      QuantityInEntryUnit: string;
      GoodsMovementIsCancelled: boolean;
    }>;
  }>;
}
interface OdooFile {
  state: { records: Record<string, Record<string, Record<string, unknown>>> };
}

/** Each S1 posting in the ERPs' persisted state: two SAP confirmations, four goods issues and one receipt, Odoo's consumed quantity per lot (and none of any other lot). */
function countPostings(orders: ProductionOrderInput[], sap: SapFile, odoo: OdooFile): Tally {
  const tally: Tally = { exactlyOnce: 0, duplicated: [], missing: [] };
  const check = (what: string, found: number, expected = 1) => {
    if (found === expected) tally.exactlyOnce++;
    else if (found > expected) tally.duplicated.push(`${what} ×${found / expected}`);
    else tally.missing.push(`${what} (${found} of ${expected})`);
  };
  const rec = odoo.state.records;
  const moByName = new Map(Object.values(rec['mrp.production'] ?? {}).map((m) => [m.name as string, m.id as number]));
  const lotName = new Map(Object.values(rec['stock.lot'] ?? {}).map((l) => [l.id as number, l.name as string]));
  const moves = rec['stock.move'] ?? {};
  for (const order of orders) {
    const sapOrder = order.erp.sapOrder;
    for (const op of ['0010', '0020'])
      check(
        `${order.orderRef} SAP confirmation ${op}`,
        sap.confirmations.filter(
          (c) => c.OrderID === sapOrder && c.OrderOperation === op && !c.IsReversal && !c.IsReversed,
        ).length,
      );
    const items = sap.materialDocuments
      .flatMap((d) => d.items)
      .filter((it) => it.ManufacturingOrder === sapOrder && !it.GoodsMovementIsCancelled);
    for (const lot of Object.keys(EXPECTED_CONSUMPTION))
      check(
        `${order.orderRef} SAP goods issue of ${lot}`,
        items.filter((it) => it.GoodsMovementType === '261' && it.Batch === lot).length,
      );
    check(`${order.orderRef} SAP goods receipt`, items.filter((it) => it.GoodsMovementType === '101').length);
    for (const it of items)
      if (it.GoodsMovementType === '261' && !(it.Batch in EXPECTED_CONSUMPTION))
        tally.duplicated.push(`${order.orderRef} SAP goods issue of ${it.Batch} (not reported by the MES)`);
    const mo = moByName.get(order.erp.odooMo);
    const consumed: Record<string, number> = {};
    for (const line of Object.values(rec['stock.move.line'] ?? {})) {
      const move = moves[String(line.move_id)];
      if (!move || move.raw_material_production_id !== mo) continue;
      const lot = lotName.get(line.lot_id as number);
      if (lot) consumed[lot] = (consumed[lot] ?? 0) + Number(line.quantity);
    }
    for (const [lot, expected] of Object.entries(EXPECTED_CONSUMPTION))
      check(`${order.orderRef} Odoo consumption of ${lot}`, consumed[lot] ?? 0, expected);
    // Any other lot on the order's components is consumed twice: Odoo's BoM backflush beside the MES's report.
    for (const [lot, quantity] of Object.entries(consumed))
      if (!(lot in EXPECTED_CONSUMPTION) && quantity > 0)
        tally.duplicated.push(`${order.orderRef} Odoo consumption of ${lot} (${quantity}, not reported by the MES)`);
  }
  return tally;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
