import { existsSync } from 'node:fs';
import axios from 'axios';
import type { Command } from 'commander';
import { edgeStatus, describeEdgeStatus } from '../../edge/status';
import { EdgeStore, type RequeueResult } from '../../edge/store';
import { runEdgeProcess } from '../../edge/main';
import { ConfigError, type EdgeConfig } from '../../runtime/config';
import { cliConfig, print } from './context';

/** Reads the edge's backlog file beside the running edge (or with the edge stopped: that is when it matters). */
function withStore<T>(fn: (store: EdgeStore, config: EdgeConfig) => T): T {
  const config = cliConfig().edge;
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
  edge
    .command('requeue [eventIds...]')
    .description(
      'Put events the central site refused back in the running edge’s backlog, once the cause is fixed (by id and/or --code)',
    )
    .option('--code <code>', 'every central refusal with this code (e.g. invalid_request)')
    .option('--edge-url <url>', 'the running edge (default: PLANTFLOW_EDGE_HOST and PLANTFLOW_EDGE_PORT)')
    .option('--key <key>', "an operator key of the edge (default: PLANTFLOW_EDGE_API_KEYS' operator key)")
    .option('--json', 'print JSON')
    .action(async (eventIds: string[], opts: { code?: string; edgeUrl?: string; key?: string; json?: boolean }) => {
      if (eventIds.length === 0 && !opts.code) throw new Error('name the event ids to requeue, or --code <code>');
      const config = cliConfig().edge;
      const key = opts.key ?? Object.entries(config.keys).find(([, roles]) => roles.includes('operator'))?.[0];
      if (!key) throw new ConfigError('PLANTFLOW_EDGE_API_KEYS', 'no key with the role operator: pass --key <key>');
      const url = (opts.edgeUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
      const res = await axios
        .post<RequeueResult & { code?: string; message?: string }>(
          `${url}/edge/refusals/requeue`,
          { ...(eventIds.length ? { eventIds } : {}), ...(opts.code ? { code: opts.code } : {}) },
          { headers: { authorization: `Bearer ${key}` }, timeout: 30_000, validateStatus: () => true },
        )
        .catch((err: Error) => {
          throw new Error(`the edge at ${url} is unreachable (${err.message}): requeue acts on the running edge`);
        });
      if (res.status !== 200) throw new Error(`the edge answered ${res.status} ${res.data.code}: ${res.data.message}`);
      const result = res.data;
      print(result, Boolean(opts.json), () =>
        [
          `${result.requeued.length} event(s) back in the backlog${result.requeued.length ? `: ${result.requeued.join(', ')}` : ''}`,
          ...result.skipped.map((s) => `  not requeued ${s.eventId}: ${s.reason}`),
        ].join('\n'),
      );
      if (result.requeued.length === 0) process.exitCode = 2;
    });
}
