import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ProductionOrderInput } from '../../domain/order';
import type { OrderStatusReport } from '../orders';
import { waitForStatus } from '../wait';
import { print, WAIT_TIMEOUT_MS, withOperations } from './context';

function describeOrder(s: OrderStatusReport): string {
  const lines = [
    `${s.orderRef} at ${s.site}: ${s.status}${s.onHold ? ' (ON HOLD)' : ''}${s.needsAttention ? ' — NEEDS ATTENTION' : ''}`,
    s.order
      ? `  ${s.order.material} ${s.order.quantity.value} ${s.order.quantity.uom}; Odoo ${s.order.erp.odooMo}, SAP ${s.order.erp.sapOrder}`
      : '  (order not released yet)',
    `  release: ${s.release.map((r) => `${r.step} ${r.status}`).join(', ') || '—'}`,
  ];
  if (s.execution) {
    for (const op of Object.values(s.execution.operations)) {
      lines.push(
        `  op ${op.operation}: yield ${op.yield.value}, scrap ${op.scrap.value}, rework ${op.rework.value}${op.final ? ' (final)' : ''}`,
      );
    }
    lines.push(`  produced: ${s.execution.produced.map((p) => `${p.lotId} ${p.quantity.value}`).join(', ') || '—'}`);
  }
  lines.push(
    `  postings: ${JSON.stringify(s.postings.posted)} posted, ${s.postings.pending} pending, ${s.postings.parked} parked`,
  );
  for (const p of s.parked)
    lines.push(`  PARKED ${p.step}: ${p.failure.type} — ${p.failure.message} (since ${p.parkedAt})`);
  for (const h of s.holds) lines.push(`  HOLD ${h.holdId} by ${h.by}: ${h.reason}`);
  if (s.lots.length) lines.push(`  lots: ${s.lots.map((l) => `${l.lotId} ${l.disposition ?? 'pending'}`).join(', ')}`);
  if (s.failure) lines.push(`  reason: ${s.failure}`);
  return lines.join('\n');
}

export function orderCommand(program: Command): void {
  const order = program.command('order').description('production orders');

  order
    .command('release <file>')
    .description('release the canonical order in <file> (JSON)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const input = JSON.parse(readFileSync(file, 'utf8')) as ProductionOrderInput;
      const accepted = await withOperations((ops) => ops.orders.release(input));
      print(accepted, Boolean(opts.json), () => `released: ${accepted.workflowId} (run ${accepted.runId})`);
    });

  order
    .command('show <site> <orderRef>')
    .description('live status of an order')
    .option('--json', 'print JSON')
    .option('--timeline', 'print the canonical timeline too')
    .option('--wait <status>', 'first wait (up to 3 minutes) until the order reaches this status, e.g. completed')
    .action(async (site: string, ref: string, opts: { json?: boolean; timeline?: boolean; wait?: string }) => {
      const { status, timeline } = await withOperations(async (ops) => {
        const status = opts.wait
          ? await waitForStatus('order', `order ${ref}`, () => ops.orders.status(site, ref), opts.wait, {
              timeoutMs: WAIT_TIMEOUT_MS,
              notYet: ops.notFound,
            })
          : await ops.orders.status(site, ref);
        return { status, timeline: opts.timeline ? await ops.orders.timeline(site, ref) : undefined };
      });
      print({ status, timeline }, Boolean(opts.json), () =>
        [
          describeOrder(status),
          ...(timeline ?? []).map((t) => `  ${t.effectiveAt}  ${t.type.padEnd(20)} ${t.summary}`),
        ].join('\n'),
      );
    });

  order
    .command('resolve <site> <orderRef> <step>')
    .description('decide on a parked step: --action retry|skip|abort --reason … --by …')
    .requiredOption('--action <action>', 'retry, skip or abort')
    .requiredOption('--reason <reason>', 'why (kept in the history)')
    .requiredOption('--by <userId>', 'who decides')
    .action(
      async (
        site: string,
        ref: string,
        step: string,
        opts: { action: 'retry' | 'skip' | 'abort'; reason: string; by: string },
      ) => {
        const result = await withOperations((ops) => ops.orders.resolveParkedStep(site, ref, { step, ...opts }));
        print(result, false, () => `${result.step}: ${result.action}`);
      },
    );

  order
    .command('amend <site> <orderRef>')
    .description("correct the order's ERP references (before its release in the ERPs); retries the master data check")
    .option('--odoo-mo <name>', 'the Odoo manufacturing order')
    .option('--sap-order <number>', 'the SAP production order')
    .requiredOption('--reason <reason>', 'why (kept in the history)')
    .requiredOption('--by <userId>', 'who amends')
    .action(
      async (site: string, ref: string, opts: { odooMo?: string; sapOrder?: string; reason: string; by: string }) => {
        const erp = { odooMo: opts.odooMo, sapOrder: opts.sapOrder };
        const r = await withOperations((ops) => ops.orders.amend(site, ref, { erp, reason: opts.reason, by: opts.by }));
        print(r, false, () => `amended: Odoo ${r.erp.odooMo}, SAP ${r.erp.sapOrder} (${r.status})`);
      },
    );

  order
    .command('hold <site> <orderRef> <holdId>')
    .description('place a hold (no new dispatch; the plant is told)')
    .requiredOption('--reason <reason>', 'why')
    .requiredOption('--by <userId>', 'who')
    .action(async (site: string, ref: string, holdId: string, opts: { reason: string; by: string }) => {
      const r = await withOperations((ops) => ops.orders.placeHold(site, ref, { holdId, source: 'person', ...opts }));
      print(r, false, () => `holds active: ${r.holds}`);
    });

  order
    .command('lift <site> <orderRef> <holdId>')
    .description('lift a hold')
    .requiredOption('--reason <reason>', 'why')
    .requiredOption('--by <userId>', 'who')
    .action(async (site: string, ref: string, holdId: string, opts: { reason: string; by: string }) => {
      const r = await withOperations((ops) => ops.orders.liftHold(site, ref, { holdId, ...opts }));
      print(r, false, () => `holds active: ${r.holds}`);
    });

  order
    .command('complete <site> <orderRef>')
    .description('complete: --mode complete|backorder|short_close')
    .requiredOption('--mode <mode>', 'complete, backorder or short_close')
    .requiredOption('--by <userId>', 'who')
    .option('--reason <reason>', 'required for a short close')
    .action(
      async (
        site: string,
        ref: string,
        opts: { mode: 'complete' | 'backorder' | 'short_close'; by: string; reason?: string },
      ) => {
        const r = await withOperations((ops) => ops.orders.complete(site, ref, opts));
        print(r, false, () => `completion requested (status ${r.status})`);
      },
    );
}
