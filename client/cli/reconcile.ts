import type { Command } from 'commander';
import { connectClient } from '../../runtime/connection';
import { ReconciliationClient, type ReconciliationStatus } from '../reconciliation';
import { cliConfig, print } from './context';

/** The schedule lives in Temporal: these commands act on it directly, with the workers' configuration. */
async function withReconciliation<T>(fn: (r: ReconciliationClient, sites: string[]) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const client = await connectClient(config);
  try {
    return await fn(new ReconciliationClient(client, config.reconcile), config.sites);
  } finally {
    await client.connection.close();
  }
}

function sitesOf(option: string | undefined, configured: string[]): string[] {
  return option ? [option] : configured;
}

function describe(s: ReconciliationStatus): string {
  const lines = [
    `site ${s.site}: ${s.paused ? `PAUSED (${s.note ?? 'no note'})` : 'active'}, every ${s.interval}, ` +
      `${s.runsTaken} runs, ${s.skippedOverlapping} skipped (overlap)` +
      (s.nextRunAt && !s.paused ? `, next at ${s.nextRunAt}` : ''),
  ];
  if (s.running.length > 0) lines.push(`  running: ${s.running.join(', ')}`);
  for (const r of s.recent) {
    const o = r.outcome;
    const found = o
      ? `${o.orders} orders, ${o.lots} lots, ${o.drifts} drifts` +
        (o.drifts > 0
          ? ` (${Object.entries(o.byReason)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')})`
          : '') +
        (o.reapplied > 0 ? `, ${o.reapplied} re-applied` : '')
      : (r.status ?? '');
    lines.push(`  ${r.at} ${r.workflowId}: ${found}`);
  }
  return lines.join('\n');
}

export function reconcileCommand(program: Command): void {
  const reconcile = program
    .command('reconcile')
    .description('Scheduled reconciliation of plantflow with Odoo and SAP (drift becomes a business exception)');
  const eachSite =
    <O extends { site?: string }>(
      act: (r: ReconciliationClient, site: string, opts: O) => Promise<void>,
      done: string,
    ) =>
    (opts: O) =>
      withReconciliation(async (r, sites) => {
        for (const site of sitesOf(opts.site, sites)) {
          await act(r, site, opts);
          process.stdout.write(`reconciliation of site ${site} ${done}\n`);
        }
      });
  reconcile
    .command('run')
    .description('Run a reconciliation now (skipped if one is still running)')
    .option('--site <site>', 'one site (default: every configured site)')
    .action(eachSite((r, site) => r.run(site), 'triggered'));
  reconcile
    .command('pause')
    .description('Pause the schedule (e.g. while an ERP is being maintained)')
    .requiredOption('--reason <text>', 'why, shown in the Web UI and in status')
    .option('--site <site>', 'one site (default: every configured site)')
    .action(eachSite<{ site?: string; reason: string }>((r, site, o) => r.pause(site, o.reason), 'paused'));
  reconcile
    .command('resume')
    .description('Resume a paused schedule')
    .option('--reason <text>', 'note kept on the schedule', 'resumed from the plantflow CLI')
    .option('--site <site>', 'one site (default: every configured site)')
    .action(eachSite<{ site?: string; reason: string }>((r, site, o) => r.resume(site, o.reason), 'resumed'));
  reconcile
    .command('status')
    .description('The schedule and the last runs with what they found')
    .option('--site <site>', 'one site (default: every configured site)')
    .option('--json', 'print JSON')
    .action((opts: { site?: string; json?: boolean }) =>
      withReconciliation(async (r, sites) => {
        const all = await Promise.all(sitesOf(opts.site, sites).map((site) => r.status(site)));
        print(all, Boolean(opts.json), () => all.map(describe).join('\n'));
      }),
    );
}
