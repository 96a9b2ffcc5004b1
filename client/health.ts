import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import axios from 'axios';
import type { EdgeHealth } from '../domain/edge';
import type { PlantflowConfig, SystemEndpoint } from '../runtime/config';
import { checkOdooVersion } from '../runtime/odoo-version';
import { plantTaskQueue, TaskQueue } from '../workflows/task-queues';
import { EdgeClient } from './edges';

export interface QueueHealth {
  taskQueue: string;
  kind: 'workflow' | 'activity';
  pollers: number;
  lastPollAt?: string;
}

export interface SystemHealth {
  system: 'odoo' | 'sap' | 'qms' | 'mes';
  url: string;
  simulated: boolean;
  /** Simulators answer /__sim/health; a real system is only reported, not probed here. */
  up?: boolean;
  /** Odoo only: the served version against PLANTFLOW_ODOO_VERSION (a read-only call, real or simulated). */
  version?: OdooVersionHealth;
}

export interface OdooVersionHealth {
  configured: string;
  served?: string;
  matches?: boolean;
  message: string;
  /** When Odoo was asked: the answer is kept a minute (a failed check 10 s), so probes do not call the ERP. */
  checkedAt: string;
}

export interface StackHealth {
  status: 'ok' | 'degraded' | 'down';
  temporal: { address: string; namespace: string; reachable: boolean; serverVersion?: string; error?: string };
  taskQueues: QueueHealth[];
  systems: SystemHealth[];
  /** Plant edges that have reported: last contact, backlog, and whether they went silent. */
  edges: EdgeHealth[];
  /** Why the edges could not be listed (then `edges` is empty and the status degraded). */
  edgesError?: string;
}

/** Every queue plantflow needs served: the workflow queue, one per system, one per plant. */
export function expectedQueues(config: Pick<PlantflowConfig, 'sites'>): Array<Omit<QueueHealth, 'pollers'>> {
  return [
    { taskQueue: TaskQueue.workflows, kind: 'workflow' },
    { taskQueue: TaskQueue.odoo, kind: 'activity' },
    { taskQueue: TaskQueue.sap, kind: 'activity' },
    { taskQueue: TaskQueue.qms, kind: 'activity' },
    ...config.sites.map((site) => ({ taskQueue: plantTaskQueue(site), kind: 'activity' as const })),
  ];
}

async function queueHealth(client: Client, namespace: string, q: Omit<QueueHealth, 'pollers'>): Promise<QueueHealth> {
  const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;
  const res = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: q.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType:
      q.kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  const pollers = res.pollers ?? [];
  const last = pollers
    .map((p) => (p.lastAccessTime?.seconds ? Number(p.lastAccessTime.seconds) * 1000 : 0))
    .reduce((a, b) => Math.max(a, b), 0);
  return { ...q, pollers: pollers.length, lastPollAt: last ? new Date(last).toISOString() : undefined };
}

async function systemHealth(system: SystemHealth['system'], endpoint: SystemEndpoint): Promise<SystemHealth> {
  const base: SystemHealth = { system, url: endpoint.url, simulated: endpoint.simulated };
  if (!endpoint.simulated) return base;
  try {
    const res = await axios.get(`${endpoint.url}/__sim/health`, { timeout: 2_000, validateStatus: () => true });
    return { ...base, up: res.status === 200 };
  } catch {
    return { ...base, up: false };
  }
}

const VERSION_KEPT_MS = 60_000;
const FAILED_CHECK_KEPT_MS = 10_000;
interface VersionCheck {
  at: number;
  keptMs: number;
  health?: Promise<OdooVersionHealth>;
}
const versionChecks = new Map<string, VersionCheck>();

/** The Odoo version check, asked at most once a minute per Odoo (health probes come every few seconds). */
function odooVersion(odoo: PlantflowConfig['odoo'], now = Date.now()): Promise<OdooVersionHealth> {
  const key = `${odoo.url} ${odoo.version}`;
  const cached = versionChecks.get(key);
  if (cached?.health && now - cached.at < cached.keptMs) return cached.health;
  const entry: VersionCheck = { at: now, keptMs: VERSION_KEPT_MS };
  const checkedAt = new Date(now).toISOString();
  entry.health = checkOdooVersion(odoo, 2_000).then(
    (check) => ({
      configured: check.configuredVersion,
      served: check.serverVersion,
      matches: check.versionMatches,
      message: check.message,
      checkedAt,
    }),
    (err: Error) => {
      entry.keptMs = FAILED_CHECK_KEPT_MS;
      return {
        configured: odoo.version,
        message: `Odoo at ${odoo.url} did not answer the version check (configured: ${odoo.version}): ${err.message}`,
        checkedAt,
      };
    },
  );
  versionChecks.set(key, entry);
  return entry.health;
}

export async function checkStackHealth(client: Client, config: PlantflowConfig): Promise<StackHealth> {
  const namespace = config.temporal.namespace;
  const temporalStatus: StackHealth['temporal'] = { address: config.temporal.address, namespace, reachable: false };
  let taskQueues: QueueHealth[] = [];
  let edges: EdgeHealth[] = [];
  let edgesError: string | undefined;
  try {
    const info = await client.workflowService.getSystemInfo({});
    temporalStatus.reachable = true;
    temporalStatus.serverVersion = info.serverVersion ?? undefined;
    // Apart: a visibility error listing the edges says nothing about the task queues, and the other way round.
    const listing = new EdgeClient(client, config.edge.silentAfterMs).list().then(
      (found) => void (edges = found),
      (err: Error) => void (edgesError = `the plant edges could not be listed: ${err.message}`),
    );
    [taskQueues] = await Promise.all([
      Promise.all(expectedQueues(config).map((q) => queueHealth(client, namespace, q))),
      listing,
    ]);
  } catch (err) {
    temporalStatus.error = (err as Error).message;
    taskQueues = expectedQueues(config).map((q) => ({ ...q, pollers: 0 }));
  }
  const systems = await Promise.all([
    systemHealth('odoo', config.odoo).then(async (h) => ({ ...h, version: await odooVersion(config.odoo) })),
    systemHealth('sap', config.sap),
    systemHealth('qms', config.qms),
    systemHealth('mes', config.mes),
  ]);
  const allServed = taskQueues.every((q) => q.pollers > 0);
  const simsUp = systems.every((s) => s.up !== false && s.version?.matches !== false);
  const edgesOk = !edgesError && edges.every((e) => e.state === 'ok');
  const status = !temporalStatus.reachable ? 'down' : allServed && simsUp && edgesOk ? 'ok' : 'degraded';
  return { status, temporal: temporalStatus, taskQueues, systems, edges, ...(edgesError ? { edgesError } : {}) };
}
