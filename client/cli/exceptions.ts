import type { Command } from 'commander';
import { exceptionActionSchema, exceptionKindSchema, type BusinessException } from '../../domain/exceptions';
import { print, withOperations } from './context';

export function describeException(e: BusinessException): string {
  const seen = e.occurrences > 1 ? ` (seen ${e.occurrences}×, last ${e.lastSeenAt})` : '';
  const head = `${e.status === 'open' ? 'OPEN    ' : 'resolved'} ${e.site} ${e.exceptionId}`;
  const lines = [`${head}`, `  ${e.firstSeenAt}${seen}: ${e.summary}`, `  why: ${e.reason.code}: ${e.reason.message}`];
  if (e.resolution)
    lines.push(`  ${e.resolution.action} by ${e.resolution.by} on ${e.resolution.at}: ${e.resolution.reason}`);
  else lines.push(`  actions: ${e.actions.join(', ')}`);
  return lines.join('\n');
}

interface ListOptions {
  site?: string;
  status?: string;
  kind?: string;
  order?: string;
  lot?: string;
  material?: string;
  event?: string;
  limit: string;
  json?: boolean;
}

export function exceptionsCommand(program: Command): void {
  const exceptions = program
    .command('exceptions')
    .description('Business exceptions: events and requests plantflow could not apply, drift between systems');
  exceptions
    .command('list', { isDefault: true })
    .description('Exceptions, newest first, with open/total counts per kind (every configured site unless --site)')
    .option('--site <site>', 'one plant')
    .option('--status <status>', 'open or resolved')
    .option('--kind <kind>', `one kind (${exceptionKindSchema.options.join(', ')})`)
    .option('--order <orderRef>', 'about this order')
    .option('--lot <lotId>', 'about this lot')
    .option('--material <material>', 'about this material')
    .option('--event <eventId>', 'about this MES event')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (o: ListOptions) => {
      const status = o.status === undefined ? undefined : o.status === 'resolved' ? 'resolved' : 'open';
      if (o.status !== undefined && o.status !== status) throw new Error('--status is open or resolved');
      const kind = o.kind === undefined ? undefined : exceptionKindSchema.safeParse(o.kind).data;
      if (o.kind !== undefined && !kind) throw new Error(`--kind is one of ${exceptionKindSchema.options.join(', ')}`);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit is a positive whole number');
      const list = await withOperations((ops) =>
        ops.exceptions.list({
          site: o.site,
          status,
          kind,
          orderRef: o.order,
          lotId: o.lot,
          material: o.material,
          eventId: o.event,
          limit,
        }),
      );
      print(list, Boolean(o.json), () => {
        const counts = Object.entries(list.counts).map(([k, c]) => `${k} ${c.open} open / ${c.total}`);
        return [
          `sites ${list.sites.join(', ')}: ${counts.length ? counts.join(' · ') : 'no exceptions'}`,
          ...list.exceptions.map(describeException),
        ].join('\n');
      });
    });
  exceptions
    .command('decide <site> <exceptionId> <action>')
    .description(`Decide on an exception (${exceptionActionSchema.options.join(', ')}); the reason stays on record`)
    .requiredOption('--reason <text>', 'why')
    .option('--by <user>', 'who decides (default: the API key, or "cli")')
    .option('--json', 'print JSON')
    .action(
      async (site: string, exceptionId: string, action: string, o: { reason: string; by?: string; json?: boolean }) => {
        const parsed = exceptionActionSchema.safeParse(action);
        if (!parsed.success) throw new Error(`action is one of ${exceptionActionSchema.options.join(', ')}`);
        const decided = await withOperations((ops) =>
          ops.exceptions.decide(site, exceptionId, { action: parsed.data, reason: o.reason, by: o.by }),
        );
        print(decided, Boolean(o.json), () => describeException(decided));
      },
    );
}
