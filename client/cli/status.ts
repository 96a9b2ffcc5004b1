import type { Command } from 'commander';
import type { StackHealth } from '../health';
import { print, withOperations } from './context';

function describe(h: StackHealth): string {
  const mark = (ok: boolean | undefined) => (ok === undefined ? '·' : ok ? '✔' : '✘');
  return [
    `plantflow: ${h.status}`,
    `${mark(h.temporal.reachable)} Temporal ${h.temporal.address} (${h.temporal.namespace})${h.temporal.serverVersion ? ` server ${h.temporal.serverVersion}` : ''}${h.temporal.error ? ` — ${h.temporal.error}` : ''}`,
    ...h.taskQueues.map(
      (q) => `${mark(q.pollers > 0)} ${q.taskQueue.padEnd(28)} ${q.kind.padEnd(8)} ${q.pollers} poller(s)`,
    ),
    ...h.systems.map(
      (s) =>
        `${mark(s.up)} ${s.system.padEnd(5)} ${s.url}${s.simulated ? ' (simulator)' : ' (real system, not probed)'}`,
    ),
    ...h.edges.map(
      (e) =>
        `${mark(e.state === 'ok')} edge ${e.edgeId} (plant ${e.site}) ${e.state}: last contact ${e.lastContactAt} (${e.silentForSeconds} s ago), backlog ${e.backlog.events} event(s)${e.backlog.alarm ? ' — ALARM' : ''}`,
    ),
    ...(h.edgesError ? [`✘ ${h.edgesError}`] : []),
    ...h.systems.flatMap((s) => (s.version ? [`${mark(s.version.matches)} ${s.version.message}`] : [])),
  ].join('\n');
}

export function statusCommand(program: Command): void {
  program
    .command('status')
    .description('Temporal reachable, pollers on each task queue, simulators up')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const health = await withOperations((ops) => ops.health());
      print(health, Boolean(opts.json), () => describe(health));
      if (health.status !== 'ok') process.exitCode = 2;
    });
}
