import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { edgeStatus, describeEdgeStatus } from '../../edge/status';
import { EdgeStore } from '../../edge/store';
import { runEdgeProcess } from '../../edge/main';
import { loadConfig, type EdgeConfig } from '../../runtime/config';
import { print } from './context';

/** Reads the edge's backlog file beside the running edge (or with the edge stopped: that is when it matters). */
function withStore<T>(fn: (store: EdgeStore, config: EdgeConfig) => T): T {
  const config = loadConfig().edge;
  if (!existsSync(config.database)) {
    throw new Error(`no edge backlog at ${config.database} (PLANTFLOW_EDGE_DB): has the edge run on this machine?`);
  }
  const store = EdgeStore.openReadOnly(config.database, config.site, {
    maxEvents: config.maxBacklogEvents,
    maxBytes: config.maxBacklogBytes,
  });
  try {
    return fn(store, config);
  } finally {
    store.close();
  }
}

export function edgeCommand(program: Command): void {
  const edge = program
    .command('edge')
    .description('The plant edge: keeps MES events on disk and forwards them to the central site');
  edge
    .command('run', { isDefault: true })
    .description('Run the plant edge (one per plant, next to the plant worker; same as npm run edge)')
    .action(() => runEdgeProcess());
  edge
    .command('status')
    .description('Backlog, oldest event, last contact with the central site, refusals (read from the backlog file)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const status = withStore((store, config) => edgeStatus(store, config, new Date()));
      print(status, Boolean(opts.json), () => describeEdgeStatus(status));
      if (status.backlog.alarm) process.exitCode = 2;
    });
  edge
    .command('refusals')
    .description('Events kept at the edge because the edge or the central site refused them, newest first')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action((opts: { limit: string; json?: boolean }) => {
      const refusals = withStore((store) => store.refusals(Math.max(1, Number(opts.limit) || 50)));
      print(refusals, Boolean(opts.json), () =>
        refusals.length === 0
          ? 'no refusals'
          : refusals
              .map(
                (r) =>
                  `${r.refusedAt} refused by ${r.by} (${r.code}) ${r.orderRef ?? ''} ${r.type ?? ''} ${r.eventId}: ${r.reason}`,
              )
              .join('\n'),
      );
    });
}
